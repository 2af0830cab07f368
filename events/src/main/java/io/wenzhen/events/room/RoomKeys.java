package io.wenzhen.events.room;

/** Kafka keys of the room topics. */
public final class RoomKeys {

    private RoomKeys() {
    }

    public static String key(long appId, String roomId) {
        return appId + "/" + roomId;
    }
}
