package io.wenzhen.protocols.dtls;

import java.util.Arrays;

/**
 * The SRTP master keys a DTLS-SRTP handshake exports (RFC 5764 §4.2): client key, server key, client
 * salt, server salt, in that order. Each side sends with its own and receives with the peer's.
 */
public record SrtpKeyMaterial(int profile, byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt) {

    public static final int AES128_CM_HMAC_SHA1_80 = 0x0001;
    static final int KEY = 16;
    static final int SALT = 14;

    static SrtpKeyMaterial split(int profile, byte[] exported) {
        return new SrtpKeyMaterial(profile, Arrays.copyOfRange(exported, 0, KEY),
                Arrays.copyOfRange(exported, 2 * KEY, 2 * KEY + SALT), Arrays.copyOfRange(exported, KEY, 2 * KEY),
                Arrays.copyOfRange(exported, 2 * KEY + SALT, 2 * KEY + 2 * SALT));
    }

    static int length() {
        return 2 * (KEY + SALT);
    }
}
