package io.wenzhen.protocols.stun;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY (HMAC-SHA1, JCA) and FINGERPRINT (CRC-32 xor 0x5354554e) of RFC 8489, computed
 * over the message as it stood when the attribute was added: up to the attribute, with the header's
 * length counting it.
 */
public final class StunIntegrity {

    static final int FINGERPRINT_XOR = 0x5354554e;

    private StunIntegrity() {
    }

    /** True when the message carries a MESSAGE-INTEGRITY that {@code key} (the ICE password) produced. */
    public static boolean verify(StunMessage message, String key) {
        int at = attributeOffset(message.raw(), StunAttribute.MESSAGE_INTEGRITY);
        if (at < 0) {
            return false;
        }
        byte[] expected = hmac(message.raw(), at, key);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(message.raw(), at + 4, at + 24));
    }

    /** True when the message has a correct FINGERPRINT (a message without one is not fingerprinted). */
    public static boolean fingerprintValid(StunMessage message) {
        int at = attributeOffset(message.raw(), StunAttribute.FINGERPRINT);
        return at >= 0 && crc(message.raw(), at) == ByteBuffer.wrap(message.raw(), at + 4, 4).getInt();
    }

    /** HMAC-SHA1 over {@code message[0, attributeAt)} with the length field set to end after a 24-byte MI. */
    static byte[] hmac(byte[] message, int attributeAt, String key) {
        byte[] prefix = Arrays.copyOf(message, attributeAt);
        setLength(prefix, attributeAt + 24 - StunMessage.HEADER_LENGTH);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac.doFinal(prefix);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }

    static int crc(byte[] message, int attributeAt) {
        byte[] prefix = Arrays.copyOf(message, attributeAt);
        setLength(prefix, attributeAt + 8 - StunMessage.HEADER_LENGTH);
        CRC32 crc = new CRC32();
        crc.update(prefix);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    private static void setLength(byte[] message, int length) {
        message[2] = (byte) (length >> 8);
        message[3] = (byte) length;
    }

    /** Offset of the first attribute of {@code type} in a message already parsed (so well-formed), or -1. */
    static int attributeOffset(byte[] raw, int type) {
        int position = StunMessage.HEADER_LENGTH;
        while (position + 4 <= raw.length) {
            int attributeType = StunParser.u16(raw, position);
            if (attributeType == type) {
                return position;
            }
            position += 4 + ((StunParser.u16(raw, position + 2) + 3) & ~3);
        }
        return -1;
    }
}
