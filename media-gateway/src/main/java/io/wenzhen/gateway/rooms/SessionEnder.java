package io.wenzhen.gateway.rooms;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.wenzhen.events.room.RoomError;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.signaling.ServerMessages;

/** Ends sessions on this gateway: tells the client why, forgets the session, drops an unused room view. */
@ApplicationScoped
public class SessionEnder {

    @Inject
    SessionRegistry sessions;

    @Inject
    RoomViews views;

    @Inject
    io.wenzhen.gateway.webrtc.Sfu sfu;

    /** room-service removed the session (duplicate login, an admin's kick, room closed). */
    public void kicked(Session session, Integer code, String reason) {
        RoomError error = code == null ? null : byCode(code);
        session.send(ServerMessages.kicked(session.roomId(), code == null ? 0 : code,
                error == null ? reason : error.name(), error == null ? reason : error.message()));
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
