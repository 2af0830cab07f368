package io.wenzhen.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.wenzhen.token04.Token04Format;
import io.wenzhen.token04.Token04Issuer;

/**
 * {@code ./wenzhen bench signaling [sessions]}: simulated SDK clients logging into rooms of two
 * against a whole suite started here ({@code ./wenzhen up} on ports of its own).
 *
 * <ol>
 * <li>login latency, one login at a time (loginRoom sent → reply, i.e. CONNECTED): p50/p99;</li>
 * <li>the ramp to {@code sessions} concurrent sessions, 32 logins in flight: throughput and p50/p99;</li>
 * <li>the gateway's heap holding them all, after a full GC.</li>
 * </ol>
 */
public final class SignalingBenchmark {

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int quiet = 300;
        Suite suite = Suite.get();
        Suite.App app = suite.createApp(Map.of("name", "benchmark", "maxRooms", sessions));
        Token04Issuer issuer = new Token04Issuer();

        List<SignalingClient> clients = Collections.synchronizedList(new ArrayList<>());
        // like the SDK: a heartbeat every 10 s keeps each connection from being taken for dropped
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    Thread.sleep(10_000);
                    for (SignalingClient client : List.copyOf(clients)) {
                        client.sendRaw(client.message("heartbeat").toString());
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        // 0. warm-up, not measured: JIT compilation, connection pools, the new app reaching the gateway
        for (int i = 0; i < 200; i++) {
            SignalingClient client = SignalingClient.connect(suite.gatewayWs());
            String user = "w" + i;
            check(client.login(app.appId(), "warm-" + (i / 2), issuer.issue(app.appId(), user, app.secret(), 3600, null,
                    Token04Format.GCM), user, true));
            client.request(client.message("logout"));
            client.close();
        }

        // 1. one at a time: the latency a doctor feels on an idle system
        long[] single = new long[quiet];
        for (int i = 0; i < quiet; i++) {
            SignalingClient client = SignalingClient.connect(suite.gatewayWs());
            String user = "q" + i;
            String token = issuer.issue(app.appId(), user, app.secret(), 3600, null, Token04Format.GCM);
            long start = System.nanoTime();
            JsonNode reply = client.login(app.appId(), "quiet-" + (i / 2), token, user, true);
            single[i] = System.nanoTime() - start;
            check(reply);
            clients.add(client);
        }
        report("login latency, 1 in flight (" + quiet + " logins)", single, -1);

        // 2. the ramp: logins 32 at a time until `sessions` are held
        int ramp = sessions - quiet;
        long[] loaded = new long[ramp];
        Semaphore inFlight = new Semaphore(32);
        List<Thread> threads = new ArrayList<>();
        long rampStart = System.nanoTime();
        for (int i = 0; i < ramp; i++) {
            int n = i;
            inFlight.acquire();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    SignalingClient client = SignalingClient.connect(suite.gatewayWs());
                    String user = "u" + n;
                    String token = issuer.issue(app.appId(), user, app.secret(), 3600, null, Token04Format.GCM);
                    long start = System.nanoTime();
                    JsonNode reply = client.login(app.appId(), "room-" + (n / 2), token, user, true);
                    loaded[n] = System.nanoTime() - start;
                    check(reply);
                    clients.add(client);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    inFlight.release();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - rampStart) / 1e9;
        report("login latency, 32 in flight (" + ramp + " logins, " + String.format("%.0f", ramp / seconds) + " logins/s)",
                loaded, seconds);

        // 3. what holding them costs the gateway
        ProcessHandle gateway = suite.gatewayProcess();
        Process gc = new ProcessBuilder(java("jcmd"), Long.toString(gateway.pid()), "GC.run").inheritIO().start();
        gc.waitFor(60, TimeUnit.SECONDS);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + suite.env.get("WENZHEN_GATEWAY_PORT") + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        double heap = metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        String sessionsGauge = metrics.lines().filter(l -> l.startsWith("wenzhen_gateway_sessions")).findFirst().orElse("?");
        System.out.printf("gateway holding %d sessions: heap used after GC %.1f MiB (%s)%n", sessions, heap / 1048576,
                sessionsGauge);
        String room = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + suite.env.get("WENZHEN_ROOM_PORT") + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        room.lines().filter(l -> l.startsWith("wenzhen_room_command") || l.startsWith("wenzhen_outbox"))
                .filter(l -> l.contains("quantile") || l.contains("_count"))
                .forEach(l -> System.out.println("  room-service " + l));
        System.out.println("benchmark done");
        System.exit(0);
    }

    private static void check(JsonNode reply) {
        if (!reply.path("ok").asBoolean()) {
            throw new IllegalStateException("login refused: " + reply);
        }
    }

    private static void report(String what, long[] nanos, double seconds) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%s: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static String java(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }
}
