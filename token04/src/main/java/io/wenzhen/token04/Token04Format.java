package io.wenzhen.token04;

/**
 * The two encryptions ZEGO's server assistants use for Token04. Both are AES-256 keyed directly with
 * the 32 bytes of the ServerSecret.
 */
public enum Token04Format {
    /** AES-256-CBC, PKCS#5 padding, 16-byte IV; no trailing mode byte. ZEGO's older assistants. */
    CBC(16),
    /** AES-256-GCM, 12-byte nonce, 16-byte tag after the ciphertext, trailing mode byte 1. */
    GCM(12);

    /** The mode byte GCM tokens carry after the ciphertext (CBC tokens carry none, or 0). */
    static final byte GCM_MODE = 1;
    static final byte CBC_MODE = 0;

    private final int ivLength;

    Token04Format(int ivLength) {
        this.ivLength = ivLength;
    }

    public int ivLength() {
        return ivLength;
    }
}
