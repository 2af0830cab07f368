package io.wenzhen.quality.streams;

import java.util.LinkedHashMap;
import java.util.Map;

import io.wenzhen.quality.analytics.ParticipantWindow;

/** What the analytics keep of one stream (key appId/streamId): its participants' windows. */
public final class StreamState {

    public long appId;
    public String roomId;
    public String streamId;
    public String publisherUserId;
    /** By {@code side:userId}. */
    public Map<String, ParticipantWindow> participants = new LinkedHashMap<>();
    /** Changed since the last status went out. */
    public boolean dirty;

    static String participantKey(io.wenzhen.quality.analytics.Sample.Side side, String userId) {
        return side.name().toLowerCase(java.util.Locale.ROOT) + ":" + userId;
    }
}
