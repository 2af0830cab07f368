package io.wenzhen.protocols.rtcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.wenzhen.protocols.MalformedPacketException;

/** Parses compound RTCP packets; each packet's length is checked against the datagram before it is read. */
public final class RtcpParser {

    /** More than any sender puts in one datagram; bounds a hostile compound packet. */
    static final int MAX_PACKETS = 64;

    private RtcpParser() {
    }

    /**
     * A whole compound packet from a peer, or nothing when it is malformed: for a receiver that drops what it
     * cannot read (one bad report must not stop the media).
     */
    public static List<RtcpPacket> parseOrNone(byte[] compound) {
        try {
            return parse(compound, 0, compound.length);
        } catch (MalformedPacketException e) {
            return List.of();
        }
    }

    public static List<RtcpPacket> parse(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("range outside the array");
        }
        if (length < 4) {
            throw new MalformedPacketException("shorter than an RTCP header");
        }
        List<RtcpPacket> packets = new ArrayList<>();
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (packets.size() == MAX_PACKETS) {
                throw new MalformedPacketException("too many packets in one compound packet");
            }
            if (end - position < 4) {
                throw new MalformedPacketException("truncated RTCP header");
            }
            int first = data[position] & 0xFF;
            if (first >> 6 != 2) {
                throw new MalformedPacketException("RTCP version is not 2");
            }
            int count = first & 0x1F;
            int type = data[position + 1] & 0xFF;
            int size = 4 * (u16(data, position + 2) + 1);
            if (position + size > end) {
                throw new MalformedPacketException("RTCP packet runs past the datagram");
            }
            int bodyEnd = position + size;
            if ((first & 0x20) != 0) {
                int padding = data[bodyEnd - 1] & 0xFF;
                if (padding == 0 || padding > size - 4) {
                    throw new MalformedPacketException("bad RTCP padding");
                }
                bodyEnd -= padding;
            }
            packets.add(read(data, type, count, position + 4, bodyEnd));
            position += size;
        }
        return List.copyOf(packets);
    }

    private static RtcpPacket read(byte[] data, int type, int count, int body, int end) {
        int size = end - body;
        switch (type) {
            case RtcpPacket.SR -> {
                need(size, 24 + 24 * count, "sender report");
                long ntp = (u32(data, body + 4) << 32) | u32(data, body + 8);
                return new RtcpPacket.SenderReport(u32(data, body), ntp, u32(data, body + 12), u32(data, body + 16),
                        u32(data, body + 20), reports(data, body + 24, count));
            }
            case RtcpPacket.RR -> {
                need(size, 4 + 24 * count, "receiver report");
                return new RtcpPacket.ReceiverReport(u32(data, body), reports(data, body + 4, count));
            }
            case RtcpPacket.BYE -> {
                need(size, 4 * count, "BYE");
                List<Long> ssrcs = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    ssrcs.add(u32(data, body + 4 * i));
                }
                return new RtcpPacket.Bye(List.copyOf(ssrcs));
            }
            case RtcpPacket.RTPFB -> {
                need(size, 8, "transport feedback");
                long sender = u32(data, body);
                long media = u32(data, body + 4);
                if (count == 1) {
                    return nack(data, sender, media, body + 8, end);
                }
                if (count == 15) {
                    return new RtcpPacket.TransportCc(sender, media, Arrays.copyOfRange(data, body + 8, end));
                }
                return new RtcpPacket.Unknown(type, count, Arrays.copyOfRange(data, body, end));
            }
            case RtcpPacket.PSFB -> {
                need(size, 8, "payload feedback");
                long sender = u32(data, body);
                long media = u32(data, body + 4);
                if (count == 1) {
                    return new RtcpPacket.Pli(sender, media);
                }
                if (count == 4) {
                    return fir(data, sender, body + 8, end);
                }
                if (count == 15 && size >= 16 && data[body + 8] == 'R' && data[body + 9] == 'E' && data[body + 10] == 'M'
                        && data[body + 11] == 'B') {
                    return remb(data, sender, body + 12, end);
                }
                return new RtcpPacket.Unknown(type, count, Arrays.copyOfRange(data, body, end));
            }
            default -> {
                return new RtcpPacket.Unknown(type, count, Arrays.copyOfRange(data, body, end));
            }
        }
    }

    private static List<RtcpPacket.ReportBlock> reports(byte[] data, int at, int count) {
        List<RtcpPacket.ReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int b = at + 24 * i;
            // cumulative lost is a signed 24-bit number
            int lost = ((data[b + 5] & 0xFF) << 16) | ((data[b + 6] & 0xFF) << 8) | (data[b + 7] & 0xFF);
            if ((lost & 0x800000) != 0) {
                lost |= 0xFF000000;
            }
            blocks.add(new RtcpPacket.ReportBlock(u32(data, b), data[b + 4] & 0xFF, lost, u32(data, b + 8),
                    u32(data, b + 12), u32(data, b + 16), u32(data, b + 20)));
        }
        return List.copyOf(blocks);
    }

    /** Each FCI is a packet id and a bitmask of the 16 following ones (RFC 4585 §6.2.1). */
    private static RtcpPacket nack(byte[] data, long sender, long media, int at, int end) {
        if ((end - at) % 4 != 0 || end == at) {
            throw new MalformedPacketException("NACK feedback is a whole number of 4-byte items");
        }
        List<Integer> lost = new ArrayList<>();
        for (int i = at; i < end; i += 4) {
            int pid = u16(data, i);
            int mask = u16(data, i + 2);
            lost.add(pid);
            for (int bit = 0; bit < 16; bit++) {
                if ((mask & (1 << bit)) != 0) {
                    lost.add((pid + bit + 1) & 0xFFFF);
                }
            }
        }
        return new RtcpPacket.Nack(sender, media, List.copyOf(lost));
    }

    private static RtcpPacket fir(byte[] data, long sender, int at, int end) {
        if ((end - at) % 8 != 0 || end == at) {
            throw new MalformedPacketException("FIR entries are 8 bytes each");
        }
        List<long[]> entries = new ArrayList<>();
        for (int i = at; i < end; i += 8) {
            entries.add(new long[] {u32(data, i), data[i + 4] & 0xFF});
        }
        return new RtcpPacket.Fir(sender, List.copyOf(entries));
    }

    /** REMB: "REMB", ssrc count, 6-bit exponent and 18-bit mantissa, then the SSRCs. */
    private static RtcpPacket remb(byte[] data, long sender, int at, int end) {
        need(end - at, 4, "REMB");
        int ssrcCount = data[at] & 0xFF;
        int exponent = (data[at + 1] & 0xFF) >> 2;
        long mantissa = ((data[at + 1] & 0x03L) << 16) | ((data[at + 2] & 0xFF) << 8) | (data[at + 3] & 0xFF);
        need(end - at, 4 + 4 * ssrcCount, "REMB SSRC list");
        List<Long> ssrcs = new ArrayList<>();
        for (int i = 0; i < ssrcCount; i++) {
            ssrcs.add(u32(data, at + 4 + 4 * i));
        }
        long bitrate = exponent > 45 ? Long.MAX_VALUE : mantissa << exponent;
        return new RtcpPacket.Remb(sender, bitrate, List.copyOf(ssrcs));
    }

    private static void need(int available, int needed, String what) {
        if (available < needed) {
            throw new MalformedPacketException(what + " is shorter than its count says");
        }
    }

    static int u16(byte[] data, int at) {
        return ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
    }

    static long u32(byte[] data, int at) {
        return ((data[at] & 0xFFL) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8) | (data[at + 3] & 0xFF);
    }
}
