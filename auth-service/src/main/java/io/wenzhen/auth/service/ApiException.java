package io.wenzhen.auth.service;

/** A refused request; the message is safe to show (never a secret, token or password). */
public final class ApiException extends RuntimeException {

    private final ApiError error;

    public ApiException(ApiError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
