package io.wenzhen.protocols.flv;

import java.util.List;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * The body of an FLV/RTMP video tag carrying H.264 (Adobe FLV 10.1, E.4.3): frame type, codec,
 * AVC packet type, composition time, then an AVCDecoderConfigurationRecord (a sequence header) or
 * length-prefixed NAL units.
 *
 * @param compositionTime milliseconds from decode to presentation (signed; 0 without B-frames)
 */
public record VideoTag(boolean keyframe, int codecId, int avcPacketType, int compositionTime, byte[] data, int offset, int length) {

    public static final int CODEC_AVC = 7;
    public static final int SEQUENCE_HEADER = 0;
    public static final int NALU = 1;
    public static final int END_OF_SEQUENCE = 2;

    /** Reads the header; for codecs other than AVC only the codec id is meaningful. */
    public static VideoTag parse(byte[] body) {
        if (body.length < 1) {
            throw new MalformedPacketException("FLV video: empty");
        }
        int frameType = (body[0] & 0xF0) >>> 4;
        int codec = body[0] & 0x0F;
        if ((body[0] & 0x80) != 0) {
            // Enhanced RTMP (HEVC, AV1 …) sets the top bit: a codec this edge does not take
            return new VideoTag(false, -1, -1, 0, body, 1, body.length - 1);
        }
        if (codec != CODEC_AVC) {
            return new VideoTag(frameType == 1, codec, -1, 0, body, 1, body.length - 1);
        }
        if (body.length < 5) {
            throw new MalformedPacketException("FLV video: an AVC tag of " + body.length + " bytes");
        }
        int packetType = body[1] & 0xFF;
        int cts = ((body[2] & 0xFF) << 16) | ((body[3] & 0xFF) << 8) | (body[4] & 0xFF);
        cts = (cts << 8) >> 8; // sign-extend the 24 bits
        return new VideoTag(frameType == 1, codec, packetType, cts, body, 5, body.length - 5);
    }

    /** An AVC sequence header tag body. */
    public static byte[] sequenceHeader(byte[] decoderConfiguration) {
        byte[] out = new byte[5 + decoderConfiguration.length];
        out[0] = 0x17;
        out[1] = SEQUENCE_HEADER;
        System.arraycopy(decoderConfiguration, 0, out, 5, decoderConfiguration.length);
        return out;
    }

    /** An AVC NALU tag body: the NAL units, each with a 4-byte length. */
    public static byte[] nalus(boolean keyframe, int compositionTime, List<byte[]> nalUnits) {
        int size = 5;
        for (byte[] nal : nalUnits) {
            size += 4 + nal.length;
        }
        byte[] out = new byte[size];
        out[0] = (byte) (keyframe ? 0x17 : 0x27);
        out[1] = NALU;
        out[2] = (byte) (compositionTime >>> 16);
        out[3] = (byte) (compositionTime >>> 8);
        out[4] = (byte) compositionTime;
        int at = 5;
        for (byte[] nal : nalUnits) {
            out[at] = (byte) (nal.length >>> 24);
            out[at + 1] = (byte) (nal.length >>> 16);
            out[at + 2] = (byte) (nal.length >>> 8);
            out[at + 3] = (byte) nal.length;
            System.arraycopy(nal, 0, out, at + 4, nal.length);
            at += 4 + nal.length;
        }
        return out;
    }
}
