package io.wenzhen.quality.streams;

import java.util.Locale;

import io.wenzhen.quality.analytics.ParticipantWindow;
import io.wenzhen.quality.analytics.Sample;

/**
 * What stage one keeps of one participant of one stream (key appId/streamId/side:userId): the stream it
 * belongs to and its window. One participant per key keeps each store write small: a sample rewrites
 * its participant, not its whole stream.
 */
public final class ParticipantState {

    public long appId;
    public String roomId;
    public String streamId;
    public String publisherUserId;
    /** Changed since the last status went out. */
    public boolean dirty;
    public ParticipantWindow window;

    static String key(long appId, String streamId, Sample.Side side, String userId) {
        return streamPrefix(appId, streamId) + side.name().toLowerCase(Locale.ROOT) + ":" + userId;
    }

    /** Every participant of a stream has a key starting so (stream ids hold no '/'). */
    static String streamPrefix(long appId, String streamId) {
        return appId + "/" + streamId + "/";
    }
}
