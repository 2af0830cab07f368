package io.wenzhen.gateway.webrtc;

import java.util.List;

import io.wenzhen.protocols.rtcp.TransportFeedback;

/**
 * How much a player's downlink carries, estimated by the gateway as its sender from the player's transport-wide
 * feedback (Google Congestion Control's send side, draft-ietf-rmcat-gcc-02): the {@link TrendlineEstimator}'s
 * delay trend and the feedback's loss drive one estimate, cut to 85 % of what arrived when a queue builds, cut by
 * half the loss above 10 %, and grown while the path is clear, never past 1.5 times what arrives. It starts at the
 * ceiling, not limiting: a player's link counts as the narrow one only once it has shown a queue or loss, so a clear
 * path never holds a publisher back while its own estimate ramps up.
 * <p>
 * Two departures from GCC, because what this estimate limits is a publisher's encoder a round trip and an encoder's
 * reaction away: cuts come at most every {@link #MIN_DECREASE_INTERVAL_NANOS} (the publisher must have obeyed the last
 * one before what arrives says anything new); and once the path has been clear for {@link #RECOVERY_AFTER_NANOS} and
 * the estimate has passed what arrived at the last cut by {@link #PAST_CAPACITY} (the link is wider now), it grows
 * {@link #RECOVERY_PER_SECOND} a second instead of 8 %: GCC climbs fast by probing, and here the stream itself is the
 * probe (the next overuse cuts it back). Near that rate it keeps GCC's 8 %, so a steady narrow link sees a slow
 * sawtooth around its capacity, not a fast one.
 */
final class SendSideBandwidthEstimator {

    /** One packet sent on the transport, as the feedback reported it. */
    record PacketResult(long sentMicros, long arrivalMicros, int size) {

        boolean received() {
            return arrivalMicros != TransportFeedback.NOT_RECEIVED;
        }
    }

    static final long FLOOR_BPS = 100_000;
    static final double DECREASE = 0.85;
    static final double INCREASE_PER_SECOND = 1.08;
    /** Loss is judged over at least this many packets (fewer say little). */
    static final int LOSS_SAMPLE = 20;
    static final long MIN_DECREASE_INTERVAL_NANOS = 600_000_000L;
    static final long RECOVERY_AFTER_NANOS = 2_000_000_000L;
    static final double RECOVERY_PER_SECOND = 1.25;
    static final double PAST_CAPACITY = 1.15;

    private final long ceilingBps;
    private final TrendlineEstimator trendline = new TrendlineEstimator();
    private long estimateBps;
    private final InterArrival groups = new InterArrival();
    private final AckedBitrate acked = new AckedBitrate();
    private int lossWindowLost;
    private int lossWindowTotal;
    /** The loss of the last {@link #LOSS_SAMPLE} packets or more, held until the next such judgement. */
    private double loss;
    private long lastUpdateNanos = -1;
    private long lastDecreaseNanos = Long.MIN_VALUE / 2;
    private long rttNanos = 100_000_000L;
    /**
     * What the link carries by its delay alone: cut only when a queue builds, grown as the estimate grows, never cut
     * for loss. What a publisher is asked to send follows this, not the estimate.
     */
    private long queueBoundBps;
    /** What arrived when the estimate was last cut: the link's capacity then; -1 once the estimate is well past it. */
    private long capacityBps = -1;

    SendSideBandwidthEstimator(long ceilingBps) {
        this.ceilingBps = ceilingBps;
        this.estimateBps = ceilingBps;
        this.queueBoundBps = ceilingBps;
    }

    /** The round trip to the player (from its receiver reports): decreases come at most once per round trip. */
    void rtt(long nanos) {
        rttNanos = Math.max(0, nanos);
    }

    /**
     * One feedback's packets, in the order they were sent.
     *
     * @return the new estimate, bits per second
     */
    long update(List<PacketResult> results, long nowNanos) {
        for (PacketResult result : results) {
            lossWindowTotal++;
            if (!result.received()) {
                lossWindowLost++;
                continue;
            }
            acked.received(result.arrivalMicros(), result.size());
            InterArrival.Delta delta = groups.add(result.sentMicros(), result.arrivalMicros());
            if (delta != null) {
                trendline.update(delta.interArrivalMillis(), delta.interDepartureMillis(), delta.arrivalMillis());
            }
        }
        long ackedBps = acked.bps();
        double elapsedSeconds = lastUpdateNanos < 0 ? 0 : Math.min(1.0, (nowNanos - lastUpdateNanos) / 1e9);
        lastUpdateNanos = nowNanos;
        long sinceDecrease = nowNanos - lastDecreaseNanos;
        boolean mayDecrease = sinceDecrease >= Math.max(MIN_DECREASE_INTERVAL_NANOS, rttNanos);
        boolean judged = lossWindowTotal >= LOSS_SAMPLE;
        if (judged) {
            loss = (double) lossWindowLost / lossWindowTotal;
            lossWindowLost = 0;
            lossWindowTotal = 0;
        }
        if (trendline.usage() == TrendlineEstimator.Usage.OVERUSING && mayDecrease && ackedBps > 0) {
            estimateBps = Math.min(estimateBps, (long) (DECREASE * ackedBps));
            queueBoundBps = Math.min(queueBoundBps, (long) (DECREASE * ackedBps));
            lastDecreaseNanos = nowNanos;
            capacityBps = ackedBps;
        } else if (judged && loss > 0.10 && mayDecrease && ackedBps > 0) {
            estimateBps = Math.min(estimateBps, (long) (ackedBps * (1 - 0.5 * loss)));
            lastDecreaseNanos = nowNanos;
            capacityBps = ackedBps;
        } else if (trendline.usage() == TrendlineEstimator.Usage.NORMAL) {
            if (capacityBps > 0 && Math.max(estimateBps, queueBoundBps) > PAST_CAPACITY * capacityBps) {
                capacityBps = -1;
            }
            double growth = Math.pow(sinceDecrease >= RECOVERY_AFTER_NANOS && capacityBps < 0 ? RECOVERY_PER_SECOND
                    : INCREASE_PER_SECOND, elapsedSeconds);
            double limit = 1.5 * ackedBps + 10_000;
            if (loss < 0.02 && estimateBps < limit) {
                estimateBps = (long) (estimateBps * growth);
            }
            if (queueBoundBps < limit) {
                queueBoundBps = (long) (queueBoundBps * growth); // no queue: the link takes more, whatever the loss
            }
        }
        estimateBps = Math.max(FLOOR_BPS, Math.min(ceilingBps, estimateBps));
        queueBoundBps = Math.max(FLOOR_BPS, Math.min(ceilingBps, queueBoundBps));
        return estimateBps;
    }

    long estimate() {
        return estimateBps;
    }

    /** Whether the estimate is below the ceiling: the player's link has shown queueing or loss. */
    boolean limiting() {
        return estimateBps < ceilingBps;
    }

    /**
     * Whether the link has shown it is the narrow one by queueing: a sender sending less helps it. Loss alone (at 10 %
     * random loss GCC's loss rule only ever cuts, and a publisher asked to follow sends ever less) holds the player's
     * resends to the estimate but is no reason for its publisher to send less.
     */
    boolean queueLimited() {
        return queueBoundBps < ceilingBps;
    }

    /** What the link carries by its delay alone (the ceiling until a queue built). */
    long queueBound() {
        return queueBoundBps;
    }
}
