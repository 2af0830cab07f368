package io.wenzhen.protocols.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two primitives of AES_CM_128_HMAC_SHA1_80 from the JCA, keyed with one set of session keys:
 * AES counter mode at the RFC 3711 IV, and HMAC-SHA1 truncated to 80 bits. Not thread-safe; the
 * contexts that own one synchronize.
 */
final class SrtpCrypto {

    static final int TAG_LENGTH = 10;

    private final SecretKeySpec cipherKey;
    private final byte[] salt;
    private final Mac mac;
    private final Cipher aes;

    SrtpCrypto(SrtpKeys keys) {
        this.cipherKey = new SecretKeySpec(keys.cipherKey(), "AES");
        this.salt = keys.salt().clone();
        try {
            this.mac = Mac.getInstance("HmacSHA1");
            this.mac.init(new SecretKeySpec(keys.authKey(), "HmacSHA1"));
            this.aes = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR or HmacSHA1 is not available", e);
        }
    }

    /** AES-CM in place: IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16). */
    void transform(byte[] data, int from, int length, long ssrc, long index) {
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, 14);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= (byte) (ssrc >> (24 - 8 * i));
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >> (40 - 8 * i));
        }
        try {
            aes.init(Cipher.ENCRYPT_MODE, cipherKey, new IvParameterSpec(iv));
            aes.doFinal(data, from, length, data, from);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR failed", e);
        }
    }

    /** HMAC-SHA1 over {@code data[0, length)} then {@code suffix}, truncated to 80 bits. */
    byte[] tag(byte[] data, int length, byte[] suffix) {
        mac.update(data, 0, length);
        mac.update(suffix);
        return Arrays.copyOf(mac.doFinal(), TAG_LENGTH);
    }
}
