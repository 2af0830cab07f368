package io.wenzhen.e2e;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code ./wenzhen bench edge-latency [runs]}: push-to-play latency through the mini-program edge,
 * both ways, on one machine and one wall clock. The picture flips between black and white once a
 * second at a known time, and the other side notes when it sees each flip.
 * <ul>
 * <li>RTMP -> web: this JVM writes raw frames into FFmpeg (x264 zerolatency, AAC), which pushes to the
 * gateway like live-pusher; Chromium plays the stream through the Web SDK and times each flip as it is
 * presented (requestVideoFrameCallback). Includes encoding, the gateway, WebRTC and Chromium's jitter buffer.</li>
 * <li>web -> FLV: Chromium publishes a flipping canvas (H.264) through the Web SDK; FFmpeg reads the
 * HTTP-FLV address without buffering and decodes to raw frames this JVM times. Includes Chromium's
 * encoder, the gateway (depacketizing, Opus -> AAC) and decoding, but not a live-player's own cache
 * (its min-cache, 0.2 s in RTC mode by default, comes on top).</li>
 * </ul>
 */
public final class EdgeLatencyBenchmark {

    record Flip(long at, boolean white) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("edge latency benchmark");
        List<Double> rtmpToWeb = new ArrayList<>();
        List<Double> webToFlv = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            double up = rtmpToWeb(suite, app, 20);
            double down = webToFlv(suite, app, 20);
            rtmpToWeb.add(up);
            webToFlv.add(down);
            System.out.printf("run %d: RTMP -> web %.0f ms, web -> HTTP-FLV %.0f ms (medians of ~18 flips each)%n", run, up, down);
        }
        System.out.printf("median of runs: RTMP -> web %.0f ms, web -> HTTP-FLV %.0f ms%n", median(rtmpToWeb), median(webToFlv));
        System.exit(0);
    }

    static double rtmpToWeb(Suite suite, Suite.App app, int seconds) throws Exception {
        String room = "lat-" + UUID.randomUUID().toString().substring(0, 8);
        try (SignalingClient pusher = SignalingClient.connect(MiniProgramEdgeTest.ws(suite))) {
            pusher.login(app.appId(), room, suite.token(app, "pusher_1"), "pusher_1", false);
            String url = pusher.request(pusher.message("publish").put("streamID", "pusher_1_main").put("transport", "rtmp"))
                    .at("/data/url").asText();
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "gray",
                    "-s", "320x240", "-r", "15", "-i", "-", "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "baseline", "-g", "15",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv", url).redirectErrorStream(true).start();
            List<Flip> sent = new CopyOnWriteArrayList<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                byte[] black = new byte[320 * 240];
                byte[] white = new byte[320 * 240];
                Arrays.fill(white, (byte) 235);
                long start = System.nanoTime();
                try (OutputStream in = ffmpeg.getOutputStream()) {
                    for (int frame = 0; !Thread.currentThread().isInterrupted(); frame++) {
                        long due = start + frame * 1_000_000_000L / 15;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        boolean isWhite = (frame / 15) % 2 == 1;
                        in.write(isWhite ? white : black);
                        in.flush();
                        if (frame % 15 == 0 && frame > 0) {
                            sent.add(new Flip(System.currentTimeMillis(), isWhite));
                        }
                    }
                } catch (Exception e) {
                    // the run is over
                }
            });
            try {
                JsonNode watched = BrowserCallTest.run(List.of("node", "edge-latency.mjs", "watch", MiniProgramEdgeTest.http(suite),
                        Long.toString(app.appId()), room, suite.token(app, "viewer_1"), "viewer_1", "pusher_1_main",
                        Integer.toString(seconds)));
                if (watched.has("error")) {
                    throw new IllegalStateException(watched.toString());
                }
                List<Flip> seen = new ArrayList<>();
                watched.path("seen").forEach(f -> seen.add(new Flip(f.path("at").asLong(), f.path("white").asBoolean())));
                return match(sent, seen);
            } finally {
                writer.interrupt();
                ffmpeg.destroyForcibly();
            }
        }
    }

    static double webToFlv(Suite suite, Suite.App app, int seconds) throws Exception {
        String room = "lat-" + UUID.randomUUID().toString().substring(0, 8);
        Process web = new ProcessBuilder("node", "edge-latency.mjs", "flash", MiniProgramEdgeTest.http(suite), Long.toString(app.appId()),
                room, suite.token(app, "doctor_9"), "doctor_9", "doctor_9_main", Integer.toString(seconds + 8))
                .directory(SuiteProcess.ROOT.resolve("e2e/browser").toFile()).redirectErrorStream(true).start();
        BufferedReader browser = new BufferedReader(new InputStreamReader(web.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = browser.readLine()) != null && !line.equals("PUBLISHING");) {
            if (line.startsWith("RESULT")) {
                throw new IllegalStateException(line);
            }
        }
        List<Flip> seen = new CopyOnWriteArrayList<>();
        try (SignalingClient player = SignalingClient.connect(MiniProgramEdgeTest.ws(suite))) {
            player.login(app.appId(), room, suite.token(app, "player_1"), "player_1", false);
            String url = player.request(player.message("play").put("streamID", "doctor_9_main").put("transport", "flv"))
                    .at("/data/url").asText();
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-fflags", "nobuffer", "-flags",
                    "low_delay", "-analyzeduration", "500000", "-i", url, "-an", "-vf", "scale=16:12", "-pix_fmt", "gray", "-f", "rawvideo",
                    "-").start();
            Thread reader = Thread.ofPlatform().start(() -> {
                byte[] frame = new byte[16 * 12];
                Boolean white = null;
                try (DataInputStream frames = new DataInputStream(ffmpeg.getInputStream())) {
                    while (true) {
                        frames.readFully(frame);
                        long at = System.currentTimeMillis();
                        int sum = 0;
                        for (byte b : frame) {
                            sum += b & 0xFF;
                        }
                        double mean = sum / (double) frame.length;
                        Boolean now = mean > 170 ? Boolean.TRUE : mean < 85 ? Boolean.FALSE : white;
                        if (now != null && !now.equals(white)) {
                            seen.add(new Flip(at, now));
                            white = now;
                        }
                    }
                } catch (Exception e) {
                    // ffmpeg ended
                }
            });
            Thread.sleep(seconds * 1000L);
            ffmpeg.destroyForcibly();
            reader.join(5000);
        }
        List<Flip> sent = new ArrayList<>();
        for (String line; (line = browser.readLine()) != null;) {
            if (line.startsWith("RESULT ")) {
                Suite.JSON.readTree(line.substring(7)).path("flips")
                        .forEach(f -> sent.add(new Flip(f.path("at").asLong(), f.path("white").asBoolean())));
            }
        }
        web.waitFor();
        return match(sent, seen);
    }

    /** For each flip seen, the time since the same flip was sent (the latest one of that colour before it, within a second). */
    static double match(List<Flip> sent, List<Flip> seen) {
        List<Double> latencies = new ArrayList<>();
        for (Flip observed : seen) {
            Flip cause = null;
            for (Flip flip : sent) {
                if (flip.white() == observed.white() && flip.at() <= observed.at()) {
                    cause = flip;
                }
            }
            if (cause != null && observed.at() - cause.at() < 1000) {
                latencies.add((double) (observed.at() - cause.at()));
            }
        }
        if (latencies.size() < 3) {
            throw new IllegalStateException("too few flips matched: sent " + sent.size() + ", seen " + seen.size());
        }
        return median(latencies);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
