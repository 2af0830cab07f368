package io.wenzhen.protocols.flv;

import java.util.ArrayList;
import java.util.List;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * Reads an FLV file or a captured FLV stream into tags (tests and tools check what the gateway
 * serves with it). Refuses anything that is not FLV version 1 or whose sizes do not add up.
 */
public final class FlvReader {

    private FlvReader() {
    }

    /** Every whole tag in {@code data}; a tag cut off at the end (a stream captured mid-tag) is left out. */
    public static List<FlvTag> read(byte[] data) {
        if (data.length < 13 || data[0] != 'F' || data[1] != 'L' || data[2] != 'V') {
            throw new MalformedPacketException("FLV: no FLV signature");
        }
        if (data[3] != 1) {
            throw new MalformedPacketException("FLV: version " + data[3]);
        }
        long headerSize = u32(data, 5);
        if (headerSize < 9 || headerSize > data.length - 4) {
            throw new MalformedPacketException("FLV: header size " + headerSize);
        }
        return tags(data, (int) headerSize + 4);
    }

    /**
     * The whole tags from {@code position} on, without a file header: also the body of an RTMP
     * aggregate message, whose sub-messages are tags with their back pointers.
     */
    public static List<FlvTag> tags(byte[] data, int position) {
        List<FlvTag> tags = new ArrayList<>();
        while (data.length - position >= 11) {
            int type = data[position] & 0x1F; // the top bits are reserved and the filter flag
            int size = ((data[position + 1] & 0xFF) << 16) | ((data[position + 2] & 0xFF) << 8) | (data[position + 3] & 0xFF);
            long time = ((data[position + 4] & 0xFFL) << 16) | ((data[position + 5] & 0xFF) << 8) | (data[position + 6] & 0xFF)
                    | ((data[position + 7] & 0xFFL) << 24);
            if ((long) position + 11 + size + 4 > data.length) {
                break;
            }
            byte[] body = new byte[size];
            System.arraycopy(data, position + 11, body, 0, size);
            long previous = u32(data, position + 11 + size);
            if (previous != 11 + size) {
                throw new MalformedPacketException("FLV: PreviousTagSize " + previous + " after a tag of " + (11 + size));
            }
            tags.add(new FlvTag(type, time, body));
            position += 11 + size + 4;
        }
        return tags;
    }

    private static long u32(byte[] data, int at) {
        return ((data[at] & 0xFFL) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8) | (data[at + 3] & 0xFF);
    }
}
