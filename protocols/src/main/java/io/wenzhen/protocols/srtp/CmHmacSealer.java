package io.wenzhen.protocols.srtp;

import java.security.MessageDigest;
import java.util.Arrays;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * AES_CM_128_HMAC_SHA1_80 (RFC 3711): the payload in AES counter mode, then an 80-bit HMAC-SHA1 tag
 * over the packet and the rollover counter (SRTP), or over the packet and its E-flag/index word (SRTCP).
 */
final class CmHmacSealer implements SrtpSealer {

    static final int TAG = SrtpCrypto.TAG_LENGTH;
    static final int HEADER = 8;
    static final int TRAILER = 4;

    private final SrtpCrypto crypto;

    CmHmacSealer(SrtpKeys keys) {
        this.crypto = new SrtpCrypto(keys);
    }

    @Override
    public int rtpOverhead() {
        return TAG;
    }

    @Override
    public int rtcpOverhead() {
        return TAG + TRAILER;
    }

    @Override
    public byte[] sealRtp(byte[] packet, int offset, int length, int header, long ssrc, long roc, int sequence) {
        byte[] out = Arrays.copyOfRange(packet, offset, offset + length + TAG);
        crypto.transform(out, header, length - header, ssrc, (roc << 16) | sequence);
        System.arraycopy(rtpTag(out, length, roc), 0, out, length, TAG);
        return out;
    }

    @Override
    public byte[] openRtp(byte[] packet, int offset, int length, int header, long ssrc, long roc, int sequence) {
        int rtpLength = length - TAG;
        byte[] out = Arrays.copyOfRange(packet, offset, offset + rtpLength);
        if (!MessageDigest.isEqual(rtpTag(out, rtpLength, roc), Arrays.copyOfRange(packet, offset + rtpLength, offset + length))) {
            throw new MalformedPacketException("SRTP authentication failed");
        }
        crypto.transform(out, header, rtpLength - header, ssrc, (roc << 16) | sequence);
        return out;
    }

    @Override
    public byte[] sealRtcp(byte[] packet, int offset, int length, long ssrc, long index) {
        byte[] out = Arrays.copyOfRange(packet, offset, offset + length + TRAILER + TAG);
        crypto.transform(out, HEADER, length - HEADER, ssrc, index);
        SrtpSealer.putU32(out, length, (int) (0x8000_0000L | index));
        System.arraycopy(crypto.tag(out, length + TRAILER, new byte[0]), 0, out, length + TRAILER, TAG);
        return out;
    }

    @Override
    public int rtcpTrailer(byte[] packet, int offset, int length) {
        return SrtpSealer.u32(packet, offset + length - TAG - TRAILER);
    }

    @Override
    public byte[] openRtcp(byte[] packet, int offset, int length, long ssrc, int trailer) {
        int authenticated = length - TAG;
        int rtcpLength = authenticated - TRAILER;
        byte[] expected = crypto.tag(Arrays.copyOfRange(packet, offset, offset + authenticated), authenticated, new byte[0]);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(packet, offset + authenticated, offset + length))) {
            throw new MalformedPacketException("SRTCP authentication failed");
        }
        byte[] out = Arrays.copyOfRange(packet, offset, offset + rtcpLength);
        if (trailer < 0) {
            crypto.transform(out, HEADER, rtcpLength - HEADER, ssrc, trailer & 0x7FFF_FFFFL);
        }
        return out;
    }

    private byte[] rtpTag(byte[] data, int length, long roc) {
        return crypto.tag(data, length, new byte[] {(byte) (roc >> 24), (byte) (roc >> 16), (byte) (roc >> 8), (byte) roc});
    }
}
