package io.wenzhen.room.service;

import io.wenzhen.events.room.RoomError;

/** An admin request refused for a documented reason. */
public final class RoomRefusal extends RuntimeException {

    private final RoomError error;

    public RoomRefusal(RoomError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public RoomError error() {
        return error;
    }
}
