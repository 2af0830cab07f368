package io.wenzhen.token04;

import java.time.Clock;

/** Makes tokens the way ZEGO's server assistants do, so either side can make them for the other. */
public final class Token04Issuer {

    /** ZEGO's assistants refuse longer userIDs. */
    public static final int MAX_USER_ID_LENGTH = 64;

    private final Clock clock;

    public Token04Issuer(Clock clock) {
        this.clock = clock;
    }

    public Token04Issuer() {
        this(Clock.systemUTC());
    }

    /** A token and the Unix second it expires at (also sealed inside it). */
    public record Issued(String token, long expire) {
    }

    /**
     * @param privileges null for a basic token (empty payload), else the room/privilege/stream payload
     */
    public String issue(long appId, String userId, String secret, long effectiveSeconds, RoomPrivileges privileges,
            Token04Format format) {
        return issueWithExpiry(appId, userId, secret, effectiveSeconds, privileges, format).token();
    }

    /** As {@link #issue}, with the expiry, so a caller need not decode what it just made. */
    public Issued issueWithExpiry(long appId, String userId, String secret, long effectiveSeconds, RoomPrivileges privileges,
            Token04Format format) {
        if (appId <= 0 || appId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("appID must be a 32-bit unsigned number above 0");
        }
        if (userId == null || userId.isEmpty() || userId.length() > MAX_USER_ID_LENGTH) {
            throw new IllegalArgumentException("userID must be 1 to 64 characters");
        }
        if (effectiveSeconds <= 0) {
            throw new IllegalArgumentException("the validity must be positive");
        }
        long now = clock.millis() / 1000;
        Token04Claims claims = new Token04Claims(appId, userId, Token04Codec.randomNonce(), now,
                now + effectiveSeconds, privileges == null ? "" : privileges.toPayload());
        return new Issued(Token04Codec.encode(claims, secret, format), claims.expire());
    }
}
