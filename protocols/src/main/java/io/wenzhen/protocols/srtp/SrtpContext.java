package io.wenzhen.protocols.srtp;

import java.util.HashMap;
import java.util.Map;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.rtp.RtpPacket;

/**
 * SRTP for one direction of a transport (RFC 3711) with AES_CM_128_HMAC_SHA1_80 or AEAD_AES_128_GCM
 * (RFC 7714), whose primitives come from the JCA ({@link SrtpSealer}); the packet index (rollover
 * counter + sequence number) and the replay window are what this class adds. The keys are the
 * transport's; the index and the replay window are each SSRC's own (audio and video share a BUNDLE transport but not their sequence numbers).
 * Synchronized: forwarding and keyframe requests may use one context from two threads.
 */
public final class SrtpContext {

    public static final int TAG_LENGTH = SrtpCrypto.TAG_LENGTH;

    private final SrtpSealer sealer;
    private final Map<Long, StreamState> streams = new HashMap<>();

    /** One SSRC's place in its sequence: rollover counter, last sequence number, replay window. */
    private static final class StreamState {
        final ReplayWindow replay = new ReplayWindow();
        long roc;
        int lastSequence = -1;
    }

    /** Bounds the state a peer can make us keep by inventing SSRCs. */
    static final int MAX_STREAMS = 64;

    /** AES_CM_128_HMAC_SHA1_80. */
    public SrtpContext(SrtpKeys keys) {
        this(SrtpProfile.AES128_CM_HMAC_SHA1_80, keys);
    }

    public SrtpContext(SrtpProfile profile, SrtpKeys keys) {
        this.sealer = SrtpSealer.of(profile, keys);
    }

    /** The context for a DTLS-SRTP master key and salt of this profile. */
    public static SrtpContext of(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return new SrtpContext(profile, SrtpKeys.forRtp(profile, masterKey, masterSalt));
    }

    /** Bytes this profile adds to each packet. */
    public int overhead() {
        return sealer.rtpOverhead();
    }

    /** Encrypts and authenticates an RTP packet; returns a new array with the tag appended. */
    public synchronized byte[] protect(byte[] packet, int offset, int length) {
        RtpPacket rtp = RtpPacket.parse(packet, offset, length);
        StreamState state = state(rtp.ssrc());
        int sequence = rtp.sequenceNumber();
        // the index nearest the highest sent: a retransmission (an older packet sent again, perhaps from
        // before a wrap) keeps its own rollover counter and does not move the state back
        long roc = estimateRoc(state, sequence);
        boolean newer = state.lastSequence < 0 || (roc == state.roc ? sequence > state.lastSequence
                : roc == ((state.roc + 1) & 0xFFFF_FFFFL));
        if (newer) {
            state.roc = roc;
            state.lastSequence = sequence;
        }
        return sealer.sealRtp(packet, offset, length, rtp.headerLength(), rtp.ssrc(), roc, sequence);
    }

    /**
     * Authenticates and decrypts an SRTP packet; returns the RTP packet in a new array. Throws
     * {@link MalformedPacketException} for a packet too short, a wrong tag or a replay.
     */
    public synchronized byte[] unprotect(byte[] packet, int offset, int length) {
        int overhead = sealer.rtpOverhead();
        if (length < RtpPacket.FIXED_HEADER + overhead) {
            throw new MalformedPacketException("shorter than an SRTP packet");
        }
        int rtpLength = length - overhead;
        // the payload, and with it any padding count in its last byte, is still encrypted: header only
        RtpPacket rtp = RtpPacket.parseHeader(packet, offset, rtpLength);
        StreamState state = streams.get(rtp.ssrc());
        boolean known = state != null;
        if (!known) {
            state = new StreamState();
        }
        int sequence = rtp.sequenceNumber();
        long guessedRoc = estimateRoc(state, sequence);
        long index = (guessedRoc << 16) | sequence;
        if (!state.replay.fresh(index)) {
            throw new MalformedPacketException("SRTP replay");
        }
        byte[] out = sealer.openRtp(packet, offset, length, rtp.headerLength(), rtp.ssrc(), guessedRoc, sequence);
        // only an authenticated packet moves the state on (and only one makes an SSRC known)
        if (!known) {
            if (streams.size() >= MAX_STREAMS) {
                throw new MalformedPacketException("too many SSRCs on one transport");
            }
            streams.put(rtp.ssrc(), state);
        }
        state.replay.accept(index);
        if (index > ((state.roc << 16) | Math.max(state.lastSequence, 0)) || state.lastSequence < 0) {
            state.roc = guessedRoc;
            state.lastSequence = sequence;
        }
        return out;
    }

    /** RFC 3711 Appendix A: the rollover counter that puts {@code sequence} closest to the last one seen. */
    private static long estimateRoc(StreamState state, int sequence) {
        long roc = state.roc;
        int last = state.lastSequence;
        if (last < 0) {
            return roc;
        }
        if (last < 32768) {
            return sequence - last > 32768 ? (roc - 1) & 0xFFFF_FFFFL : roc;
        }
        return last - 32768 > sequence ? (roc + 1) & 0xFFFF_FFFFL : roc;
    }

    private StreamState state(long ssrc) {
        return streams.computeIfAbsent(ssrc, key -> new StreamState());
    }

}
