package io.wenzhen.gateway.errors;

/** A request refused with a documented code; becomes the error reply to the client's message. */
public final class SignalingException extends RuntimeException {

    private final int code;
    private final String error;

    public SignalingException(int code, String error, String message) {
        super(message, null, false, false);
        this.code = code;
        this.error = error;
    }

    public SignalingException(GatewayError error) {
        this(error.code(), error.name(), error.message());
    }

    public SignalingException(GatewayError error, String detail) {
        this(error.code(), error.name(), detail);
    }

    public int code() {
        return code;
    }

    public String error() {
        return error;
    }
}
