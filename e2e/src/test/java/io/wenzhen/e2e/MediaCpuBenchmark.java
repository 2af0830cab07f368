package io.wenzhen.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The gateway's CPU per forwarded stream with real browsers: one Chromium publishes its fake camera and
 * microphone, another plays it through the gateway, and the gateway process's CPU time is read while
 * the call is held, against the same gateway idle just before and just after. Run by {@code ./wenzhen bench media-cpu}.
 */
public final class MediaCpuBenchmark {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int holdSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String codec = args.length > 2 ? args[2] : "H264";
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("media cpu benchmark");
        ProcessHandle gateway = suite.gatewayProcess();
        String base = "http://127.0.0.1:" + suite.env.get("WENZHEN_GATEWAY_PORT");
        List<Double> perStream = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            double idle = cpuMillisPerSecond(gateway, Duration.ofSeconds(holdSeconds / 2));
            String room = "cpu-" + UUID.randomUUID().toString().substring(0, 8);
            Process node = new ProcessBuilder("node", "call.mjs", base, Long.toString(app.appId()), suite.token(app, "doctor_7"),
                    suite.token(app, "patient_1"), room, codec, "30", Integer.toString(holdSeconds))
                    .directory(SuiteProcess.ROOT.resolve("e2e/browser").toFile()).redirectErrorStream(true).start();
            long cpuStart = 0;
            long wallStart = 0;
            double held = -1;
            long[] packetsStart = null;
            long[] packets = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null;) {
                    if (line.equals("HOLDING")) {
                        packetsStart = packets(suite, base);
                        cpuStart = cpuNanos(gateway);
                        wallStart = System.nanoTime();
                    } else if (line.equals("HELD")) {
                        held = (cpuNanos(gateway) - cpuStart) / 1e6 / ((System.nanoTime() - wallStart) / 1e9);
                        packets = packets(suite, base);
                        for (int i = 0; i < 2; i++) {
                            packets[i] = (long) ((packets[i] - packetsStart[i]) / ((System.nanoTime() - wallStart) / 1e9));
                        }
                    } else if (line.startsWith("RESULT ") && line.contains("\"error\"")) {
                        throw new IllegalStateException(line);
                    }
                }
            }
            node.waitFor();
            if (held < 0) {
                throw new IllegalStateException("the call was never held (see e2e/browser/call.mjs)");
            }
            // the gateway's own background work (Kafka polling, heartbeats, reports) is as large as the signal:
            // idle is measured before and after the call, and their mean taken
            idle = (idle + cpuMillisPerSecond(gateway, Duration.ofSeconds(holdSeconds / 2))) / 2;
            double stream = held - idle;
            perStream.add(stream);
            System.out.printf("run %d: gateway CPU idle %.1f ms/s, during the call %.1f ms/s -> %.1f ms/s (%.2f %% of a core)"
                    + " for 1 publisher + 1 player of %s; %d packets/s in, %d out: %.0f µs per packet in and out%n", run, idle,
                    held, stream, stream / 10, codec, packets[0], packets[1], stream * 1000 / Math.max(1, packets[0] + packets[1]));
        }
        double last = perStream.get(perStream.size() - 1);
        Collections.sort(perStream);
        double median = perStream.get(perStream.size() / 2);
        // a fresh gateway compiles its media path during the first calls: the last run is the warm figure
        System.out.printf("last run (JIT warm): %.1f ms of CPU per second (%.2f %% of a core)%n", last, last / 10);
        System.out.printf("median: %.1f ms of CPU per second (%.2f %% of a core) for one forwarded stream, its publisher's"
                + " ingress included%n", median, median / 10);
        System.out.println("benchmark done");
        System.exit(0);
    }

    private static double cpuMillisPerSecond(ProcessHandle process, Duration over) throws InterruptedException {
        long cpu = cpuNanos(process);
        long wall = System.nanoTime();
        Thread.sleep(over.toMillis());
        return (cpuNanos(process) - cpu) / 1e6 / ((System.nanoTime() - wall) / 1e9);
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time for " + process))
                .toNanos();
    }

    /** Packets received from publishers and sent to players so far, from the gateway's /api/v1/media/streams. */
    private static long[] packets(Suite suite, String base) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/media/streams"))
                .header("Authorization", "Bearer " + suite.adminToken).build(), HttpResponse.BodyHandlers.ofString()).body();
        long in = 0;
        long out = 0;
        for (var stream : Suite.JSON.readTree(body)) {
            in += stream.at("/publisher/packets").asLong();
            for (var player : stream.path("players")) {
                out += player.path("packetsSent").asLong();
            }
        }
        return new long[] {in, out};
    }
}
