package io.wenzhen.room.messaging;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.events.room.RoomKeys;

/** {@link RoomDriver} for tests in other packages. */
public final class RoomDriverAccess {

    private final RoomDriver driver = new RoomDriver();

    public long appId() {
        return driver.appId;
    }

    public RoomEvent login(String room, String user, String session) {
        return driver.login(room, user, session);
    }

    public RoomEvent publish(String room, String user, String session, String stream) {
        return driver.publish(room, user, session, stream);
    }

    public List<String> types(String room) {
        return driver.types(room);
    }

    /**
     * Waits until the room has had {@code count} events of {@code type} (admin changes reach Kafka
     * through the outbox, a moment after the answer) and returns the latest of them.
     */
    public RoomEvent await(String room, String type, int count) {
        String key = RoomKeys.key(driver.appId, room);
        List<ConsumerRecord<String, byte[]>> found = RoomDriver.EVENTS.await(
                r -> r.key().equals(key) && RoomDriver.type(r).equals(type), count, Duration.ofSeconds(10));
        return RoomDriver.data(found.get(found.size() - 1));
    }
}
