package io.wenzhen.gateway.webrtc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.wenzhen.protocols.rtcp.TransportFeedback;
import io.wenzhen.protocols.rtp.RtpPacket;

/**
 * The sending side of transport-wide congestion control toward a player (mediasoup's
 * TransportCongestionControlClient): every packet the gateway sends on the player's transport gets the next
 * transport-wide sequence number in its header extension (a forwarded packet carries its publisher's, which was
 * that hop's), and is remembered with its send time and size; the player's feedback on those numbers feeds the
 * {@link SendSideBandwidthEstimator}. A packet without the extension element (an RTMP publisher's) is sent as it
 * is, outside the estimate.
 */
final class TransportCongestionControlClient {

    /** Sent packets remembered (a power of two): about 30 s of a 2.5 Mbit/s stream. */
    static final int HISTORY = 8192;
    static final long FEEDBACK_TIMEOUT_NANOS = 2_000_000_000L;

    private final int extensionId;
    private final SendSideBandwidthEstimator estimator;
    private final long[] sentMicros = new long[HISTORY];
    private final int[] sizes = new int[HISTORY];
    /** The sequence number each slot holds, or -1 once reported received (or never used). */
    private final int[] sequences = new int[HISTORY];
    private int nextSequence = 1;
    /** When the last feedback came (System.nanoTime); 0: never. */
    private long lastFeedbackNanos;

    TransportCongestionControlClient(int extensionId, long ceilingBps) {
        this.extensionId = extensionId;
        this.estimator = new SendSideBandwidthEstimator(ceilingBps);
        Arrays.fill(sequences, -1);
    }

    /** Writes the next sequence number into a packet about to be sent (in place) and remembers it. */
    synchronized void stamp(byte[] packet, long nowNanos) {
        boolean written;
        try {
            written = RtpPacket.parseHeader(packet, 0, packet.length).setExtensionU16(extensionId, nextSequence);
        } catch (RuntimeException e) {
            return;
        }
        if (!written) {
            return;
        }
        int slot = nextSequence & (HISTORY - 1);
        sequences[slot] = nextSequence;
        sentMicros[slot] = nowNanos / 1000;
        sizes[slot] = packet.length;
        nextSequence = (nextSequence + 1) & 0xFFFF;
    }

    /**
     * What one feedback did to the estimate.
     *
     * @param matched how many of its packets were ones sent here and not yet reported received
     */
    record Change(int matched, long before, long after, boolean wasQueueLimited, boolean queueLimited) {

        /** The link has just shown itself the narrow one by queueing, or narrower than it did. */
        boolean narrowed() {
            return queueLimited && (!wasQueueLimited || after < before);
        }
    }

    /**
     * The player's feedback: the packets it names that were sent here, to the estimator. A packet reported lost stays
     * in the history, so a later feedback that has it arriving late counts it received.
     */
    synchronized Change feedback(TransportFeedback feedback, long nowNanos) {
        lastFeedbackNanos = nowNanos;
        long before = estimator.estimate();
        List<SendSideBandwidthEstimator.PacketResult> results = new ArrayList<>();
        long[] arrivals = feedback.arrivalMicros();
        for (int i = 0; i < arrivals.length; i++) {
            int sequence = (feedback.baseSequence() + i) & 0xFFFF;
            int slot = sequence & (HISTORY - 1);
            if (sequences[slot] != sequence) {
                continue; // not sent here, long gone from the history, or reported received already
            }
            if (arrivals[i] != TransportFeedback.NOT_RECEIVED) {
                sequences[slot] = -1;
            }
            results.add(new SendSideBandwidthEstimator.PacketResult(sentMicros[slot], arrivals[i], sizes[slot]));
        }
        boolean wasQueueLimited = estimator.queueLimited();
        long after = estimator.update(results, nowNanos);
        return new Change(results.size(), before, after, wasQueueLimited, estimator.queueLimited());
    }

    synchronized void rtt(long nanos) {
        estimator.rtt(nanos);
    }

    synchronized long estimate() {
        return estimator.estimate();
    }

    /** Whether the player's link has shown it is narrower than what any stream may carry. */
    synchronized boolean limiting() {
        return estimator.limiting();
    }

    /** Whether it did so by queueing ({@link SendSideBandwidthEstimator#queueLimited}). */
    synchronized boolean queueLimited() {
        return estimator.queueLimited();
    }

    /**
     * Whether feedback came within {@link #FEEDBACK_TIMEOUT_NANOS}: the player reads the extension, and packets carry
     * it (a stream whose publisher sends none, an RTMP one, gets no feedback, and the player's REMB counts again).
     */
    synchronized boolean active(long nowNanos) {
        return lastFeedbackNanos != 0 && nowNanos - lastFeedbackNanos < FEEDBACK_TIMEOUT_NANOS;
    }
}
