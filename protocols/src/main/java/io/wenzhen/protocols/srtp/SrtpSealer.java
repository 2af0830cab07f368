package io.wenzhen.protocols.srtp;

/**
 * How one protection profile seals and opens packets once the context has worked out the index
 * (rollover counter and sequence number, or the SRTCP index). The contexts keep the per-SSRC state;
 * a sealer only holds keys and JCA objects. Not thread-safe: the contexts synchronize.
 */
interface SrtpSealer {

    /** Bytes added to an RTP packet (the tag). */
    int rtpOverhead();

    /** Bytes added to an RTCP packet (tag and the E-flag/index word). */
    int rtcpOverhead();

    /** {@code packet[offset, offset+length)} is RTP with a {@code header}-byte header: returns it sealed, in a new array. */
    byte[] sealRtp(byte[] packet, int offset, int length, int header, long ssrc, long roc, int sequence);

    /** {@code length} includes the overhead; returns the RTP packet, or throws MalformedPacketException. */
    byte[] openRtp(byte[] packet, int offset, int length, int header, long ssrc, long roc, int sequence);

    /** Seals a compound RTCP packet with this SRTCP index (E-flag set: the payload is encrypted). */
    byte[] sealRtcp(byte[] packet, int offset, int length, long ssrc, long index);

    /** The E-flag and index word of an SRTCP packet ({@code length} includes the overhead). */
    int rtcpTrailer(byte[] packet, int offset, int length);

    /** Authenticates and (when the E-flag says so) decrypts; returns the RTCP packet or throws MalformedPacketException. */
    byte[] openRtcp(byte[] packet, int offset, int length, long ssrc, int trailer);

    static SrtpSealer of(SrtpProfile profile, SrtpKeys keys) {
        return profile == SrtpProfile.AEAD_AES_128_GCM ? new GcmSealer(keys) : new CmHmacSealer(keys);
    }

    static int u32(byte[] data, int at) {
        return ((data[at] & 0xFF) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8) | (data[at + 3] & 0xFF);
    }

    static void putU32(byte[] data, int at, int value) {
        data[at] = (byte) (value >> 24);
        data[at + 1] = (byte) (value >> 16);
        data[at + 2] = (byte) (value >> 8);
        data[at + 3] = (byte) value;
    }
}
