package io.wenzhen.protocols.srtp;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * AEAD_AES_128_GCM (RFC 7714) with the JCA's AES/GCM: the header is authenticated as associated data,
 * the payload encrypted, one 16-byte tag covers both. SRTP IV = (0 || SSRC || ROC || SEQ) XOR salt
 * (§8.1); SRTCP IV = (0 || SSRC || 0 || index) XOR salt, with the 8-byte header and the E-flag/index
 * word as associated data, and the word after the tag (§9.1, §17).
 */
final class GcmSealer implements SrtpSealer {

    static final int TAG = 16;
    static final int HEADER = 8;
    static final int TRAILER = 4;

    private final SecretKeySpec key;
    private final byte[] salt;
    private final Cipher gcm;
    /**
     * The JCA refuses to encrypt twice in a row with one IV; a retransmitted packet (a NACK answered)
     * is sealed again with its original IV, which is safe (same plaintext, same ciphertext), so it
     * goes through this second instance.
     */
    private final Cipher again;

    GcmSealer(SrtpKeys keys) {
        if (keys.salt().length != 12) {
            throw new IllegalArgumentException("AEAD_AES_128_GCM uses a 12-byte session salt");
        }
        this.key = new SecretKeySpec(keys.cipherKey(), "AES");
        this.salt = keys.salt().clone();
        try {
            this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
            this.again = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    }

    @Override
    public int rtpOverhead() {
        return TAG;
    }

    @Override
    public int rtcpOverhead() {
        return TAG + TRAILER;
    }

    @Override
    public byte[] sealRtp(byte[] packet, int offset, int length, int header, long ssrc, long roc, int sequence) {
        byte[] out = Arrays.copyOfRange(packet, offset, offset + length + TAG);
        run(Cipher.ENCRYPT_MODE, rtpIv(ssrc, roc, sequence), out, 0, header, out, header, length - header);
        return out;
    }

    @Override
    public byte[] openRtp(byte[] packet, int offset, int length, int header, long ssrc, long roc, int sequence) {
        byte[] in = Arrays.copyOfRange(packet, offset, offset + length);
        int plain = run(Cipher.DECRYPT_MODE, rtpIv(ssrc, roc, sequence), in, 0, header, in, header, length - header);
        return Arrays.copyOf(in, header + plain);
    }

    @Override
    public byte[] sealRtcp(byte[] packet, int offset, int length, long ssrc, long index) {
        byte[] out = new byte[length + TAG + TRAILER];
        System.arraycopy(packet, offset, out, 0, length);
        int trailer = (int) (0x8000_0000L | index);
        byte[] aad = Arrays.copyOf(out, HEADER + TRAILER);
        SrtpSealer.putU32(aad, HEADER, trailer);
        run(Cipher.ENCRYPT_MODE, rtcpIv(ssrc, index), aad, 0, aad.length, out, HEADER, length - HEADER);
        SrtpSealer.putU32(out, length + TAG, trailer);
        return out;
    }

    @Override
    public int rtcpTrailer(byte[] packet, int offset, int length) {
        return SrtpSealer.u32(packet, offset + length - TRAILER);
    }

    @Override
    public byte[] openRtcp(byte[] packet, int offset, int length, long ssrc, int trailer) {
        if (trailer >= 0) {
            // RFC 7714 §9.2 allows authentication-only SRTCP; WebRTC never sends it and we never accept it
            throw new MalformedPacketException("unencrypted SRTCP");
        }
        int sealed = length - TRAILER;
        byte[] in = Arrays.copyOfRange(packet, offset, offset + sealed);
        byte[] aad = Arrays.copyOf(in, HEADER + TRAILER);
        SrtpSealer.putU32(aad, HEADER, trailer);
        int plain = run(Cipher.DECRYPT_MODE, rtcpIv(ssrc, trailer & 0x7FFF_FFFFL), aad, 0, aad.length, in, HEADER, sealed - HEADER);
        return Arrays.copyOf(in, HEADER + plain);
    }

    /** AES-GCM over {@code data[from, from+length)} in place, after {@code aad[aadFrom, aadFrom+aadLength)}. */
    private int run(int mode, byte[] iv, byte[] aad, int aadFrom, int aadLength, byte[] data, int from, int length) {
        try {
            Cipher cipher = gcm;
            try {
                cipher.init(mode, key, new GCMParameterSpec(TAG * 8, iv));
            } catch (InvalidAlgorithmParameterException reused) {
                cipher = again;
                cipher.init(mode, key, new GCMParameterSpec(TAG * 8, iv));
            }
            cipher.updateAAD(aad, aadFrom, aadLength);
            return cipher.doFinal(data, from, length, data, from);
        } catch (AEADBadTagException e) {
            throw new MalformedPacketException("SRTP authentication failed");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new MalformedPacketException("SRTP packet cannot be opened: " + e.getMessage());
        }
    }

    private byte[] rtpIv(long ssrc, long roc, int sequence) {
        byte[] iv = salt.clone();
        for (int i = 0; i < 4; i++) {
            iv[2 + i] ^= (byte) (ssrc >> (24 - 8 * i));
            iv[6 + i] ^= (byte) (roc >> (24 - 8 * i));
        }
        iv[10] ^= (byte) (sequence >> 8);
        iv[11] ^= (byte) sequence;
        return iv;
    }

    private byte[] rtcpIv(long ssrc, long index) {
        byte[] iv = salt.clone();
        for (int i = 0; i < 4; i++) {
            iv[2 + i] ^= (byte) (ssrc >> (24 - 8 * i));
            iv[8 + i] ^= (byte) (index >> (24 - 8 * i));
        }
        return iv;
    }
}
