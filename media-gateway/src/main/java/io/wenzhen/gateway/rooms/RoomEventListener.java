package io.wenzhen.gateway.rooms;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.cloudevents.CloudEvent;
import io.smallrye.reactive.messaging.kafka.Record;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.session.Session;
import io.wenzhen.gateway.session.SessionRegistry;
import io.wenzhen.gateway.webrtc.Sfu;

/**
 * Reads room-events (every gateway reads all of it) and tells this gateway's sessions what concerns
 * them: the answers to their commands, the comings and goings of users and streams, messages, kicks.
 */
@ApplicationScoped
public class RoomEventListener {

    private static final Logger LOG = Logger.getLogger(RoomEventListener.class);

    @Inject
    RoomCommands commands;

    @Inject
    SessionRegistry sessions;

    @Inject
    RoomViews views;

    @Inject
    SessionEnder ender;

    @Inject
    Sfu sfu;

    @Incoming("room-events")
    void onEvent(Record<String, byte[]> record) {
        CloudEvent event;
        RoomEvent data;
        try {
            event = WenzhenEvents.deserialize(record.value());
            data = WenzhenEvents.data(event, RoomEvent.class);
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable room event (key %s): %s", record.key(), e.getMessage());
            return;
        }
        if (RoomEvent.COMMAND_RESULT.equals(event.getType())) {
            commands.complete(data);
            return;
        }
        if (RoomEvent.STREAM_REMOVED.equals(event.getType())) {
            // whoever ended it (unpublish, a kick, a lost gateway), its media ends here too: the publication
            // of that user only, never a stream another session published since under the same streamID
            sfu.streamRemoved(record.key(), data.stream().streamId(), data.stream().userId());
        }
        Collection<Session> local = sessions.inRoom(record.key());
        RoomView view = views.find(record.key());
        if (local.isEmpty() || view == null || !view.apply(event.getType(), data)) {
            return;
        }
        deliver(event.getType(), data, local);
    }

    private void deliver(String type, RoomEvent event, Collection<Session> local) {
        String room = event.roomId();
        switch (type) {
            case RoomEvent.USER_JOINED -> {
                for (Session session : local) {
                    if (session.id().equals(event.sessionId())) {
                        continue;
                    }
                    if (session.userUpdate()) {
                        session.send(ServerMessages.userUpdate(room, "ADD", List.of(event.user())));
                    }
                    session.send(ServerMessages.onlineCount(room, event.memberCount()));
                }
            }
            case RoomEvent.USER_LEFT, RoomEvent.USER_KICKED -> {
                for (Session session : local) {
                    if (session.id().equals(event.sessionId())) {
                        // a kick; or room-service let a session go that is still live here (it took this gateway for
                        // lost, or a command was applied late): no zombie, the client hears it is out and may log in again
                        ender.kicked(session, event.code(), event.reason());
                        continue;
                    }
                    if (session.userUpdate()) {
                        session.send(ServerMessages.userUpdate(room, "DELETE", List.of(event.user())));
                    }
                    session.send(ServerMessages.onlineCount(room, event.memberCount()));
                }
            }
            case RoomEvent.STREAM_ADDED, RoomEvent.STREAM_REMOVED -> {
                String update = RoomEvent.STREAM_ADDED.equals(type) ? "ADD" : "DELETE";
                for (Session session : local) {
                    if (!session.userId().equals(event.stream().userId())) {
                        session.send(ServerMessages.streamUpdate(room, update, List.of(event.stream()), session.appId(),
                                session.edgeUrls()));
                    }
                }
            }
            case RoomEvent.BROADCAST_MESSAGE -> {
                for (Session session : local) {
                    if (!session.userId().equals(event.message().fromUserId())) {
                        session.send(ServerMessages.broadcast(room, event.message()));
                    }
                }
            }
            default -> {
                // room-created / room-closed: the users' own events already said everything
            }
        }
    }
}
