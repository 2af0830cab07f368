package io.wenzhen.protocols.h264;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.wenzhen.protocols.MalformedPacketException;

/** H.264 NAL units (ITU-T H.264, 7.3.1) as FLV/MP4 (length-prefixed) and Annex B (start codes) frame them. */
public final class NalUnits {

    public static final int NON_IDR = 1;
    public static final int IDR = 5;
    public static final int SEI = 6;
    public static final int SPS = 7;
    public static final int PPS = 8;
    public static final int AUD = 9;

    private NalUnits() {
    }

    public static int type(byte[] nal) {
        return nal[0] & 0x1F;
    }

    /** Length-prefixed NAL units ({@code lengthSize} 1, 2 or 4 bytes each), as in an FLV AVC NALU tag. */
    public static List<byte[]> splitLengthPrefixed(byte[] data, int offset, int length, int lengthSize) {
        int end = offset + length;
        List<byte[]> nals = new ArrayList<>();
        int at = offset;
        while (at < end) {
            if (end - at < lengthSize) {
                throw new MalformedPacketException("H.264: truncated NAL length");
            }
            long size = 0;
            for (int i = 0; i < lengthSize; i++) {
                size = (size << 8) | (data[at + i] & 0xFF);
            }
            at += lengthSize;
            if (size == 0 || size > end - at) {
                throw new MalformedPacketException("H.264: a NAL unit of " + size + " bytes, " + (end - at) + " left");
            }
            byte[] nal = new byte[(int) size];
            System.arraycopy(data, at, nal, 0, nal.length);
            nals.add(nal);
            at += nal.length;
        }
        return nals;
    }

    /**
     * Annex B NAL units (00 00 01 or 00 00 00 01 before each): some RTMP encoders send these inside
     * AVC tags instead of length prefixes. Trailing zero bytes belong to the next start code.
     */
    public static List<byte[]> splitAnnexB(byte[] data, int offset, int length) {
        int end = offset + length;
        List<byte[]> nals = new ArrayList<>();
        int start = -1;
        int i = offset;
        while (i + 2 < end) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                if (start >= 0) {
                    add(nals, data, start, trimZeros(data, start, i));
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0) {
            add(nals, data, start, end);
        }
        return nals;
    }

    /** Whether the data starts with an Annex B start code (and not a length prefix). */
    public static boolean looksLikeAnnexB(byte[] data, int offset, int length) {
        return length >= 4 && data[offset] == 0 && data[offset + 1] == 0
                && (data[offset + 2] == 1 || (data[offset + 2] == 0 && data[offset + 3] == 1));
    }

    private static int trimZeros(byte[] data, int start, int end) {
        while (end > start && data[end - 1] == 0) {
            end--;
        }
        return end;
    }

    private static void add(List<byte[]> nals, byte[] data, int from, int to) {
        if (to > from) {
            nals.add(Arrays.copyOfRange(data, from, to));
        }
    }
}
