package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.wenzhen.protocols.flv.FlvReader;
import io.wenzhen.protocols.flv.FlvTag;

/**
 * The mini-program edge with real clients: FFmpeg stands in for live-pusher (RTMP push of H.264 and
 * AAC, with the address signaling hands out) and live-player (HTTP-FLV and RTMP play), Chromium
 * is the web user on the other side, through the Web SDK (docs/miniprogram.md).
 */
class MiniProgramEdgeTest {

    static final List<String> PUSH = List.of("-re", "-f", "lavfi", "-i", "testsrc2=size=640x480:rate=15", "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=44100", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v",
            "baseline", "-g", "15", "-pix_fmt", "yuv420p", "-b:v", "600k", "-c:a", "aac", "-b:a", "64k", "-f", "flv");

    @Test
    void anRtmpPusherIsSeenAndHeardByAWebPlayer() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("rtmp push");
        String room = "mp-" + UUID.randomUUID().toString().substring(0, 8);
        try (SignalingClient patient = SignalingClient.connect(ws(suite))) {
            assertTrue(patient.login(app.appId(), room, suite.token(app, "patient_mp"), "patient_mp", true).path("ok").asBoolean());
            JsonNode published = patient.request(patient.message("publish").put("streamID", "patient_mp_main").put("transport", "rtmp"));
            assertTrue(published.path("ok").asBoolean(), published.toString());
            String url = published.at("/data/url").asText();
            assertTrue(url.startsWith("rtmp://127.0.0.1:") && url.contains("/live/" + app.appId() + "/patient_mp_main?key="), url);
            assertTrue(published.at("/data/keyExpireTime").asLong() > System.currentTimeMillis() / 1000, published.toString());

            // a forged key is refused: the pusher gets an error status and the connection closes
            Process forged = ffmpeg(new ArrayList<>(List.of("-t", "3")), url.substring(0, url.length() - 4) + "AAAA");
            assertTrue(forged.waitFor(30, TimeUnit.SECONDS), "a refused pusher is not left hanging");
            assertNotEquals(0, forged.exitValue(), "a forged key must not publish");

            Process pusher = ffmpeg(new ArrayList<>(), url);
            try {
                JsonNode web = BrowserCallTest.run(List.of("node", "edge-call.mjs", "play", http(suite), Long.toString(app.appId()), room,
                        suite.token(app, "doctor_7"), "doctor_7", "patient_mp_main", "6"));
                assertTrue(web.path("error").isMissingNode(), web.toString());
                assertTrue(web.path("frames").asInt() >= 30, "frames decode in the browser: " + web);
                assertEquals(640, web.path("width").asInt(), web.toString());
                assertEquals(480, web.path("height").asInt(), web.toString());
                assertTrue(web.at("/stats/packetsReceived").asInt() > 100, "Opus packets from the AAC: " + web);
                assertTrue(web.at("/stats/totalAudioEnergy").asDouble() > 0.01, "sound, not silence: " + web);
                assertTrue(web.at("/urlsFLV/0").asText().endsWith("/live/" + app.appId() + "/patient_mp_main.flv"), web.toString());
                assertTrue(web.at("/urlsRTMP/0").asText().startsWith("rtmp://"), web.toString());
                System.out.println("RTMP push -> web: first frame " + web.path("firstFrameMs").asInt() + " ms after play, "
                        + web.path("frames").asInt() + " frames, audio level " + web.at("/stats/audioLevel").asDouble());

                // unpublish ends the publication, and the pusher's connection with it
                assertTrue(patient.request(patient.message("unpublish").put("streamID", "patient_mp_main")).path("ok").asBoolean());
                assertTrue(pusher.waitFor(20, TimeUnit.SECONDS), "the gateway closes the RTMP connection of an ended publication");
            } finally {
                pusher.destroyForcibly();
            }
        }
    }

    @Test
    void aWebPublisherPlaysOverHttpFlvAndRtmp() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("flv play");
        String room = "mp-" + UUID.randomUUID().toString().substring(0, 8);
        Process web = new ProcessBuilder("node", "edge-call.mjs", "publish", http(suite), Long.toString(app.appId()), room,
                suite.token(app, "doctor_7"), "doctor_7", "doctor_7_main", "60")
                .directory(SuiteProcess.ROOT.resolve("e2e/browser").toFile()).redirectErrorStream(true).start();
        try (SignalingClient patient = SignalingClient.connect(ws(suite))) {
            String firstLine = firstResult(web);
            assertTrue(firstLine.contains("\"state\":\"PUBLISHING\""), firstLine);
            assertTrue(patient.login(app.appId(), room, suite.token(app, "patient_mp"), "patient_mp", true).path("ok").asBoolean());

            JsonNode flv = patient.request(patient.message("play").put("streamID", "doctor_7_main").put("transport", "flv"));
            assertTrue(flv.path("ok").asBoolean(), flv.toString());
            String flvUrl = flv.at("/data/url").asText();
            assertTrue(flvUrl.startsWith(http(suite) + "/live/" + app.appId() + "/doctor_7_main.flv?key="), flvUrl);

            // a forged key: 403 with the documented code
            var forged = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    URI.create(flvUrl.substring(0, flvUrl.length() - 4) + "AAAA")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(403, forged.statusCode());
            assertEquals(10316, Suite.JSON.readTree(forged.body()).path("code").asInt(), forged.body());

            // 10 s of HTTP-FLV, copied as it comes: H.264 and AAC, timestamps that only move on, clean decoding
            Path recorded = Files.createTempFile("wenzhen-flv", ".flv");
            long started = System.nanoTime();
            Process player = ffmpeg(new ArrayList<>(List.of("-i", flvUrl, "-t", "10", "-c", "copy", "-y")), recorded.toString(), true);
            assertTrue(player.waitFor(60, TimeUnit.SECONDS), "ffmpeg reads 10 s of the FLV");
            assertEquals(0, player.exitValue(), output(player));
            System.out.printf("HTTP-FLV: 10 s recorded in %.1f s%n", (System.nanoTime() - started) / 1e9);
            assertFlv(recorded, 9.0);

            // the same over RTMP play
            JsonNode rtmp = patient.request(patient.message("play").put("streamID", "doctor_7_main").put("transport", "rtmp"));
            assertTrue(rtmp.path("ok").asBoolean(), rtmp.toString());
            Path overRtmp = Files.createTempFile("wenzhen-rtmp", ".flv");
            Process rtmpPlayer = ffmpeg(new ArrayList<>(List.of("-i", rtmp.at("/data/url").asText(), "-t", "5", "-c", "copy", "-y")),
                    overRtmp.toString(), true);
            assertTrue(rtmpPlayer.waitFor(60, TimeUnit.SECONDS), "ffmpeg reads 5 s over RTMP");
            assertEquals(0, rtmpPlayer.exitValue(), output(rtmpPlayer));
            assertFlv(overRtmp, 4.0);

            // stopPlay closes the player's connection
            Process endless = ffmpeg(new ArrayList<>(List.of("-i", rtmp.at("/data/url").asText(), "-c", "copy", "-f", "null")), "-", true);
            Thread.sleep(3000);
            assertTrue(patient.request(patient.message("stopPlay").put("streamID", "doctor_7_main")).path("ok").asBoolean());
            assertTrue(endless.waitFor(20, TimeUnit.SECONDS), "the gateway ends a stopped playback's connection");
            Files.deleteIfExists(recorded);
            Files.deleteIfExists(overRtmp);
        } finally {
            web.destroy();
            web.waitFor(20, TimeUnit.SECONDS);
            web.destroyForcibly();
        }
    }

    /** A recording has H.264 and AAC streams, per-stream timestamps that never go back, and decodes without an error. */
    private static void assertFlv(Path file, double minSeconds) throws Exception {
        List<FlvTag> tags = FlvReader.read(Files.readAllBytes(file));
        Map<Integer, Long> last = new HashMap<>();
        for (FlvTag tag : tags) {
            if (tag.type() == FlvTag.VIDEO || tag.type() == FlvTag.AUDIO) {
                long previous = last.getOrDefault(tag.type(), -1L);
                assertTrue(tag.timestamp() >= previous, "timestamps of " + tag.type() + " went from " + previous + " to " + tag.timestamp());
                last.put(tag.type(), tag.timestamp());
            }
        }
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "stream=codec_name:format=duration", "-of", "json",
                file.toString()).redirectErrorStream(true).start();
        JsonNode info = Suite.JSON.readTree(probe.getInputStream().readAllBytes());
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
        List<String> codecs = new ArrayList<>();
        info.path("streams").forEach(s -> codecs.add(s.path("codec_name").asText()));
        assertTrue(codecs.contains("h264") && codecs.contains("aac"), "H.264 and AAC: " + info);
        assertTrue(info.at("/format/duration").asDouble() >= minSeconds, "plays for the time asked: " + info);
        Process decode = new ProcessBuilder("ffmpeg", "-v", "error", "-i", file.toString(), "-f", "null", "-").redirectErrorStream(true)
                .start();
        String errors = new String(decode.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(decode.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, decode.exitValue(), errors);
        assertTrue(errors.isBlank(), "decodes without errors: " + errors);
        System.out.println("FLV " + file.getFileName() + ": " + tags.size() + " tags, " + info.at("/format/duration").asDouble() + " s, "
                + codecs);
    }

    private static String firstResult(Process process) throws IOException {
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("RESULT ")) {
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the browser gave no result (is chromium installed?):\n" + seen);
    }

    static Process ffmpeg(List<String> arguments, String target) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"));
        command.addAll(arguments);
        command.addAll(PUSH);
        command.add(target);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** FFmpeg reading (a player): the arguments as given, then the output. */
    static Process ffmpeg(List<String> arguments, String output, boolean reading) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"));
        command.addAll(arguments);
        command.add(output);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String output(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static URI ws(Suite suite) {
        return URI.create("ws://127.0.0.1:" + suite.env.get("WENZHEN_GATEWAY_PORT") + "/ws");
    }

    static String http(Suite suite) {
        return "http://127.0.0.1:" + suite.env.get("WENZHEN_GATEWAY_PORT");
    }
}
