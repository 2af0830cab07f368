package io.wenzhen.gateway.rooms;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.webrtc.Sfu;

/** Ends sessions on this gateway: tells the client why, forgets the session, drops an unused room view. */
@ApplicationScoped
public class SessionEnder {

    @Inject
    SessionRegistry sessions;

    @Inject
    RoomViews views;

    @Inject
    Sfu sfu;

    @Inject
    RoomCommands commands;

    @Inject
    GatewayIdentity identity;

    /** room-service removed the session (duplicate login, an admin's kick, room closed). */
    public void kicked(Session session, Integer code, String reason) {
        RoomError error = code == null ? null : byCode(code);
        tellAndForget(session, ServerMessages.kicked(session.roomId(), code == null ? 0 : code,
                error == null ? reason : error.name(), error == null ? reason : error.message()));
    }

    /**
     * The gateway ends a live session (its app disabled, its token's secret revoked): the client hears
     * why, the session's media ends, and room-service is told until it applies it.
     */
    public void revoke(Session session, int code, String error, String message) {
        tellAndForget(session, ServerMessages.kicked(session.roomId(), code, error, message));
        commands.tell(new RoomCommand(UUID.randomUUID().toString(), RoomCommand.Kind.SESSION_EXPIRED, session.appId(),
                session.roomId(), session.id(), identity.id(), session.userId(), null, null, null, null, null, null));
    }

    /**
     * Ends a session with a last event (a kick): its connection is released first, so a client that
     * logs in again the moment it hears it is out is not refused as still logged in.
     */
    public void tellAndForget(Session session, ObjectNode lastEvent) {
        sessions.release(session);
        session.send(lastEvent);
        forget(session);
    }

    /** This side ended the session (logout, token expiry, grace period over). */
    public void forget(Session session) {
        for (String stream : session.published()) {
            sfu.stopPublishing(session.roomKey(), stream, session.id());
        }
        for (String stream : session.played()) {
            sfu.stopPlaying(session.roomKey(), stream, session.id());
        }
        if (sessions.remove(session)) {
            views.drop(session.roomKey());
        }
    }

    private static RoomError byCode(int code) {
        for (RoomError error : RoomError.values()) {
            if (error.code() == code) {
                return error;
            }
        }
        return null;
    }
}
