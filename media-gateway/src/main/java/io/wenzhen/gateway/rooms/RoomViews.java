package io.wenzhen.gateway.rooms;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/** The {@link RoomView}s of rooms that have sessions on this gateway, by room key. */
@ApplicationScoped
public class RoomViews {

    private final Map<String, RoomView> views = new ConcurrentHashMap<>();

    public RoomView of(String roomKey) {
        return views.computeIfAbsent(roomKey, key -> new RoomView());
    }

    public RoomView find(String roomKey) {
        return views.get(roomKey);
    }

    public void drop(String roomKey) {
        views.remove(roomKey);
    }
}
