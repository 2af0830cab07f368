package io.wenzhen.protocols.srtp;

import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session keys derived from a DTLS-SRTP master key and salt (RFC 3711 §4.3, key derivation rate 0),
 * with AES in counter mode from the JCA as the PRF.
 */
public record SrtpKeys(byte[] cipherKey, byte[] authKey, byte[] salt) {

    static final int RTP_CIPHER = 0;
    static final int RTP_AUTH = 1;
    static final int RTP_SALT = 2;
    static final int RTCP_CIPHER = 3;
    static final int RTCP_AUTH = 4;
    static final int RTCP_SALT = 5;

    /** The SRTP (RTP) session keys of AES_CM_128_HMAC_SHA1_80. */
    public static SrtpKeys forRtp(byte[] masterKey, byte[] masterSalt) {
        return new SrtpKeys(derive(masterKey, masterSalt, RTP_CIPHER, 16), derive(masterKey, masterSalt, RTP_AUTH, 20),
                derive(masterKey, masterSalt, RTP_SALT, 14));
    }

    /** The SRTCP session keys. */
    public static SrtpKeys forRtcp(byte[] masterKey, byte[] masterSalt) {
        return new SrtpKeys(derive(masterKey, masterSalt, RTCP_CIPHER, 16), derive(masterKey, masterSalt, RTCP_AUTH, 20),
                derive(masterKey, masterSalt, RTCP_SALT, 14));
    }

    /** The SRTP (RTP) session keys of a profile: AEAD_AES_128_GCM has no separate authentication key. */
    public static SrtpKeys forRtp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return profile == SrtpProfile.AES128_CM_HMAC_SHA1_80 ? forRtp(masterKey, masterSalt)
                : new SrtpKeys(derive(masterKey, masterSalt, RTP_CIPHER, 16), new byte[0], derive(masterKey, masterSalt, RTP_SALT, 12));
    }

    /** The SRTCP session keys of a profile. */
    public static SrtpKeys forRtcp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return profile == SrtpProfile.AES128_CM_HMAC_SHA1_80 ? forRtcp(masterKey, masterSalt)
                : new SrtpKeys(derive(masterKey, masterSalt, RTCP_CIPHER, 16), new byte[0], derive(masterKey, masterSalt, RTCP_SALT, 12));
    }

    /**
     * x = (label || index/kdr) XOR master salt, as a 112-bit number; the key is AES-CM(master key, x * 2^16).
     * A 96-bit (GCM) master salt is first multiplied by 2^16 (RFC 7714 §11 with erratum 4938).
     */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        if (masterKey.length != 16 || (masterSalt.length != 14 && masterSalt.length != 12)) {
            throw new IllegalArgumentException("AES-128 SRTP uses a 16-byte master key and a 14- or 12-byte master salt");
        }
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[7] ^= (byte) label;
        return keystream(masterKey, iv, length);
    }

    static byte[] keystream(byte[] key, byte[] iv, int length) {
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return aes.doFinal(new byte[length]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR is not available", e);
        }
    }
}
