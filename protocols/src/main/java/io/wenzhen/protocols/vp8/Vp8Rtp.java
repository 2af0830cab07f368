package io.wenzhen.protocols.vp8;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * VP8 in RTP (RFC 7741): the payload descriptor, frames reassembled from packets, and packets made
 * from frames. A frame starts at a packet with S=1 and partition 0 and ends at the marker bit; a
 * gap in sequence numbers spoils the frame it falls in ({@link Frame#afterLoss} on the next one).
 */
public final class Vp8Rtp {

    /** Bounds a frame: a sender that never sets the marker cannot grow memory. */
    static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;

    /** A whole VP8 frame as its decoder takes it. */
    public record Frame(long rtpTimestamp, byte[] data, boolean keyframe, boolean afterLoss) {
    }

    private final ByteArrayOutputStream frame = new ByteArrayOutputStream();
    private boolean inFrame;
    private boolean spoiled;
    private boolean lossSinceLastFrame;
    private int expectedSequence = -1;
    private long timestamp;

    /** The offset of the VP8 payload after the descriptor at {@code offset}. */
    static int payloadStart(byte[] data, int offset, int length) {
        int end = offset + length;
        if (length < 1) {
            throw new MalformedPacketException("VP8 RTP: empty payload");
        }
        int at = offset + 1;
        if ((data[offset] & 0x80) != 0) {
            if (at >= end) {
                throw new MalformedPacketException("VP8 RTP: truncated descriptor");
            }
            int extension = data[at++] & 0xFF;
            if ((extension & 0x80) != 0) { // picture ID, 7 or 15 bits
                if (at >= end) {
                    throw new MalformedPacketException("VP8 RTP: truncated picture ID");
                }
                at += (data[at] & 0x80) != 0 ? 2 : 1;
            }
            if ((extension & 0x40) != 0) {
                at++; // TL0PICIDX
            }
            if ((extension & 0x30) != 0) {
                at++; // TID, Y, KEYIDX
            }
        }
        if (at > end) {
            throw new MalformedPacketException("VP8 RTP: descriptor longer than the payload");
        }
        return at;
    }

    /**
     * Whether an RTP payload starts a keyframe: the first packet of partition 0 (S=1, PID 0) whose VP8
     * frame tag says key frame (P=0, RFC 6386 §9.1). Where a forwarder may switch a player to another source.
     */
    public static boolean startsKeyframe(byte[] data, int offset, int length) {
        if (length < 1 || (data[offset] & 0x10) == 0 || (data[offset] & 0x07) != 0) {
            return false;
        }
        try {
            int start = payloadStart(data, offset, length);
            return start < offset + length && (data[start] & 0x01) == 0;
        } catch (MalformedPacketException e) {
            return false;
        }
    }

    /** One packet's payload; returns the frame it completes, if any. */
    public List<Frame> push(int sequence, long rtpTimestamp, boolean marker, byte[] data, int offset, int length) {
        List<Frame> done = new ArrayList<>(1);
        if (expectedSequence >= 0 && sequence != expectedSequence) {
            if (((sequence - expectedSequence) & 0xFFFF) >= 0x8000) {
                return done; // late or repeated
            }
            spoiled = true;
            lossSinceLastFrame = true;
        }
        expectedSequence = (sequence + 1) & 0xFFFF;
        int start;
        try {
            start = payloadStart(data, offset, length);
        } catch (MalformedPacketException e) {
            spoiled = true;
            return done;
        }
        boolean startOfFrame = (data[offset] & 0x10) != 0 && (data[offset] & 0x07) == 0;
        if (startOfFrame || rtpTimestamp != timestamp) {
            frame.reset();
            inFrame = startOfFrame;
            spoiled = !startOfFrame;
            timestamp = rtpTimestamp;
        }
        if (inFrame && !spoiled) {
            frame.write(data, start, offset + length - start);
            if (frame.size() > MAX_FRAME_BYTES) {
                spoiled = true;
            }
        }
        if (marker) {
            if (inFrame && !spoiled && frame.size() > 0) {
                byte[] bytes = frame.toByteArray();
                done.add(new Frame(timestamp, bytes, (bytes[0] & 0x01) == 0, lossSinceLastFrame));
                lossSinceLastFrame = false;
            }
            frame.reset();
            inFrame = false;
            spoiled = false;
        }
        return done;
    }

    /** RTP payloads for one frame: a minimal descriptor (S on the first), at most {@code maxPayload} bytes each. */
    public static List<byte[]> payloads(byte[] frame, int maxPayload) {
        List<byte[]> out = new ArrayList<>();
        int chunk = maxPayload - 1;
        for (int at = 0; at < frame.length; at += chunk) {
            int take = Math.min(chunk, frame.length - at);
            byte[] payload = new byte[1 + take];
            payload[0] = (byte) (at == 0 ? 0x10 : 0x00);
            System.arraycopy(frame, at, payload, 1, take);
            out.add(payload);
        }
        return out;
    }
}
