package io.wenzhen.protocols.stun;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A parsed STUN message (RFC 8489): method and class in {@link #type()}, the transaction id, the
 * attributes in order, and the raw bytes, which integrity and fingerprint checks need.
 */
public record StunMessage(int type, byte[] transactionId, List<StunAttribute> attributes, byte[] raw) {

    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;

    /** The first attribute of {@code attributeType}, or null. */
    public StunAttribute attribute(int attributeType) {
        for (StunAttribute attribute : attributes) {
            if (attribute.type() == attributeType) {
                return attribute;
            }
        }
        return null;
    }

    public boolean has(int attributeType) {
        return attribute(attributeType) != null;
    }

    /** USERNAME as text ({@code remoteUfrag:localUfrag} for ICE), or null. */
    public String username() {
        StunAttribute username = attribute(StunAttribute.USERNAME);
        return username == null ? null : new String(username.value(), StandardCharsets.UTF_8);
    }

    /** PRIORITY, or -1 when absent. */
    public long priority() {
        StunAttribute priority = attribute(StunAttribute.PRIORITY);
        if (priority == null || priority.value().length != 4) {
            return -1;
        }
        byte[] v = priority.value();
        return ((v[0] & 0xFFL) << 24) | ((v[1] & 0xFF) << 16) | ((v[2] & 0xFF) << 8) | (v[3] & 0xFF);
    }

    /**
     * RFC 7983's demultiplexing rule: a datagram on the shared media port is STUN when its first byte
     * is 0..3 (DTLS is 20..63, RTP/RTCP 128..191).
     */
    public static boolean looksLikeStun(byte[] data, int offset, int length) {
        return length >= HEADER_LENGTH && (data[offset] & 0xFF) < 4;
    }
}
