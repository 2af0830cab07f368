package io.wenzhen.gateway.signaling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.rooms.RoomCommands;
import io.wenzhen.gateway.rooms.SessionEnder;
import io.wenzhen.gateway.session.Connection;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;

/** {@code logout}: the session's streams end here and in the room; the connection stays open (its login deadline starts). */
@ApplicationScoped
public class LogoutHandler implements RequestHandler {

    @Inject
    SessionRegistry sessions;

    @Inject
    SessionEnder ender;

    @Inject
    RoomCommands commands;

    @Inject
    RoomRequests rooms;

    @Override
    public String type() {
        return "logout";
    }

    @Override
    public Uni<ObjectNode> handle(Connection connection, ClientMessage message) {
        Session session = sessions.loggedIn(connection.id());
        connection.loggedOut(System.nanoTime());
        ender.forget(session);
        return commands.send(rooms.command(session, RoomCommand.Kind.LOGOUT, null, null, null))
                .map(result -> ServerMessages.ok(message.id()));
    }
}
