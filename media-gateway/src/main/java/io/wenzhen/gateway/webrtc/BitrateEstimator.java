package io.wenzhen.gateway.webrtc;

/**
 * The bitrate a publisher may send, announced to it in REMB every report interval: a loss-based
 * controller in the manner of the loss part of Google Congestion Control (draft-ietf-rmcat-gcc-02,
 * section 6): above 10 % loss the estimate drops to what arrives, scaled down by half the loss;
 * below 2 % it grows 8 % past what arrives; in between it holds. It starts at the ceiling, so
 * without loss it never holds the browser back (the browser's own estimate ramps up under it).
 */
public final class BitrateEstimator {

    static final long FLOOR_BPS = 100_000;

    private final long ceilingBps;
    /** Written by the report thread; read by a player's receive thread when it passes on a narrowed downlink. */
    private volatile long estimateBps;

    public BitrateEstimator(long ceilingBps) {
        this.ceilingBps = ceilingBps;
        this.estimateBps = ceilingBps;
    }

    /**
     * @param receivedBps what arrived from the publisher over the last interval
     * @param lossFraction the worst of its tracks' loss over the interval, 0–1
     * @return the new estimate, bits per second
     */
    public long update(long receivedBps, double lossFraction) {
        if (lossFraction > 0.10) {
            estimateBps = (long) (Math.min(estimateBps, receivedBps) * (1 - 0.5 * lossFraction));
        } else if (lossFraction < 0.02) {
            estimateBps = Math.max(estimateBps, (long) (receivedBps * 1.08));
        }
        estimateBps = Math.max(FLOOR_BPS, Math.min(ceilingBps, estimateBps));
        return estimateBps;
    }

    public long estimate() {
        return estimateBps;
    }
}
