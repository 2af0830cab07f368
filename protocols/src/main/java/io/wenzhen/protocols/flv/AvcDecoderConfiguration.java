package io.wenzhen.protocols.flv;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * The AVCDecoderConfigurationRecord (ISO/IEC 14496-15, 5.2.4.1) an H.264 sequence header carries:
 * profile and level, the NAL length size, and the SPS and PPS a decoder needs before any frame.
 *
 * @param lengthSize bytes of each NAL unit's length prefix in the frames that follow (1, 2 or 4)
 */
public record AvcDecoderConfiguration(int lengthSize, List<byte[]> sps, List<byte[]> pps) {

    public static AvcDecoderConfiguration parse(byte[] data, int offset, int length) {
        int end = offset + length;
        if (length < 7 || data[offset] != 1) {
            throw new MalformedPacketException("AVC configuration: not version 1, or shorter than 7 bytes");
        }
        int lengthSize = (data[offset + 4] & 0x03) + 1;
        if (lengthSize == 3) {
            throw new MalformedPacketException("AVC configuration: a NAL length size of 3");
        }
        int at = offset + 5;
        List<byte[]> sps = new ArrayList<>();
        int spsCount = data[at++] & 0x1F;
        for (int i = 0; i < spsCount; i++) {
            at = parameterSet(data, at, end, sps);
        }
        if (at >= end) {
            throw new MalformedPacketException("AVC configuration: no PPS count");
        }
        List<byte[]> pps = new ArrayList<>();
        int ppsCount = data[at++] & 0xFF;
        for (int i = 0; i < ppsCount; i++) {
            at = parameterSet(data, at, end, pps);
        }
        if (sps.isEmpty() || pps.isEmpty()) {
            throw new MalformedPacketException("AVC configuration: without an SPS or a PPS");
        }
        return new AvcDecoderConfiguration(lengthSize, List.copyOf(sps), List.copyOf(pps));
    }

    private static int parameterSet(byte[] data, int at, int end, List<byte[]> into) {
        if (end - at < 2) {
            throw new MalformedPacketException("AVC configuration: truncated parameter set length");
        }
        int size = ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
        at += 2;
        if (size == 0 || size > end - at) {
            throw new MalformedPacketException("AVC configuration: a parameter set of " + size + " bytes");
        }
        byte[] set = new byte[size];
        System.arraycopy(data, at, set, 0, size);
        into.add(set);
        return at + size;
    }

    /** The record for one SPS and PPS, with 4-byte NAL lengths. */
    public static byte[] build(byte[] sps, byte[] pps) {
        if (sps.length < 4) {
            throw new IllegalArgumentException("an SPS has at least 4 bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(sps[1]); // profile_idc
        out.write(sps[2]); // constraint flags
        out.write(sps[3]); // level_idc
        out.write(0xFF); // 6 reserved bits, lengthSizeMinusOne = 3
        out.write(0xE1); // 3 reserved bits, one SPS
        out.write(sps.length >>> 8);
        out.write(sps.length);
        out.writeBytes(sps);
        out.write(1);
        out.write(pps.length >>> 8);
        out.write(pps.length);
        out.writeBytes(pps);
        return out.toByteArray();
    }
}
