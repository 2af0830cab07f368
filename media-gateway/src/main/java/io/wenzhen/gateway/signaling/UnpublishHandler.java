package io.wenzhen.gateway.signaling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.rooms.RoomCommands;
import io.wenzhen.gateway.session.Connection;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.webrtc.Sfu;

/** {@code unpublish}: room-service ends the stream if it is this session's; then its publication here ends. */
@ApplicationScoped
public class UnpublishHandler implements RequestHandler {

    @Inject
    SessionRegistry sessions;

    @Inject
    Sfu sfu;

    @Inject
    RoomCommands commands;

    @Inject
    RoomRequests rooms;

    @Override
    public String type() {
        return "unpublish";
    }

    @Override
    public Uni<ObjectNode> handle(Connection connection, ClientMessage message) {
        Session session = sessions.loggedIn(connection.id());
        String streamId = message.text("streamID", 512);
        return commands.send(rooms.command(session, RoomCommand.Kind.UNPUBLISH, streamId, null, null)).map(result -> {
            RoomRequests.failIfRefused(result);
            if (session.published().remove(streamId)) {
                sfu.stopPublishing(session.roomKey(), streamId, session.id());
            }
            return ServerMessages.ok(message.id());
        });
    }
}
