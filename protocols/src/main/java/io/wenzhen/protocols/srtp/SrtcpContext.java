package io.wenzhen.protocols.srtp;

import java.security.MessageDigest;
import java.util.Arrays;


import io.wenzhen.protocols.MalformedPacketException;

/**
 * SRTCP for one direction with AES_CM_128_HMAC_SHA1_80 (RFC 3711 §3.4): everything after the first 8
 * bytes is encrypted, then {@code E || index} (31 bits) and the 80-bit tag are appended.
 */
public final class SrtcpContext {

    static final int TRAILER = 4;
    static final int HEADER = 8;

    private final SrtpCrypto crypto;
    /** Each sending SSRC numbers its SRTCP packets itself (RFC 3711 §3.4): one replay window each. */
    private final java.util.Map<Long, ReplayWindow> replay = new java.util.HashMap<>();
    private long nextIndex;

    public SrtcpContext(SrtpKeys keys) {
        this.crypto = new SrtpCrypto(keys);
    }

    /** Encrypts and authenticates a (compound) RTCP packet with the next SRTCP index. */
    public synchronized byte[] protect(byte[] packet, int offset, int length) {
        if (length < HEADER) {
            throw new MalformedPacketException("shorter than an RTCP header");
        }
        long index = nextIndex;
        nextIndex = (nextIndex + 1) & 0x7FFF_FFFFL;
        byte[] out = Arrays.copyOfRange(packet, offset, offset + length + TRAILER + SrtpContext.TAG_LENGTH);
        transform(out, length, index);
        int trailer = (int) (0x8000_0000L | index);
        out[length] = (byte) (trailer >> 24);
        out[length + 1] = (byte) (trailer >> 16);
        out[length + 2] = (byte) (trailer >> 8);
        out[length + 3] = (byte) trailer;
        System.arraycopy(tag(out, length + TRAILER), 0, out, length + TRAILER, SrtpContext.TAG_LENGTH);
        return out;
    }

    /** Authenticates and decrypts an SRTCP packet; throws MalformedPacketException on a bad tag or a replay. */
    public synchronized byte[] unprotect(byte[] packet, int offset, int length) {
        if (length < HEADER + TRAILER + SrtpContext.TAG_LENGTH) {
            throw new MalformedPacketException("shorter than an SRTCP packet");
        }
        int authenticated = length - SrtpContext.TAG_LENGTH;
        int rtcpLength = authenticated - TRAILER;
        int trailer = ((packet[offset + rtcpLength] & 0xFF) << 24) | ((packet[offset + rtcpLength + 1] & 0xFF) << 16)
                | ((packet[offset + rtcpLength + 2] & 0xFF) << 8) | (packet[offset + rtcpLength + 3] & 0xFF);
        long index = trailer & 0x7FFF_FFFFL;
        boolean encrypted = trailer < 0;
        long sender = ((packet[offset + 4] & 0xFFL) << 24) | ((packet[offset + 5] & 0xFF) << 16)
                | ((packet[offset + 6] & 0xFF) << 8) | (packet[offset + 7] & 0xFF);
        ReplayWindow window = replay.get(sender);
        if (window != null && !window.fresh(index)) {
            throw new MalformedPacketException("SRTCP replay");
        }
        byte[] expected = tag(Arrays.copyOfRange(packet, offset, offset + authenticated), authenticated);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(packet, offset + authenticated, offset + length))) {
            throw new MalformedPacketException("SRTCP authentication failed");
        }
        if (window == null) {
            if (replay.size() >= SrtpContext.MAX_STREAMS) {
                throw new MalformedPacketException("too many SSRCs on one transport");
            }
            window = new ReplayWindow();
            replay.put(sender, window);
        }
        window.accept(index);
        byte[] out = Arrays.copyOfRange(packet, offset, offset + rtcpLength);
        if (encrypted) {
            transform(out, rtcpLength, index);
        }
        return out;
    }

    private void transform(byte[] data, int length, long index) {
        long sender = ((data[4] & 0xFFL) << 24) | ((data[5] & 0xFF) << 16) | ((data[6] & 0xFF) << 8) | (data[7] & 0xFF);
        crypto.transform(data, HEADER, length - HEADER, sender, index);
    }

    private byte[] tag(byte[] data, int length) {
        return crypto.tag(data, length, new byte[0]);
    }
}
