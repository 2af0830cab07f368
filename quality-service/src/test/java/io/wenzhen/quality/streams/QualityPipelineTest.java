package io.wenzhen.quality.streams;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wenzhen.events.Topics;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.testing.EventSchemas;
import io.wenzhen.testing.GrafanaDashboards;
import io.wenzhen.testing.KafkaTopicReader;
import io.wenzhen.testing.QualityFeed;
import io.wenzhen.testing.RealInfrastructure;
import io.wenzhen.testing.RealInfrastructureResource;
import io.wenzhen.testing.TestJwts;

/**
 * A generated consultation through the real pipeline (Kafka Streams on a real broker, reports and
 * alerts into a real PostgreSQL): a doctor publishes, a patient plays, the patient's downlink loses 20 %
 * for half a minute; the alert is raised once and recovers, and after the room closes the report has
 * every sample counted once, the alert, and is served by the REST API.
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class QualityPipelineTest {

    static final long APP = 424242;

    @Test
    void aBadStretchRaisesAnAlertThatRecoversAndTheReportCountsEverySample() throws Exception {
        String room = "pipe-" + UUID.randomUUID().toString().substring(0, 8);
        String consultation = UUID.randomUUID().toString();
        String key = APP + "/" + room;
        Instant t0 = Instant.now().minusSeconds(120);
        int samples = 31; // every 3 s over 90 s
        try (QualityFeed feed = new QualityFeed(RealInfrastructure.get().kafkaBootstrap());
                KafkaTopicReader alerts = new KafkaTopicReader(Topics.QUALITY_ALERTS);
                KafkaTopicReader reports = new KafkaTopicReader(Topics.QUALITY_REPORTS);
                KafkaTopicReader windows = new KafkaTopicReader(Topics.QUALITY_WINDOWS);
                KafkaTopicReader status = new KafkaTopicReader(Topics.QUALITY_STATUS)) {
            feed.roomEvent(RoomEvent.ROOM_CREATED, APP, room, consultation, 1, null, null, null, t0);
            feed.roomEvent(RoomEvent.USER_JOINED, APP, room, consultation, 2, "doctor_7", "s-doctor", null, t0);
            feed.roomEvent(RoomEvent.USER_JOINED, APP, room, consultation, 3, "patient_1", "s-patient", null, t0.plusSeconds(1));
            feed.roomEvent(RoomEvent.STREAM_ADDED, APP, room, consultation, 4, "doctor_7", null, "doctor_cam", t0.plusSeconds(2));
            for (int i = 0; i < samples; i++) {
                Instant at = t0.plusSeconds(3L + 3L * i);
                double loss = i >= 10 && i < 20 ? 0.2 : 0.0; // from 33 s to 60 s
                feed.clientSample(APP, room, "doctor_cam", "doctor_7", "publish", at, 900, 0, 20);
                feed.serverSample(APP, room, "doctor_cam", "doctor_7", "publish", at, 880, 0);
                feed.clientSample(APP, room, "doctor_cam", "patient_1", "play", at, 850, loss, 20);
                if (i == 5) {
                    feed.raw(Topics.QUALITY_SAMPLES, APP + "/doctor_cam", "{not a cloud event"); // refused, costs nothing
                }
            }
            feed.roomEvent(RoomEvent.USER_LEFT, APP, room, consultation, 5, "patient_1", "s-patient", null, t0.plusSeconds(95));
            feed.roomEvent(RoomEvent.USER_LEFT, APP, room, consultation, 6, "doctor_7", "s-doctor", null, t0.plusSeconds(96));
            feed.roomEvent(RoomEvent.ROOM_CLOSED, APP, room, consultation, 7, null, null, null, t0.plusSeconds(96));
            feed.flush();

            List<JsonNode> lossAlerts = alerts.await(r -> key.equals(r.key()) && data(r).path("rule").asText().equals("packet-loss"), 2,
                    Duration.ofSeconds(90)).stream().map(QualityPipelineTest::data).toList();
            assertEquals(List.of("raised", "recovered"), lossAlerts.stream().map(a -> a.path("state").asText()).toList());
            JsonNode raised = lossAlerts.get(0);
            assertEquals(raised.path("alertId"), lossAlerts.get(1).path("alertId"), "one alert from raise to recovery");
            assertEquals("patient_1", raised.path("userId").asText());
            assertEquals("play", raised.path("side").asText());
            assertEquals("doctor_7", raised.path("publisherUserId").asText());
            assertTrue(raised.path("value").asDouble() > 0.1, raised.toString());
            assertTrue(alerts.matching(r -> key.equals(r.key()) && data(r).path("userId").asText().equals("doctor_7")).isEmpty(),
                    "the doctor's uplink was fine all along");

            JsonNode report = data(reports.await(r -> key.equals(r.key()), 1, Duration.ofSeconds(60)).get(0));
            assertEquals(consultation, report.path("consultationId").asText());
            assertEquals(96, report.path("durationSeconds").asLong());
            assertEquals("room-closed", report.path("ending").asText());
            assertTrue(report.path("complete").asBoolean(), "every participant's last window was in");
            assertTrue(report.path("poor").asBoolean(), "an alert makes it a consultation with poor quality");
            JsonNode stream = report.path("streams").get(0);
            assertEquals("doctor_cam", stream.path("streamId").asText());
            assertEquals("doctor_7", stream.path("publisherUserId").asText());
            long playSamples = 0;
            long publishSamples = 0;
            for (JsonNode participant : stream.path("participants")) {
                if (participant.path("side").asText().equals("play")) {
                    playSamples = participant.path("samples").asLong();
                    assertTrue(participant.path("worstWindows").get(0).at("/figures/grade").asInt() >= 3, participant.toString());
                    assertTrue(participant.at("/averages/videoKbps").asDouble() > 800, participant.toString());
                } else {
                    publishSamples = participant.path("samples").asLong();
                    assertEquals(0, participant.at("/grades/4").asLong(), participant.toString());
                }
            }
            assertEquals(samples, playSamples, "every sample of the patient counted once");
            assertEquals(2L * samples, publishSamples, "the doctor's own and the gateway's, each once");
            assertEquals(2, report.path("participants").size());
            assertTrue(report.path("alerts").toString().contains("packet-loss"), report.toString());

            // every event quality-service wrote matches its schema
            for (KafkaTopicReader reader : List.of(alerts, reports, windows, status)) {
                for (ConsumerRecord<String, byte[]> record : reader.matching(r -> r.key().startsWith(APP + "/"))) {
                    EventSchemas.assertValid(record.value());
                }
            }
        }

        // stored, and served to hospital IT
        String jwt = TestJwts.hospitalIt(APP);
        JsonNode stored = null;
        for (int i = 0; i < 100 && stored == null; i++) {
            String body = given().auth().oauth2(jwt).get("/api/v1/quality/reports/" + consultation).then().extract().asString();
            if (body.contains("consultationId")) {
                stored = new ObjectMapper().readTree(body);
            } else {
                Thread.sleep(100);
            }
        }
        assertTrue(stored != null && stored.path("poor").asBoolean() && stored.path("complete").asBoolean(), "the report is stored: " + stored);
        given().auth().oauth2(jwt).queryParam("appId", APP).get("/api/v1/quality/alerts").then().statusCode(200)
                .body("find { it.rule == 'packet-loss' && it.roomId == '" + room + "' }.state", equalTo("recovered"));
        given().auth().oauth2(jwt).queryParam("from", Instant.now().minus(Duration.ofDays(2)).toString())
                .get("/api/v1/quality/apps/" + APP + "/daily").then().statusCode(200).body("[0].consultations", Matchers.greaterThanOrEqualTo(1));
        given().auth().oauth2(jwt).get("/api/v1/quality/reports/" + UUID.randomUUID()).then().statusCode(404).body("code", equalTo(10502));
        // another hospital's IT: this app's report reads as absent, its lists and live view are refused or empty
        String other = TestJwts.hospitalIt(APP + 1);
        given().auth().oauth2(other).get("/api/v1/quality/reports/" + consultation).then().statusCode(404).body("code", equalTo(10502));
        given().auth().oauth2(other).queryParam("appId", APP).get("/api/v1/quality/alerts").then().statusCode(403)
                .body("code", equalTo(10505));
        given().auth().oauth2(other).get("/api/v1/quality/apps/" + APP + "/daily").then().statusCode(403);
        given().auth().oauth2(other).get("/api/v1/quality/live").then().statusCode(200)
                .body("rooms.findAll { it.appId == " + APP + " }", Matchers.empty());
        given().auth().oauth2(jwt).queryParam("appId", APP).queryParam("from", "yesterday").get("/api/v1/quality/reports").then()
                .statusCode(400).body("code", equalTo(10501));
        given().auth().oauth2(TestJwts.withRoles("service")).get("/api/v1/quality/live").then().statusCode(403);
        given().get("/api/v1/quality/live").then().statusCode(401);
        // every quality metric the Grafana dashboard (k8s/components/monitoring/dashboards) queries exists, now that each has happened
        GrafanaDashboards.assertServed("wenzhen_quality_");
    }

    static JsonNode data(ConsumerRecord<String, byte[]> record) {
        return WenzhenEvents.data(WenzhenEvents.deserialize(record.value()));
    }
}
