package io.wenzhen.gateway.signaling;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.relay.SignalingRelay;
import io.wenzhen.gateway.session.Connection;
import io.wenzhen.gateway.session.Connections;
import io.wenzhen.token04.TokenException;

/**
 * The signaling protocol's front (docs/protocol.md): a connection opens (or is refused past the
 * caps), each message is size- and rate-checked, parsed, and handed to the {@link RequestHandler} of
 * its type; every refusal becomes a failed reply with its code.
 */
@ApplicationScoped
public class SignalingService {

    private static final Logger LOG = Logger.getLogger(SignalingService.class);
    private final Map<String, RequestHandler> handlers = new HashMap<>();
    private final Counter refused;

    @Inject
    GatewayConfig config;

    @Inject
    Connections connections;

    @Inject
    SignalingRelay relay;

    @Inject
    public SignalingService(MeterRegistry metrics, Instance<RequestHandler> all) {
        this.refused = metrics.counter("wenzhen.gateway.signaling.refusals");
        for (RequestHandler handler : all) {
            if (handlers.put(handler.type(), handler) != null) {
                throw new IllegalStateException("two handlers of " + handler.type());
            }
        }
    }

    /** A new connection gets the hello, or (past the connection caps) TOO_MANY_CONNECTIONS and a close. */
    public void opened(WebSocketConnection socket) {
        Connection connection = connections.opened(socket);
        if (connection == null) {
            refused.increment();
            return;
        }
        connection.send(ServerMessages.hello(config.idleTimeout().toMillis() / 3));
    }

    public Uni<Void> received(WebSocketConnection socket, String text) {
        Connection connection = connections.of(socket);
        if (connection == null) {
            return Uni.createFrom().voidItem();
        }
        long now = System.nanoTime();
        connection.received(now);
        if (text.length() > config.maxMessageBytes()) {
            return refuse(connection, null, new SignalingException(GatewayError.MESSAGE_TOO_LARGE));
        }
        if (!connection.withinRate(now)) {
            return refuse(connection, null, new SignalingException(GatewayError.RATE_LIMITED));
        }
        if (relay.relays(connection)) {
            relay.forward(connection, text); // its session lives on its room's home, which answers
            return Uni.createFrom().voidItem();
        }
        ClientMessage message;
        try {
            message = ClientMessage.parse(text);
        } catch (SignalingException e) {
            return refuse(connection, null, e);
        }
        Uni<ObjectNode> handled;
        try {
            RequestHandler handler = handlers.get(message.type());
            if (handler == null) {
                throw new SignalingException(GatewayError.UNKNOWN_MESSAGE_TYPE, "unknown type " + message.type());
            }
            handled = handler.handle(connection, message);
        } catch (RuntimeException e) {
            return refuse(connection, message.id(), e);
        }
        return handled.onItem().invoke(connection::send)
                .onFailure().recoverWithUni(e -> refuse(connection, message.id(), e).replaceWith((ObjectNode) null))
                .replaceWithVoid();
    }

    /** The connection closed: an active session waits for a resume until the grace period ends. */
    public void closed(WebSocketConnection socket) {
        Connection connection = connections.of(socket);
        if (connection != null) {
            relay.closed(connection);
        }
        connections.closed(socket);
    }

    private Uni<Void> refuse(Connection connection, String id, Throwable failure) {
        refused.increment();
        ObjectNode reply;
        if (failure instanceof SignalingException e) {
            reply = ServerMessages.error(id, e.code(), e.error(), e.getMessage());
        } else if (failure instanceof TokenException e) {
            reply = ServerMessages.error(id, e.error().code(), e.error().name(), e.error().message());
        } else {
            LOG.warnf("request %s failed: %s", id, failure.toString());
            reply = ServerMessages.error(id, GatewayError.TIMEOUT.code(), GatewayError.TIMEOUT.name(),
                    "the request could not be completed; try again");
        }
        connection.send(reply);
        return Uni.createFrom().voidItem();
    }
}
