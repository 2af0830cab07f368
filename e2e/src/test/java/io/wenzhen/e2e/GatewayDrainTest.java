package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A gateway drained before it stops (the Kubernetes preStop): not ready at once, no new rooms (10325),
 * its own rooms still joinable, and the drain answered when its last session ends — or at the grace
 * with the sessions still there.
 */
class GatewayDrainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aDrainingGatewayIsNotReadyTakesNoNewRoomsAndAnswersWhenItsLastSessionEnds() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("drain");
        HostileClientTest.withGateway(Map.of("WENZHEN_GATEWAY_DRAIN_GRACE", "PT60S", "WENZHEN_GATEWAY_DRAIN_SETTLE", "PT2S"), "drain", base -> {
            URI ws = URI.create(base.replace("http", "ws") + "/ws");
            try (SignalingClient doctor = SignalingClient.connect(ws); SignalingClient patient = SignalingClient.connect(ws);
                    SignalingClient stranger = SignalingClient.connect(ws)) {
                assertTrue(doctor.login(app.appId(), "drain-a", suite.token(app, "doctor_1"), "doctor_1", true).path("ok").asBoolean());
                assertEquals(200, status(base + "/q/health/ready"), "ready before the drain");

                long start = System.nanoTime();
                CompletableFuture<HttpResponse<String>> drain = HTTP.sendAsync(
                        HttpRequest.newBuilder(URI.create(base + "/internal/drain")).GET().build(), HttpResponse.BodyHandlers.ofString());
                long notReadyMs = awaitStatus(base + "/q/health/ready", 503, start);

                JsonNode joining = patient.login(app.appId(), "drain-a", suite.token(app, "patient_1"), "patient_1", true);
                assertTrue(joining.path("ok").asBoolean(), "a room with members here is still joinable while draining: " + joining);
                JsonNode refused = stranger.login(app.appId(), "drain-b", suite.token(app, "patient_2"), "patient_2", false);
                assertEquals(10325, refused.path("code").asInt(), "a new room goes to another gateway: " + refused);
                assertFalse(drain.isDone(), "the drain waits while the consultation goes on");

                assertTrue(patient.request(patient.message("logout")).path("ok").asBoolean());
                assertTrue(doctor.request(doctor.message("logout")).path("ok").asBoolean());
                long lastLogout = System.nanoTime();
                JsonNode report = JSON.readTree(drain.get(30, TimeUnit.SECONDS).body());
                long answeredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastLogout);
                System.out.printf("drain: not ready after %d ms; answered %d ms after the last logout: %s%n", notReadyMs, answeredMs, report);
                assertTrue(report.path("drained").asBoolean(), report.toString());
                assertEquals(0, report.path("sessionsLeft").asInt(), report.toString());
                assertTrue(report.path("tookMs").asLong() < 60_000, "answered before the grace: " + report);
                assertTrue(report.path("tookMs").asLong() >= 2_000, "not before the settle time, while balancers catch up: " + report);
            }
            return null;
        });
    }

    @Test
    void aDrainWhoseSessionsStayIsAnsweredAtTheGrace() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("drain-grace");
        HostileClientTest.withGateway(Map.of("WENZHEN_GATEWAY_DRAIN_GRACE", "PT3S", "WENZHEN_GATEWAY_DRAIN_SETTLE", "PT0S"), "drain-grace", base -> {
            URI ws = URI.create(base.replace("http", "ws") + "/ws");
            try (SignalingClient doctor = SignalingClient.connect(ws)) {
                assertTrue(doctor.login(app.appId(), "grace-a", suite.token(app, "doctor_1"), "doctor_1", true).path("ok").asBoolean());
                // from another machine (this one's own network address stands in for it): refused, nothing drained
                URI fromNetwork = URI.create(base.replace("127.0.0.1", networkAddress()) + "/internal/drain");
                HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(fromNetwork).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(403, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("DRAIN_FORBIDDEN"), refused.body());
                assertEquals(200, status(base + "/q/health/ready"), "a refused drain drains nothing");
                long start = System.nanoTime();
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/internal/drain")).GET()
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                JsonNode report = JSON.readTree(answer.body());
                System.out.printf("drain at the grace: answered after %d ms: %s%n", tookMs, report);
                assertFalse(report.path("drained").asBoolean(), report.toString());
                assertEquals(1, report.path("sessionsLeft").asInt(), report.toString());
                assertTrue(tookMs >= 2_900 && tookMs < 10_000, "answered at the 3 s grace, not before: " + tookMs);
            }
            return null;
        });
    }

    /** An IPv4 address of this machine that is not a loopback one. */
    private static String networkAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return address.getHostAddress();
                }
            }
        }
        throw new AssertionError("this machine has no non-loopback IPv4 address to call from");
    }

    static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static long awaitStatus(String url, int wanted, long sinceNanos) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (status(url) == wanted) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
            }
            Thread.sleep(20);
        }
        throw new AssertionError(url + " never answered " + wanted);
    }
}
