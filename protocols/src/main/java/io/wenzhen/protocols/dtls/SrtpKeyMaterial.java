package io.wenzhen.protocols.dtls;

import java.util.Arrays;

import io.wenzhen.protocols.srtp.SrtpProfile;

/**
 * The SRTP master keys a DTLS-SRTP handshake exports (RFC 5764 §4.2): client key, server key, client
 * salt, server salt, in that order, with the negotiated profile's lengths. Each side sends with its
 * own and receives with the peer's.
 */
public record SrtpKeyMaterial(SrtpProfile profile, byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt) {

    static SrtpKeyMaterial split(SrtpProfile profile, byte[] exported) {
        int key = profile.keyLength();
        int salt = profile.saltLength();
        return new SrtpKeyMaterial(profile, Arrays.copyOfRange(exported, 0, key),
                Arrays.copyOfRange(exported, 2 * key, 2 * key + salt), Arrays.copyOfRange(exported, key, 2 * key),
                Arrays.copyOfRange(exported, 2 * key + salt, 2 * key + 2 * salt));
    }

    static int length(SrtpProfile profile) {
        return 2 * (profile.keyLength() + profile.saltLength());
    }
}
