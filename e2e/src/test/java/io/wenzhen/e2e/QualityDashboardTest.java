package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.wenzhen.events.room.RoomEvent;
import io.wenzhen.testing.QualityFeed;

/**
 * quality-service's live dashboard in headless Chromium: connected with a hospital-it JWT, it shows a
 * consultation as its samples arrive (grade, participants, charts drawn from several live updates)
 * and the alert its bad stretch raises. Leaves a screenshot in e2e/target/quality-dashboard.png.
 */
class QualityDashboardTest {

    @Test
    void theDashboardShowsAConsultationLiveWithItsAlert() throws Exception {
        Suite suite = Suite.get();
        long appId = 800_000 + (System.nanoTime() & 0xFFFF);
        String room = "dash-" + UUID.randomUUID().toString().substring(0, 6);
        String jwt = Suite.post(suite.auth("/api/v1/admin/service-tokens"), suite.adminToken,
                Map.of("subject", "hospital-it-dashboard", "roles", List.of("hospital-it"), "appIds",
                        List.of(appId))).get("token").asText();
        Path screenshot = SuiteProcess.ROOT.resolve("e2e/target/quality-dashboard.png");
        Files.deleteIfExists(screenshot);
        Process node = new ProcessBuilder("node", "dashboard.mjs", suite.quality(""), jwt, room, screenshot.toString())
                .directory(SuiteProcess.ROOT.resolve("e2e/browser").toFile()).redirectErrorStream(true).start();
        AtomicBoolean feeding = new AtomicBoolean(true);
        String result = null;
        StringBuilder output = new StringBuilder();
        Thread feeder = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null;) {
                output.append(line).append('\n');
                if (line.equals("READY")) {
                    feeder = Thread.ofPlatform().daemon().start(() -> feed(suite, appId, room, feeding));
                } else if (line.startsWith("RESULT ")) {
                    result = line.substring("RESULT ".length());
                }
            }
        } finally {
            feeding.set(false);
            assertTrue(node.waitFor(2, TimeUnit.MINUTES));
            if (feeder != null) {
                feeder.join(10_000);
            }
        }
        assertTrue(result != null, "no result from the browser (is chromium installed? npm ci in e2e/browser?):\n" + output);
        JsonNode r = Suite.JSON.readTree(result);
        assertTrue(r.path("error").isMissingNode() && r.path("pageErrors").isMissingNode(), r.toString());
        assertTrue(r.at("/room/participants").toString().contains("play patient_1"), r.toString());
        assertTrue(r.at("/room/participants").toString().contains("publish doctor_7"), r.toString());
        assertTrue(r.at("/room/points").asInt() >= 8, "charts drawn from live updates: " + r);
        assertTrue(r.at("/alerts/0").asText().contains("packet-loss"), r.toString());
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot was taken");
        assertEquals(room, r.at("/alerts/0").asText().replaceAll(".*room (\\S+) .*", "$1"));
    }

    /** A consultation whose patient loses 20 % for a while: backdated first (the alert), then live every 500 ms. */
    private static void feed(Suite suite, long appId, String room, AtomicBoolean feeding) {
        String consultation = UUID.randomUUID().toString();
        try (QualityFeed feed = new QualityFeed(suite.kafka())) {
            Instant start = Instant.now().minusSeconds(30);
            feed.roomEvent(RoomEvent.ROOM_CREATED, appId, room, consultation, 1, null, null, null, start);
            feed.roomEvent(RoomEvent.STREAM_ADDED, appId, room, consultation, 2, "doctor_7", null, "cam", start);
            for (int i = 0; i < 10; i++) {
                Instant at = start.plusSeconds(3L * i);
                feed.clientSample(appId, room, "cam", "doctor_7", "publish", at, 900, 0, 20);
                feed.clientSample(appId, room, "cam", "patient_1", "play", at, 700, 0.2, 60);
            }
            feed.flush();
            for (int i = 0; i < 120 && feeding.get(); i++) {
                Instant at = Instant.now();
                feed.clientSample(appId, room, "cam", "doctor_7", "publish", at, 800 + 20 * (i % 10), 0, 20);
                feed.clientSample(appId, room, "cam", "patient_1", "play", at, 600 + 30 * (i % 7), 0.15, 60 + i % 5);
                feed.flush();
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
