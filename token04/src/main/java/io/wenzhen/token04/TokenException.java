package io.wenzhen.token04;

/** A token refused for {@link #error()}; the message never contains the token or a secret. */
public final class TokenException extends RuntimeException {

    private final TokenError error;

    public TokenException(TokenError error) {
        this(error, error.message());
    }

    public TokenException(TokenError error, String detail) {
        super(detail, null, false, false);
        this.error = error;
    }

    public TokenError error() {
        return error;
    }
}
