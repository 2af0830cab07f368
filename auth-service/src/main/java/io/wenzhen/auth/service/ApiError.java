package io.wenzhen.auth.service;

/** Errors of auth-service's REST API besides token refusals; codes documented in docs/errors.md. */
public enum ApiError {
    INVALID_REQUEST(10001, 400),
    ADMIN_CREDENTIALS_INVALID(10002, 401),
    APP_CREDENTIALS_INVALID(10003, 401),
    APP_NOT_FOUND(10004, 404),
    APP_DISABLED(10005, 403),
    ADMIN_LOGIN_THROTTLED(10006, 429);

    private final int code;
    private final int httpStatus;

    ApiError(int code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public int code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
