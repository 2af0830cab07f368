package io.wenzhen.auth.service;

import java.security.SecureRandom;
import java.util.HexFormat;

/** AppIDs and ServerSecrets in ZEGO's shapes: a 10-digit 32-bit number and 32 hex characters. */
final class Randoms {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long MIN_APP_ID = 1_000_000_000L;
    private static final long MAX_APP_ID = 0xFFFF_FFFFL;

    private Randoms() {
    }

    static long appId() {
        return MIN_APP_ID + (long) (RANDOM.nextDouble() * (MAX_APP_ID - MIN_APP_ID));
    }

    /** 16 random bytes as 32 lowercase hex characters: a 128-bit secret usable as the AES-256 key text. */
    static String serverSecret() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
