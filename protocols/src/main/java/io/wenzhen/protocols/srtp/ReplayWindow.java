package io.wenzhen.protocols.srtp;

/** RFC 3711 §3.3.2: a 64-packet sliding window over the highest index authenticated so far. */
final class ReplayWindow {

    private static final int SIZE = 64;
    private long highest = -1;
    private long mask;

    /** True when {@code index} is new and not too old; nothing changes until {@link #accept(long)}. */
    boolean fresh(long index) {
        if (highest < 0 || index > highest) {
            return true;
        }
        long age = highest - index;
        return age < SIZE && (mask & (1L << age)) == 0;
    }

    void accept(long index) {
        if (highest < 0) {
            highest = index;
            mask = 1;
        } else if (index > highest) {
            long shift = index - highest;
            mask = shift >= SIZE ? 1 : (mask << shift) | 1;
            highest = index;
        } else {
            mask |= 1L << (highest - index);
        }
    }

    long highest() {
        return highest;
    }
}
