package io.wenzhen.gateway.webrtc;

import java.util.ArrayDeque;
import java.util.Deque;
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

    /** Packets sent within this of a group's first are one group (a frame's packets leave in a burst). */
    static final long GROUP_MICROS = 5_000;
    static final long FLOOR_BPS = 100_000;
    static final double DECREASE = 0.85;
    static final double INCREASE_PER_SECOND = 1.08;
    static final long ACKED_WINDOW_MICROS = 500_000;
    /** Loss is judged over at least this many packets (fewer say little). */
    static final int LOSS_SAMPLE = 20;
    static final long MIN_DECREASE_INTERVAL_NANOS = 600_000_000L;
    static final long RECOVERY_AFTER_NANOS = 2_000_000_000L;
    static final double RECOVERY_PER_SECOND = 1.25;
    static final double PAST_CAPACITY = 1.15;

    private final long ceilingBps;
    private final TrendlineEstimator trendline = new TrendlineEstimator();
    private long estimateBps;
    /** Packets received (arrival µs, bytes) in the last {@link #ACKED_WINDOW_MICROS} of arrivals. */
    private final Deque<long[]> acked = new ArrayDeque<>();
    private long ackedBytes;
    private long groupFirstSent = -1;
    private long groupLastSent;
    private long groupLastArrival;
    private long previousGroupSent = -1;
    private long previousGroupArrival;
    private int lossWindowLost;
    private int lossWindowTotal;
    private long lastUpdateNanos = -1;
    private long lastDecreaseNanos = Long.MIN_VALUE / 2;
    private long rttNanos = 100_000_000L;
    /** What arrived when the estimate was last cut: the link's capacity then; -1 once the estimate is well past it. */
    private long capacityBps = -1;

    SendSideBandwidthEstimator(long ceilingBps) {
        this.ceilingBps = ceilingBps;
        this.estimateBps = ceilingBps;
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
            acked(result);
            group(result);
        }
        long ackedBps = ackedBps();
        double elapsedSeconds = lastUpdateNanos < 0 ? 0 : Math.min(1.0, (nowNanos - lastUpdateNanos) / 1e9);
        lastUpdateNanos = nowNanos;
        long sinceDecrease = nowNanos - lastDecreaseNanos;
        boolean mayDecrease = sinceDecrease >= Math.max(MIN_DECREASE_INTERVAL_NANOS, rttNanos);
        double loss = lossWindowTotal >= LOSS_SAMPLE ? (double) lossWindowLost / lossWindowTotal : -1;
        if (loss >= 0) {
            lossWindowLost = 0;
            lossWindowTotal = 0;
        }
        if (trendline.usage() == TrendlineEstimator.Usage.OVERUSING && mayDecrease && ackedBps > 0) {
            estimateBps = Math.min(estimateBps, (long) (DECREASE * ackedBps));
            lastDecreaseNanos = nowNanos;
            capacityBps = ackedBps;
        } else if (loss > 0.10 && mayDecrease && ackedBps > 0) {
            estimateBps = Math.min(estimateBps, (long) (ackedBps * (1 - 0.5 * loss)));
            lastDecreaseNanos = nowNanos;
            capacityBps = ackedBps;
        } else if (trendline.usage() == TrendlineEstimator.Usage.NORMAL && loss < 0.02 && estimateBps < 1.5 * ackedBps + 10_000) {
            if (capacityBps > 0 && estimateBps > PAST_CAPACITY * capacityBps) {
                capacityBps = -1;
            }
            double rate = sinceDecrease >= RECOVERY_AFTER_NANOS && capacityBps < 0 ? RECOVERY_PER_SECOND : INCREASE_PER_SECOND;
            estimateBps = (long) (estimateBps * Math.pow(rate, elapsedSeconds));
        }
        estimateBps = Math.max(FLOOR_BPS, Math.min(ceilingBps, estimateBps));
        return estimateBps;
    }

    long estimate() {
        return estimateBps;
    }

    /** Whether the estimate is below the ceiling: the player's link has shown it is the narrow one. */
    boolean limiting() {
        return estimateBps < ceilingBps;
    }

    private void acked(PacketResult result) {
        acked.addLast(new long[] {result.arrivalMicros(), result.size()});
        ackedBytes += result.size();
        long newest = result.arrivalMicros();
        while (!acked.isEmpty() && (newest - acked.peekFirst()[0] > ACKED_WINDOW_MICROS || acked.peekFirst()[0] > newest + 10_000_000)) {
            ackedBytes -= acked.removeFirst()[1];
        }
    }

    /** What arrived over the window, bits per second (over at least 100 ms, so a burst does not read as a rate). */
    private long ackedBps() {
        if (acked.isEmpty()) {
            return 0;
        }
        long span = Math.max(100_000, acked.peekLast()[0] - acked.peekFirst()[0]);
        return ackedBytes * 8 * 1_000_000 / span;
    }

    /** Packets into send-time groups; each finished group's delay variation against the one before goes to the trendline. */
    private void group(PacketResult result) {
        if (groupFirstSent < 0) {
            startGroup(result);
            return;
        }
        if (result.sentMicros() - groupFirstSent <= GROUP_MICROS) {
            groupLastSent = Math.max(groupLastSent, result.sentMicros());
            groupLastArrival = Math.max(groupLastArrival, result.arrivalMicros());
            return;
        }
        if (result.sentMicros() < groupFirstSent) {
            return; // sent before the current group: reordered feedback, no new information on the trend
        }
        if (previousGroupSent >= 0) {
            long interDeparture = groupLastSent - previousGroupSent;
            long interArrival = groupLastArrival - previousGroupArrival;
            if (Math.abs(interArrival) < 10_000_000) { // not across a wrap of the feedback's reference time
                trendline.update(interArrival / 1000.0, interDeparture / 1000.0, groupLastArrival / 1000.0);
            }
        }
        previousGroupSent = groupLastSent;
        previousGroupArrival = groupLastArrival;
        startGroup(result);
    }

    private void startGroup(PacketResult result) {
        groupFirstSent = result.sentMicros();
        groupLastSent = result.sentMicros();
        groupLastArrival = result.arrivalMicros();
    }
}
