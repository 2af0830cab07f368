package io.wenzhen.gateway.signaling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.errors.SignalingException;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.quality.ClientSamples;
import io.wenzhen.gateway.session.Connection;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;

/** {@code stats}: a client's quality sample of a stream it publishes or plays, to Kafka quality-samples. */
@ApplicationScoped
public class StatsHandler implements RequestHandler {

    @Inject
    SessionRegistry sessions;

    @Inject
    ClientSamples samples;

    @Override
    public String type() {
        return "stats";
    }

    @Override
    public Uni<ObjectNode> handle(Connection connection, ClientMessage message) {
        Session session = sessions.loggedIn(connection.id());
        String streamId = message.text("streamID", 512);
        String direction = message.text("direction", 16);
        if (!direction.equals("publish") && !direction.equals("play")) {
            throw new SignalingException(GatewayError.PROTOCOL_MALFORMED, "direction is publish or play");
        }
        // a sample speaks for the session's own streams only: none of another user's figures can be forged
        if (!(direction.equals("publish") ? session.published() : session.played()).contains(streamId)) {
            throw RoomRequests.refusal(RoomError.STREAM_NOT_FOUND);
        }
        return samples.send(session, streamId, direction, message.object("stats"))
                .map(ignored -> ServerMessages.ok(message.id()));
    }
}
