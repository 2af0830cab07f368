package io.wenzhen.protocols.rtp;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * RTP retransmission payload format (RFC 4588, SSRC-multiplexed as WebRTC uses it): a retransmitted
 * packet travels on its own SSRC and payload type with its own sequence numbers, and its payload starts
 * with the original sequence number (OSN). Keeping retransmissions apart lets the receiver count loss
 * and jitter on the media stream unperturbed, and lets a sender pad RTX packets for bandwidth probing.
 */
public final class Rtx {

    static final int OSN_LENGTH = 2;

    private Rtx() {
    }

    /**
     * The RTX packet carrying {@code original}: its header (CSRCs and extensions kept, padding dropped)
     * with the RTX SSRC, payload type and sequence number, then the OSN, then the original payload.
     */
    public static byte[] wrap(byte[] original, long rtxSsrc, int rtxPayloadType, int rtxSequence) {
        RtpPacket media = RtpPacket.parse(original, 0, original.length);
        int header = media.headerLength();
        int payload = media.payloadLength();
        byte[] rtx = new byte[header + OSN_LENGTH + payload];
        System.arraycopy(original, 0, rtx, 0, header);
        rtx[0] &= ~0x20; // the original's padding is not carried over
        rtx[header] = (byte) (media.sequenceNumber() >> 8);
        rtx[header + 1] = (byte) media.sequenceNumber();
        System.arraycopy(original, media.payloadOffset(), rtx, header + OSN_LENGTH, payload);
        RtpPacket out = RtpPacket.parse(rtx, 0, rtx.length);
        out.setSsrc(rtxSsrc);
        out.setPayloadType(rtxPayloadType);
        out.setSequenceNumber(rtxSequence);
        return rtx;
    }

    /**
     * The original packet inside an RTX packet, restored to the media SSRC and payload type with its
     * original sequence number; null for an RTX packet without an OSN (padding only: a bandwidth probe).
     *
     * @throws MalformedPacketException when {@code rtx} is not an RTP packet
     */
    public static byte[] unwrap(byte[] rtx, long mediaSsrc, int mediaPayloadType) {
        RtpPacket packet = RtpPacket.parse(rtx, 0, rtx.length);
        int payload = packet.payloadLength();
        if (payload < OSN_LENGTH) {
            return null;
        }
        int header = packet.headerLength();
        int osnAt = packet.payloadOffset();
        int sequence = ((rtx[osnAt] & 0xFF) << 8) | (rtx[osnAt + 1] & 0xFF);
        byte[] media = new byte[header + payload - OSN_LENGTH];
        System.arraycopy(rtx, 0, media, 0, header);
        media[0] &= ~0x20;
        System.arraycopy(rtx, osnAt + OSN_LENGTH, media, header, payload - OSN_LENGTH);
        RtpPacket out = RtpPacket.parse(media, 0, media.length);
        out.setSsrc(mediaSsrc);
        out.setPayloadType(mediaPayloadType);
        out.setSequenceNumber(sequence);
        return media;
    }
}
