package io.wenzhen.quality.analytics;

/**
 * One rule's state for one participant: quiet, breaching (not yet long enough), raised, or recovering.
 * Fed each new window's value in event time; answers when an alert is raised or recovers, once each,
 * which is what deduplicates alerts. Plain fields: it is kept in the analytics' state store with its participant.
 */
public final class AlertTracker {

    /** What a new value changed. */
    public enum Transition {
        NONE, RAISED, RECOVERED
    }

    /** Event time the current breach began, or -1. */
    public long breachSince = -1;
    /** Event time the alert was raised, or -1 while none is open. */
    public long raisedAt = -1;
    /** Event time the values came back within the threshold during an open alert, or -1. */
    public long clearSince = -1;
    /** The worst value since the breach began. */
    public double worst = Double.NaN;

    public boolean open() {
        return raisedAt >= 0;
    }

    public Transition update(AlertRule rule, double value, long atMillis) {
        boolean bad = rule.breached(value);
        if (!open()) {
            if (!bad) {
                breachSince = -1;
                worst = Double.NaN;
                return Transition.NONE;
            }
            if (breachSince < 0) {
                breachSince = atMillis;
            }
            worst = rule.worse(worst, value);
            if (atMillis - breachSince >= rule.forMillis()) {
                raisedAt = atMillis;
                clearSince = -1;
                return Transition.RAISED;
            }
            return Transition.NONE;
        }
        if (bad) {
            worst = rule.worse(worst, value);
            clearSince = -1;
            return Transition.NONE;
        }
        if (clearSince < 0) {
            clearSince = atMillis;
        }
        if (atMillis - clearSince >= rule.recoverMillis()) {
            return Transition.RECOVERED; // the caller reads the figures, then calls reset()
        }
        return Transition.NONE;
    }

    /** Back to quiet after a recovery (or the end of the stream). */
    public void reset() {
        breachSince = -1;
        raisedAt = -1;
        clearSince = -1;
        worst = Double.NaN;
    }
}
