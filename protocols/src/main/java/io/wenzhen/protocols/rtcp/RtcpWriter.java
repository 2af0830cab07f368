package io.wenzhen.protocols.rtcp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Builds the RTCP packets an SFU sends: receiver reports, NACK, PLI and REMB. */
public final class RtcpWriter {

    private RtcpWriter() {
    }

    public static byte[] receiverReport(long ssrc, List<RtcpPacket.ReportBlock> reports) {
        ByteBuffer out = header(RtcpPacket.RR, reports.size(), 4 + 24 * reports.size());
        out.putInt((int) ssrc);
        for (RtcpPacket.ReportBlock block : reports) {
            out.putInt((int) block.ssrc());
            out.putInt((block.fractionLost() << 24) | (block.cumulativeLost() & 0xFFFFFF));
            out.putInt((int) block.highestSequence()).putInt((int) block.jitter());
            out.putInt((int) block.lastSenderReport()).putInt((int) block.delaySinceLastSenderReport());
        }
        return out.array();
    }

    /** A sender report without report blocks: what a consumer passes on of its producer's, for lip sync. */
    public static byte[] senderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount) {
        return header(RtcpPacket.SR, 0, 24).putInt((int) ssrc).putLong(ntpTimestamp).putInt((int) rtpTimestamp)
                .putInt((int) packetCount).putInt((int) octetCount).array();
    }

    public static byte[] pli(long senderSsrc, long mediaSsrc) {
        return header(RtcpPacket.PSFB, 1, 8).putInt((int) senderSsrc).putInt((int) mediaSsrc).array();
    }

    /** A NACK for {@code lost} (ascending), packed into PID + bitmask items. */
    public static byte[] nack(long senderSsrc, long mediaSsrc, List<Integer> lost) {
        List<int[]> items = new ArrayList<>();
        for (int sequence : lost) {
            int[] last = items.isEmpty() ? null : items.get(items.size() - 1);
            int distance = last == null ? -1 : ((sequence - last[0]) & 0xFFFF);
            if (last != null && distance >= 1 && distance <= 16) {
                last[1] |= 1 << (distance - 1);
            } else {
                items.add(new int[] {sequence & 0xFFFF, 0});
            }
        }
        ByteBuffer out = header(RtcpPacket.RTPFB, 1, 8 + 4 * items.size());
        out.putInt((int) senderSsrc).putInt((int) mediaSsrc);
        for (int[] item : items) {
            out.putShort((short) item[0]).putShort((short) item[1]);
        }
        return out.array();
    }

    public static byte[] remb(long senderSsrc, long bitrate, List<Long> ssrcs) {
        int exponent = 0;
        long mantissa = bitrate;
        while (mantissa > 0x3FFFF) {
            mantissa >>= 1;
            exponent++;
        }
        ByteBuffer out = header(RtcpPacket.PSFB, 15, 16 + 4 * ssrcs.size());
        out.putInt((int) senderSsrc).putInt(0).put((byte) 'R').put((byte) 'E').put((byte) 'M').put((byte) 'B');
        out.put((byte) ssrcs.size()).put((byte) ((exponent << 2) | (int) (mantissa >> 16))).putShort((short) mantissa);
        ssrcs.forEach(ssrc -> out.putInt((int) (long) ssrc));
        return out.array();
    }

    private static ByteBuffer header(int type, int count, int bodyLength) {
        ByteBuffer out = ByteBuffer.allocate(4 + bodyLength);
        out.put((byte) (0x80 | count)).put((byte) type).putShort((short) (bodyLength / 4));
        return out;
    }
}
