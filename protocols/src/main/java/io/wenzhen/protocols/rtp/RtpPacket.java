package io.wenzhen.protocols.rtp;

import java.util.Arrays;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * A view of an RTP packet (RFC 3550) in a buffer, with RFC 8285 header extensions. Parsing checks
 * every length against the buffer; the setters rewrite the header in place, which is all an SFU
 * forwarding a packet to a consumer needs (SSRC, payload type, sequence number, timestamp).
 */
public final class RtpPacket {

    public static final int FIXED_HEADER = 12;
    static final int ONE_BYTE_PROFILE = 0xBEDE;
    static final int TWO_BYTE_PROFILE_MASK = 0xFFF0;
    static final int TWO_BYTE_PROFILE = 0x1000;

    private final byte[] buffer;
    private final int offset;
    private final int length;
    private final int headerLength;
    private final int paddingLength;
    private final int extensionProfile;
    private final int extensionOffset;
    private final int extensionLength;

    private RtpPacket(byte[] buffer, int offset, int length, int headerLength, int paddingLength, int extensionProfile,
            int extensionOffset, int extensionLength) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.headerLength = headerLength;
        this.paddingLength = paddingLength;
        this.extensionProfile = extensionProfile;
        this.extensionOffset = extensionOffset;
        this.extensionLength = extensionLength;
    }

    /** RFC 5761 demultiplexing on a shared port: RTCP packet types 192..223 sit where RTP has M+PT. */
    /**
     * A packet of the fixed header only (version 2, no padding, CSRCs or extension) and its payload:
     * what a sender of its own (the gateway feeding a producer) writes.
     */
    public static byte[] build(int payloadType, boolean marker, int sequence, long timestamp, long ssrc, byte[] payload) {
        byte[] packet = new byte[FIXED_HEADER + payload.length];
        packet[0] = (byte) 0x80;
        packet[1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        packet[2] = (byte) (sequence >>> 8);
        packet[3] = (byte) sequence;
        for (int i = 0; i < 4; i++) {
            packet[4 + i] = (byte) (timestamp >>> (24 - 8 * i));
            packet[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        System.arraycopy(payload, 0, packet, FIXED_HEADER, payload.length);
        return packet;
    }

    public static boolean isRtcp(byte[] data, int offset, int length) {
        if (length < 2) {
            return false;
        }
        int type = data[offset + 1] & 0xFF;
        return type >= 192 && type <= 223;
    }

    public static RtpPacket parse(byte[] data, int offset, int length) {
        return parse(data, offset, length, true);
    }

    /**
     * The header of a packet whose payload is still encrypted (SRTP before opening): the padding
     * count, which sits in the payload's last byte, is not read.
     */
    public static RtpPacket parseHeader(byte[] data, int offset, int length) {
        return parse(data, offset, length, false);
    }

    private static RtpPacket parse(byte[] data, int offset, int length, boolean readPadding) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("range outside the array");
        }
        if (length < FIXED_HEADER) {
            throw new MalformedPacketException("shorter than an RTP header");
        }
        int first = data[offset] & 0xFF;
        if (first >> 6 != 2) {
            throw new MalformedPacketException("RTP version is not 2");
        }
        int header = FIXED_HEADER + 4 * (first & 0x0F);
        if (header > length) {
            throw new MalformedPacketException("CSRC list runs past the packet");
        }
        int profile = 0;
        int extensionOffset = 0;
        int extensionLength = 0;
        if ((first & 0x10) != 0) {
            if (header + 4 > length) {
                throw new MalformedPacketException("extension header runs past the packet");
            }
            profile = ((data[offset + header] & 0xFF) << 8) | (data[offset + header + 1] & 0xFF);
            extensionLength = 4 * (((data[offset + header + 2] & 0xFF) << 8) | (data[offset + header + 3] & 0xFF));
            extensionOffset = header + 4;
            header = extensionOffset + extensionLength;
            if (header > length) {
                throw new MalformedPacketException("extension runs past the packet");
            }
        }
        int padding = 0;
        if (readPadding && (first & 0x20) != 0) {
            padding = data[offset + length - 1] & 0xFF;
            if (padding == 0 || header + padding > length) {
                throw new MalformedPacketException("bad RTP padding");
            }
        }
        return new RtpPacket(data, offset, length, header, padding, profile, extensionOffset, extensionLength);
    }

    public int payloadType() {
        return buffer[offset + 1] & 0x7F;
    }

    public boolean marker() {
        return (buffer[offset + 1] & 0x80) != 0;
    }

    public int sequenceNumber() {
        return ((buffer[offset + 2] & 0xFF) << 8) | (buffer[offset + 3] & 0xFF);
    }

    public long timestamp() {
        return u32(offset + 4);
    }

    public long ssrc() {
        return u32(offset + 8);
    }

    public int csrcCount() {
        return buffer[offset] & 0x0F;
    }

    public int headerLength() {
        return headerLength;
    }

    public int payloadOffset() {
        return offset + headerLength;
    }

    public int payloadLength() {
        return length - headerLength - paddingLength;
    }

    public int length() {
        return length;
    }

    /**
     * The value of header extension {@code id} (RFC 8285, one-byte or two-byte form), or null when the
     * packet has none by that id. Malformed extension blocks read as having none.
     */
    public byte[] extension(int id) {
        byte[][] found = new byte[1][];
        forEachExtension((start, elementId, value, length) -> {
            if (elementId != id) {
                return true;
            }
            found[0] = Arrays.copyOfRange(buffer, value, value + length);
            return false;
        });
        return found[0];
    }

    /**
     * The value of a two-byte header extension element (the transport-wide sequence number), or -1 when the packet
     * has no element {@code id} of that size.
     */
    public int extensionU16(int id) {
        int[] found = {-1};
        forEachExtension((start, elementId, value, length) -> {
            if (elementId != id) {
                return true;
            }
            if (length == 2) {
                found[0] = (buffer[value] & 0xFF) << 8 | (buffer[value + 1] & 0xFF);
            }
            return false;
        });
        return found[0];
    }

    /**
     * Writes a two-byte header extension element's value in place (a forwarded packet's transport-wide sequence
     * number becomes this hop's).
     *
     * @return false when the packet has no element {@code id} of that size (nothing is written)
     */
    public boolean setExtensionU16(int id, int value) {
        boolean[] written = {false};
        forEachExtension((start, elementId, at, length) -> {
            if (elementId != id) {
                return true;
            }
            if (length == 2) {
                buffer[at] = (byte) (value >> 8);
                buffer[at + 1] = (byte) value;
                written[0] = true;
            }
            return false;
        });
        return written[0];
    }

    /**
     * Renumbers the header extensions in place, as an SFU must when the receiver negotiated other ids
     * for the same URIs: element {@code id} becomes {@code map[id]}; 0, a missing entry, or an id the
     * block's form cannot carry (above 14 in the one-byte form) removes the element (its bytes become
     * padding, which RFC 8285 allows between elements). A malformed block is left as it is from there on.
     */
    public void remapExtensions(int[] map) {
        boolean oneByte = extensionProfile == ONE_BYTE_PROFILE;
        forEachExtension((start, id, value, length) -> {
            int to = id < map.length ? map[id] : 0;
            if (to <= 0 || (oneByte && to > 14) || to > 255) {
                Arrays.fill(buffer, start, value + length, (byte) 0);
            } else if (oneByte) {
                buffer[start] = (byte) ((to << 4) | (buffer[start] & 0x0F));
            } else {
                buffer[start] = (byte) to;
            }
            return true;
        });
    }

    /** What {@link #forEachExtension} hands over of one element: where it starts, its id, where its value is. */
    private interface ExtensionVisitor {
        /** @return false to stop */
        boolean visit(int start, int id, int valueOffset, int valueLength);
    }

    /** Walks the RFC 8285 elements (one-byte or two-byte form) in order; stops at the first malformed one. */
    private void forEachExtension(ExtensionVisitor visitor) {
        if (extensionLength == 0) {
            return;
        }
        boolean oneByte = extensionProfile == ONE_BYTE_PROFILE;
        if (!oneByte && (extensionProfile & TWO_BYTE_PROFILE_MASK) != TWO_BYTE_PROFILE) {
            return;
        }
        int position = offset + extensionOffset;
        int end = position + extensionLength;
        while (position < end) {
            int b = buffer[position] & 0xFF;
            if (b == 0) {
                position++; // padding between elements
                continue;
            }
            int start = position;
            int id;
            int length;
            if (oneByte) {
                id = b >> 4;
                length = (b & 0x0F) + 1;
                if (id == 15) {
                    return; // reserved: stop parsing (RFC 8285 §4.2)
                }
                position += 1;
            } else {
                if (position + 2 > end) {
                    return;
                }
                id = b;
                length = buffer[position + 1] & 0xFF;
                position += 2;
            }
            if (position + length > end || !visitor.visit(start, id, position, length)) {
                return;
            }
            position += length;
        }
    }

    public void setPayloadType(int payloadType) {
        buffer[offset + 1] = (byte) ((buffer[offset + 1] & 0x80) | (payloadType & 0x7F));
    }

    public void setSequenceNumber(int sequence) {
        buffer[offset + 2] = (byte) (sequence >> 8);
        buffer[offset + 3] = (byte) sequence;
    }

    public void setTimestamp(long timestamp) {
        putU32(offset + 4, timestamp);
    }

    public void setSsrc(long ssrc) {
        putU32(offset + 8, ssrc);
    }

    private long u32(int at) {
        return ((buffer[at] & 0xFFL) << 24) | ((buffer[at + 1] & 0xFF) << 16) | ((buffer[at + 2] & 0xFF) << 8)
                | (buffer[at + 3] & 0xFF);
    }

    private void putU32(int at, long value) {
        buffer[at] = (byte) (value >> 24);
        buffer[at + 1] = (byte) (value >> 16);
        buffer[at + 2] = (byte) (value >> 8);
        buffer[at + 3] = (byte) value;
    }
}
