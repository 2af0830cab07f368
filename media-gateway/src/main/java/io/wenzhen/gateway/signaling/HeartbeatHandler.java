package io.wenzhen.gateway.signaling;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.session.Connection;

/** {@code heartbeat}: answered before login too, but only a login (or resume) keeps an unauthenticated connection open. */
@ApplicationScoped
public class HeartbeatHandler implements RequestHandler {

    @Override
    public String type() {
        return "heartbeat";
    }

    @Override
    public Uni<ObjectNode> handle(Connection connection, ClientMessage message) {
        return Uni.createFrom().item(ServerMessages.ok(message.id()).put("serverTime", System.currentTimeMillis()));
    }
}
