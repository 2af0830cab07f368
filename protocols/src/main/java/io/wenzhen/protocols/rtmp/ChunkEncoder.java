package io.wenzhen.protocols.rtmp;

import java.io.ByteArrayOutputStream;

/**
 * Writes RTMP messages as chunks (Adobe RTMP 1.0, §5.3): a type 0 chunk then type 3 continuations
 * of at most the chunk size. Simple rather than minimal: the few bytes type 1/2 headers would save
 * do not matter next to media payloads.
 */
public final class ChunkEncoder {

    /** The chunk stream ids the gateway sends on: protocol control, commands, audio, video. */
    public static final int CONTROL = 2;
    public static final int COMMAND = 3;
    public static final int AUDIO = 4;
    public static final int VIDEO = 6;

    private int chunkSize = ChunkDecoder.DEFAULT_CHUNK_SIZE;

    /** Takes effect for the messages after the Set Chunk Size this side has sent. */
    public void chunkSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size " + size);
        }
        this.chunkSize = size;
    }

    /** The message in chunks on chunk stream {@code csid} (2 … 65599). */
    public byte[] encode(RtmpMessage message, int csid) {
        byte[] payload = message.payload();
        long timestamp = message.timestamp() & 0xFFFF_FFFFL;
        boolean extended = timestamp >= 0xFFFFFF;
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 16 + payload.length / chunkSize * 5);
        basicHeader(out, 0, csid);
        u24(out, extended ? 0xFFFFFF : (int) timestamp);
        u24(out, payload.length);
        out.write(message.typeId());
        int streamId = message.streamId();
        out.write(streamId);
        out.write(streamId >>> 8);
        out.write(streamId >>> 16);
        out.write(streamId >>> 24);
        if (extended) {
            u32(out, timestamp);
        }
        int offset = 0;
        do {
            if (offset > 0) {
                basicHeader(out, 3, csid);
                if (extended) {
                    u32(out, timestamp);
                }
            }
            int take = Math.min(chunkSize, payload.length - offset);
            out.write(payload, offset, take);
            offset += take;
        } while (offset < payload.length);
        return out.toByteArray();
    }

    private static void basicHeader(ByteArrayOutputStream out, int format, int csid) {
        if (csid < 2 || csid > 65599) {
            throw new IllegalArgumentException("chunk stream id " + csid);
        }
        if (csid < 64) {
            out.write((format << 6) | csid);
        } else if (csid < 320) {
            out.write(format << 6);
            out.write(csid - 64);
        } else {
            out.write((format << 6) | 1);
            out.write((csid - 64) & 0xFF);
            out.write((csid - 64) >>> 8);
        }
    }

    private static void u24(ByteArrayOutputStream out, int value) {
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static void u32(ByteArrayOutputStream out, long value) {
        out.write((int) (value >>> 24));
        out.write((int) (value >>> 16));
        out.write((int) (value >>> 8));
        out.write((int) value);
    }
}
