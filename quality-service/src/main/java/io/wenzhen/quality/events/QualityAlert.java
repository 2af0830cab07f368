package io.wenzhen.quality.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The data of {@code wenzhen.quality.alert.v1} on {@code quality-alerts} (key appId/roomId): a
 * participant's quality broke a rule for the rule's time ({@code raised}), came back ({@code recovered}),
 * or its stream ended while the alert was open ({@code ended}). One alert id from raise to end.
 *
 * @param userId          the participant: the publisher (side publish) or the player (side play)
 * @param publisherUserId the stream's publisher
 * @param value           the metric's value at this transition
 * @param worst           the worst value since the breach began
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QualityAlert(String alertId, String state, long appId, String roomId, String streamId, String userId,
        String publisherUserId, String side, String rule, String metric, String comparison, double threshold, Double value,
        Double worst, Instant since, Instant raisedAt, Instant at, Figures figures) {

    public static final String TYPE = "wenzhen.quality.alert.v1";
    public static final String RAISED = "raised";
    public static final String RECOVERED = "recovered";
    public static final String ENDED = "ended";
}
