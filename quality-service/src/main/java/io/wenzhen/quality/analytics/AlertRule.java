package io.wenzhen.quality.analytics;

/**
 * When a participant's quality counts as bad: a window metric beyond a threshold for at least
 * {@code forMillis}; it has recovered once the metric has stayed back within the threshold for
 * {@code recoverMillis} (a hysteresis, so a metric hovering at the line does not raise an alert a minute).
 *
 * @param name   the rule's name, as configured (e.g. {@code audio-mos})
 * @param metric one of {@link Metrics#METRICS}
 * @param above  true: bad above the threshold (loss, RTT); false: bad below it (MOS, fps)
 */
public record AlertRule(String name, String metric, boolean above, double threshold, long forMillis, long recoverMillis) {

    public AlertRule {
        if (!Metrics.METRICS.contains(metric)) {
            throw new IllegalArgumentException("alert rule " + name + ": unknown metric " + metric + " (known: " + Metrics.METRICS + ")");
        }
        if (forMillis < 0 || recoverMillis < 0) {
            throw new IllegalArgumentException("alert rule " + name + ": negative duration");
        }
    }

    /** Whether a value breaks the rule; an unknown value (NaN) never does. */
    public boolean breached(double value) {
        return !Double.isNaN(value) && (above ? value > threshold : value < threshold);
    }

    /** Of two values, the one farther beyond the threshold. */
    public double worse(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        if (Double.isNaN(b)) {
            return a;
        }
        return above ? Math.max(a, b) : Math.min(a, b);
    }
}
