package io.wenzhen.protocols.flv;

import java.util.Arrays;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * The body of an FLV/RTMP audio tag (Adobe FLV 10.1, E.4.2). For AAC: an AudioSpecificConfig
 * (packet type 0) or one raw AAC frame (1).
 */
public record AudioTag(int soundFormat, int aacPacketType, byte[] data, int offset, int length) {

    public static final int FORMAT_AAC = 10;
    public static final int SEQUENCE_HEADER = 0;
    public static final int RAW = 1;
    /** AAC, "44 kHz", 16 bit, stereo: what FLV requires for AAC whatever the real rate and channels. */
    private static final byte AAC_FLAGS = (byte) 0xAF;

    public static AudioTag parse(byte[] body) {
        if (body.length < 1) {
            throw new MalformedPacketException("FLV audio: empty");
        }
        int format = (body[0] & 0xF0) >>> 4;
        if (format != FORMAT_AAC) {
            return new AudioTag(format, -1, body, 1, body.length - 1);
        }
        if (body.length < 2) {
            throw new MalformedPacketException("FLV audio: an AAC tag without its packet type");
        }
        return new AudioTag(format, body[1] & 0xFF, body, 2, body.length - 2);
    }

    public byte[] payload() {
        return Arrays.copyOfRange(data, offset, offset + length);
    }

    public static byte[] aacSequenceHeader(byte[] audioSpecificConfig) {
        return aac(SEQUENCE_HEADER, audioSpecificConfig);
    }

    public static byte[] aacFrame(byte[] frame) {
        return aac(RAW, frame);
    }

    private static byte[] aac(int packetType, byte[] payload) {
        byte[] out = new byte[2 + payload.length];
        out[0] = AAC_FLAGS;
        out[1] = (byte) packetType;
        System.arraycopy(payload, 0, out, 2, payload.length);
        return out;
    }
}
