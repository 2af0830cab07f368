package io.wenzhen.gateway.rooms;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.webrtc.Sfu;

/**
 * A publication whose media connection ended while its session stays (the publisher's DTLS closed, or
 * its consent lapsed: a network change the browser did not survive) is ended as an unpublish would
 * end it: room-service is told until it applies it, so the room's players hear the stream is gone
 * instead of watching a frozen picture, and the publisher hears why (publishEnded, 10324) and may
 * publish again.
 */
@ApplicationScoped
public class LostPublications {

    @Inject
    Sfu sfu;

    @Inject
    SessionRegistry sessions;

    @Inject
    RoomCommands commands;

    @Inject
    GatewayIdentity identity;

    void register(@Observes StartupEvent startup) {
        sfu.onPublicationLost(this::lost);
    }

    void lost(String roomKey, String streamId, Sfu.Owner owner) {
        Session session = sessions.byId(owner.sessionId());
        if (session == null) {
            return; // the session has ended: its end tells the room
        }
        if (session.publishing().contains(streamId)) {
            session.lostWhilePublishing().add(streamId); // a re-publish in flight replaces it, unless it fails: see publishDone
            return;
        }
        end(session, streamId);
    }

    /** A publish of the stream is about to be admitted: it replaces an earlier publication lost meanwhile, if any. */
    public void admitting(Session session, String streamId) {
        session.publishing().remove(streamId);
        session.lostWhilePublishing().remove(streamId);
    }

    /**
     * A publish of the stream failed: when the session's earlier publication of the stream was lost
     * meanwhile, the stream ends as lost (the failed publish replaced nothing).
     */
    public void publishFailed(Session session, String streamId) {
        session.publishing().remove(streamId);
        if (session.lostWhilePublishing().remove(streamId)) {
            end(session, streamId);
        }
    }

    /** The session's publication of the stream is gone with its media connection: the room and the publisher are told. */
    public void end(Session session, String streamId) {
        if (!session.published().remove(streamId)) {
            return; // already unpublished
        }
        commands.tell(new RoomCommand(UUID.randomUUID().toString(), RoomCommand.Kind.UNPUBLISH, session.appId(), session.roomId(),
                session.id(), identity.id(), session.userId(), null, null, streamId, null, null, null));
        GatewayError why = GatewayError.MEDIA_CONNECTION_LOST;
        session.send(ServerMessages.publishEnded(session.roomId(), streamId, why.code(), why.name(), why.message()));
    }
}
