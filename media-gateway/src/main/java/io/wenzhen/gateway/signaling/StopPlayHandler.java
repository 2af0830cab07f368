package io.wenzhen.gateway.signaling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.session.Connection;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.webrtc.Sfu;

/** {@code stopPlay}: the session's playback of the stream ends (none: no harm). */
@ApplicationScoped
public class StopPlayHandler implements RequestHandler {

    @Inject
    SessionRegistry sessions;

    @Inject
    Sfu sfu;

    @Override
    public String type() {
        return "stopPlay";
    }

    @Override
    public Uni<ObjectNode> handle(Connection connection, ClientMessage message) {
        Session session = sessions.loggedIn(connection.id());
        String streamId = message.text("streamID", 512);
        if (session.played().remove(streamId)) {
            sfu.stopPlaying(session.roomKey(), streamId, session.id());
        }
        return Uni.createFrom().item(ServerMessages.ok(message.id()));
    }
}
