package io.wenzhen.quality.events;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The data of {@code wenzhen.quality.status.v1} on {@code quality-status} (key appId/streamId): a
 * stream's live quality over the sliding window, per participant, sent every few seconds while samples
 * arrive; {@code ended} once when the stream has gone quiet.
 *
 * @param grade the worst participant's grade (0 best .. 4 worst, 5 unknown)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamStatus(long appId, String roomId, String streamId, String publisherUserId, Instant at, boolean ended,
        int grade, List<Participant> participants) {

    public static final String TYPE = "wenzhen.quality.status.v1";

    /** One participant's live figures and the rules it currently breaks. */
    public record Participant(String userId, String side, Figures figures, List<String> openAlerts) {
    }
}
