package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.wenzhen.devstack.Ports;
import io.wenzhen.devstack.QuarkusService;
import io.wenzhen.events.Topics;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.testing.QualityFeed;

/**
 * quality-service survives losing a replica mid-consultation: two replicas share the analytics' tasks,
 * one is killed (SIGKILL, no goodbye) while six consultations are under way and a new one is started;
 * every consultation's report still counts each sample exactly once, and each bad stretch raised one
 * alert, not two.
 */
class QualityFailoverTest {

    static final int ROOMS = Topics.PARTITIONS;
    static final int SAMPLES = 30;
    /** The analytics' consumer group: its Kafka Streams application id. */
    static final String GROUP = "quality-service";

    @Test
    void aKilledReplicaLosesNoSampleAndDoublesNone() throws Exception {
        Suite suite = Suite.get();
        long appId = 700_000 + (System.nanoTime() & 0xFFFF);
        // one room's stream on each samples partition, so whichever the killed replica holds, it holds streams
        List<String> rooms = new ArrayList<>();
        for (int partition = 0; partition < ROOMS; partition++) {
            String room;
            do {
                room = "fo-" + partition + "-" + UUID.randomUUID().toString().substring(0, 6);
            } while (samplesPartition(appId, room) != partition);
            rooms.add(room);
        }
        Map<String, String> consultations = new HashMap<>();
        Instant t0 = Instant.now().minusSeconds(300);
        QuarkusService doomed = null;
        QuarkusService successor = null;
        try (QualityFeed feed = new QualityFeed(suite.kafka());
                Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafka()))) {
            Set<String> before = members(admin).keySet();
            doomed = replica(suite, "quality-service-2");
            doomed.awaitReady(Duration.ofMinutes(2));
            Set<Integer> doomedPartitions = newMembersSamplePartitions(admin, before, Duration.ofSeconds(60));
            // the kill takes streams with it
            assertTrue(rooms.stream().anyMatch(room -> doomedPartitions.contains(samplesPartition(appId, room))),
                    doomedPartitions.toString());
            for (String room : rooms) {
                String consultation = UUID.randomUUID().toString();
                consultations.put(room, consultation);
                feed.roomEvent(RoomEvent.ROOM_CREATED, appId, room, consultation, 1, null, null, null, t0);
                feed.roomEvent(RoomEvent.USER_JOINED, appId, room, consultation, 2, "doctor_7", "s-d-" + room, null, t0);
                feed.roomEvent(RoomEvent.USER_JOINED, appId, room, consultation, 3, "patient_1", "s-p-" + room, null, t0);
                feed.roomEvent(RoomEvent.STREAM_ADDED, appId, room, consultation, 4, "doctor_7", null, "cam-" + room, t0);
            }
            for (int i = 0; i < SAMPLES; i++) {
                Instant at = t0.plusSeconds(3L + 3L * i);
                double loss = i >= 8 && i < 22 ? 0.25 : 0; // the bad stretch spans the kill
                for (String room : rooms) {
                    feed.clientSample(appId, room, "cam-" + room, "doctor_7", "publish", at, 900, 0, 20);
                    feed.clientSample(appId, room, "cam-" + room, "patient_1", "play", at, 900, loss, 20);
                }
                feed.flush();
                Thread.sleep(150); // samples keep arriving for a few seconds, around the kill
                if (i == SAMPLES / 2) {
                    doomed.process().destroyForcibly();
                    successor = replica(suite, "quality-service-3");
                }
            }
            for (String room : rooms) {
                String consultation = consultations.get(room);
                Instant end = t0.plusSeconds(3L * SAMPLES + 5);
                feed.roomEvent(RoomEvent.USER_LEFT, appId, room, consultation, 5, "patient_1", "s-p-" + room, null, end);
                feed.roomEvent(RoomEvent.USER_LEFT, appId, room, consultation, 6, "doctor_7", "s-d-" + room, null, end);
                feed.roomEvent(RoomEvent.ROOM_CLOSED, appId, room, consultation, 7, null, null, null, end);
            }
            feed.flush();

            Map<String, JsonNode> reports = new HashMap<>();
            List<JsonNode> alerts = new ArrayList<>();
            readCommitted(suite, appId, reports, alerts, Duration.ofSeconds(120));
            assertEquals(ROOMS, reports.size(), "one report per consultation: " + reports.keySet());
            for (String room : rooms) {
                JsonNode report = reports.get(room);
                assertEquals(consultations.get(room), report.path("consultationId").asText());
                for (JsonNode participant : report.at("/streams/0/participants")) {
                    assertEquals(SAMPLES, participant.path("samples").asInt(), room + ": every sample once, across the kill: " + participant);
                }
                long raised = alerts.stream().filter(a -> a.path("roomId").asText().equals(room)
                        && a.path("rule").asText().equals("packet-loss") && a.path("state").asText().equals("raised")).count();
                assertEquals(1, raised, room + ": the bad stretch raised one alert");
            }
        } finally {
            if (doomed != null) {
                doomed.close();
            }
            if (successor != null) {
                successor.close();
            }
        }
    }

    /** Where the producer's default partitioner puts a room's stream's samples (key appId/streamId). */
    private static int samplesPartition(long appId, String room) {
        return Utils.toPositive(Utils.murmur2((appId + "/cam-" + room).getBytes(StandardCharsets.UTF_8))) % Topics.PARTITIONS;
    }

    /** The analytics' group members by client id, with the quality-samples partitions each holds (active tasks). */
    private static Map<String, Set<Integer>> members(Admin admin) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
        Map<String, Set<Integer>> members = new HashMap<>();
        for (MemberDescription member : group.members()) {
            Set<Integer> partitions = new HashSet<>();
            member.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(Topics.QUALITY_SAMPLES))
                    .forEach(tp -> partitions.add(tp.partition()));
            members.put(member.clientId(), partitions);
        }
        return members;
    }

    /** Waits until a member not in {@code before} holds samples partitions, and every member holds some: the new replica's. */
    private static Set<Integer> newMembersSamplePartitions(Admin admin, Set<String> before, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Set<Integer>> members = Map.of();
        while (System.nanoTime() < deadline) {
            members = members(admin);
            Set<Integer> added = members.entrySet().stream().filter(m -> !before.contains(m.getKey())).map(Map.Entry::getValue)
                    .filter(p -> !p.isEmpty()).findFirst().orElse(Set.of());
            if (!added.isEmpty() && members.values().stream().noneMatch(Set::isEmpty)) {
                return added;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the second replica was given no tasks within " + timeout + ": " + members);
    }

    private static QuarkusService replica(Suite suite, String name) throws Exception {
        Map<String, String> env = suite.replicaEnv();
        env.put("WENZHEN_QUALITY_STATE_DIR", suite.data.resolve(name + "-streams").toString());
        return QuarkusService.start("quality-service", QuarkusService.jar(SuiteProcess.ROOT, "quality-service"), Ports.ephemeral(), env,
                suite.data.resolve("logs/" + name + ".log"));
    }

    /** quality-reports and quality-alerts as hospital IT reads them (committed records only), until every report is in. */
    private static void readCommitted(Suite suite, long appId, Map<String, JsonNode> reports, List<JsonNode> alerts, Duration timeout)
            throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafka());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "failover-check-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("quality-reports", "quality-alerts"));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (reports.size() < ROOMS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    if (!record.key().startsWith(appId + "/")) {
                        continue;
                    }
                    JsonNode event = Suite.JSON.readTree(record.value());
                    JsonNode data = event.path("data");
                    if (record.topic().equals("quality-reports")) {
                        assertTrue(reports.put(data.path("roomId").asText(), data) == null, "a second report for " + data.path("roomId"));
                    } else {
                        alerts.add(data);
                    }
                }
            }
            // a little longer: a doubled report or alert would come now
            long settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < settle) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    if (record.key().startsWith(appId + "/")) {
                        JsonNode data = Suite.JSON.readTree(record.value()).path("data");
                        if (record.topic().equals("quality-reports")) {
                            assertTrue(reports.put(data.path("roomId").asText(), data) == null, "a second report for " + data.path("roomId"));
                        } else {
                            alerts.add(data);
                        }
                    }
                }
            }
        }
    }
}
