package io.wenzhen.gateway.ws;

import jakarta.inject.Inject;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.wenzhen.gateway.signaling.SignalingService;

/** {@code /ws}: one connection per SDK engine; the protocol is in docs/protocol.md. */
@WebSocket(path = "/ws")
public class SignalingEndpoint {

    @Inject
    SignalingService signaling;

    @OnOpen
    void open(WebSocketConnection connection) {
        signaling.opened(connection);
    }

    @OnTextMessage
    Uni<Void> message(WebSocketConnection connection, String text) {
        return signaling.received(connection, text);
    }

    @OnClose
    void close(WebSocketConnection connection) {
        signaling.closed(connection);
    }
}
