package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.wenzhen.devstack.QuarkusService;

/**
 * A gateway that dies cannot tell anyone its sessions ended; its heartbeats stop, and room-service ends
 * them: the patient on the lost gateway leaves the doctor's room, with their stream. A gateway that
 * was only frozen (a long pause, a partition) wakes to find its sessions ended and tells their clients.
 */
class GatewayLossTest {

    @Test
    void theSessionsOfASilentGatewayEnd() throws Exception {
        Suite suite = Suite.get();
        QuarkusService doomed = secondGateway(suite, "media-gateway-2");
        int port = doomed.port();
        try {
            Suite.App app = suite.createApp("gateway loss");
            String room = "loss-" + UUID.randomUUID().toString().substring(0, 8);
            try (SignalingClient doctor = SignalingClient.connect(suite.gatewayWs());
                    SignalingClient patient = SignalingClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
                assertTrue(doctor.login(app.appId(), room, suite.token(app, "doctor_7"), "doctor_7", true).get("ok").asBoolean());
                assertTrue(patient.login(app.appId(), room, suite.token(app, "patient_1"), "patient_1", true)
                        .get("ok").asBoolean());
                assertTrue(patient.publish("patient_cam").get("ok").asBoolean());
                doctor.awaitEvent("roomStreamUpdate", Map.of("/updateType", "ADD", "/streamList/0/streamID", "patient_cam"));

                long killed = System.nanoTime();
                doomed.process().destroyForcibly(); // SIGKILL: no goodbye from this gateway

                doctor.await(m -> "roomStreamUpdate".equals(m.path("type").asText())
                        && "DELETE".equals(m.path("updateType").asText()), Duration.ofSeconds(60));
                doctor.awaitEvent("roomUserUpdate", Map.of("/updateType", "DELETE", "/userList/0/userID", "patient_1"));
                Duration waited = Duration.ofNanos(System.nanoTime() - killed);
                assertTrue(waited.compareTo(Suite.GATEWAY_TIMEOUT.minusSeconds(5)) >= 0, "not long before the timeout: " + waited);
            }
        } finally {
            doomed.close();
        }
    }

    /**
     * No zombie: a gateway frozen (SIGSTOP) past room-service's timeout has its members ended while its
     * sessions stay open. Woken, it reads their user-left events and kicks those sessions, so the patient
     * hears it is out (instead of a session no room backs) and logs in again on the same connection.
     */
    @Test
    void aGatewayFrozenPastTheTimeoutKicksTheSessionsRoomServiceEnded() throws Exception {
        Suite suite = Suite.get();
        QuarkusService frozen = secondGateway(suite, "media-gateway-frozen");
        int port = frozen.port();
        try {
            Suite.App app = suite.createApp("gateway freeze");
            String room = "freeze-" + UUID.randomUUID().toString().substring(0, 8);
            try (SignalingClient doctor = SignalingClient.connect(suite.gatewayWs());
                    SignalingClient patient = SignalingClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
                assertTrue(doctor.login(app.appId(), room, suite.token(app, "doctor_7"), "doctor_7", true).get("ok").asBoolean());
                String token = suite.token(app, "patient_1");
                assertTrue(patient.login(app.appId(), room, token, "patient_1", true).get("ok").asBoolean());
                doctor.awaitEvent("roomUserUpdate", Map.of("/updateType", "ADD", "/userList/0/userID", "patient_1"));

                signal(frozen, "STOP");
                try {
                    doctor.await(m -> isUserUpdate(m, "DELETE", "patient_1"), Duration.ofSeconds(60));
                } finally {
                    signal(frozen, "CONT");
                }
                JsonNode kicked = patient.await(m -> "kicked".equals(m.path("type").asText()), Duration.ofSeconds(30));
                System.out.println("gateway frozen past the timeout, then woken: its session was told " + kicked);
                assertEquals(room, kicked.path("roomID").asText(), "the session ended in that room: " + kicked);
                assertTrue(kicked.path("code").asInt() > 0, "with the reason's code: " + kicked);

                JsonNode again = patient.login(app.appId(), room, token, "patient_1", true);
                assertTrue(again.get("ok").asBoolean(), "and logs in again: " + again);
                doctor.await(m -> doctor.events("roomUserUpdate").stream().filter(u -> isUserUpdate(u, "ADD", "patient_1")).count() == 2,
                        Duration.ofSeconds(15));
            }
        } finally {
            signal(frozen, "CONT");
            frozen.close();
        }
    }

    /** Another gateway of the suite, on a port of its own, ready. */
    private static QuarkusService secondGateway(Suite suite, String log) throws Exception {
        return Replica.start("media-gateway", "media-gateway", suite.replicaEnv(), suite.data.resolve("logs"), log);
    }

    private static boolean isUserUpdate(JsonNode message, String updateType, String userId) {
        return "roomUserUpdate".equals(message.path("type").asText()) && updateType.equals(message.path("updateType").asText())
                && userId.equals(message.at("/userList/0/userID").asText());
    }

    private static void signal(QuarkusService service, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(service.process().pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }
}
