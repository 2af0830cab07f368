package io.wenzhen.room.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.cloudevents.CloudEvent;
import io.wenzhen.events.GatewayHeartbeat;
import io.wenzhen.events.GatewayLoad;
import io.wenzhen.events.Topics;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.events.room.RoomKeys;
import io.wenzhen.testing.EventSchemas;
import io.wenzhen.testing.KafkaTopicReader;
import io.wenzhen.testing.RealInfrastructure;

/**
 * Plays a gateway against the real room-service: sends commands on room-commands exactly as a gateway
 * does and reads room-events, validating every event against its published schema.
 */
final class RoomDriver {

    static final KafkaTopicReader EVENTS = new KafkaTopicReader(Topics.ROOM_EVENTS);
    private static final KafkaProducer<String, byte[]> PRODUCER = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructure.get().kafkaBootstrap(),
            ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());

    final long appId = 1_000_000_000L + new Random().nextInt(1_000_000_000);

    static RoomCommand.Grant grant(String userId) {
        return new RoomCommand.Grant(userId, true, true, "", List.of());
    }

    RoomCommand command(RoomCommand.Kind kind, String roomId, String userId, String session) {
        return new RoomCommand(UUID.randomUUID().toString(), kind, appId, roomId, session, "gw-test", userId,
                "name of " + userId, null, null, null, null, grant(userId));
    }

    RoomEvent login(String roomId, String userId, String session) {
        return send(command(RoomCommand.Kind.LOGIN, roomId, userId, session));
    }

    RoomEvent publish(String roomId, String userId, String session, String streamId) {
        RoomCommand c = command(RoomCommand.Kind.PUBLISH, roomId, userId, session);
        return send(new RoomCommand(c.commandId(), c.kind(), appId, roomId, session, c.gatewayId(), userId, null, null,
                streamId, "{\"camera\":\"front\"}", null, c.grant()));
    }

    /** Sends a command and waits for its command-result. */
    RoomEvent send(RoomCommand command) {
        sendOnly(command);
        PRODUCER.flush();
        ConsumerRecord<String, byte[]> result = EVENTS.await(r -> r.key().equals(command.key())
                && type(r).equals(RoomEvent.COMMAND_RESULT) && data(r).commandId().equals(command.commandId()), 1,
                Duration.ofSeconds(20)).get(0);
        return data(result);
    }

    /**
     * A heartbeat of a gateway that holds these sessions: busy (CPU 0.9), so that no other test's room is placed
     * on it while it counts as alive.
     */
    void heartbeat(String gatewayId, List<String> liveSessions) {
        GatewayHeartbeat beat = new GatewayHeartbeat(gatewayId, liveSessions.size(), liveSessions.size(), Instant.now(),
                liveSessions, new GatewayLoad(0, 0, 0, 0, 0.9, 2, null, false), "ws://192.0.2.1:8080/ws", "wss://rtc.example/ws");
        byte[] event = WenzhenEvents.serialize(WenzhenEvents.create(GatewayHeartbeat.TYPE, "/media-gateway/" + gatewayId,
                gatewayId, beat));
        EventSchemas.assertValid(event);
        PRODUCER.send(new ProducerRecord<>(Topics.GATEWAY_HEARTBEATS, gatewayId, event));
        PRODUCER.flush();
    }

    /** Sends a command without waiting for anything (call {@link #flush()} after a burst). */
    void sendOnly(RoomCommand command) {
        byte[] event = WenzhenEvents.serialize(WenzhenEvents.create(RoomCommand.TYPE, "/media-gateway/gw-test",
                command.key(), command));
        EventSchemas.assertValid(event);
        PRODUCER.send(new ProducerRecord<>(Topics.ROOM_COMMANDS, command.key(), event));
    }

    void flush() {
        PRODUCER.flush();
    }

    /** The ids of these commands that have a command-result so far. */
    Set<String> answered(Collection<RoomCommand> commands) {
        Set<String> ids = new HashSet<>();
        commands.forEach(c -> ids.add(c.commandId()));
        Set<String> found = new HashSet<>();
        EVENTS.matching(r -> type(r).equals(RoomEvent.COMMAND_RESULT) && ids.contains(data(r).commandId()))
                .forEach(r -> found.add(data(r).commandId()));
        return found;
    }

    /** The state events of a room so far (not command results), in order, each checked against its schema. */
    List<CloudEvent> stateEvents(String roomId) {
        String key = RoomKeys.key(appId, roomId);
        return EVENTS.matching(r -> r.key().equals(key) && !type(r).equals(RoomEvent.COMMAND_RESULT)).stream()
                .peek(r -> EventSchemas.assertValid(r.value()))
                .map(r -> WenzhenEvents.deserialize(r.value())).toList();
    }

    List<String> types(String roomId) {
        return stateEvents(roomId).stream().map(CloudEvent::getType).toList();
    }

    static String type(ConsumerRecord<String, byte[]> record) {
        return WenzhenEvents.deserialize(record.value()).getType();
    }

    static RoomEvent data(ConsumerRecord<String, byte[]> record) {
        return WenzhenEvents.data(WenzhenEvents.deserialize(record.value()), RoomEvent.class);
    }

    static RoomEvent data(CloudEvent event) {
        return WenzhenEvents.data(event, RoomEvent.class);
    }
}
