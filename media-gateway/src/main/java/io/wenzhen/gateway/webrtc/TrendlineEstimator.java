package io.wenzhen.gateway.webrtc;

/**
 * The delay-based half of Google Congestion Control's send-side estimate (draft-ietf-rmcat-gcc-02 §5, as
 * Chromium's trendline filter does it): the one-way delay variation between groups of packets is accumulated
 * and smoothed, its trend over a window is the slope of a least-squares line, and a trend above an adaptive
 * threshold for long enough means a queue is building on the path (overuse), below its negative that one is
 * draining (underuse).
 */
final class TrendlineEstimator {

    /** The link's state as the delay trend shows it. */
    enum Usage { NORMAL, OVERUSING, UNDERUSING }

    static final int WINDOW = 20;
    static final double SMOOTHING = 0.9;
    static final double GAIN = 4.0;
    /** How fast the threshold follows the trend up and down (GCC's k_u, k_d). */
    static final double THRESHOLD_UP = 0.0087;
    static final double THRESHOLD_DOWN = 0.039;
    static final double INITIAL_THRESHOLD = 12.5;
    static final double OVERUSE_MILLIS = 10;
    static final int MAX_DELTAS = 60;

    private final double[] times = new double[WINDOW];
    private final double[] delays = new double[WINDOW];
    private int samples;
    private int deltas;
    private double firstArrivalMillis = Double.NaN;
    private double accumulatedDelay;
    private double smoothedDelay;
    private double threshold = INITIAL_THRESHOLD;
    private double lastThresholdUpdate = Double.NaN;
    private double overusingFor = -1;
    private int overuseCount;
    private double previousTrend;
    private Usage usage = Usage.NORMAL;

    /**
     * One group's delay variation against the group before it.
     *
     * @param interArrivalMillis   the time between the two groups' last packets arriving
     * @param interDepartureMillis the time between their last packets leaving
     * @param arrivalMillis        when this group's last packet arrived
     */
    Usage update(double interArrivalMillis, double interDepartureMillis, double arrivalMillis) {
        deltas = Math.min(deltas + 1, MAX_DELTAS * 10);
        if (Double.isNaN(firstArrivalMillis)) {
            firstArrivalMillis = arrivalMillis;
        }
        accumulatedDelay += interArrivalMillis - interDepartureMillis;
        smoothedDelay = SMOOTHING * smoothedDelay + (1 - SMOOTHING) * accumulatedDelay;
        int slot = samples % WINDOW;
        times[slot] = arrivalMillis - firstArrivalMillis;
        delays[slot] = smoothedDelay;
        samples++;
        if (samples >= WINDOW) {
            detect(slope(), interDepartureMillis, arrivalMillis);
        }
        return usage;
    }

    Usage usage() {
        return usage;
    }

    /** The least-squares slope of smoothed delay over arrival time in the window. */
    private double slope() {
        double meanTime = 0;
        double meanDelay = 0;
        for (int i = 0; i < WINDOW; i++) {
            meanTime += times[i];
            meanDelay += delays[i];
        }
        meanTime /= WINDOW;
        meanDelay /= WINDOW;
        double numerator = 0;
        double denominator = 0;
        for (int i = 0; i < WINDOW; i++) {
            numerator += (times[i] - meanTime) * (delays[i] - meanDelay);
            denominator += (times[i] - meanTime) * (times[i] - meanTime);
        }
        return denominator == 0 ? previousTrend : numerator / denominator;
    }

    private void detect(double trend, double interDepartureMillis, double nowMillis) {
        double modified = Math.min(deltas, MAX_DELTAS) * trend * GAIN;
        if (modified > threshold) {
            overusingFor = overusingFor < 0 ? interDepartureMillis / 2 : overusingFor + interDepartureMillis;
            overuseCount++;
            if (overusingFor > OVERUSE_MILLIS && overuseCount > 1 && trend >= previousTrend) {
                overusingFor = 0;
                overuseCount = 0;
                usage = Usage.OVERUSING;
            }
        } else if (modified < -threshold) {
            overusingFor = -1;
            overuseCount = 0;
            usage = Usage.UNDERUSING;
        } else {
            overusingFor = -1;
            overuseCount = 0;
            usage = Usage.NORMAL;
        }
        previousTrend = trend;
        adaptThreshold(modified, nowMillis);
    }

    /** The threshold follows the trend, slowly up and faster down, so it neither starves nor ignores a real queue. */
    private void adaptThreshold(double modified, double nowMillis) {
        if (Double.isNaN(lastThresholdUpdate)) {
            lastThresholdUpdate = nowMillis;
        }
        if (Math.abs(modified) > threshold + 15) {
            lastThresholdUpdate = nowMillis; // a spike (a route change, a burst) does not move it
            return;
        }
        double k = Math.abs(modified) < threshold ? THRESHOLD_DOWN : THRESHOLD_UP;
        double elapsed = Math.min(nowMillis - lastThresholdUpdate, 100);
        threshold = Math.max(6, Math.min(600, threshold + k * (Math.abs(modified) - threshold) * elapsed));
        lastThresholdUpdate = nowMillis;
    }
}
