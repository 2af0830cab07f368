package io.wenzhen.protocols.pipe;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The keys of one media pipe between two gateways, derived (HKDF-SHA256, RFC 5869, BouncyCastle's) from
 * a secret both gateways hold and a salt the offering gateway picks at random for that pipe: the key
 * itself never travels, and each pipe has its own. One AES-128 key, and a fixed 4-byte nonce prefix per
 * direction (1 for the offering end, 2 for the answering one), so the two ends never seal under one nonce.
 *
 * @param key            AES-128-GCM key of the pipe
 * @param offererPrefix  nonce prefix of what the offering gateway sends
 * @param answererPrefix nonce prefix of what the answering gateway sends
 */
public record PipeKeys(byte[] key, byte[] offererPrefix, byte[] answererPrefix) {

    public static final int SALT_BYTES = 32;

    /**
     * @param secret the secret every gateway of the cluster holds (derived from the cluster key for pipes only)
     * @param salt   the pipe's random salt ({@link #SALT_BYTES} bytes)
     * @param pipeId the pipe's id, and the two gateways' ids, bound into the derivation: a key of one pipe
     *               is no key of another, even with a repeated salt
     */
    public static PipeKeys derive(byte[] secret, byte[] salt, long pipeId, String offerer, String answerer) {
        if (salt.length != SALT_BYTES) {
            throw new IllegalArgumentException("a pipe salt is " + SALT_BYTES + " bytes");
        }
        String info = "wenzhen media pipe v1\n" + Long.toUnsignedString(pipeId) + "\n" + offerer.length() + ":" + offerer
                + "\n" + answerer.length() + ":" + answerer;
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret, salt, info.getBytes(StandardCharsets.UTF_8)));
        byte[] key = new byte[16];
        hkdf.generateBytes(key, 0, key.length);
        return new PipeKeys(key, new byte[] {0, 0, 0, 1}, new byte[] {0, 0, 0, 2});
    }
}
