package io.wenzhen.gateway.edge;

import io.wenzhen.gateway.errors.GatewayError;

/** A mini-program edge connection refused with a documented code (docs/errors.md). */
public final class EdgeRefusal extends RuntimeException {

    private final GatewayError error;

    public EdgeRefusal(GatewayError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public GatewayError error() {
        return error;
    }

    /** What a client reads: the code, the name and the message. */
    public String description() {
        return error.code() + " " + error.name() + ": " + error.message();
    }
}
