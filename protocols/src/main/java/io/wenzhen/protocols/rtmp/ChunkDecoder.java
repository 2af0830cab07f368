package io.wenzhen.protocols.rtmp;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * Reads RTMP chunks (Adobe RTMP 1.0, §5.3) from a blocking stream and reassembles them into
 * messages. Keeps the previous header of each chunk stream, as type 1–3 chunks inherit from it.
 * Bounded: a message longer than {@code maxMessageBytes}, more than {@link #MAX_CHUNK_STREAMS}
 * chunk streams, or a chunk that continues nothing is refused with {@link MalformedPacketException};
 * the end of the stream surfaces as {@link java.io.EOFException}.
 */
public final class ChunkDecoder {

    /** Clients use a handful (2 control, 3 commands, 4–8 media); more is not a client we serve. */
    static final int MAX_CHUNK_STREAMS = 64;
    static final int DEFAULT_CHUNK_SIZE = 128;

    private final DataInputStream in;
    private int maxMessageBytes;
    /** Bytes held in partial messages across all chunk streams: what the peer has really sent, bounded. */
    private long buffered;
    private final Map<Integer, ChunkStream> streams = new HashMap<>();
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private long bytesRead;

    /** What a chunk stream remembers between chunks. */
    private static final class ChunkStream {
        long timestamp;
        long timestampDelta;
        int length;
        int typeId;
        int streamId;
        boolean extended;
        boolean started;
        byte[] partial;
        int received;
    }

    public ChunkDecoder(DataInputStream in, int maxMessageBytes) {
        this.in = in;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * The largest message (and the most held in partial messages at once) from now on: small before a
     * connection is authorised, so that headers alone cannot pin memory.
     */
    public void maxMessageBytes(int limit) {
        this.maxMessageBytes = limit;
    }

    /** The peer's Set Chunk Size (1 … 2^31-1). */
    public void chunkSize(long size) {
        if (size < 1 || size > 0x7FFF_FFFFL) {
            throw new MalformedPacketException("RTMP: chunk size " + size);
        }
        this.chunkSize = (int) size;
    }

    /** The peer's Abort: the partial message on that chunk stream is dropped. */
    public void abort(long chunkStreamId) {
        ChunkStream stream = streams.get((int) chunkStreamId);
        if (stream != null && stream.partial != null) {
            buffered -= stream.partial.length;
            stream.partial = null;
            stream.received = 0;
        }
    }

    /** Bytes consumed so far (for acknowledgements). */
    public long bytesRead() {
        return bytesRead;
    }

    /** Blocks until a whole message has arrived. Set Chunk Size and Abort are applied here, and returned too. */
    public RtmpMessage read() throws IOException {
        while (true) {
            RtmpMessage message = readChunk();
            if (message == null) {
                continue;
            }
            if (message.typeId() == RtmpMessage.SET_CHUNK_SIZE) {
                chunkSize(message.int32Payload());
            } else if (message.typeId() == RtmpMessage.ABORT) {
                abort(message.int32Payload());
            }
            return message;
        }
    }

    /** One chunk; the message when this chunk completes one, else null. */
    private RtmpMessage readChunk() throws IOException {
        int first = u8();
        int format = first >>> 6;
        int csid = first & 0x3F;
        if (csid == 0) {
            csid = 64 + u8();
        } else if (csid == 1) {
            csid = 64 + u8() + (u8() << 8);
        }
        ChunkStream stream = streams.get(csid);
        if (stream == null) {
            if (format != 0) {
                throw new MalformedPacketException("RTMP: chunk stream " + csid + " starts with a type " + format + " chunk");
            }
            if (streams.size() >= MAX_CHUNK_STREAMS) {
                throw new MalformedPacketException("RTMP: more than " + MAX_CHUNK_STREAMS + " chunk streams");
            }
            stream = new ChunkStream();
            streams.put(csid, stream);
        }
        boolean newMessage = stream.partial == null;
        if (format <= 2) {
            long time = u24();
            if (format <= 1) {
                stream.length = u24();
                stream.typeId = u8();
                if (format == 0) {
                    stream.streamId = u32LittleEndian();
                }
            }
            stream.extended = time == 0xFFFFFF;
            if (stream.extended) {
                time = u32();
            }
            if (!newMessage) {
                throw new MalformedPacketException("RTMP: a new message header on chunk stream " + csid + " before its message ended");
            }
            if (format == 0) {
                stream.timestamp = time;
                stream.timestampDelta = time; // a type 3 chunk after a type 0 repeats its timestamp as the delta (§5.3.1.2.4)
            } else {
                stream.timestampDelta = time;
                stream.timestamp = (stream.timestamp + time) & 0xFFFF_FFFFL;
            }
            stream.started = true;
        } else {
            if (!stream.started) {
                throw new MalformedPacketException("RTMP: type 3 chunk on chunk stream " + csid + " with no header before it");
            }
            if (stream.extended) {
                u32(); // repeated on continuation chunks by the encoders that set it (Adobe's, FFmpeg's)
            }
            if (newMessage) {
                stream.timestamp = (stream.timestamp + stream.timestampDelta) & 0xFFFF_FFFFL;
            }
        }
        if (newMessage) {
            if (stream.length > maxMessageBytes) {
                throw new MalformedPacketException("RTMP: message of " + stream.length + " bytes, more than " + maxMessageBytes);
            }
            stream.partial = new byte[Math.min(stream.length, 4096)]; // grows as the payload really arrives
            buffered += stream.partial.length;
            stream.received = 0;
        }
        int take = Math.min(chunkSize, stream.length - stream.received);
        if (stream.received + take > stream.partial.length) {
            int grown = (int) Math.min(stream.length, Math.max((long) stream.received + take, 2L * stream.partial.length));
            buffered += grown - stream.partial.length;
            if (buffered > maxMessageBytes + 4096L * MAX_CHUNK_STREAMS) {
                throw new MalformedPacketException("RTMP: more than " + maxMessageBytes + " bytes held in unfinished messages");
            }
            stream.partial = Arrays.copyOf(stream.partial, grown);
        }
        in.readFully(stream.partial, stream.received, take);
        bytesRead += take;
        stream.received += take;
        if (stream.received < stream.length) {
            return null;
        }
        byte[] payload = stream.partial;
        buffered -= payload.length;
        stream.partial = null;
        stream.received = 0;
        return new RtmpMessage(stream.typeId, stream.streamId, stream.timestamp, payload);
    }

    private int u8() throws IOException {
        bytesRead++;
        return in.readUnsignedByte();
    }

    private int u24() throws IOException {
        return (u8() << 16) | (u8() << 8) | u8();
    }

    private long u32() throws IOException {
        return ((long) u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
    }

    private int u32LittleEndian() throws IOException {
        return u8() | (u8() << 8) | (u8() << 16) | (u8() << 24);
    }
}
