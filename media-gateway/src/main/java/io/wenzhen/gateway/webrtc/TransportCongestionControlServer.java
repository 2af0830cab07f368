package io.wenzhen.gateway.webrtc;

import java.util.Arrays;
import java.util.function.Consumer;

import io.wenzhen.protocols.rtcp.TransportFeedback;
import io.wenzhen.protocols.rtp.RtpPacket;

/**
 * The receiving side of transport-wide congestion control (mediasoup's TransportCongestionControlServer): notes
 * when each of a publisher's packets arrived by its transport-wide sequence number and sends the publisher that
 * record ({@link TransportFeedback}) every {@link #FEEDBACK_INTERVAL_NANOS}, from which the publisher's own
 * delay-based estimate (Chromium's GCC) paces its encoder before a queue builds on its uplink.
 * <p>
 * Feedback goes out with the first packet 50 ms after the last: the packets just before a pause (camera off, audio
 * in DTX) are reported when the publisher sends again, which is when its estimate needs them.
 * <p>
 * Bounded whatever the publisher sends: the record is a ring of {@link #WINDOW} packets, a feedback covers at most
 * {@link #MAX_PACKETS_PER_FEEDBACK}, and a sequence number that leaps further ahead starts a new record rather
 * than reporting the leap as loss. Its own transport's packets only, so a hostile publisher skews nothing but its
 * own estimate.
 */
final class TransportCongestionControlServer {

    /** About what Chromium's own receiver does (it sends feedback every 50–250 ms by its bitrate). */
    static final long FEEDBACK_INTERVAL_NANOS = 50_000_000L;
    static final int WINDOW = 4096;
    static final int MAX_PACKETS_PER_FEEDBACK = 1000;

    private final int extensionId;
    private final Consumer<byte[]> rtcpOut;
    private final long[] arrivals = new long[WINDOW];
    /** The unwrapped sequence number of the first packet the next feedback covers, and the highest seen; -1: none. */
    private long base = -1;
    private long highest = -1;
    private int feedbackCount;
    /**
     * The SSRC the feedback names as its media source: one the publisher sends. Chromium takes feedback only when it
     * names one of its own streams (with BUNDLE every stream's RTCP module sees it, and only its owner acts on it).
     */
    private long mediaSsrc;
    private long lastFeedbackNanos;
    private long lastArrivalMicros;

    /** @param rtcpOut sends an RTCP packet to the publisher */
    TransportCongestionControlServer(int extensionId, Consumer<byte[]> rtcpOut) {
        this.extensionId = extensionId;
        this.rtcpOut = rtcpOut;
        Arrays.fill(arrivals, TransportFeedback.NOT_RECEIVED);
    }

    /** A decrypted RTP packet of the transport, as it arrived (before anything drops it: probes count too). */
    synchronized void received(byte[] packet, long nowNanos) {
        int sequence;
        long ssrc;
        try {
            RtpPacket rtp = RtpPacket.parseHeader(packet, 0, packet.length);
            sequence = rtp.extensionU16(extensionId);
            ssrc = rtp.ssrc();
        } catch (RuntimeException e) {
            return;
        }
        if (sequence < 0) {
            return;
        }
        mediaSsrc = ssrc;
        long unwrapped = unwrap(sequence);
        long arrivalMicros = nowNanos / 1000;
        if (base >= 0 && (unwrapped - base >= MAX_PACKETS_PER_FEEDBACK || !TransportFeedback.fits(lastArrivalMicros, arrivalMicros))) {
            flush(nowNanos); // what the record holds goes first: one feedback spans neither more packets nor a pause of 8 s
        }
        if (base < 0 || unwrapped - base >= MAX_PACKETS_PER_FEEDBACK) {
            base = unwrapped; // a leap no feedback could cover starts a new record
            highest = unwrapped;
        }
        if (unwrapped < base) {
            return; // reported already (as lost): late beyond the feedback interval
        }
        arrivals[(int) (unwrapped % WINDOW)] = arrivalMicros;
        lastArrivalMicros = arrivalMicros;
        highest = Math.max(highest, unwrapped);
        if (nowNanos - lastFeedbackNanos >= FEEDBACK_INTERVAL_NANOS || highest - base + 1 >= MAX_PACKETS_PER_FEEDBACK) {
            flush(nowNanos);
        }
    }

    /** The sequence number on the 64-bit line nearest the highest seen. */
    private long unwrap(int sequence) {
        if (highest < 0) {
            return sequence;
        }
        long candidate = (highest & ~0xFFFFL) | sequence;
        if (candidate < highest - 0x8000) {
            candidate += 0x10000;
        } else if (candidate > highest + 0x8000) {
            candidate -= 0x10000;
        }
        return candidate;
    }

    /** Sends the feedback for {@code base..highest}, and starts the next after it. */
    private void flush(long nowNanos) {
        if (base < 0 || highest < base) {
            return;
        }
        int count = (int) (highest - base + 1);
        long[] covered = new long[count];
        for (int i = 0; i < count; i++) {
            int slot = (int) ((base + i) % WINDOW);
            covered[i] = arrivals[slot];
            arrivals[slot] = TransportFeedback.NOT_RECEIVED;
        }
        int firstSequence = (int) (base & 0xFFFF);
        base = highest + 1;
        lastFeedbackNanos = nowNanos;
        try {
            rtcpOut.accept(new TransportFeedback(firstSequence, feedbackCount++ & 0xFF, covered).write(Producer.GATEWAY_SSRC, mediaSsrc));
        } catch (IllegalArgumentException e) {
            // nothing received in the range (a leap's start): nothing to report
        }
    }
}
