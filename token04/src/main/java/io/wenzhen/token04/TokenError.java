package io.wenzhen.token04;

/**
 * Why a client token was refused. Codes are stable and documented in docs/errors.md; clients see
 * them in login and publish failures.
 */
public enum TokenError {
    /** Not "04" + Base64, or a field of the binary layout is impossible (IV length, mode byte, extra bytes). */
    TOKEN_MALFORMED(10101, "the token is not a Token04"),
    /** A length field points past the end of the data. */
    TOKEN_TRUNCATED(10102, "the token is cut short"),
    /** Longer than any real Token04; refused before decoding. */
    TOKEN_OVERSIZED(10103, "the token is too long"),
    /** The app's secret does not open it: a wrong secret, or the sealed part was altered. */
    TOKEN_UNDECRYPTABLE(10104, "the token cannot be decrypted with this app's secret"),
    /** The clear expiry in front disagrees with the sealed one: the clear part was altered. */
    TOKEN_TAMPERED(10105, "the token's clear fields disagree with its sealed content"),
    TOKEN_EXPIRED(10106, "the token has expired"),
    /** Created further in the future than the allowed clock skew. */
    TOKEN_NOT_YET_VALID(10107, "the token is not valid yet"),
    /** Sealed with this app's secret but made out for another AppID. */
    TOKEN_APP_MISMATCH(10108, "the token was made for another AppID"),
    TOKEN_USER_MISMATCH(10109, "the token was made for another userID"),
    /** Decrypted, but the JSON inside or its payload does not have the Token04 fields and types. */
    TOKEN_PAYLOAD_INVALID(10110, "the token's content is not valid"),
    TOKEN_LOGIN_DENIED(10111, "the token does not grant logging into a room"),
    TOKEN_PUBLISH_DENIED(10112, "the token does not grant publishing"),
    TOKEN_ROOM_NOT_ALLOWED(10113, "the token is for another room"),
    TOKEN_STREAM_NOT_ALLOWED(10114, "the token does not list this streamID");

    private final int code;
    private final String message;

    TokenError(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }
}
