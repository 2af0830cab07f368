package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.wenzhen.devstack.QuarkusService;

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
            String told = output(forged);
            assertTrue(told.contains("10316"), "the pusher is told why (STREAM_KEY_INVALID): " + told);

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
                assertTrue(web.at("/urlsFLV").asText().endsWith("/live/" + app.appId() + "/patient_mp_main.flv"), web.toString());
                assertTrue(web.at("/urlsRTMP").asText().startsWith("rtmp://"), web.toString());
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
            var forged = get(flvUrl.replaceFirst("(key=[^&]*)[^&]{4}", "$1AAAA")); // the key's last characters
            assertEquals(403, forged.statusCode());
            assertEquals(10316, Suite.JSON.readTree(forged.body()).path("code").asInt(), forged.body());
            // a real key on another stream's address: refused
            var bent = get(flvUrl.replace("/doctor_7_main.flv", "/patient_mp_main.flv"));
            assertEquals(403, bent.statusCode(), bent.body());

            // 10 s of HTTP-FLV, copied as it comes: H.264 and AAC, timestamps that only move on, clean decoding
            Path recorded = Files.createTempFile("wenzhen-flv", ".flv");
            long started = System.nanoTime();
            Process player = ffmpegReading(new ArrayList<>(List.of("-i", flvUrl, "-t", "10", "-c", "copy", "-y")), recorded.toString());
            assertTrue(player.waitFor(60, TimeUnit.SECONDS), "ffmpeg reads 10 s of the FLV");
            assertEquals(0, player.exitValue(), output(player));
            System.out.printf("HTTP-FLV: 10 s recorded in %.1f s%n", (System.nanoTime() - started) / 1e9);
            assertFlv(recorded, 9.0);

            // the same over RTMP play
            JsonNode rtmp = patient.request(patient.message("play").put("streamID", "doctor_7_main").put("transport", "rtmp"));
            assertTrue(rtmp.path("ok").asBoolean(), rtmp.toString());
            Path overRtmp = Files.createTempFile("wenzhen-rtmp", ".flv");
            Process rtmpPlayer = ffmpegReading(new ArrayList<>(List.of("-i", rtmp.at("/data/url").asText(), "-t", "5", "-c", "copy", "-y")),
                    overRtmp.toString());
            assertTrue(rtmpPlayer.waitFor(60, TimeUnit.SECONDS), "ffmpeg reads 5 s over RTMP");
            assertEquals(0, rtmpPlayer.exitValue(), output(rtmpPlayer));
            assertFlv(overRtmp, 4.0);

            // stopPlay closes the player's connection
            Process endless = ffmpegReading(new ArrayList<>(List.of("-i", rtmp.at("/data/url").asText(), "-c", "copy", "-f", "null")), "-");
            Thread.sleep(3000);
            assertTrue(patient.request(patient.message("stopPlay").put("streamID", "doctor_7_main")).path("ok").asBoolean());
            assertTrue(endless.waitFor(20, TimeUnit.SECONDS), "the gateway ends a stopped playback's connection");
            // and its keys no longer admit anyone, used or not
            var ended = get(flvUrl);
            assertEquals(403, ended.statusCode(), "a stopped playback's key: " + ended.body());
            Files.deleteIfExists(recorded);
            Files.deleteIfExists(overRtmp);
        } finally {
            web.destroy();
            web.waitFor(20, TimeUnit.SECONDS);
            web.destroyForcibly();
        }
    }

    /**
     * A key's first use must come before it expires; a key already used reconnects after that, as
     * live-pusher does on its own, for as long as the publication lasts. Through a gateway whose keys
     * expire after 2 s.
     */
    @Test
    void anExpiredKeyOnlyReconnects() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("key expiry");
        String room = "mp-" + UUID.randomUUID().toString().substring(0, 8);
        BrowserCallTest.throughGateway("WENZHEN_GATEWAY_STREAM_KEY_TTL", "PT2S", "short-keys", gateway -> {
            try (SignalingClient patient = SignalingClient.connect(URI.create(gateway.replace("http", "ws") + "/ws"))) {
                assertTrue(patient.login(app.appId(), room, suite.token(app, "patient_mp"), "patient_mp", false).path("ok").asBoolean());
                String stale = patient.request(patient.message("publish").put("streamID", "patient_mp_main").put("transport", "rtmp"))
                        .at("/data/url").asText();
                Thread.sleep(3000);
                Process late = ffmpeg(new ArrayList<>(List.of("-t", "3")), stale);
                assertTrue(late.waitFor(30, TimeUnit.SECONDS));
                String told = output(late);
                assertTrue(late.exitValue() != 0 && told.contains("10316"), "a key never used is dead after its expiry: " + told);

                // asking again gives a fresh key for the same publication; used at once, it then outlives its expiry
                String fresh = patient.request(patient.message("publish").put("streamID", "patient_mp_main").put("transport", "rtmp"))
                        .at("/data/url").asText();
                Process first = ffmpeg(new ArrayList<>(List.of("-t", "2")), fresh);
                assertTrue(first.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, first.exitValue(), output(first));
                Thread.sleep(1500); // past the key's expiry now
                Process reconnect = ffmpeg(new ArrayList<>(List.of("-t", "2")), fresh);
                assertTrue(reconnect.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, reconnect.exitValue(), "a used key reconnects after its expiry: " + output(reconnect));

                // once the publication ends, its key admits no one
                assertTrue(patient.request(patient.message("unpublish").put("streamID", "patient_mp_main")).path("ok").asBoolean());
                Process after = ffmpeg(new ArrayList<>(List.of("-t", "2")), fresh);
                assertTrue(after.waitFor(30, TimeUnit.SECONDS));
                assertNotEquals(0, after.exitValue(), "an ended publication's key");
            }
            return null;
        });
    }

    /**
     * The tutorial's flow through the mini-program SDK itself (its driver, with a WeChat stand-in
     * around Node's WebSocket), against the real gateway: a patient in a "mini-program" and a doctor
     * in Chromium who publishes VP8, which reaches the mini-program through the transcoding bridge.
     */
    @Test
    void aMiniProgramAndAWebUserInOneConsultation() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("mini-program call");
        String room = "mp-" + UUID.randomUUID().toString().substring(0, 8);
        Process web = new ProcessBuilder("node", "edge-call.mjs", "publish", http(suite), Long.toString(app.appId()), room,
                suite.token(app, "doctor_7"), "doctor_7", "doctor_7_main", "60", "VP8")
                .directory(SuiteProcess.ROOT.resolve("e2e/browser").toFile()).redirectErrorStream(true).start();
        Process pusher = null;
        try (MiniProgram patient = new MiniProgram(suite, app, room, "patient_mp")) {
            String published = firstResult(web);
            assertTrue(published.contains("\"state\":\"PUBLISHING\""), published);
            // the doctor's stream, as the SDK reports it, with where a live-player finds it
            JsonNode update = patient.awaitEvent("roomStreamUpdate", e -> e.path("args").get(2).toString().contains("doctor_7_main"));
            assertTrue(update.path("args").get(2).get(0).path("urlsFLV").asText().endsWith("/doctor_7_main.flv"), update.toString());

            // zg.createPusher().start(streamID): the pusher's url attribute is an RTMP address with a key
            JsonNode started = patient.command("publish patient_mp_main");
            assertTrue(started.path("ok").asBoolean(), started.toString());
            String pushUrl = started.at("/pusher/url").asText();
            assertTrue(pushUrl.startsWith("rtmp://127.0.0.1:") && pushUrl.contains("key="), started.toString());
            pusher = ffmpeg(new ArrayList<>(), pushUrl); // live-pusher, pushing
            patient.command("pushstate 1002");
            patient.awaitEvent("publisherStateUpdate", e -> e.path("args").get(0).path("state").asText().equals("PUBLISHING"));

            // zg.getPlayerInstance(streamID).play(): a player entry whose src is an HTTP-FLV address of the VP8 stream
            JsonNode playing = patient.command("play doctor_7_main flv");
            assertTrue(playing.path("ok").asBoolean(), playing.toString());
            String src = playing.at("/player/src").asText(); // live-player's attribute
            assertTrue(src.contains("/live/" + app.appId() + "/doctor_7_main.flv?key="), playing.toString());
            Path recorded = Files.createTempFile("wenzhen-vp8-bridge", ".flv");
            Process player = ffmpegReading(new ArrayList<>(List.of("-i", src, "-t", "6", "-c", "copy", "-y")), recorded.toString());
            assertTrue(player.waitFor(60, TimeUnit.SECONDS), "ffmpeg reads the bridged stream");
            assertEquals(0, player.exitValue(), output(player));
            assertFlv(recorded, 5.0); // H.264 from the VP8 publisher, AAC from its Opus
            Files.deleteIfExists(recorded);

            // the live-player's net status becomes a quality event and a stats report
            JsonNode stats = patient.command("netstatus doctor_7_main {\"videoBitrate\":700,\"audioBitrate\":48,\"videoFPS\":15,"
                    + "\"videoWidth\":640,\"videoHeight\":480,\"netSpeed\":760}");
            assertTrue(stats.path("ok").asBoolean(), stats.toString());
            assertEquals(700, stats.at("/stats/video/videoBitrate").asInt(), stats.toString());

            // the web user sees the mini-program's stream too
            JsonNode seen = BrowserCallTest.run(List.of("node", "edge-call.mjs", "play", http(suite), Long.toString(app.appId()), room,
                    suite.token(app, "nurse_3"), "nurse_3", "patient_mp_main", "3"));
            assertTrue(seen.path("frames").asInt() > 10 && seen.at("/stats/totalAudioEnergy").asDouble() > 0, seen.toString());

            // logoutRoom: the pusher's RTMP connection ends with the session's publication
            assertTrue(patient.command("logout").path("ok").asBoolean());
            assertTrue(pusher.waitFor(20, TimeUnit.SECONDS), "the gateway closes the pusher's connection at logout");
            assertTrue(patient.command("destroy").path("ok").asBoolean());
        } finally {
            if (pusher != null) {
                pusher.destroyForcibly();
            }
            web.destroy();
            web.waitFor(20, TimeUnit.SECONDS);
            web.destroyForcibly();
        }
    }

    /**
     * One room, two gateways (docs/architecture.md, "Placement and failover"): the web doctor's gateway is the
     * room's home; the mini-program reaches the other gateway and is relayed there, and the RTMP and FLV
     * addresses it is handed name the home, where its media goes. An FLV request that reaches the other
     * gateway anyway (one public address for all) is relayed to the home. A web nurse relayed the same way
     * sees the mini-program's stream.
     */
    @Test
    void aMiniProgramOnOneGatewayAndAWebDoctorOnAnother() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("mini-program across gateways");
        String room = "mp-x-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = suite.replicaEnv();
        env.put("WENZHEN_GATEWAY_ZONE", "zone-mini-home"); // a zone of its own: the doctor's room stays there
        Process pusher = null;
        Process web = null;
        try (QuarkusService home = Replica.start("media-gateway", "media-gateway", env, suite.data.resolve("logs"), "media-gateway-mini-home")) {
            String homeHttp = "http://127.0.0.1:" + home.port();
            web = webPublisher(suite, app, room, homeHttp, "60", "H264");
            String published = firstResult(web);
            assertTrue(published.contains("\"state\":\"PUBLISHING\""), published);
            // (the suite's gateway may not have read the new gateway's first heartbeat yet: its relay waits for it)
            try (MiniProgram patient = new MiniProgram(suite, ws(suite), app, room, "patient_mp")) {
                JsonNode update = patient.awaitEvent("roomStreamUpdate", e -> e.path("args").get(2).toString().contains("doctor_7_main"));
                String flv = update.path("args").get(2).get(0).path("urlsFLV").asText();
                assertTrue(flv.startsWith(homeHttp + "/live/"), "the FLV address names the room's home: " + update);

                JsonNode started = patient.command("publish patient_mp_main");
                assertTrue(started.path("ok").asBoolean(), started.toString());
                String pushUrl = started.at("/pusher/url").asText();
                pusher = ffmpeg(new ArrayList<>(), pushUrl);
                patient.command("pushstate 1002");
                patient.awaitEvent("publisherStateUpdate", e -> e.path("args").get(0).path("state").asText().equals("PUBLISHING"));
                assertEquals(List.of("doctor_7_main", "patient_mp_main"), GatewayFailoverTest.streamsOn(homeHttp, suite, app, room),
                        "the pusher's RTMP went to the home: " + pushUrl);

                JsonNode playing = patient.command("play doctor_7_main flv");
                assertTrue(playing.path("ok").asBoolean(), playing.toString());
                String src = playing.at("/player/src").asText();
                assertTrue(src.startsWith(homeHttp + "/live/") && src.contains("&gw="), playing.toString());
                // behind one public address (an Ingress) the request may reach another gateway: it relays it to the home
                String elsewhere = src.replace(homeHttp, http(suite));
                Path recorded = Files.createTempFile("wenzhen-cross-gateway", ".flv");
                Process player = ffmpegReading(new ArrayList<>(List.of("-i", elsewhere, "-t", "5", "-c", "copy", "-y")), recorded.toString());
                assertTrue(player.waitFor(60, TimeUnit.SECONDS), "ffmpeg reads the doctor's stream through the other gateway");
                assertEquals(0, player.exitValue(), output(player));
                assertFlv(recorded, 4.0);
                Files.deleteIfExists(recorded);

                // a web nurse reaching the suite's gateway is relayed to the home too, and sees the mini-program
                JsonNode seen = BrowserCallTest.run(List.of("node", "edge-call.mjs", "play", http(suite), Long.toString(app.appId()), room,
                        suite.token(app, "nurse_3"), "nurse_3", "patient_mp_main", "3"));
                assertTrue(seen.path("frames").asInt() > 10, seen.toString());
                assertTrue(patient.command("destroy").path("ok").asBoolean());
            }
        } finally {
            stop(pusher, web);
        }
    }

    /**
     * The room's home SIGKILLed under a mini-program and a web doctor (docs/sdk-miniprogram.md, "When the
     * gateway is lost"): the mini-program SDK logs in again through the surviving gateway by itself and puts
     * new addresses in the page; FFmpeg, standing in for live-pusher and live-player, starts over with them as
     * the components would. Prints how long until the new home receives the mini-program's media again, and
     * until the doctor's stream (published again by the Web SDK) can be read over FLV again.
     */
    @Test
    void aMiniProgramCallSurvivesTheLossOfItsHome() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("mini-program failover");
        String room = "mp-fo-" + UUID.randomUUID().toString().substring(0, 8);
        String suiteHttp = http(suite);
        Process pusher = null;
        Process web = null;
        QuarkusService home = GatewayFailoverTest.homeGateway(suite, "gateway-mini-fo-" + UUID.randomUUID().toString().substring(0, 6),
                Map.of());
        try {
            String homeHttp = "http://127.0.0.1:" + home.port();
            web = webPublisher(suite, app, room, homeHttp, "120", "H264");
            assertTrue(firstResult(web).contains("\"state\":\"PUBLISHING\""));
            Thread.sleep(1000); // the suite's gateway reads the home's heartbeat before the mini-program is relayed there
            try (MiniProgram patient = new MiniProgram(suite, ws(suite), app, room, "patient_mp")) {
                patient.awaitEvent("roomStreamUpdate", e -> e.path("args").get(2).toString().contains("doctor_7_main"));
                String pushUrl = patient.command("publish patient_mp_main").at("/pusher/url").asText();
                pusher = ffmpeg(new ArrayList<>(), pushUrl);
                patient.command("pushstate 1002");
                String src = patient.command("play doctor_7_main flv").at("/player/src").asText();
                assertTrue(src.startsWith(homeHttp), "the doctor's stream is read from the home: " + src);

                long killed = System.nanoTime();
                home.process().destroyForcibly();
                pusher.destroyForcibly(); // its server is gone: live-pusher would retry the old address in vain

                // the page gets a new push address (the new home's) and a new player src: the components start over
                String newPush = awaitPage(patient, page -> page.at("/pusher/url").asText(""), url -> !url.isEmpty() && !url.equals(pushUrl));
                pusher = ffmpeg(new ArrayList<>(), newPush);
                patient.command("pushstate 1002");
                long upstream = awaitMedia(suiteHttp, suite, app, room, "patient_mp_main") - killed;
                String newSrc = awaitPage(patient, page -> {
                    for (JsonNode player : page.path("playerList")) {
                        if (player.path("id").asText().equals("doctor_7_main")) {
                            return player.path("src").asText("");
                        }
                    }
                    return "";
                }, url -> !url.isEmpty() && !url.equals(src));
                assertTrue(newSrc.startsWith(suiteHttp), "the doctor's stream is read from the new home: " + newSrc);
                Path recorded = Files.createTempFile("wenzhen-mini-failover", ".flv");
                Process player = ffmpegReading(new ArrayList<>(List.of("-i", newSrc, "-t", "2", "-c", "copy", "-y")), recorded.toString());
                assertTrue(player.waitFor(60, TimeUnit.SECONDS), "ffmpeg reads the doctor's stream again");
                long downstream = System.nanoTime() - killed - Duration.ofSeconds(2).toNanos();
                assertEquals(0, player.exitValue(), output(player));
                assertFlv(recorded, 1.5);
                Files.deleteIfExists(recorded);
                System.out.printf("mini-program failover: the home SIGKILLed; the new home received the pusher's media %d ms later;"
                        + " the doctor's stream read over FLV again about %d ms later%n", upstream / 1_000_000, downstream / 1_000_000);
                assertTrue(upstream < GatewayFailoverTest.GOAL.toNanos() && downstream < GatewayFailoverTest.GOAL.toNanos(),
                        "media back within " + GatewayFailoverTest.GOAL);
                patient.command("destroy");
            }
        } finally {
            stop(pusher, web);
            home.close();
        }
    }

    /** e2e/browser/edge-call.mjs publishing the doctor's camera through {@code gatewayHttp} for {@code hold} seconds. */
    private static Process webPublisher(Suite suite, Suite.App app, String room, String gatewayHttp, String hold, String codec)
            throws Exception {
        return new ProcessBuilder("node", "edge-call.mjs", "publish", gatewayHttp, Long.toString(app.appId()), room,
                suite.token(app, "doctor_7"), "doctor_7", "doctor_7_main", hold, codec)
                .directory(SuiteProcess.ROOT.resolve("e2e/browser").toFile()).redirectErrorStream(true).start();
    }

    /** Ends what a test started, whichever of them it got to (null: not started): FFmpeg at once, a browser politely first. */
    private static void stop(Process pusher, Process web) throws InterruptedException {
        if (pusher != null) {
            pusher.destroyForcibly();
        }
        if (web != null) {
            web.destroy();
            web.waitFor(20, TimeUnit.SECONDS);
            web.destroyForcibly();
        }
    }

    /** Polls the driver's page until {@code read} gives a value {@code done} accepts (30 s). */
    private static String awaitPage(MiniProgram program, Function<JsonNode, String> read, Predicate<String> done)
            throws Exception {
        for (int i = 0; i < 300; i++) {
            String value = read.apply(program.command("page"));
            if (done.test(value)) {
                return value;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the page did not change: " + program.command("page"));
    }

    /** When the gateway's media API first shows the stream with media arriving (nanoTime; 30 s at most). */
    private static long awaitMedia(String gatewayHttp, Suite suite, Suite.App app, String room, String stream) throws Exception {
        for (int i = 0; i < 300; i++) {
            var response = Suite.get(gatewayHttp + "/api/v1/media/streams", suite.adminToken);
            for (JsonNode s : Suite.JSON.readTree(response.body())) {
                if (s.path("roomKey").asText().equals(app.appId() + "/" + room) && s.path("streamId").asText().equals(stream)
                        && s.at("/publisher/packets").asLong() > 0) {
                    return System.nanoTime();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(stream + " never received media at " + gatewayHttp);
    }

    /** The mini-program SDK's driver (sdk/miniprogram/test/gateway): commands in, JSON lines out. */
    static final class MiniProgram implements AutoCloseable {
        private final Process node;
        private final BufferedWriter in;
        private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
        private final List<JsonNode> events = new CopyOnWriteArrayList<>();

        MiniProgram(Suite suite, Suite.App app, String room, String userId) throws Exception {
            this(suite, ws(suite), app, room, userId);
        }

        MiniProgram(Suite suite, URI gateway, Suite.App app, String room, String userId) throws Exception {
            node = new ProcessBuilder("node", "--experimental-websocket", "--no-warnings", "sdk/miniprogram/test/gateway/miniprogram-driver.mjs",
                    gateway.toString(), Long.toString(app.appId()), room, userId, suite.token(app, userId))
                    .directory(SuiteProcess.ROOT.toFile()).redirectErrorStream(true).start();
            in = new BufferedWriter(new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8));
            Thread.ofVirtual().start(() -> {
                try (var out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null;) {
                        JsonNode message;
                        try {
                            message = Suite.JSON.readTree(line);
                        } catch (IOException e) {
                            message = Suite.JSON.createObjectNode().put("ok", false).put("output", line);
                        }
                        if (message.has("event")) {
                            events.add(message);
                        } else {
                            replies.add(message);
                        }
                    }
                } catch (IOException e) {
                    // the driver ended
                }
            });
            JsonNode ready = replies.poll(30, TimeUnit.SECONDS);
            assertTrue(ready != null && ready.path("ready").asBoolean(), "the mini-program SDK logs in: " + ready);
        }

        JsonNode command(String line) throws Exception {
            in.write(line);
            in.newLine();
            in.flush();
            JsonNode reply = replies.poll(30, TimeUnit.SECONDS);
            assertTrue(reply != null, "no reply to " + line);
            return reply;
        }

        JsonNode awaitEvent(String name, Predicate<JsonNode> test) throws InterruptedException {
            for (int i = 0; i < 300; i++) {
                for (JsonNode event : events) {
                    if (event.path("event").asText().equals(name) && test.test(event)) {
                        return event;
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no " + name + " event; events: " + events);
        }

        @Override
        public void close() throws Exception {
            in.close();
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
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
        // the decoded frames keep the file's millisecond times (-enc_time_base -1): in a time base of 1/frame rate, two
        // frames of a live stream closer than a frame interval (valid, strictly increasing in the file) would round to
        // one time, and the null muxer logs that as an error
        Process decode = new ProcessBuilder("ffmpeg", "-v", "error", "-i", file.toString(), "-enc_time_base", "-1", "-f", "null", "-")
                .redirectErrorStream(true).start();
        String errors = new String(decode.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(decode.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, decode.exitValue(), errors);
        assertTrue(errors.isBlank(), "decodes without errors: " + errors);
        System.out.println("FLV " + file.getFileName() + ": " + tags.size() + " tags, " + info.at("/format/duration").asDouble() + " s, "
                + codecs);
    }

    private static String firstResult(Process process) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
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

    /** FFmpeg pushing (a live-pusher): the test picture and tone, then {@code arguments} as output options (e.g. -t). */
    static Process ffmpeg(List<String> arguments, String target) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"));
        command.addAll(PUSH);
        command.addAll(arguments);
        command.add(target);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** FFmpeg reading (a player): the arguments as given, then the output. */
    static Process ffmpegReading(List<String> arguments, String output) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"));
        command.addAll(arguments);
        command.add(output);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** A plain GET (no bearer: the edge's addresses carry their own key). */
    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
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
