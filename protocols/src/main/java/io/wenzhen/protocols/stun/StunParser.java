package io.wenzhen.protocols.stun;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.wenzhen.protocols.MalformedPacketException;

/** Parses STUN messages strictly: header, cookie, lengths, attribute bounds, attribute order rules. */
public final class StunParser {

    /** No legitimate ICE check comes close; bounds the work a hostile datagram can cause. */
    public static final int MAX_ATTRIBUTES = 32;

    private StunParser() {
    }

    public static StunMessage parse(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("range outside the array");
        }
        if (length < StunMessage.HEADER_LENGTH) {
            throw new MalformedPacketException("shorter than a STUN header");
        }
        int type = u16(data, offset);
        if ((type & 0xC000) != 0) {
            throw new MalformedPacketException("the two top bits of a STUN type are zero");
        }
        int bodyLength = u16(data, offset + 2);
        if (bodyLength % 4 != 0) {
            throw new MalformedPacketException("STUN length is not a multiple of 4");
        }
        if (StunMessage.HEADER_LENGTH + bodyLength != length) {
            throw new MalformedPacketException("STUN length " + bodyLength + " does not match the datagram");
        }
        if (u32(data, offset + 4) != StunMessage.MAGIC_COOKIE) {
            throw new MalformedPacketException("no STUN magic cookie");
        }
        byte[] transactionId = Arrays.copyOfRange(data, offset + 8, offset + 20);
        List<StunAttribute> attributes = new ArrayList<>();
        int position = offset + StunMessage.HEADER_LENGTH;
        int end = offset + length;
        boolean integritySeen = false;
        boolean fingerprintSeen = false;
        while (position < end) {
            if (end - position < 4) {
                throw new MalformedPacketException("truncated attribute header");
            }
            int attributeType = u16(data, position);
            int valueLength = u16(data, position + 2);
            int padded = (valueLength + 3) & ~3;
            if (position + 4 + padded > end) {
                throw new MalformedPacketException("attribute runs past the message");
            }
            if (fingerprintSeen) {
                throw new MalformedPacketException("nothing may follow FINGERPRINT");
            }
            if (integritySeen && attributeType != StunAttribute.FINGERPRINT) {
                // RFC 8489 §14.5: attributes after MESSAGE-INTEGRITY (but FINGERPRINT) are ignored
                position += 4 + padded;
                continue;
            }
            if (attributes.size() == MAX_ATTRIBUTES) {
                throw new MalformedPacketException("too many attributes");
            }
            if (attributeType == StunAttribute.MESSAGE_INTEGRITY && valueLength != 20) {
                throw new MalformedPacketException("MESSAGE-INTEGRITY is 20 bytes");
            }
            if (attributeType == StunAttribute.FINGERPRINT && valueLength != 4) {
                throw new MalformedPacketException("FINGERPRINT is 4 bytes");
            }
            attributes.add(new StunAttribute(attributeType, Arrays.copyOfRange(data, position + 4, position + 4 + valueLength)));
            integritySeen |= attributeType == StunAttribute.MESSAGE_INTEGRITY;
            fingerprintSeen |= attributeType == StunAttribute.FINGERPRINT;
            position += 4 + padded;
        }
        return new StunMessage(type, transactionId, List.copyOf(attributes), Arrays.copyOfRange(data, offset, end));
    }

    static int u16(byte[] data, int at) {
        return ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
    }

    static int u32(byte[] data, int at) {
        return ((data[at] & 0xFF) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8) | (data[at + 3] & 0xFF);
    }
}
