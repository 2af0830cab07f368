package io.wenzhen.protocols.rtmp;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * One RTMP message, reassembled from its chunks (Adobe RTMP 1.0, §5.4–7).
 *
 * @param timestamp milliseconds, 32 bits, wrapping
 */
public record RtmpMessage(int typeId, int streamId, long timestamp, byte[] payload) {

    public static final int SET_CHUNK_SIZE = 1;
    public static final int ABORT = 2;
    public static final int ACKNOWLEDGEMENT = 3;
    public static final int USER_CONTROL = 4;
    public static final int WINDOW_ACK_SIZE = 5;
    public static final int SET_PEER_BANDWIDTH = 6;
    public static final int AUDIO = 8;
    public static final int VIDEO = 9;
    public static final int DATA_AMF3 = 15;
    public static final int COMMAND_AMF3 = 17;
    public static final int DATA_AMF0 = 18;
    public static final int COMMAND_AMF0 = 20;
    public static final int AGGREGATE = 22;

    /** User control event: a stream has begun (sent before a play's data). */
    public static final int STREAM_BEGIN = 0;

    public static RtmpMessage setChunkSize(int size) {
        return control(SET_CHUNK_SIZE, int32(size & 0x7FFF_FFFF));
    }

    public static RtmpMessage windowAckSize(int size) {
        return control(WINDOW_ACK_SIZE, int32(size));
    }

    public static RtmpMessage acknowledgement(long received) {
        return control(ACKNOWLEDGEMENT, int32((int) received));
    }

    /** @param limitType 0 hard, 1 soft, 2 dynamic */
    public static RtmpMessage setPeerBandwidth(int size, int limitType) {
        byte[] payload = new byte[5];
        System.arraycopy(int32(size), 0, payload, 0, 4);
        payload[4] = (byte) limitType;
        return control(SET_PEER_BANDWIDTH, payload);
    }

    public static RtmpMessage streamBegin(int streamId) {
        byte[] payload = new byte[6];
        payload[0] = 0;
        payload[1] = (byte) STREAM_BEGIN;
        System.arraycopy(int32(streamId), 0, payload, 2, 4);
        return new RtmpMessage(USER_CONTROL, 0, 0, payload);
    }

    /** The 32-bit big-endian value at the start of a control message's payload. */
    public long int32Payload() {
        if (payload.length < 4) {
            throw new MalformedPacketException("RTMP: control message type " + typeId + " shorter than 4 bytes");
        }
        return ((long) (payload[0] & 0xFF) << 24) | ((payload[1] & 0xFF) << 16) | ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
    }

    private static RtmpMessage control(int type, byte[] payload) {
        return new RtmpMessage(type, 0, 0, payload);
    }

    private static byte[] int32(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
