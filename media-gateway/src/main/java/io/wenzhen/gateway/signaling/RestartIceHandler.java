package io.wenzhen.gateway.signaling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.session.Connection;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.webrtc.Sfu;

/**
 * {@code restartIce}: the client's network changed and one of its media connections restarts ICE with a new
 * offer ({@code iceRestart}); the answer carries new ICE credentials, and the publication or playback goes on
 * without a new DTLS handshake or a new stream. Only the session's own connections; an offer that changes
 * more than ICE is refused (SDP_INVALID).
 */
@ApplicationScoped
public class RestartIceHandler implements RequestHandler {

    @Inject
    SessionRegistry sessions;

    @Inject
    Sfu sfu;

    @Override
    public String type() {
        return "restartIce";
    }

    @Override
    public Uni<ObjectNode> handle(Connection connection, ClientMessage message) {
        Session session = sessions.loggedIn(connection.id());
        String streamId = message.text("streamID", 512);
        String direction = message.text("direction", 16);
        String offer = message.text("sdp", MediaRequests.MAX_SDP);
        boolean publish = switch (direction) {
            case "publish" -> true;
            case "play" -> false;
            default -> throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, "direction is publish or play");
        };
        if (!(publish ? session.published() : session.played()).contains(streamId)) {
            throw new SignalingException(GatewayError.STREAM_NOT_IN_ROOM, "this session does not " + direction + " that stream");
        }
        String answer = MediaRequests.sfu(() -> sfu.restartIce(session.roomKey(), streamId, publish, session.id(), offer));
        ObjectNode reply = ServerMessages.ok(message.id());
        reply.putObject("data").put("streamID", streamId).put("sdp", answer);
        return Uni.createFrom().item(reply);
    }
}
