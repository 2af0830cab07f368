package io.wenzhen.protocols.rtcp;

import java.util.List;

/**
 * The RTCP packets an SFU reads (RFC 3550, 4585, 5104, draft-alvestrand-rmcat-remb); anything else is
 * kept as {@link Unknown}. SSRCs are unsigned 32-bit values in longs.
 */
public sealed interface RtcpPacket {

    int SR = 200;
    int RR = 201;
    int SDES = 202;
    int BYE = 203;
    int RTPFB = 205;
    int PSFB = 206;

    /** One reception report: loss, jitter and the timestamps for round-trip time (RFC 3550 §6.4.1). */
    record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long highestSequence, long jitter,
            long lastSenderReport, long delaySinceLastSenderReport) {
    }

    record SenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount,
            List<ReportBlock> reports) implements RtcpPacket {
    }

    record ReceiverReport(long ssrc, List<ReportBlock> reports) implements RtcpPacket {
    }

    record Bye(List<Long> ssrcs) implements RtcpPacket {
    }

    /** Generic NACK (RTPFB fmt 1): the sequence numbers the receiver lacks. */
    record Nack(long senderSsrc, long mediaSsrc, List<Integer> lostSequenceNumbers) implements RtcpPacket {
    }

    /** Picture Loss Indication (PSFB fmt 1). */
    record Pli(long senderSsrc, long mediaSsrc) implements RtcpPacket {
    }

    /** Full Intra Request (PSFB fmt 4, RFC 5104): (ssrc, command sequence number) entries. */
    record Fir(long senderSsrc, List<long[]> entries) implements RtcpPacket {
    }

    /** Receiver Estimated Maximum Bitrate (PSFB fmt 15, "REMB"). */
    record Remb(long senderSsrc, long bitrate, List<Long> ssrcs) implements RtcpPacket {
    }

    /** Transport-wide congestion control feedback (RTPFB fmt 15), kept whole for the estimator. */
    record TransportCc(long senderSsrc, long mediaSsrc, byte[] feedback) implements RtcpPacket {
    }

    /** SDES, APP and feedback types the SFU does not read. */
    record Unknown(int packetType, int count, byte[] body) implements RtcpPacket {
    }
}
