package io.wenzhen.events.room;

/** Kafka keys of the room topics. */
public final class RoomKeys {

    private RoomKeys() {
    }

    public static String key(long appId, String roomId) {
        return appId + "/" + roomId;
    }

    /** The AppID of a room key ({@code appId/roomId}); -1 when it has none. */
    public static long appId(String key) {
        int slash = key.indexOf('/');
        try {
            return slash > 0 ? Long.parseLong(key, 0, slash, 10) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
