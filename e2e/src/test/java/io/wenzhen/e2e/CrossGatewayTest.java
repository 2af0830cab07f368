package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.wenzhen.devstack.QuarkusService;

/**
 * One room, several gateways, at the signaling level (docs/architecture.md, "Placement"): whichever gateway a
 * client reaches, its login is relayed to the room's media home, and its session lives there; a resume
 * through another gateway is relayed too; a home that cannot be reached is replaced at the next login, its
 * members removed; a stranger cannot pose as a relaying gateway.
 */
class CrossGatewayTest {

    @Test
    void clientsOfOneRoomMeetOnItsHomeWhicheverGatewayTheyReach() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("cross gateway");
        String room = "cross-" + UUID.randomUUID().toString().substring(0, 8);
        // a zone of its own: the room the patient asks for there is placed there, and the doctor, who reaches the
        // suite's gateway, is relayed to it
        try (QuarkusService home = gateway(suite, "media-gateway-cross", Map.of("WENZHEN_GATEWAY_ZONE", "zone-cross"))) {
            URI homeWs = URI.create("ws://127.0.0.1:" + home.port() + "/ws");
            try (SignalingClient patient = SignalingClient.connect(homeWs);
                    SignalingClient doctor = SignalingClient.connect(suite.gatewayWs())) {
                JsonNode patientLogin = patient.login(app.appId(), room, suite.token(app, "patient_1"), "patient_1", true);
                assertTrue(patientLogin.path("ok").asBoolean(), patientLogin.toString());
                String homeId = patientLogin.at("/data/gateway").asText();
                awaitHeartbeatOf(suite, homeId);
                Thread.sleep(5000); // and the home the suite gateway's (one heartbeat interval), to list it to clients
                JsonNode doctorLogin = doctor.login(app.appId(), room, suite.token(app, "doctor_7"), "doctor_7", true);
                assertTrue(doctorLogin.path("ok").asBoolean(), doctorLogin.toString());
                assertEquals(homeId, doctorLogin.at("/data/gateway").asText(), "the doctor's session lives on the room's home: " + doctorLogin);
                assertEquals("patient_1", doctorLogin.at("/data/userList/0/userID").asText(), doctorLogin.toString());
                List<?> gateways = Suite.JSON.convertValue(doctorLogin.at("/data/gateways"), List.class);
                assertTrue(gateways.contains(suite.gatewayWs().toString()) && gateways.contains(homeWs.toString()),
                        "the SDK learns every gateway's public address to reconnect through: " + gateways);

                // events both ways through the relay
                patient.awaitEvent("roomUserUpdate", Map.of("/updateType", "ADD", "/userList/0/userID", "doctor_7"));
                assertTrue(doctor.publish("doctor_cam").path("ok").asBoolean());
                patient.awaitEvent("roomStreamUpdate", Map.of("/updateType", "ADD", "/streamList/0/streamID", "doctor_cam"));
                assertTrue(patient.publish("patient_cam").path("ok").asBoolean());
                doctor.awaitEvent("roomStreamUpdate", Map.of("/updateType", "ADD", "/streamList/0/streamID", "patient_cam"));

                // the doctor's network drops; the doctor resumes through the relaying gateway again, which relays the
                // resume to the session's home
                long lastSeq = doctor.lastSeq();
                doctor.drop();
                try (SignalingClient back = SignalingClient.connect(suite.gatewayWs())) {
                    JsonNode resumed = back.request(back.message("resume").put("sessionId", doctorLogin.at("/data/sessionId").asText())
                            .put("resumeToken", doctorLogin.at("/data/resumeToken").asText()).put("lastSeq", lastSeq)
                            .put("gateway", homeId));
                    assertTrue(resumed.path("ok").asBoolean(), "resumed through the relay: " + resumed);
                    assertTrue(patient.request(patient.message("broadcast").put("message", "still there?")).path("ok").asBoolean());
                    back.awaitEvent("IMRecvBroadcastMessage", Map.of("/messageList/0/message", "still there?"));
                }
            }
        }
    }

    @Test
    void aLoginForARoomWhoseHomeIsLostMovesTheRoomAtOnce() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("lost home");
        String room = "lost-" + UUID.randomUUID().toString().substring(0, 8);
        // a zone of its own: the room asked for there stays there
        try (QuarkusService doomed = gateway(suite, "media-gateway-lost-home", Map.of("WENZHEN_GATEWAY_ZONE", "zone-of-the-doomed"))) {
            String home;
            try (SignalingClient patient = SignalingClient.connect(URI.create("ws://127.0.0.1:" + doomed.port() + "/ws"))) {
                JsonNode login = patient.login(app.appId(), room, suite.token(app, "patient_1"), "patient_1", true);
                assertTrue(login.path("ok").asBoolean(), login.toString());
                home = login.at("/data/gateway").asText();
                assertTrue(patient.publish("patient_cam").path("ok").asBoolean());
                awaitHeartbeatOf(suite, home); // the suite's gateway knows where the home is, so the relay is tried

                Instant killed = Instant.now();
                doomed.process().destroyForcibly(); // SIGKILL: its heartbeats stop only after room-service's timeout
                doomed.process().onExit().get();
                try (SignalingClient doctor = SignalingClient.connect(suite.gatewayWs())) {
                    JsonNode doctorLogin = doctor.login(app.appId(), room, suite.token(app, "doctor_7"), "doctor_7", true);
                    Duration took = Duration.between(killed, Instant.now());
                    assertTrue(doctorLogin.path("ok").asBoolean(), doctorLogin.toString());
                    assertNotEquals(home, doctorLogin.at("/data/gateway").asText(), "the room moved: " + doctorLogin);
                    assertTrue(doctorLogin.at("/data/userList").isEmpty(), "the lost home's members are gone: " + doctorLogin);
                    assertTrue(doctorLogin.at("/data/streamList").isEmpty(), doctorLogin.toString());
                    assertTrue(took.compareTo(Suite.GATEWAY_TIMEOUT) < 0, "well before the heartbeat timeout: " + took);
                    System.out.println("a room whose home was SIGKILLed: the next login moved it in " + took.toMillis() + " ms");
                }
            }
            List<JsonNode> events = GatewayEventsTest.read(suite, "room-events", app.appId() + "/" + room, 6);
            assertTrue(events.stream().anyMatch(e -> e.path("type").asText().equals("wenzhen.room.user-left.v1")
                    && e.at("/data/user/userId").asText().equals("patient_1") && e.at("/data/reason").asText().equals("gateway-lost")),
                    "the patient left with the lost home: " + events);
            assertTrue(events.stream().noneMatch(e -> e.path("type").asText().equals("wenzhen.room.room-closed.v1")),
                    "the consultation goes on: " + events);
        }
    }

    @Test
    void aStrangerCannotPoseAsARelayingGateway() throws Exception {
        Suite suite = Suite.get();
        Map<String, String> forged = new HashMap<>();
        forged.put("Wenzhen-Relay-From", "gateway-9");
        forged.put("Wenzhen-Relay-Time", Long.toString(Instant.now().getEpochSecond()));
        forged.put("Wenzhen-Relay-Origin", "https://hospital.example");
        forged.put("Wenzhen-Relay-Address", "203.0.113.7");
        forged.put("Wenzhen-Relay-Signature", "00".repeat(32));
        try (SignalingClient stranger = SignalingClient.connectWith(suite.gatewayWs(), forged)) {
            JsonNode refused = stranger.await(m -> "reply".equals(m.path("type").asText()), Duration.ofSeconds(5));
            assertEquals(10326, refused.path("code").asInt(), refused.toString());
            assertTrue(stranger.events("hello").isEmpty(), "no hello for a forged relay");
        }
    }

    /** Waits until the suite's gateway has surely heard {@code gateway}'s heartbeat (one beat interval after it is seen on Kafka). */
    private static void awaitHeartbeatOf(Suite suite, String gateway) throws Exception {
        GatewayEventsTest.read(suite, "gateway-heartbeats", gateway, 1);
        Thread.sleep(1000);
    }

    private static QuarkusService gateway(Suite suite, String log, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(suite.replicaEnv());
        env.putAll(extra);
        return Replica.start("media-gateway", "media-gateway", env, suite.data.resolve("logs"), log);
    }
}
