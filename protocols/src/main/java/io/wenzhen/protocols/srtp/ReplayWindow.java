package io.wenzhen.protocols.srtp;

import java.util.Arrays;

/**
 * RFC 3711 §3.3.2: a sliding window over the highest index authenticated so far. 1,024 packets
 * wide (libwebrtc's size for SRTP too): a keyframe of high-bitrate video is hundreds of packets, and
 * a 64-packet window, the RFC's minimum, drops as replays the late ones of a burst that arrives
 * reordered. Media pipes between gateways use it for their datagram counters too.
 */
public final class ReplayWindow {

    static final int SIZE = 1024;
    private final long[] seen = new long[SIZE / 64];
    private long highest = -1;

    /** True when {@code index} is new and not too old; nothing changes until {@link #accept(long)}. */
    public boolean fresh(long index) {
        if (highest < 0 || index > highest) {
            return true;
        }
        long age = highest - index;
        return age < SIZE && !marked(index);
    }

    public void accept(long index) {
        if (highest < 0 || index - highest >= SIZE) {
            Arrays.fill(seen, 0);
            highest = index;
        } else if (index > highest) {
            for (long cleared = highest + 1; cleared < index; cleared++) {
                clear(cleared); // indexes skipped over: not seen yet, may still come
            }
            highest = index;
        }
        mark(index);
    }

    long highest() {
        return highest;
    }

    // the bit of index i is bit (i mod SIZE): a ring, so the window slides without shifting
    private boolean marked(long index) {
        int bit = (int) (index & (SIZE - 1));
        return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    private void mark(long index) {
        int bit = (int) (index & (SIZE - 1));
        seen[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(long index) {
        int bit = (int) (index & (SIZE - 1));
        seen[bit >>> 6] &= ~(1L << (bit & 63));
    }
}
