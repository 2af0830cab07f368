package io.wenzhen.quality.streams;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the consultation stage keeps of one room's current consultation (key appId/roomId): its members
 * and their times from room-events, each stream's participants' accumulated windows, and its alerts.
 */
public final class ConsultationState {

    public long appId;
    public String roomId;
    public String consultationId;
    public long startedAt = -1;
    public long closedAt = -1;
    /** Wall clock of the room-closed event's processing: the report waits a grace period from it. */
    public long closedWall = -1;
    public long reportedWall = -1;
    public long updatedWall;
    /**
     * Event time of the latest news of it (a room event, a window's end, an alert): where a consultation
     * whose room-closed never came is taken to have ended.
     */
    public long lastAt = -1;
    /** By session id. */
    public Map<String, Member> members = new LinkedHashMap<>();
    /** By stream id. */
    public Map<String, StreamEntry> streams = new LinkedHashMap<>();
    /** By alert id. */
    public Map<String, AlertEntry> alerts = new LinkedHashMap<>();

    public static final class Member {
        public String userId;
        public long joinedAt = -1;
        public long leftAt = -1;
        public String reason;
    }

    /**
     * A stream's publisher and its participants by {@code side:userId}, each with whether its last window
     * has come; their accumulated windows are kept apart (the participants store), so a window rewrites
     * its participant's figures, not the whole consultation.
     */
    public static final class StreamEntry {
        public String publisherUserId;
        public Map<String, Boolean> participants = new LinkedHashMap<>();
    }

    public static final class AlertEntry {
        public String rule;
        public String streamId;
        public String userId;
        public String side;
        public long raisedAt;
        public long endedAt = -1;
        public String endState;
    }

    boolean reported() {
        return reportedWall >= 0;
    }

    void heard(long at) {
        lastAt = Math.max(lastAt, at);
    }
}
