package io.wenzhen.protocols.flv;

/** The bytes of an FLV file or stream (Adobe FLV 10.1, Annex E.2–E.3): a header, then tags. */
public final class FlvWriter {

    private FlvWriter() {
    }

    /** The file header and the first PreviousTagSize (0). */
    public static byte[] header(boolean audio, boolean video) {
        return new byte[] {'F', 'L', 'V', 1, (byte) ((audio ? 4 : 0) | (video ? 1 : 0)), 0, 0, 0, 9, 0, 0, 0, 0};
    }

    /** A tag and the PreviousTagSize after it. */
    public static byte[] tag(FlvTag tag) {
        byte[] data = tag.data();
        if (data.length > 0xFFFFFF) {
            throw new IllegalArgumentException("an FLV tag body is at most 16 MiB: " + data.length);
        }
        long time = tag.timestamp();
        byte[] out = new byte[11 + data.length + 4];
        out[0] = (byte) tag.type();
        out[1] = (byte) (data.length >>> 16);
        out[2] = (byte) (data.length >>> 8);
        out[3] = (byte) data.length;
        out[4] = (byte) (time >>> 16);
        out[5] = (byte) (time >>> 8);
        out[6] = (byte) time;
        out[7] = (byte) (time >>> 24); // TimestampExtended: the upper 8 bits
        // StreamID (3 bytes) always 0
        System.arraycopy(data, 0, out, 11, data.length);
        int size = 11 + data.length;
        out[out.length - 4] = (byte) (size >>> 24);
        out[out.length - 3] = (byte) (size >>> 16);
        out[out.length - 2] = (byte) (size >>> 8);
        out[out.length - 1] = (byte) size;
        return out;
    }
}
