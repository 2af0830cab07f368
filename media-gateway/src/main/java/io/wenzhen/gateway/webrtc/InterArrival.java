package io.wenzhen.gateway.webrtc;

/**
 * Packets into send-time groups (a frame's packets leave in a burst), and each finished group's delay variation
 * against the group before it (Chromium's InterArrival): what the {@link TrendlineEstimator} reads.
 */
final class InterArrival {

    /** A finished group's change against the one before: the time between their last packets leaving and arriving. */
    record Delta(double interDepartureMillis, double interArrivalMillis, double arrivalMillis) {
    }

    /** Packets sent within this of a group's first are one group. */
    static final long GROUP_MICROS = 5_000;
    /** An arrival further than this from the last group's: feedback across a wrap of its reference time, not a delay. */
    static final long MAX_INTER_ARRIVAL_MICROS = 10_000_000;

    private long groupFirstSent = -1;
    private long groupLastSent;
    private long groupLastArrival;
    private long previousGroupSent = -1;
    private long previousGroupArrival;

    /**
     * A received packet, in the order it was sent.
     *
     * @return the delta of the group it finished, or null
     */
    Delta add(long sentMicros, long arrivalMicros) {
        if (groupFirstSent < 0) {
            start(sentMicros, arrivalMicros);
            return null;
        }
        if (sentMicros < groupFirstSent) {
            return null; // sent before the current group: reordered feedback, nothing new on the trend
        }
        if (sentMicros - groupFirstSent <= GROUP_MICROS) {
            groupLastSent = Math.max(groupLastSent, sentMicros);
            groupLastArrival = Math.max(groupLastArrival, arrivalMicros);
            return null;
        }
        Delta delta = null;
        if (previousGroupSent >= 0) {
            long interArrival = groupLastArrival - previousGroupArrival;
            if (Math.abs(interArrival) < MAX_INTER_ARRIVAL_MICROS) {
                delta = new Delta((groupLastSent - previousGroupSent) / 1000.0, interArrival / 1000.0, groupLastArrival / 1000.0);
            }
        }
        previousGroupSent = groupLastSent;
        previousGroupArrival = groupLastArrival;
        start(sentMicros, arrivalMicros);
        return delta;
    }

    private void start(long sentMicros, long arrivalMicros) {
        groupFirstSent = sentMicros;
        groupLastSent = sentMicros;
        groupLastArrival = arrivalMicros;
    }
}
