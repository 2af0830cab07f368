package io.wenzhen.gateway.webrtc;

/**
 * The last packets of one SSRC by sequence number, for answering NACKs without asking the publisher:
 * a ring of {@code size} slots (a power of two) indexed by the low bits of the sequence number, each with
 * when it was stored (a resend of a packet older than a player's jitter buffer would only replay the past).
 */
final class RtpCache {

    private final byte[][] packets;
    private final int[] sequences;
    private final long[] storedAt;
    private final int mask;

    RtpCache(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two");
        }
        packets = new byte[size][];
        sequences = new int[size];
        storedAt = new long[size];
        mask = size - 1;
    }

    synchronized void put(int sequence, byte[] packet, long nowNanos) {
        packets[sequence & mask] = packet;
        sequences[sequence & mask] = sequence;
        storedAt[sequence & mask] = nowNanos;
    }

    /** The packet with this sequence number, if it is still in the ring. */
    synchronized byte[] get(int sequence) {
        byte[] packet = packets[sequence & mask];
        return packet != null && sequences[sequence & mask] == sequence ? packet : null;
    }

    /** The packet with this sequence number if it is still in the ring and was stored at or after {@code notBeforeNanos}. */
    synchronized byte[] getIfStoredSince(int sequence, long notBeforeNanos) {
        byte[] packet = get(sequence);
        return packet != null && storedAt[sequence & mask] - notBeforeNanos >= 0 ? packet : null;
    }
}
