package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.wenzhen.testing.EventSchemas;

/** What the gateway itself puts on Kafka (commands, client quality samples) matches the published schemas. */
class GatewayEventsTest {

    @Test
    void commandsAndClientSamplesMatchTheirSchemas() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("events " + UUID.randomUUID());
        String room = "ev-" + UUID.randomUUID().toString().substring(0, 8);
        try (SignalingClient client = SignalingClient.connect(suite.gatewayWs())) {
            assertTrue(client.login(app.appId(), room, suite.token(app, "doctor_7"), "doctor_7", false).get("ok").asBoolean());
            assertTrue(client.publish("d7_main").get("ok").asBoolean());
            var stats = client.message("stats").put("streamID", "d7_main").put("direction", "publish");
            stats.putObject("stats").put("quality", 4).putObject("video").put("videoBitrate", 812.5).put("videoFPS", 15)
                    .put("frameWidth", 640).put("frameHeight", 480).put("videoPacketsLostRate", 0.01);
            assertTrue(client.request(stats).get("ok").asBoolean());
            assertEquals(10301, client.request(client.message("stats").put("streamID", "d7_main").put("direction", "sideways"))
                    .get("code").asInt());
        }

        List<JsonNode> commands = read(suite, "room-commands", app.appId() + "/" + room, 2);
        List<JsonNode> samples = read(suite, "quality-samples", app.appId() + "/d7_main", 1);
        for (JsonNode event : commands) {
            assertValid(event);
        }
        assertEquals(Set.of("LOGIN", "PUBLISH"), Set.of(commands.get(0).at("/data/kind").asText(),
                commands.get(1).at("/data/kind").asText()));
        assertValid(samples.get(0));
        List<JsonNode> heartbeats = readAny(suite, "gateway-heartbeats");
        assertValid(heartbeats.get(0));
        assertTrue(heartbeats.get(0).at("/data/sessions").asInt() >= 0);
        // the load placement will weigh, in every beat (the schema holds its fields and ranges)
        JsonNode load = heartbeats.get(0).at("/data/load");
        assertTrue(load.path("cores").asInt() >= 1 && load.has("producers") && load.has("packetsPerSecond")
                && !load.path("draining").asBoolean(), heartbeats.get(0).toString());
        assertEquals(812.5, samples.get(0).at("/data/stats/video/videoBitrate").asDouble());
        assertEquals("publish", samples.get(0).at("/data/direction").asText());
    }

    static void assertValid(JsonNode event) throws Exception {
        EventSchemas.assertValid(Suite.JSON.writeValueAsBytes(event));
    }

    /** The first record of a topic, whatever its key. */
    private static List<JsonNode> readAny(Suite suite, String topic) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafka());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "schema-check-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    return List.of(Suite.JSON.readTree(record.value()));
                }
            }
        }
        throw new AssertionError("no record on " + topic);
    }

    /** At least {@code count} records of a key (all that one poll returned with them). */
    static List<JsonNode> read(Suite suite, String topic, String key, int count) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafka());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "schema-check-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<JsonNode> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    if (key.equals(record.key())) {
                        assertEquals("application/cloudevents+json", new String(record.headers().lastHeader("content-type").value()));
                        found.add(Suite.JSON.readTree(record.value()));
                    }
                }
            }
        }
        assertTrue(found.size() >= count, topic + " records for " + key + ": " + found.size() + " of " + count);
        return found;
    }

    /** The first record of a key that matches, waiting up to {@code timeout} for it (from the topic's start). */
    static JsonNode await(Suite suite, String topic, String key, Predicate<JsonNode> matches, Duration timeout) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafka());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "await-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        JsonNode event = Suite.JSON.readTree(record.value());
                        if (matches.test(event)) {
                            return event;
                        }
                    }
                }
            }
        }
        throw new AssertionError("no matching " + topic + " record for " + key + " within " + timeout);
    }
}
