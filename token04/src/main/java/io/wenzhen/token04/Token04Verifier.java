package io.wenzhen.token04;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Checks a client token for one app: opens it with the app's current secret (or the previous one
 * during a rotation's grace period), then checks AppID, expiry, creation time and userID, and tells
 * what the token allows. Pure logic; auth-service and the gateway both use it.
 */
public final class Token04Verifier {

    /** Tokens made on a server whose clock runs this much ahead are still accepted. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

    private final Clock clock;
    private final long skewSeconds;

    public Token04Verifier(Clock clock, Duration clockSkew) {
        this.clock = clock;
        this.skewSeconds = clockSkew.toSeconds();
    }

    public Token04Verifier() {
        this(Clock.systemUTC(), DEFAULT_CLOCK_SKEW);
    }

    /** A token that passed every check, and what it allows. */
    public record VerifiedToken(Token04Claims claims, RoomPrivileges privileges, Token04Format format) {

        public long appId() {
            return claims.appId();
        }

        public String userId() {
            return claims.userId();
        }

        public long expire() {
            return claims.expire();
        }

        /** Throws unless the token lets its user log into {@code roomId}. */
        public void authorizeLogin(String roomId) {
            if (!privileges.loginRoom()) {
                throw new TokenException(TokenError.TOKEN_LOGIN_DENIED);
            }
            if (!privileges.allowsRoom(roomId)) {
                throw new TokenException(TokenError.TOKEN_ROOM_NOT_ALLOWED);
            }
        }

        /** Throws unless the token lets its user publish {@code streamId} in {@code roomId}. */
        public void authorizePublish(String roomId, String streamId) {
            if (!privileges.publishStream()) {
                throw new TokenException(TokenError.TOKEN_PUBLISH_DENIED);
            }
            if (!privileges.allowsRoom(roomId)) {
                throw new TokenException(TokenError.TOKEN_ROOM_NOT_ALLOWED);
            }
            if (!privileges.allowsStream(streamId)) {
                throw new TokenException(TokenError.TOKEN_STREAM_NOT_ALLOWED);
            }
        }
    }

    /**
     * @param secrets the app's secrets to try, current first (a rotated-out secret still in its grace period second)
     * @param userId  the userID the client claims, or null to accept the token's
     */
    public VerifiedToken verify(String token, long appId, List<String> secrets, String userId) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("no secret to verify with");
        }
        Token04Codec.Decoded decoded = null;
        TokenException failure = null;
        for (String secret : secrets) {
            try {
                decoded = Token04Codec.decode(token, secret);
                break;
            } catch (TokenException e) {
                if (e.error() != TokenError.TOKEN_UNDECRYPTABLE) {
                    throw e;
                }
                failure = e;
            }
        }
        if (decoded == null) {
            throw failure;
        }
        Token04Claims claims = decoded.claims();
        if (decoded.headerExpire() != claims.expire()) {
            throw new TokenException(TokenError.TOKEN_TAMPERED);
        }
        if (claims.appId() != appId) {
            throw new TokenException(TokenError.TOKEN_APP_MISMATCH);
        }
        long now = clock.millis() / 1000;
        if (now >= claims.expire()) {
            throw new TokenException(TokenError.TOKEN_EXPIRED);
        }
        if (claims.ctime() > now + skewSeconds) {
            throw new TokenException(TokenError.TOKEN_NOT_YET_VALID);
        }
        if (claims.expire() < claims.ctime()) {
            throw new TokenException(TokenError.TOKEN_PAYLOAD_INVALID, "expires before it was created");
        }
        if (userId != null && !userId.equals(claims.userId())) {
            throw new TokenException(TokenError.TOKEN_USER_MISMATCH);
        }
        return new VerifiedToken(claims, RoomPrivileges.parse(claims.payload()), decoded.format());
    }
}
