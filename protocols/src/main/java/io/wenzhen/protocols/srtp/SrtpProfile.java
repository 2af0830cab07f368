package io.wenzhen.protocols.srtp;

/** The DTLS-SRTP protection profiles the gateway speaks (RFC 5764 §4.1.2, RFC 7714 §14.2). */
public enum SrtpProfile {
    /** AES counter mode and HMAC-SHA1-80 (RFC 3711): every WebRTC endpoint has it. */
    AES128_CM_HMAC_SHA1_80(0x0001, 16, 14),
    /** AES-128-GCM, an AEAD (RFC 7714): one pass for encryption and authentication, 16-byte tag. */
    AEAD_AES_128_GCM(0x0007, 16, 12);

    private final int id;
    private final int keyLength;
    private final int saltLength;

    SrtpProfile(int id, int keyLength, int saltLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** The profile's number in the use_srtp extension. */
    public int id() {
        return id;
    }

    public int keyLength() {
        return keyLength;
    }

    public int saltLength() {
        return saltLength;
    }

    /** The profile with this use_srtp number, or null. */
    public static SrtpProfile byId(int id) {
        for (SrtpProfile profile : values()) {
            if (profile.id == id) {
                return profile;
            }
        }
        return null;
    }
}
