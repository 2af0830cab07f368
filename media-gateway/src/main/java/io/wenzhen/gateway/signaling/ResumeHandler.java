package io.wenzhen.gateway.signaling;

import java.security.MessageDigest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.relay.SignalingRelay;
import io.wenzhen.gateway.session.Connection;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;

/**
 * {@code resume}: a session whose socket dropped continues on this connection, within its grace
 * period, with its resume token; the events it missed follow the reply. A session another gateway holds
 * (the login reply's {@code gateway}, which the SDK sends back) is resumed there, through a relay.
 */
@ApplicationScoped
public class ResumeHandler implements RequestHandler {

    @Inject
    SessionRegistry sessions;

    @Inject
    GatewayIdentity identity;

    @Inject
    SignalingRelay relay;

    @Override
    public String type() {
        return "resume";
    }

    @Override
    public Uni<ObjectNode> handle(Connection connection, ClientMessage message) {
        WebSocketConnection socket = connection.socket();
        if (sessions.byConnection(socket.id()) != null) {
            throw new SignalingException(GatewayError.ALREADY_LOGGED_IN);
        }
        String sessionId = message.text("sessionId", 64);
        String resumeToken = message.text("resumeToken", 64);
        long lastSeq = message.number("lastSeq");
        Session session = sessions.byId(sessionId);
        String holder = message.optionalText("gateway", 128);
        if (session == null && holder != null && !holder.equals(identity.id()) && !connection.fromRelay()) {
            // the home answers (or refuses) the resume; a home that cannot be reached has lost the session
            return relay.open(connection, holder, message.body().toString(), message.id()).replaceWith((ObjectNode) null)
                    .onFailure(SignalingRelay.HomeUnreachable.class)
                    .transform(e -> new SignalingException(GatewayError.RESUME_FAILED, e.getMessage()));
        }
        if (session == null || !MessageDigest.isEqual(session.resumeToken().getBytes(), resumeToken.getBytes())) {
            throw new SignalingException(GatewayError.RESUME_FAILED);
        }
        if (!session.canResume(lastSeq)) {
            throw new SignalingException(GatewayError.RESUME_FAILED, "too much was missed; log in again");
        }
        // answer first, then replay: the client learns it is resumed before the missed events arrive
        ObjectNode reply = ServerMessages.ok(message.id());
        reply.putObject("data").put("sessionId", sessionId).put("roomID", session.roomId()).put("lastSeq", session.lastSeq());
        connection.send(reply);
        WebSocketConnection previous = session.connection();
        session.resume(socket, lastSeq);
        sessions.bind(socket.id(), session);
        if (previous != null && previous != socket) {
            // the old connection is half-open (the client already moved on): retire it
            sessions.unbind(previous.id());
            previous.close().subscribe().with(ok -> { }, failure -> { });
        }
        return Uni.createFrom().nullItem();
    }
}
