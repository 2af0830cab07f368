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

/** {@code broadcast}: a message to the room (1–1024 bytes), through room-service, which numbers and records it. */
@ApplicationScoped
public class BroadcastHandler implements RequestHandler {

    @Inject
    SessionRegistry sessions;

    @Inject
    RoomCommands commands;

    @Inject
    RoomRequests rooms;

    @Override
    public String type() {
        return "broadcast";
    }

    @Override
    public Uni<ObjectNode> handle(Connection connection, ClientMessage message) {
        Session session = sessions.loggedIn(connection.id());
        String text = message.text("message", 1024);
        return commands.send(rooms.command(session, RoomCommand.Kind.BROADCAST, null, null, text)).map(result -> {
            RoomRequests.failIfRefused(result);
            return ServerMessages.ok(message.id());
        });
    }
}
