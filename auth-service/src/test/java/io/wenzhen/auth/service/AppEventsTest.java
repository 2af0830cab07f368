package io.wenzhen.auth.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudevents.CloudEvent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.wenzhen.events.SecretBox;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.testing.EventSchemas;
import io.wenzhen.testing.RealInfrastructure;
import io.wenzhen.testing.RealInfrastructureResource;

/** What a gateway reads from the apps topic, read here from the real broker. */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class AppEventsTest {

    @Test
    void everyChangeReachesTheCompactedAppsTopicWithSealedSecrets() throws Exception {
        String admin = given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", RealInfrastructure.get().bootstrapAdminPassword()))
                .post("/api/v1/admin/login").then().statusCode(200).extract().path("token");
        JsonPath created = given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", "events"))
                .post("/api/v1/apps").then().statusCode(201).extract().jsonPath();
        long appId = created.getLong("appId");
        String secret = created.getString("serverSecret");
        String rotated = given().auth().oauth2(admin).post("/api/v1/apps/" + appId + "/secret/rotate").then()
                .statusCode(200).extract().path("serverSecret");
        given().auth().oauth2(admin).post("/api/v1/apps/" + appId + "/disable").then().statusCode(200);

        List<ConsumerRecord<String, byte[]>> records = readApp(String.valueOf(appId), 3, Duration.ofSeconds(30));

        assertEquals(3, records.size());
        SecretBox cluster = SecretBox.fromKeyFile(RealInfrastructure.get().clusterKey());
        String[] changes = {"created", "secret-rotated", "disabled"};
        for (int i = 0; i < 3; i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            String json = new String(record.value(), StandardCharsets.UTF_8);
            assertFalse(json.contains(secret) || json.contains(rotated), "no plaintext secret on Kafka");
            EventSchemas.assertValid(record.value());
            assertEquals("application/cloudevents+json",
                    new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8));
            CloudEvent event = WenzhenEvents.deserialize(record.value());
            assertEquals("wenzhen.auth.app-updated.v1", event.getType());
            assertEquals(String.valueOf(appId), event.getSubject());
            JsonNode data = WenzhenEvents.data(event);
            assertEquals(changes[i], data.get("change").asText());
            assertEquals(i + 1, data.get("revision").asInt());
        }
        JsonNode first = WenzhenEvents.data(WenzhenEvents.deserialize(records.get(0).value()));
        assertEquals(secret, cluster.open(first.at("/secrets/current").asText(), "app:" + appId));
        assertTrue(first.at("/secrets/previous").isNull());
        JsonNode last = WenzhenEvents.data(WenzhenEvents.deserialize(records.get(2).value()));
        assertEquals("DISABLED", last.get("status").asText());
        assertEquals(rotated, cluster.open(last.at("/secrets/current").asText(), "app:" + appId));
        assertEquals(secret, cluster.open(last.at("/secrets/previous").asText(), "app:" + appId));
        assertNull(tryOpen(cluster, last.at("/secrets/current").asText(), "app:" + (appId + 1)),
                "a sealed secret does not open for another app");

        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                RealInfrastructure.get().kafkaBootstrap()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "apps");
            String policy = kafka.describeConfigs(List.of(topic)).all().get().get(topic).get("cleanup.policy").value();
            assertEquals("compact", policy);
        }
    }

    private static String tryOpen(SecretBox box, String sealed, String owner) {
        try {
            return box.open(sealed, owner);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static List<ConsumerRecord<String, byte[]>> readApp(String key, int count, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealInfrastructure.get().kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("apps"));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }
}
