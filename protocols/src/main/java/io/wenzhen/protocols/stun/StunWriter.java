package io.wenzhen.protocols.stun;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Builds STUN messages attribute by attribute; {@link #withIntegrity(String)} and
 * {@link #withFingerprint()} close the message as RFC 8489 orders them.
 */
public final class StunWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    private final byte[] transactionId;

    public StunWriter(int type, byte[] transactionId) {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("a transaction id is 12 bytes");
        }
        this.transactionId = transactionId.clone();
        writeU16(type);
        writeU16(0);
        writeU32(StunMessage.MAGIC_COOKIE);
        out.writeBytes(transactionId);
    }

    public StunWriter attribute(int type, byte[] value) {
        writeU16(type);
        writeU16(value.length);
        out.writeBytes(value);
        for (int pad = value.length; pad % 4 != 0; pad++) {
            out.write(0);
        }
        return this;
    }

    public StunWriter username(String username) {
        return attribute(StunAttribute.USERNAME, username.getBytes(StandardCharsets.UTF_8));
    }

    /** XOR-MAPPED-ADDRESS: the address the request came from, as the requester must learn it. */
    public StunWriter xorMappedAddress(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        byte[] value = new byte[4 + ip.length];
        value[1] = (byte) (ip.length == 4 ? 0x01 : 0x02);
        int port = address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16);
        value[2] = (byte) (port >> 8);
        value[3] = (byte) port;
        byte[] mask = new byte[16];
        mask[0] = 0x21;
        mask[1] = 0x12;
        mask[2] = (byte) 0xA4;
        mask[3] = 0x42;
        System.arraycopy(transactionId, 0, mask, 4, 12);
        for (int i = 0; i < ip.length; i++) {
            value[4 + i] = (byte) (ip[i] ^ mask[i]);
        }
        return attribute(StunAttribute.XOR_MAPPED_ADDRESS, value);
    }

    public StunWriter errorCode(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[4 + text.length];
        value[2] = (byte) (code / 100);
        value[3] = (byte) (code % 100);
        System.arraycopy(text, 0, value, 4, text.length);
        return attribute(StunAttribute.ERROR_CODE, value);
    }

    public StunWriter withIntegrity(String key) {
        byte[] sofar = out.toByteArray();
        return attribute(StunAttribute.MESSAGE_INTEGRITY, StunIntegrity.hmac(sofar, sofar.length, key));
    }

    public StunWriter withFingerprint() {
        byte[] sofar = out.toByteArray();
        int crc = StunIntegrity.crc(sofar, sofar.length);
        return attribute(StunAttribute.FINGERPRINT, new byte[] {(byte) (crc >> 24), (byte) (crc >> 16), (byte) (crc >> 8),
            (byte) crc});
    }

    public byte[] toBytes() {
        byte[] message = out.toByteArray();
        int length = message.length - StunMessage.HEADER_LENGTH;
        message[2] = (byte) (length >> 8);
        message[3] = (byte) length;
        return message;
    }

    private void writeU16(int value) {
        out.write(value >> 8);
        out.write(value);
    }

    private void writeU32(int value) {
        writeU16(value >>> 16);
        writeU16(value & 0xFFFF);
    }
}
