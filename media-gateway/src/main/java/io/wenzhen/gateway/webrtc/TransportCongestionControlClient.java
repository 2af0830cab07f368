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
    /** The most packets one feedback may name: Chromium's cover well under it (50–250 ms of packets). */
    static final int MAX_PACKETS_PER_FEEDBACK = 2048;
    /** Feedback closer than this to the last taken is dropped unread: a player cannot make the media thread loop. */
    static final long MIN_FEEDBACK_INTERVAL_NANOS = 5_000_000L;

    private final int extensionId;
    private final SendSideBandwidthEstimator estimator;
    private final long[] sentMicros = new long[HISTORY];
    private final int[] sizes = new int[HISTORY];
    /** The sequence number each slot holds, or -1 once reported received (or never used). */
    private final int[] sequences = new int[HISTORY];
    /** Whether the slot's packet was reported lost: a repeated loss report is not counted again, a late arrival is. */
    private final boolean[] reportedLost = new boolean[HISTORY];
    private int nextSequence = 1;
    /** When the last feedback was taken (System.nanoTime); 0: never. */
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
        reportedLost[slot] = false;
        sentMicros[slot] = nowNanos / 1000;
        sizes[slot] = packet.length;
        nextSequence = (nextSequence + 1) & 0xFFFF;
    }

    /**
     * What one feedback did to the estimate.
     *
     * @param matched how many of its packets were ones sent here and not yet reported (received, or lost before)
     * @param before  what the link carries by its delay ({@link SendSideBandwidthEstimator#queueBound}), before it
     * @param after   and after it
     */
    record Change(int matched, long before, long after) {

        /** The link has shown itself narrower by queueing (the bound starts at the ceiling and only a queue cuts it). */
        boolean narrowed() {
            return after < before;
        }
    }

    /**
     * The player's feedback: the packets it names that were sent here, to the estimator. A packet reported lost stays
     * in the history, so a later feedback that has it arriving late counts it received.
     */
    synchronized Change feedback(TransportFeedback feedback, long nowNanos) {
        lastFeedbackNanos = nowNanos;
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
            } else if (reportedLost[slot]) {
                continue; // its loss counted once
            } else {
                reportedLost[slot] = true;
            }
            results.add(new SendSideBandwidthEstimator.PacketResult(sentMicros[slot], arrivals[i], sizes[slot]));
        }
        long queueBound = estimator.queueBound();
        estimator.update(results, nowNanos);
        return new Change(results.size(), queueBound, estimator.queueBound());
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

    /** What the player's link carries by its delay alone: what its publisher may be asked to send. */
    synchronized long queueBound() {
        return estimator.queueBound();
    }

    /** Whether a feedback arriving now is taken: at most one each {@link #MIN_FEEDBACK_INTERVAL_NANOS}. */
    synchronized boolean admit(long nowNanos) {
        if (lastFeedbackNanos != 0 && nowNanos - lastFeedbackNanos < MIN_FEEDBACK_INTERVAL_NANOS) {
            return false;
        }
        lastFeedbackNanos = nowNanos;
        return true;
    }

    /**
     * Whether feedback came within {@link #FEEDBACK_TIMEOUT_NANOS}: the player reads the extension, and packets carry
     * it (a stream whose publisher sends none, an RTMP one, gets no feedback, and the player's REMB counts again).
     */
    synchronized boolean active(long nowNanos) {
        return lastFeedbackNanos != 0 && nowNanos - lastFeedbackNanos < FEEDBACK_TIMEOUT_NANOS;
    }
}
