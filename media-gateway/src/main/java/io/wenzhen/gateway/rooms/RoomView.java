package io.wenzhen.gateway.rooms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.wenzhen.events.room.RoomEvent;

/**
 * What this gateway knows of a room its sessions are in: users and streams, from a login's snapshot
 * and the events after it. Events carry (consultation, seq); a repeat is recognised and dropped.
 */
public final class RoomView {

    private String consultationId;
    private long seq;
    private final Map<String, RoomEvent.Member> users = new LinkedHashMap<>();
    private final Map<String, RoomEvent.Stream> streams = new LinkedHashMap<>();

    /** Takes a login snapshot when it is newer than what the view holds. */
    public synchronized void adopt(String consultation, RoomEvent.Snapshot snapshot) {
        if (consultation.equals(consultationId) && snapshot.seq() <= seq) {
            return;
        }
        consultationId = consultation;
        seq = snapshot.seq();
        users.clear();
        streams.clear();
        snapshot.users().forEach(user -> users.put(user.userId(), user));
        snapshot.streams().forEach(stream -> streams.put(stream.streamId(), stream));
    }

    /** Applies a state event; false when it is a repeat (or older than the view) and must not be delivered. */
    public synchronized boolean apply(String type, RoomEvent event) {
        if (event.seq() == null) {
            return false;
        }
        if (!event.consultationId().equals(consultationId)) {
            if (!RoomEvent.ROOM_CREATED.equals(type)) {
                // an event of a consultation this view never saw begin: only a later snapshot can tell
                return consultationId == null;
            }
            consultationId = event.consultationId();
            seq = 0;
            users.clear();
            streams.clear();
        }
        if (event.seq() <= seq) {
            return false;
        }
        seq = event.seq();
        switch (type) {
            case RoomEvent.USER_JOINED -> users.put(event.user().userId(), event.user());
            case RoomEvent.USER_LEFT, RoomEvent.USER_KICKED -> users.remove(event.user().userId());
            case RoomEvent.STREAM_ADDED -> streams.put(event.stream().streamId(), event.stream());
            case RoomEvent.STREAM_REMOVED -> streams.remove(event.stream().streamId());
            default -> {
                // room-created, room-closed, messages change no membership
            }
        }
        return true;
    }

    public synchronized RoomEvent.Stream stream(String streamId) {
        return streams.get(streamId);
    }

    public synchronized List<RoomEvent.Stream> streams() {
        return List.copyOf(streams.values());
    }

    public synchronized List<RoomEvent.Member> users() {
        return List.copyOf(users.values());
    }
}
