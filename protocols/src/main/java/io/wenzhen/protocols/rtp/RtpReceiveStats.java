package io.wenzhen.protocols.rtp;

import io.wenzhen.protocols.rtcp.RtcpPacket;

/**
 * What a receiver knows of one incoming SSRC (RFC 3550 appendix A.1, A.3 and A.8): extended highest
 * sequence number, packets expected and lost, interarrival jitter, the last sender report. Produces
 * the report block of an RTCP receiver report. Not thread-safe: one receive thread updates it, the
 * reporter reads under the same lock (the caller's).
 */
public final class RtpReceiveStats {

    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;

    private final long ssrc;
    private final int clockRate;
    private boolean started;
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private long received;
    private long bytes;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private long lastTransit;
    private boolean haveTransit;
    /** Arrival times are counted from the first packet, so clock rate × nanoseconds never overflows. */
    private long firstArrivalNanos;
    private long lastSenderReportMid;
    private long lastSenderReportArrivalNanos;

    /** @param clockRate the RTP clock of the payload (90000 video, 48000 Opus): jitter is in its units */
    public RtpReceiveStats(long ssrc, int clockRate) {
        this.ssrc = ssrc;
        this.clockRate = clockRate;
    }

    /** One packet arrived. {@code arrivalNanos} is a monotonic clock (System.nanoTime). */
    public void received(int sequence, long rtpTimestamp, long arrivalNanos, int size) {
        received(sequence, rtpTimestamp, arrivalNanos, size, false);
    }

    /**
     * @param retransmission a packet sent again (restored from RTX): it counts as received, but its
     *                       arrival, a round trip late, says nothing of the network's jitter
     */
    public void received(int sequence, long rtpTimestamp, long arrivalNanos, int size, boolean retransmission) {
        bytes += size;
        if (!started) {
            started = true;
            baseSeq = sequence;
            maxSeq = sequence;
            received = 1;
            updateJitter(rtpTimestamp, arrivalNanos);
            return;
        }
        int delta = (sequence - maxSeq) & 0xFFFF;
        if (delta < MAX_DROPOUT) {
            if (sequence < maxSeq) {
                cycles += SEQ_MOD; // wrapped
            }
            maxSeq = sequence;
        } else if (delta <= SEQ_MOD - MAX_MISORDER) {
            // a very large jump: the sender restarted; start counting afresh from here (A.1's resync, simplified)
            baseSeq = sequence;
            maxSeq = sequence;
            cycles = 0;
            received = 0;
            expectedPrior = 0;
            receivedPrior = 0;
        }
        // else: a duplicate or reordered packet, counted as received below
        received++;
        if (!retransmission) {
            updateJitter(rtpTimestamp, arrivalNanos);
        }
    }

    private void updateJitter(long rtpTimestamp, long arrivalNanos) {
        if (!haveTransit) {
            firstArrivalNanos = arrivalNanos;
        }
        long arrival = (long) ((arrivalNanos - firstArrivalNanos) * (clockRate / 1e9));
        long transit = arrival - rtpTimestamp;
        if (haveTransit) {
            // modulo 2^32: the RTP timestamp wraps
            long d = Math.abs((long) (int) (transit - lastTransit));
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        haveTransit = true;
    }

    /** The publisher's sender report: remembered for the LSR/DLSR fields of the next report block. */
    public void senderReport(long ntpTimestamp, long arrivalNanos) {
        lastSenderReportMid = (ntpTimestamp >>> 16) & 0xFFFF_FFFFL;
        lastSenderReportArrivalNanos = arrivalNanos;
    }

    public long ssrc() {
        return ssrc;
    }

    public boolean started() {
        return started;
    }

    public long extendedHighestSequence() {
        return cycles + maxSeq;
    }

    public long expected() {
        return started ? extendedHighestSequence() - baseSeq + 1 : 0;
    }

    public long lost() {
        return Math.max(0, expected() - received);
    }

    public long packets() {
        return received;
    }

    public long bytes() {
        return bytes;
    }

    /** Interarrival jitter in milliseconds. */
    public double jitterMillis() {
        return jitter * 1000.0 / clockRate;
    }

    /**
     * The report block for a receiver report sent now; the fraction lost covers the interval since the
     * previous call (so call it once per report).
     */
    public RtcpPacket.ReportBlock reportBlock(long nowNanos) {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long cumulative = Math.min(lost(), 0x7FFFFF);
        long dlsr = lastSenderReportMid == 0 ? 0 : ((nowNanos - lastSenderReportArrivalNanos) * 65536L) / 1_000_000_000L;
        return new RtcpPacket.ReportBlock(ssrc, Math.min(fraction, 255), (int) cumulative, extendedHighestSequence() & 0xFFFF_FFFFL,
                Math.round(jitter) & 0xFFFF_FFFFL, lastSenderReportMid, dlsr & 0xFFFF_FFFFL);
    }
}
