package io.wenzhen.protocols.rtp;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * The RTP payload for redundant audio data (RFC 2198), as WebRTC sends Opus in it ({@code red/48000/2},
 * {@code fmtp 111/111}): block headers, then the redundant blocks (earlier frames, oldest first), then the
 * primary block (this packet's own frame). A forwarder needs two things of it without decoding: the primary block
 * alone, for a receiver that did not negotiate RED, and the blocks' payload types renumbered for a receiver that
 * gave Opus another one.
 */
public final class Red {

    /** A header of a block that is followed by another: F=1, block PT (7), timestamp offset (14), length (10). */
    private static final int REDUNDANT_HEADER = 4;

    private Red() {
    }

    /**
     * The packet with its primary block as the whole payload (the header kept, the padding dropped), its payload
     * type the primary block's.
     *
     * @throws MalformedPacketException when the headers' lengths do not fit the payload
     */
    public static byte[] primary(byte[] packet) {
        RtpPacket red = RtpPacket.parse(packet, 0, packet.length);
        int at = red.payloadOffset();
        int end = at + red.payloadLength();
        int redundantBytes = 0;
        while (true) {
            if (at >= end) {
                throw new MalformedPacketException("RED payload ends inside its block headers");
            }
            if ((packet[at] & 0x80) == 0) {
                break;
            }
            if (at + REDUNDANT_HEADER > end) {
                throw new MalformedPacketException("RED payload ends inside a block header");
            }
            redundantBytes += ((packet[at + 2] & 0x03) << 8) | (packet[at + 3] & 0xFF);
            at += REDUNDANT_HEADER;
        }
        int primaryType = packet[at] & 0x7F;
        int primaryAt = at + 1 + redundantBytes;
        if (primaryAt > end) {
            throw new MalformedPacketException("RED blocks longer than the payload");
        }
        int header = red.headerLength();
        byte[] out = new byte[header + end - primaryAt];
        System.arraycopy(packet, 0, out, 0, header);
        out[0] &= ~0x20; // padding not carried over
        System.arraycopy(packet, primaryAt, out, header, end - primaryAt);
        RtpPacket.parse(out, 0, out.length).setPayloadType(primaryType);
        return out;
    }

    /**
     * Renumbers the blocks whose payload type is {@code from} to {@code to}, in place, over the RED payload at
     * {@code offset}, {@code length} long; a header that runs past it is left as it is.
     */
    public static void retype(byte[] packet, int offset, int length, int from, int to) {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            int first = packet[at] & 0xFF;
            if ((first & 0x7F) == from) {
                packet[at] = (byte) ((first & 0x80) | (to & 0x7F));
            }
            if ((first & 0x80) == 0) {
                return;
            }
            at += REDUNDANT_HEADER;
        }
    }
}
