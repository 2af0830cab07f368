package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import io.cloudevents.CloudEvent;
import io.wenzhen.devstack.QuarkusService;
import io.wenzhen.events.Topics;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.room.RoomEvent;

/**
 * Two room-service replicas on one Kafka and one PostgreSQL; one stops in the middle of consultations.
 * Its rooms move to the other: every request still succeeds, and each room's events are numbered
 * 1..n with nothing lost and nothing repeated.
 */
class RoomServiceFailoverTest {

    static final int ROOMS = 6;
    /** mp.messaging.incoming.room-commands.concurrency in room-service: consumers per replica. */
    static final int CONSUMERS_PER_REPLICA = 1;

    @Test
    void roomsMoveToTheOtherReplicaWithNoEventLostOrRepeated() throws Exception {
        Suite suite = Suite.get();
        QuarkusService second = startSecondReplica(suite);
        Map<String, Set<Integer>> before = awaitGroupMembers(suite, 2 * CONSUMERS_PER_REPLICA);

        Suite.App app = suite.createApp("failover");
        List<String> rooms = new ArrayList<>();
        Map<String, SignalingClient[]> clients = new LinkedHashMap<>();
        for (int i = 0; i < ROOMS; i++) {
            String room = "failover-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
            rooms.add(room);
            SignalingClient doctor = login(suite, app, room, "doctor_" + i);
            SignalingClient patient = login(suite, app, room, "patient_" + i);
            assertTrue(doctor.publish("d" + i).get("ok").asBoolean());
            clients.put(room, new SignalingClient[] {doctor, patient});
        }

        ProcessHandle first = suite.process.descendants().stream()
                .filter(p -> p.info().commandLine().orElse("").contains("room-service/target/quarkus-app"))
                .findFirst().orElseThrow();
        first.destroy(); // SIGTERM: a rolling update, a node drained
        assertTrue(first.onExit().get(60, TimeUnit.SECONDS) != null);
        // the partitions of the member that is gone were the stopped replica's: some of our rooms were there
        Set<String> survivors = awaitGroupMembers(suite, CONSUMERS_PER_REPLICA).keySet();
        Set<Integer> moved = before.entrySet().stream().filter(e -> !survivors.contains(e.getKey()))
                .flatMap(e -> e.getValue().stream()).collect(Collectors.toSet());
        assertTrue(rooms.stream().anyMatch(room -> moved.contains(partition(app.appId() + "/" + room))),
                "no room of this test lived on the stopped replica: " + moved);

        for (int i = 0; i < ROOMS; i++) {
            SignalingClient[] pair = clients.get(rooms.get(i));
            assertTrue(pair[1].publish("p" + i).get("ok").asBoolean(), "publish after the failover");
            assertTrue(pair[1].request(pair[1].message("broadcast").put("message", "still here")).get("ok").asBoolean());
            assertTrue(pair[0].request(pair[0].message("logout")).get("ok").asBoolean());
            assertTrue(pair[1].request(pair[1].message("logout")).get("ok").asBoolean());
            pair[0].close();
            pair[1].close();
        }

        Map<String, List<CloudEvent>> byRoom = readRoomEvents(suite, app.appId(), rooms, 11);
        for (String room : rooms) {
            List<CloudEvent> events = byRoom.get(room);
            List<Long> seqs = events.stream().map(e -> WenzhenEvents.data(e, RoomEvent.class).seq()).toList();
            assertEquals(LongStream.rangeClosed(1, 11).boxed().toList(), seqs, room + ": " + types(events));
            assertEquals(List.of(RoomEvent.ROOM_CREATED, RoomEvent.USER_JOINED, RoomEvent.USER_JOINED, RoomEvent.STREAM_ADDED,
                    RoomEvent.STREAM_ADDED, RoomEvent.BROADCAST_MESSAGE, RoomEvent.STREAM_REMOVED, RoomEvent.USER_LEFT,
                    RoomEvent.STREAM_REMOVED, RoomEvent.USER_LEFT, RoomEvent.ROOM_CLOSED), types(events));
        }
        // the surviving replica answers for the rooms' records too
        String records = "http://127.0.0.1:" + second.port() + "/api/v1/apps/" + app.appId() + "/consultations";
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(records))
                        .header("authorization", "Bearer " + suite.adminToken).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(ROOMS, Suite.JSON.readTree(response.body()).size());
    }

    private static List<String> types(List<CloudEvent> events) {
        return events.stream().map(CloudEvent::getType).toList();
    }

    private static SignalingClient login(Suite suite, Suite.App app, String room, String user) throws Exception {
        SignalingClient client = SignalingClient.connect(suite.gatewayWs());
        var reply = client.login(app.appId(), room, suite.token(app, user), user, true);
        assertTrue(reply.get("ok").asBoolean(), () -> user + " could not log into " + room + ": " + reply);
        return client;
    }

    /** A second room-service with the suite's Kafka, database and keys; it keeps running for the other tests. */
    private static QuarkusService startSecondReplica(Suite suite) throws Exception {
        Map<String, String> env = suite.replicaEnv();
        QuarkusService replica = Replica.start("room-service-2", "room-service", env, suite.data.resolve("logs"), "room-service-2");
        Runtime.getRuntime().addShutdownHook(new Thread(replica::close));
        return replica;
    }

    /** The partition Kafka's default partitioner gives a key (murmur2, as the producers use). */
    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(
                key.getBytes(StandardCharsets.UTF_8))) % Topics.PARTITIONS;
    }

    /** Waits for the room-service group to have this many members, each with partitions; their assignments by member id. */
    private static Map<String, Set<Integer>> awaitGroupMembers(Suite suite, int members) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", suite.kafka()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                var group = admin.describeConsumerGroups(List.of("room-service")).all().get().get("room-service");
                if (group.members().size() == members
                        && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    Map<String, Set<Integer>> assignment = new HashMap<>();
                    group.members().forEach(m -> assignment.put(m.consumerId(), m.assignment().topicPartitions().stream()
                            .map(TopicPartition::partition).collect(Collectors.toSet())));
                    return assignment;
                }
                Thread.sleep(250);
            }
            throw new AssertionError("room-service did not reach " + members + " members with partitions");
        }
    }

    private static void collect(KafkaConsumer<String, byte[]> consumer, long appId, Map<String, List<CloudEvent>> byRoom) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
            List<CloudEvent> room = byRoom.get(record.key().substring(record.key().indexOf('/') + 1));
            if (room != null && record.key().startsWith(appId + "/")) {
                CloudEvent event = WenzhenEvents.deserialize(record.value());
                if (!RoomEvent.COMMAND_RESULT.equals(event.getType())) {
                    room.add(event);
                }
            }
        }
    }

    private static Map<String, List<CloudEvent>> readRoomEvents(Suite suite, long appId, List<String> rooms, int each) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafka());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "failover-check-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, List<CloudEvent>> byRoom = new LinkedHashMap<>();
        rooms.forEach(room -> byRoom.put(room, new ArrayList<>()));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("room-events"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && byRoom.values().stream().anyMatch(list -> list.size() < each)) {
                collect(consumer, appId, byRoom);
            }
            // a little longer: a repeat would arrive after the last expected event
            for (int i = 0; i < 3; i++) {
                collect(consumer, appId, byRoom);
            }
        }
        return byRoom;
    }
}
