package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.wenzhen.devstack.Ports;
import io.wenzhen.devstack.QuarkusService;

/**
 * A gateway that dies cannot tell anyone its sessions ended; its heartbeats stop, and room-service ends
 * them: the patient on the lost gateway leaves the doctor's room, with their stream.
 */
class GatewayLossTest {

    @Test
    void theSessionsOfASilentGatewayEnd() throws Exception {
        Suite suite = Suite.get();
        int port = Ports.ephemeral();
        QuarkusService doomed = QuarkusService.start("media-gateway", QuarkusService.jar(SuiteProcess.ROOT, "media-gateway"),
                port, suite.replicaEnv(), suite.data.resolve("logs/media-gateway-2.log"));
        try {
            doomed.awaitReady(Duration.ofMinutes(2));
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
}
