package io.wenzhen.gateway.webrtc;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What arrived at a player over the last {@link #WINDOW_MICROS} of its own clock, from its feedback: the rate the
 * estimate is cut to and may not grow far past. Bounded by count as well as by time, since the arrival times are the
 * player's to report.
 */
final class AckedBitrate {

    static final long WINDOW_MICROS = 500_000;
    static final int MAX_PACKETS = 8192;
    /** The rate is taken over at least this long, so a burst does not read as a rate. */
    static final long MIN_SPAN_MICROS = 100_000;

    /** Packets received: arrival µs and bytes. */
    private final Deque<long[]> packets = new ArrayDeque<>();
    private long bytes;

    void received(long arrivalMicros, int size) {
        packets.addLast(new long[] {arrivalMicros, size});
        bytes += size;
        while (!packets.isEmpty() && (arrivalMicros - packets.peekFirst()[0] > WINDOW_MICROS
                || packets.peekFirst()[0] > arrivalMicros + InterArrival.MAX_INTER_ARRIVAL_MICROS || packets.size() > MAX_PACKETS)) {
            bytes -= packets.removeFirst()[1];
        }
    }

    /** Bits per second over the window; 0 before anything arrived. */
    long bps() {
        if (packets.isEmpty()) {
            return 0;
        }
        long span = Math.max(MIN_SPAN_MICROS, packets.peekLast()[0] - packets.peekFirst()[0]);
        return bytes * 8 * 1_000_000 / span;
    }
}
