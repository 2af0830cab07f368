package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.wenzhen.devstack.QuarkusService;

/**
 * A call across two gateways in Chromium, through the Web SDK (docs/architecture.md, "Placement" and
 * "Failover"): the doctor reaches one gateway (the room's home), the patient another, and their media
 * both goes to the home. Then the home is SIGKILLed mid-call: the SDKs find the session lost, log in
 * again through the surviving gateway (which moves the room to itself), publish and play again, and both
 * pictures come back into the same video elements. The longest pause each side saw is printed. And the home
 * stopped with SIGTERM instead drains: the call moves to the other gateway without a break (or, with moves off,
 * goes on there until it ends).
 */
class GatewayFailoverTest {

    /** The platform's goal for media back after the home dies (the issue's), with the CI machine's slack. */
    static final Duration GOAL = Duration.ofSeconds(5);

    @Test
    void aCallAcrossTwoGatewaysSurvivesTheLossOfItsHome() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("failover");
        String room = "failover-" + UUID.randomUUID().toString().substring(0, 8);
        String homeId = "gateway-home-" + UUID.randomUUID().toString().substring(0, 6);
        try (QuarkusService home = homeGateway(suite, homeId, Map.of());
                FabricCall call = FabricCall.start(suite, app, room, home)) {
            String homeHttp = "http://127.0.0.1:" + home.port();
            String otherHttp = "http://127.0.0.1:" + suite.env.get("WENZHEN_GATEWAY_PORT");
            // the patient reached the other gateway, yet both streams' media is on the home, none on the other
            assertEquals(List.of("doctor_7_main", "patient_1_main"), streamsOn(homeHttp, suite, app, room), "the home carries the call");
            assertEquals(List.of(), streamsOn(otherHttp, suite, app, room), "the relaying gateway carries no media");

            home.process().destroyForcibly(); // SIGKILL, mid-call
            JsonNode result = call.command("KILLED", "RESULT ");
            long doctorGap = result.at("/doctor/gapMs").asLong();
            long patientGap = result.at("/patient/gapMs").asLong();
            System.out.printf("failover: the home SIGKILLed mid-call; longest pause in the picture: doctor %d ms, patient %d ms;"
                    + " doctor's events %s; patient's %s%n", doctorGap, patientGap, result.at("/doctor/events"), result.at("/patient/events"));
            assertTrue(doctorGap > 0 && patientGap > 0, "both pictures came back: " + result);
            assertTrue(doctorGap < GOAL.toMillis() && patientGap < GOAL.toMillis(), "within the goal of " + GOAL + ": " + result);
            assertTrue(result.at("/doctor/events").toString().contains("publisher:PUBLISHING:0")
                    && result.at("/patient/events").toString().contains("player:PLAYING:0"), "the SDKs published and played again: " + result);
            assertEquals(List.of("doctor_7_main", "patient_1_main"), streamsOn(otherHttp, suite, app, room), "the surviving gateway is the new home");
        }
    }

    /**
     * SIGTERM to the home of a call (a rolling upgrade): it drains and moves the call to the other gateway — the
     * streams piped there, both SDKs logging in there by handover, publishing and playing there, and leaving the
     * old gateway only then — with no pause of a second in either picture and no event for the apps; the drained
     * gateway stops by itself as soon as both have moved, while the call goes on.
     */
    @Test
    void aHomeStoppedWithSigtermMovesItsCallWithoutABreakThenStops() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("sigterm move");
        String room = "move-" + UUID.randomUUID().toString().substring(0, 8);
        String homeId = "gateway-moved-" + UUID.randomUUID().toString().substring(0, 6);
        try (QuarkusService home = homeGateway(suite, homeId, Map.of("WENZHEN_GATEWAY_DRAIN_ON_SIGTERM", "true",
                "WENZHEN_GATEWAY_DRAIN_SETTLE", "PT2S", "WENZHEN_GATEWAY_DRAIN_GRACE", "PT120S"));
                FabricCall call = FabricCall.start(suite, app, room, home)) {
            String otherHttp = "http://127.0.0.1:" + suite.env.get("WENZHEN_GATEWAY_PORT");
            ProcessHandle gateway = home.process();
            long termAt = System.nanoTime();
            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(gateway.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            JsonNode watched = call.command("WATCH 12", "WATCHED ");
            long doctorGap = watched.at("/doctor/gapMs").asLong();
            long patientGap = watched.at("/patient/gapMs").asLong();
            boolean stopped = gateway.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).get() != null;
            System.out.printf("SIGTERM move: over 12 s from the signal, longest pause in the picture: doctor %d ms, patient %d ms;"
                    + " the drained gateway stopped %d ms after the signal; apps' events: doctor %s, patient %s%n", doctorGap,
                    patientGap, (System.nanoTime() - termAt) / 1_000_000, watched.at("/doctor/events"), watched.at("/patient/events"));
            assertTrue(watched.at("/doctor/frames").asInt() > 60 && watched.at("/patient/frames").asInt() > 60, watched.toString());
            assertTrue(doctorGap < 1000 && patientGap < 1000, "no pause of a second or more: " + watched);
            assertEquals("[]", watched.at("/doctor/events").toString(), "the app sees no change: " + watched);
            assertEquals("[]", watched.at("/patient/events").toString(), "the app sees no change: " + watched);
            assertTrue(stopped && !gateway.isAlive(), "the drained gateway stops once the call has moved");
            assertEquals(List.of("doctor_7_main", "patient_1_main"), streamsOn(otherHttp, suite, app, room),
                    "the other gateway carries the call now");
            JsonNode after = call.command("WATCH 3", "WATCHED ");
            assertTrue(after.at("/doctor/gapMs").asLong() < 1000 && after.at("/patient/gapMs").asLong() < 1000,
                    "the call goes on without the drained gateway: " + after);
        }
    }

    /**
     * SIGTERM to the home of a call with moves off (wenzhen.gateway.drain-moves-calls=false, or no other gateway):
     * it drains — not ready, no new rooms — and the call goes on without a pause; once both have left, the
     * gateway stops by itself.
     */
    @Test
    void aHomeStoppedWithSigtermLetsItsCallFinishThenStops() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("sigterm drain");
        String room = "sigterm-" + UUID.randomUUID().toString().substring(0, 8);
        String homeId = "gateway-drained-" + UUID.randomUUID().toString().substring(0, 6);
        try (QuarkusService home = homeGateway(suite, homeId, Map.of("WENZHEN_GATEWAY_DRAIN_ON_SIGTERM", "true",
                "WENZHEN_GATEWAY_DRAIN_SETTLE", "PT2S", "WENZHEN_GATEWAY_DRAIN_GRACE", "PT120S",
                "WENZHEN_GATEWAY_DRAIN_MOVES_CALLS", "false"));
                FabricCall call = FabricCall.start(suite, app, room, home)) {
            String homeHttp = "http://127.0.0.1:" + home.port();
            ProcessHandle gateway = home.process();
            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(gateway.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            JsonNode watched = call.command("WATCH 8", "WATCHED ");
            assertEquals(503, GatewayDrainTest.status(homeHttp + "/q/health/ready"), "not ready while it drains");
            assertTrue(gateway.isAlive(), "the gateway waits for its call");
            long doctorGap = watched.at("/doctor/gapMs").asLong();
            long patientGap = watched.at("/patient/gapMs").asLong();
            System.out.printf("SIGTERM drain: over 8 s of draining, longest pause in the picture: doctor %d ms, patient %d ms%n",
                    doctorGap, patientGap);
            assertTrue(watched.at("/doctor/frames").asInt() > 40 && watched.at("/patient/frames").asInt() > 40, watched.toString());
            assertTrue(doctorGap < 1000 && patientGap < 1000, "no pause of a second or more: " + watched);

            call.command("LEAVE", "LEFT");
            long left = System.nanoTime();
            assertTrue(gateway.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).get() != null && !gateway.isAlive(),
                    "the gateway stops once its call has ended");
            System.out.printf("SIGTERM drain: the gateway stopped %d ms after the last participant left%n",
                    (System.nanoTime() - left) / 1_000_000);
        }
    }

    /** A gateway in a zone of its own, whose heartbeat the suite's gateway has read: the room the doctor asks for there stays there. */
    static QuarkusService homeGateway(Suite suite, String id, Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>(suite.replicaEnv());
        env.put("WENZHEN_GATEWAY_ZONE", "zone-of-" + id);
        env.put("WENZHEN_GATEWAY_ID", id);
        env.putAll(settings);
        QuarkusService home = Replica.start("media-gateway", "media-gateway", env, suite.data.resolve("logs"), "media-gateway-" + id);
        GatewayEventsTest.read(suite, "gateway-heartbeats", id, 1);
        return home;
    }

    /** e2e/browser/fabric-call.mjs: the doctor on the home, the patient on the suite's gateway, both pictures playing. */
    static final class FabricCall implements AutoCloseable {
        private final Process node;
        private final Writer in;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private FabricCall(Process node) {
            this.node = node;
            this.in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
            Thread.ofVirtual().start(() -> new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))
                    .lines().forEach(lines::add));
        }

        static FabricCall start(Suite suite, Suite.App app, String room, QuarkusService home) throws Exception {
            Process node = new ProcessBuilder("node", "fabric-call.mjs", "http://127.0.0.1:" + home.port(),
                    "http://127.0.0.1:" + suite.env.get("WENZHEN_GATEWAY_PORT"), Long.toString(app.appId()), room,
                    suite.token(app, "doctor_7"), suite.token(app, "patient_1"))
                    .directory(SuiteProcess.ROOT.resolve("e2e/browser").toFile()).redirectErrorStream(true).start();
            FabricCall call = new FabricCall(node);
            String ready = call.awaitLine("READY ", "RESULT ");
            assertTrue(ready.startsWith("READY "), "both pictures play across the gateways: " + ready);
            return call;
        }

        /** Sends a command and reads the JSON of the line that answers it (none for LEFT). */
        JsonNode command(String command, String answer) throws Exception {
            in.write(command + "\n");
            in.flush();
            String line = awaitLine(answer, "RESULT {\"error");
            assertTrue(line.startsWith(answer), line);
            String json = line.substring(answer.length()).strip();
            return json.isEmpty() ? Suite.JSON.nullNode() : Suite.JSON.readTree(json);
        }

        /** The first line starting with one of the prefixes; others (the browsers' errors) are printed. */
        private String awaitLine(String... prefixes) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            for (String line; (line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null;) {
                for (String prefix : prefixes) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
                System.out.println("fabric call: [browser] " + line);
            }
            throw new AssertionError("no line starting with " + List.of(prefixes) + " within 2 minutes");
        }

        @Override
        public void close() throws Exception {
            in.close();
            if (!node.waitFor(20, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }

    /** The streams of the room a gateway forwards (its media API), sorted. */
    static List<String> streamsOn(String gatewayHttp, Suite suite, Suite.App app, String room) throws Exception {
        var response = Suite.get(gatewayHttp + "/api/v1/media/streams", suite.adminToken);
        assertEquals(200, response.statusCode(), response.body());
        List<String> ids = new ArrayList<>();
        Suite.JSON.readTree(response.body()).forEach(s -> {
            if (s.path("roomKey").asText().equals(app.appId() + "/" + room)) {
                ids.add(s.path("streamId").asText());
            }
        });
        return ids.stream().sorted().toList();
    }
}
