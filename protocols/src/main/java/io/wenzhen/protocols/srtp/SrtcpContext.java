package io.wenzhen.protocols.srtp;

import java.util.HashMap;
import java.util.Map;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * SRTCP for one direction (RFC 3711 §3.4, RFC 7714 §9): everything after the first 8 bytes is
 * encrypted, the E-flag and 31-bit index travel with the packet, a tag authenticates it; the layout is
 * the profile's ({@link SrtpSealer}). Replay windows are per sending SSRC.
 */
public final class SrtcpContext {

    static final int HEADER = 8;

    private final SrtpSealer sealer;
    /** Each sending SSRC numbers its SRTCP packets itself (RFC 3711 §3.4): one replay window each. */
    private final Map<Long, ReplayWindow> replay = new HashMap<>();
    private long nextIndex;

    /** AES_CM_128_HMAC_SHA1_80. */
    public SrtcpContext(SrtpKeys keys) {
        this(SrtpProfile.AES128_CM_HMAC_SHA1_80, keys);
    }

    public SrtcpContext(SrtpProfile profile, SrtpKeys keys) {
        this.sealer = SrtpSealer.of(profile, keys);
    }

    /** The context for a DTLS-SRTP master key and salt of this profile. */
    public static SrtcpContext of(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return new SrtcpContext(profile, SrtpKeys.forRtcp(profile, masterKey, masterSalt));
    }

    /** Encrypts and authenticates a (compound) RTCP packet with the next SRTCP index. */
    public synchronized byte[] protect(byte[] packet, int offset, int length) {
        if (length < HEADER) {
            throw new MalformedPacketException("shorter than an RTCP header");
        }
        long index = nextIndex;
        nextIndex = (nextIndex + 1) & 0x7FFF_FFFFL;
        return sealer.sealRtcp(packet, offset, length, sender(packet, offset), index);
    }

    /** Authenticates and decrypts an SRTCP packet; throws MalformedPacketException on a bad tag or a replay. */
    public synchronized byte[] unprotect(byte[] packet, int offset, int length) {
        if (length < HEADER + sealer.rtcpOverhead()) {
            throw new MalformedPacketException("shorter than an SRTCP packet");
        }
        int trailer = sealer.rtcpTrailer(packet, offset, length);
        long index = trailer & 0x7FFF_FFFFL;
        long sender = sender(packet, offset);
        ReplayWindow window = replay.get(sender);
        if (window != null && !window.fresh(index)) {
            throw new MalformedPacketException("SRTCP replay");
        }
        byte[] out = sealer.openRtcp(packet, offset, length, sender, trailer);
        if (window == null) {
            if (replay.size() >= SrtpContext.MAX_STREAMS) {
                throw new MalformedPacketException("too many SSRCs on one transport");
            }
            window = new ReplayWindow();
            replay.put(sender, window);
        }
        window.accept(index);
        return out;
    }

    private static long sender(byte[] data, int offset) {
        return SrtpSealer.u32(data, offset + 4) & 0xFFFF_FFFFL;
    }
}
