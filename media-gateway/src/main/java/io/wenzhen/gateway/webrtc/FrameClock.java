package io.wenzhen.gateway.webrtc;

/**
 * Frames of a forwarded video stream as the gateway sees them arrive, without decoding: a frame ends
 * with the RTP marker bit (VP8, H.264). Counts frames (for a frame-rate estimate) and freezes by the
 * W3C webrtc-stats rule for freezeCount: a gap between two frames of at least
 * max(3 × the mean frame interval, the mean + 150 ms), the mean taken over the last 30 intervals.
 * What it sees is the publisher's uplink; a player's own freezes come from its client's statistics.
 * Not thread-safe: its owner serialises access.
 */
final class FrameClock {

    static final int HISTORY = 30;

    private final long[] intervals = new long[HISTORY];
    private int count;
    private int next;
    private long sum;
    private long lastFrameNanos = -1;
    private long frames;
    private long freezes;
    private long frozenNanos;

    /** A packet with the marker bit arrived at {@code nanos}: one more frame. */
    void frameEnded(long nanos) {
        frames++;
        if (lastFrameNanos >= 0) {
            long interval = nanos - lastFrameNanos;
            if (count >= 2) {
                long mean = sum / count;
                if (interval >= Math.max(3 * mean, mean + 150_000_000L)) {
                    freezes++;
                    frozenNanos += interval;
                }
            }
            if (count == HISTORY) {
                sum -= intervals[next];
            } else {
                count++;
            }
            intervals[next] = interval;
            sum += interval;
            next = (next + 1) % HISTORY;
        }
        lastFrameNanos = nanos;
    }

    long frames() {
        return frames;
    }

    long freezes() {
        return freezes;
    }

    double frozenMillis() {
        return frozenNanos / 1e6;
    }
}
