package io.wenzhen.gateway.webrtc;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of a player's NACKed packets one Consumer may send again, so that a player (or a stranger
 * holding a player's keys) cannot turn NACKs into an amplifier on the media thread:
 * <ul>
 * <li>a NACK counts at most {@link #MAX_SEQUENCES_PER_NACK} distinct sequence numbers; repeats in it
 * count once, the rest is ignored;</li>
 * <li>a packet is not sent again within one round trip of its last resend (the first copy may still be
 * on its way; {@link #MIN_RESEND_INTERVAL_NANOS} when the RTT is unknown or tiny);</li>
 * <li>resends stay within {@link #MAX_PACKETS_PER_SECOND} and within the player's estimated bandwidth
 * in bytes (its REMB; the publisher ceiling before it sent one), each a token bucket of a quarter second.</li>
 * </ul>
 * Not thread-safe: one consumer's NACKs arrive on its transport's receive thread.
 */
final class ResendLimiter {

    static final int MAX_SEQUENCES_PER_NACK = 256;
    static final int MAX_PACKETS_PER_SECOND = 500;
    static final long MIN_RESEND_INTERVAL_NANOS = 20_000_000L;
    /** Before any RTT is measured, a resend is held back this long (a typical consultation's RTT). */
    static final long DEFAULT_RTT_NANOS = 100_000_000L;
    private static final long BURST_NANOS = 250_000_000L;
    private static final int HISTORY = 1024;

    /** When each of the last sequence numbers was resent; indexed by the low bits, the number itself beside it. */
    private final long[] resentAt = new long[HISTORY];
    private final int[] resentSequence = new int[HISTORY];
    private final boolean[] resent = new boolean[HISTORY];
    /** The sequence numbers of the NACK being read, one bit each (cleared after it). */
    private final long[] inThisNack = new long[0x10000 / 64];
    private double packetTokens = MAX_PACKETS_PER_SECOND * BURST_NANOS / 1e9;
    private double byteTokens;
    private long refilledAt;
    private long bandwidthBps;

    /** @param bandwidthBps the player's bandwidth to assume until it reports one */
    ResendLimiter(long bandwidthBps, long nowNanos) {
        this.bandwidthBps = bandwidthBps;
        this.byteTokens = bandwidthBps / 8.0 * BURST_NANOS / 1e9;
        this.refilledAt = nowNanos;
    }

    /** The player's own estimate of its downlink (REMB): resend bytes are counted against it. */
    void bandwidth(long bps) {
        if (bps > 0) {
            bandwidthBps = bps;
        }
    }

    /** The NACK's sequence numbers worth looking up: distinct, capped, and not resent within the RTT. */
    List<Integer> candidates(List<Integer> nacked, long rttNanos, long nowNanos) {
        long holdBack = Math.max(MIN_RESEND_INTERVAL_NANOS, rttNanos > 0 ? rttNanos : DEFAULT_RTT_NANOS);
        List<Integer> out = new ArrayList<>(Math.min(nacked.size(), MAX_SEQUENCES_PER_NACK));
        int distinct = 0;
        int read = 0;
        for (int sequence : nacked) {
            read++;
            int s = sequence & 0xFFFF;
            if ((inThisNack[s >>> 6] & (1L << (s & 63))) != 0) {
                continue;
            }
            inThisNack[s >>> 6] |= 1L << (s & 63);
            if (++distinct > MAX_SEQUENCES_PER_NACK) {
                break;
            }
            int slot = s & (HISTORY - 1);
            if (resent[slot] && resentSequence[slot] == s && nowNanos - resentAt[slot] < holdBack) {
                continue;
            }
            out.add(s);
        }
        for (int i = 0; i < read; i++) {
            int s = nacked.get(i) & 0xFFFF;
            inThisNack[s >>> 6] &= ~(1L << (s & 63));
        }
        return out;
    }

    /** Takes a resend of {@code bytes} out of the budgets; false when either is spent (the packet is not sent). */
    boolean tryResend(int sequence, int bytes, long nowNanos) {
        refill(nowNanos);
        if (packetTokens < 1 || byteTokens < bytes) {
            return false;
        }
        packetTokens -= 1;
        byteTokens -= bytes;
        int slot = sequence & (HISTORY - 1);
        resent[slot] = true;
        resentSequence[slot] = sequence & 0xFFFF;
        resentAt[slot] = nowNanos;
        return true;
    }

    private void refill(long nowNanos) {
        double seconds = Math.max(0, nowNanos - refilledAt) / 1e9;
        refilledAt = nowNanos;
        double burst = BURST_NANOS / 1e9;
        packetTokens = Math.min(MAX_PACKETS_PER_SECOND * burst, packetTokens + MAX_PACKETS_PER_SECOND * seconds);
        double bytesPerSecond = bandwidthBps / 8.0;
        byteTokens = Math.min(bytesPerSecond * burst, byteTokens + bytesPerSecond * seconds);
    }
}
