package io.wenzhen.quality.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The data of {@code wenzhen.quality.report.v1} on {@code quality-reports} (key appId/roomId), one per
 * consultation once its room has closed (or it is taken to have ended without its close), and what
 * {@code GET /api/v1/quality/reports/{id}} returns.
 *
 * @param ending    {@value #ROOM_CLOSED}, or {@value #UNCLOSED} when its room-closed never came (the room opened
 *                  again as a new consultation, or nothing was heard of it for {@code consultation-expiry}): it
 *                  ended, as far as anyone can tell, with its last news
 * @param complete  every participant seen had sent its last window when the report went out (false: it
 *                  waited {@code report-max-wait} in vain, or the consultation was unclosed mid-stream)
 * @param poorShare the share of all participants' windows graded poor or unusable
 * @param poor      the consultation counts as one with poor quality: an alert was raised, or more than
 *                  10 % of its windows (and at least 3) were poor
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QualityReport(String consultationId, long appId, String roomId, Instant startedAt, Instant endedAt,
        long durationSeconds, String ending, boolean complete, List<Member> participants, List<StreamReport> streams,
        List<AlertRef> alerts, int worstGrade, double poorShare, boolean poor) {

    public static final String TYPE = "wenzhen.quality.report.v1";
    public static final String ROOM_CLOSED = "room-closed";
    public static final String UNCLOSED = "unclosed";

    /** One session in the room: who, from when to when, and why it ended. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Member(String userId, String sessionId, Instant joinedAt, Instant leftAt, String reason) {
    }

    public record StreamReport(String streamId, String publisherUserId, List<ParticipantReport> participants) {
    }

    /**
     * One participant of one stream over the consultation.
     *
     * @param grades          windows per grade (0..5)
     * @param mosDistribution windows per MOS band, {@code audio} and {@code video}: [1,2), [2,3), [3,4), [4,4.5]
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ParticipantReport(String userId, String side, long samples, long windows, Figures averages, double freezes,
            double freezeMs, long[] grades, Map<String, long[]> mosDistribution, List<Window> worstWindows) {
    }

    /** One of the worst windows (lowest MOS). */
    public record Window(Instant start, Instant end, Figures figures) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AlertRef(String alertId, String rule, String streamId, String userId, String side, Instant raisedAt,
            Instant endedAt, String endState) {
    }
}
