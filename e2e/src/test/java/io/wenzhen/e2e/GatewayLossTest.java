package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.wenzhen.devstack.QuarkusService;

/**
 * A gateway that dies cannot tell anyone its sessions ended; its heartbeats stop, and room-service ends
 * them: the patient on the lost gateway leaves the room, with their stream. A gateway that was only frozen
 * (a long pause, a partition) wakes to find its sessions ended and tells their clients. Each room here is
 * asked for on the doomed gateway first, in a zone of its own, so it is that room's home (a client of the
 * room reaching another gateway would be relayed there, and die with it): nobody logs in again, so nothing
 * moves the room sooner than the heartbeat timeout.
 */
class GatewayLossTest {

    @Test
    void theSessionsOfASilentGatewayEnd() throws Exception {
        Suite suite = Suite.get();
        QuarkusService doomed = secondGateway(suite, "media-gateway-2");
        try {
            Suite.App app = suite.createApp("gateway loss");
            String room = "loss-" + UUID.randomUUID().toString().substring(0, 8);
            try (SignalingClient patient = SignalingClient.connect(URI.create("ws://127.0.0.1:" + doomed.port() + "/ws"))) {
                assertTrue(patient.login(app.appId(), room, suite.token(app, "patient_1"), "patient_1", true)
                        .get("ok").asBoolean());
                assertTrue(patient.publish("patient_cam").get("ok").asBoolean());

                long killed = System.nanoTime();
                doomed.process().destroyForcibly(); // SIGKILL: no goodbye from this gateway
                // nobody can see it from inside the room (every member was on the doomed home): room-events tell
                GatewayEventsTest.await(suite, "room-events", app.appId() + "/" + room, GatewayLossTest::gatewayLost, Duration.ofSeconds(60));
                Duration waited = Duration.ofNanos(System.nanoTime() - killed);
                assertTrue(waited.compareTo(Suite.GATEWAY_TIMEOUT.minusSeconds(5)) >= 0, "not long before the timeout: " + waited);
            }
            List<JsonNode> events = GatewayEventsTest.read(suite, "room-events", app.appId() + "/" + room, 6);
            assertTrue(events.stream().anyMatch(e -> e.path("type").asText().equals("wenzhen.room.stream-removed.v1")
                    && e.at("/data/stream/streamId").asText().equals("patient_cam")), "the stream ended: " + events);
            assertTrue(events.stream().anyMatch(e -> e.path("type").asText().equals("wenzhen.room.room-closed.v1")),
                    "the room closed with its last member: " + events);
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
            try (SignalingClient patient = SignalingClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
                String token = suite.token(app, "patient_1");
                assertTrue(patient.login(app.appId(), room, token, "patient_1", true).get("ok").asBoolean());

                signal(frozen, "STOP");
                try {
                    GatewayEventsTest.await(suite, "room-events", app.appId() + "/" + room, GatewayLossTest::gatewayLost,
                            Duration.ofSeconds(60)); // room-service ended the frozen gateway's member
                } finally {
                    signal(frozen, "CONT");
                }
                JsonNode kicked = patient.await(m -> "kicked".equals(m.path("type").asText()), Duration.ofSeconds(30));
                System.out.println("gateway frozen past the timeout, then woken: its session was told " + kicked);
                assertEquals(room, kicked.path("roomID").asText(), "the session ended in that room: " + kicked);
                assertTrue(kicked.path("code").asInt() > 0, "with the reason's code: " + kicked);

                JsonNode again = patient.login(app.appId(), room, token, "patient_1", true);
                assertTrue(again.get("ok").asBoolean(), "and logs in again: " + again);
            }
        } finally {
            signal(frozen, "CONT");
            frozen.close();
        }
    }

    /** A member left with its gateway (room-service's admin API may be another replica's by now: the events tell). */
    private static boolean gatewayLost(JsonNode event) {
        return event.path("type").asText().equals("wenzhen.room.user-left.v1") && event.at("/data/reason").asText().equals("gateway-lost");
    }

    /** Another gateway of the suite, on a port of its own, ready. */
    private static QuarkusService secondGateway(Suite suite, String log) throws Exception {
        Map<String, String> env = suite.replicaEnv();
        env.put("WENZHEN_GATEWAY_ZONE", "zone-" + log); // a zone of its own: rooms asked for there stay there
        return Replica.start("media-gateway", "media-gateway", env, suite.data.resolve("logs"), log);
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
