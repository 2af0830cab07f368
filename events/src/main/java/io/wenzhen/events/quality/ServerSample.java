package io.wenzhen.events.quality;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The data of {@code wenzhen.quality.server-sample.v1} on {@code quality-samples} (key appId/streamId):
 * what a gateway measured of one publisher (what arrives from it) or of one player (what the gateway
 * sent it and what its receiver reports say) over the last interval. Figures it cannot know are null.
 * Freeze figures are running totals since the stream began.
 *
 * @param side     {@code publish} or {@code play}
 * @param userId   the publisher's userID for {@code publish}, the player's for {@code play}
 * @param rttMs    the round trip from the player's receiver reports (players only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerSample(long appId, String roomId, String streamId, String userId, String side, String gatewayId,
        Instant measuredAt, double intervalSeconds, Media video, Media audio, Double rttMs, long nacks, long retransmitted,
        long keyframeRequests) {

    public static final String TYPE = "wenzhen.quality.server-sample.v1";

    /**
     * One medium's figures.
     *
     * @param fps      frames per second, from the RTP marker bits (video)
     * @param freezes  video freezes so far: an inter-frame gap of at least max(3 × the mean frame interval,
     *                 the mean + 150 ms) over the last 30 frames, as W3C webrtc-stats defines freezeCount
     * @param freezeMs time spent in those gaps so far
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Media(long packets, double kbps, Double lossFraction, Double jitterMs, Double fps, Long freezes,
            Double freezeMs) {
    }
}
