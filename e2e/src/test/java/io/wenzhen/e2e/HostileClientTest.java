package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wenzhen.devstack.QuarkusService;

/**
 * What one hostile client in a consultation can do to the others, through the whole suite with real
 * Chromium calls (docs/reliability.md). Each test fails on a gateway without the guard it names.
 */
class HostileClientTest {

    /**
     * Stream takeover: a second user of the room, whose token allows any streamID (the tutorial's basic
     * token), publishes under the doctor's streamID with a real offer while the patient watches. The
     * gateway refuses with 10209 before its SFU touches the doctor's publication, the intruder cannot
     * unpublish it either, and the patient's player keeps decoding throughout.
     */
    @Test
    void aSecondPublisherOfTheDoctorsStreamIdIsRefusedAndThePatientKeepsDecoding() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("takeover");
        String room = "takeover-" + UUID.randomUUID().toString().substring(0, 8);
        List<JsonNode> refusals = new ArrayList<>();
        JsonNode call = HeldCall.run(suite, app, room, 6, () -> {
            try (SignalingClient intruder = SignalingClient.connect(suite.gatewayWs())) {
                JsonNode login = intruder.login(app.appId(), room, suite.token(app, "intruder_9"), "intruder_9", true);
                assertTrue(login.get("ok").asBoolean(), login.toString());
                // twice over WebRTC (the second after the first was refused: nothing of it may linger), once over RTMP
                refusals.add(intruder.request(intruder.message("publish").put("streamID", "doctor_7_main").put("sdp", offer())));
                refusals.add(intruder.request(intruder.message("publish").put("streamID", "doctor_7_main").put("sdp", offer())));
                refusals.add(intruder.request(intruder.message("publish").put("streamID", "doctor_7_main").put("transport", "rtmp")));
                refusals.add(intruder.request(intruder.message("unpublish").put("streamID", "doctor_7_main")));
            }
        });
        assertEquals(4, refusals.size(), "the intruder got in during the hold: " + call);
        for (int i = 0; i < 3; i++) {
            assertEquals(10209, refusals.get(i).path("code").asInt(), "STREAM_ID_IN_USE: " + refusals.get(i));
        }
        assertEquals(10211, refusals.get(3).path("code").asInt(), "not the intruder's stream to end: " + refusals.get(3));
        int frames = call.at("/player/framesDuringHold").asInt();
        System.out.println("stream takeover attempt: refused " + refusals.stream().map(r -> r.path("code").asText()).toList()
                + "; the patient decoded " + frames + " frames during the 6 s hold");
        assertTrue(frames >= 60, "the patient kept decoding the doctor (fake camera, ~30 fps): " + call);
        assertEquals("doctor_7_main", call.at("/player/ended").asText(), "and the doctor's own unpublish still ends it: " + call);
    }

    /**
     * A connection flood from one address: 3,000 sockets opened from 127.0.0.2 and left idle. Past the
     * per-address cap they are refused at once (10322); those let in are closed at the login deadline
     * (10323) whatever heartbeats they send; a real user from another address logs in throughout.
     */
    @Test
    void idleSocketsFromOneAddressAreCappedAndDoNotLockOutARealLogin() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("flood");
        withGateway(Map.of("WENZHEN_GATEWAY_LOGIN_DEADLINE", "PT4S", "WENZHEN_GATEWAY_WS_MAX_CONNECTIONS_PER_ADDRESS", "200"), "flood",
                gateway -> {
            URI ws = URI.create(gateway.replace("http", "ws") + "/ws");
            HttpClient stranger = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build();
            List<FloodSocket> sockets = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                FloodSocket socket = new FloodSocket();
                try {
                    stranger.newWebSocketBuilder().buildAsync(ws, socket).get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    socket.closed = true; // refused before the upgrade: counts as refused
                }
                sockets.add(socket);
            }
            long openAtOnce = sockets.stream().filter(s -> s.saw("\"hello\"") && !s.closed).count();
            try (SignalingClient patient = SignalingClient.connect(ws)) {
                JsonNode login = patient.login(app.appId(), "flood-room", suite.token(app, "patient_1"), "patient_1", false);
                assertTrue(login.get("ok").asBoolean(), "a real login during the flood: " + login);
                Thread.sleep(1000);
                long accepted = sockets.stream().filter(s -> s.saw("\"hello\"")).count();
                long refused = sockets.stream().filter(s -> s.saw("10322")).count();
                System.out.println("connection flood: 3,000 sockets from one address -> " + openAtOnce + " open at the end of it, "
                        + accepted + " let in over its course (the login deadline freed places), " + refused
                        + " refused with 10322; a real login from another address: ok");
                assertTrue(openAtOnce > 0 && openAtOnce <= 200, "never more open than the per-address cap: " + openAtOnce);
                assertEquals(3000, accepted + refused, "each socket either let in or refused with TOO_MANY_CONNECTIONS");
                assertTrue(refused >= 2000, "most refused: " + refused);
                long deadline = System.nanoTime() + 15_000_000_000L;
                while (sockets.stream().anyMatch(s -> !s.closed) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals(0, sockets.stream().filter(s -> !s.closed).count(), "idle sockets closed at the login deadline");
                assertEquals(accepted, sockets.stream().filter(s -> s.saw("10323")).count(), "each let in was closed with LOGIN_DEADLINE");
                assertTrue(patient.request(patient.message("heartbeat")).get("ok").asBoolean(), "the logged-in user stays");
            }
            return null;
        });
    }

    /**
     * One user with a basic token tries to take a gateway's memory: a session publishes at most its
     * cap of streams (10319) and plays at most its cap, and a gateway past its memory budget refuses
     * new logins with 10321; other users keep working.
     */
    @Test
    void oneSessionsStreamsAreCappedAndAGatewayPastItsMemoryBudgetRefusesNewWork() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("exhaust");
        String room = "exhaust-" + UUID.randomUUID().toString().substring(0, 8);
        withGateway(Map.of("WENZHEN_GATEWAY_MAX_PLAYS_PER_SESSION", "2"), "exhaust", gateway -> {
            URI ws = URI.create(gateway.replace("http", "ws") + "/ws");
            try (SignalingClient intruder = SignalingClient.connect(ws); SignalingClient doctor = SignalingClient.connect(ws)) {
                assertTrue(intruder.login(app.appId(), room, suite.token(app, "intruder_9"), "intruder_9", false).get("ok").asBoolean());
                List<Integer> codes = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    codes.add(intruder.request(intruder.message("publish").put("streamID", "s" + i).put("sdp", offer())).path("code").asInt());
                }
                assertEquals(List.of(0, 0, 0, 0, 10319, 10319), codes, "four publications per session, then SESSION_MEDIA_LIMIT");
                List<Integer> plays = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    plays.add(intruder.request(intruder.message("play").put("streamID", "s" + i).put("sdp", playOffer())).path("code").asInt());
                }
                assertEquals(List.of(0, 0, 10319), plays, "two playbacks per session here, then SESSION_MEDIA_LIMIT");
                ObjectNode forged = intruder.message("stats").put("streamID", "doctor_7_main")
                        .put("direction", "publish");
                forged.putObject("stats").put("videoBitrate", 1);
                assertEquals(10211, intruder.request(forged).path("code").asInt(), "no figures for another user's stream");
                JsonNode login = doctor.login(app.appId(), room, suite.token(app, "doctor_7"), "doctor_7", false);
                assertTrue(login.get("ok").asBoolean(), "another user is unaffected: " + login);
                assertTrue(doctor.request(doctor.message("publish").put("streamID", "doctor_7_main").put("sdp", offer()))
                        .get("ok").asBoolean());
            }
            return null;
        });
        withGateway(Map.of("WENZHEN_GATEWAY_MEMORY_BUDGET", "0.0001"), "busy", gateway -> {
            try (SignalingClient late = SignalingClient.connect(URI.create(gateway.replace("http", "ws") + "/ws"))) {
                JsonNode login = late.login(app.appId(), room, suite.token(app, "late_1"), "late_1", false);
                assertEquals(10321, login.path("code").asInt(), "GATEWAY_BUSY past the memory budget: " + login);
            }
            return null;
        });
    }

    /**
     * Revocation: disabling an app ends its live sessions at once (kicked, 10005), and rotating a leaked
     * secret with revoke=true ends the sessions whose token only the old secret verified, while a token of
     * the new secret logs in.
     */
    @Test
    void disablingAnAppOrRevokingItsSecretEndsItsLiveSessions() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("revoked");
        String room = "revoke-" + UUID.randomUUID().toString().substring(0, 8);
        try (SignalingClient patient = SignalingClient.connect(suite.gatewayWs())) {
            assertTrue(patient.login(app.appId(), room, suite.token(app, "patient_1"), "patient_1", false).get("ok").asBoolean());
            JsonNode rotated = Suite.post(suite.auth("/api/v1/apps/" + app.appId() + "/secret/rotate?revoke=true"),
                    suite.adminToken, null);
            JsonNode kicked = patient.await(m -> "kicked".equals(m.path("type").asText()), Duration.ofSeconds(15));
            assertTrue(kicked.path("code").asInt() >= 10100 && kicked.path("code").asInt() < 10200,
                    "a token refusal once its secret is revoked: " + kicked);
            Suite.App renewed = new Suite.App(app.appId(), rotated.get("serverSecret").asText());
            try (SignalingClient again = SignalingClient.connect(suite.gatewayWs())) {
                assertTrue(again.login(app.appId(), room, suite.token(renewed, "patient_1"), "patient_1", false).get("ok").asBoolean(),
                        "a token of the new secret logs in");
                Suite.post(suite.auth("/api/v1/apps/" + app.appId() + "/disable"), suite.adminToken, null);
                JsonNode disabled = again.await(m -> "kicked".equals(m.path("type").asText()), Duration.ofSeconds(15));
                assertEquals(10005, disabled.path("code").asInt(), "APP_DISABLED: " + disabled);
            }
        }
    }

    /**
     * A slow reader: a client that sends requests but stops reading what comes back would grow the
     * gateway's write queue without end. Past 1,024 unsent frames the gateway closes it ("slow reader"),
     * and a real user on the same gateway logs in meanwhile.
     */
    @Test
    void aClientThatStopsReadingIsCutOnceItsUnsentFramesPassTheBound() throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("slow reader");
        URI ws = suite.gatewayWs();
        Path gatewayLog = suite.data.resolve("logs").resolve("media-gateway.log");
        long cutsBefore = slowReaderCuts(gatewayLog);
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096); // a small window, fixed before connecting: the gateway's replies back up soon
            stalled.connect(new InetSocketAddress(ws.getHost(), ws.getPort()), 5000);
            stalled.setSoTimeout(10_000);
            InputStream in = stalled.getInputStream();
            OutputStream out = stalled.getOutputStream();
            out.write(("GET " + ws.getPath() + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + ws.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String upgrade = readHead(in);
            assertTrue(upgrade.startsWith("HTTP/1.1 101"), upgrade);

            int sent = 0;
            try {
                // requests as fast as TCP takes them, read by the gateway and each answered (RATE_LIMITED once past
                // the limiter: an answer all the same), never read here
                for (; sent < 20_000; sent++) {
                    out.write(textFrame("{\"type\":\"heartbeat\",\"id\":\"h" + sent + "\"}"));
                }
            } catch (IOException closedUnderUs) {
                // the gateway closed the connection while we were still writing: what is checked below
            }
            try (SignalingClient patient = SignalingClient.connect(ws)) {
                assertTrue(patient.login(app.appId(), "slow-reader-room", suite.token(app, "patient_1"), "patient_1", false)
                        .get("ok").asBoolean(), "another user logs in meanwhile");
            }
            // and reads nothing for a while yet: the requests may still sit in the kernel's buffers (the writes above
            // return once they are there), and a gateway that works through them while this client already reads
            // back would never fall behind (seen on a busy machine: every answer read, nothing cut)
            Thread.sleep(5_000);

            int replies = 0;
            String closeReason = null;
            String ending;
            try {
                DataInputStream frames = new DataInputStream(in);
                while (closeReason == null) {
                    int opcode = frames.readUnsignedByte() & 0x0f;
                    long length = frames.readUnsignedByte() & 0x7f;
                    length = length == 126 ? frames.readUnsignedShort() : length == 127 ? frames.readLong() : length;
                    byte[] payload = new byte[(int) length];
                    frames.readFully(payload);
                    if (opcode == 0x8) {
                        closeReason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    } else if (opcode == 0x1) {
                        replies++;
                    }
                }
                ending = "a close frame: " + closeReason;
            } catch (SocketTimeoutException stillOpen) {
                ending = "nothing: still open after 10 s of silence";
            } catch (EOFException | SocketException cut) {
                // The gateway writes its close frame and closes the socket. When requests it has not read are
                // still in its receive buffer (this client was writing when the bound was passed — seen in CI on
                // a busy machine), the kernel answers the close with a reset and discards what it had not sent,
                // the close frame included: the client sees the connection end without a reason.
                ending = "the connection ending without a close frame (" + cut + ")";
            }
            System.out.printf("slow reader: %d requests sent, %d answers read back, then %s%n", sent, replies, ending);
            assertTrue(closeReason == null ? !ending.startsWith("nothing") : closeReason.equals("slow reader"),
                    "the gateway cuts a connection whose unsent frames pass the bound, with the reason \"slow reader\" when the"
                            + " close frame can reach the client; it ended with " + ending);
            assertTrue(replies < sent, "answers past the bound were never queued: " + replies + " of " + sent);
            // and it was the bound that cut it, not another reason to close (the login deadline, a reset)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (slowReaderCuts(gatewayLog) == cutsBefore && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(slowReaderCuts(gatewayLog) > cutsBefore, "the gateway logged the cut as a slow reader's");
        }
    }

    /** How many slow-reader cuts the gateway has logged. */
    private static long slowReaderCuts(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains("cut: ") && line.contains("(slow reader)")).count();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during the upgrade: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** A client's text frame: masked, as RFC 6455 requires of clients (an all-zero key leaves the text as is). */
    private static byte[] textFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | payload.length); // under 126 bytes here
        frame.writeBytes(new byte[4]);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    /** A gateway of its own for one test, with some settings changed, on the suite's Kafka and keys. */
    static void withGateway(Map<String, String> settings, String name, BrowserCallTest.Call call) throws Exception {
        Suite suite = Suite.get();
        Map<String, String> env = suite.replicaEnv();
        env.putAll(settings);
        env.put("WENZHEN_GATEWAY_MEDIA_PORT", "0");
        env.put("WENZHEN_GATEWAY_RTMP_PORT", "-1");
        env.put("WENZHEN_GATEWAY_ZONE", "zone-" + name); // a zone of its own: rooms asked for there stay there
        QuarkusService gateway = Replica.start("media-gateway", "media-gateway", env, suite.data.resolve("logs"),
                "media-gateway-" + name);
        try (QuarkusService started = gateway) {
            call.through("http://127.0.0.1:" + started.port());
        }
    }

    /** A socket that only listens: what a flood's sockets do. */
    static final class FloodSocket implements WebSocket.Listener {
        final StringBuilder text = new StringBuilder();
        volatile boolean closed;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            synchronized (text) {
                text.append(data);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            closed = true;
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed = true;
        }

        boolean saw(String part) {
            synchronized (text) {
                return text.indexOf(part) >= 0;
            }
        }
    }

    /** A recvonly offer, as a player's browser makes it. */
    static String playOffer() {
        return offer().replace("a=sendonly", "a=recvonly").replaceAll("a=ssrc:[^\\r]*\\r\\n", "");
    }

    /** A browser-shaped sendonly offer (Opus, VP8) with a fingerprint and mids: enough for the SFU to answer it. */
    static String offer() {
        String fingerprint = String.join(":", Collections.nCopies(32, "AB"));
        return "v=0\r\no=- 7 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=ice-ufrag:evil\r\n"
                + "a=ice-pwd:evilpasswordevilpassword\r\na=fingerprint:sha-256 " + fingerprint + "\r\n"
                + "a=setup:actpass\r\na=sendonly\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=ssrc:1111 cname:evil\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sendonly\r\na=rtcp-mux\r\n"
                + "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\na=ssrc:2222 cname:evil\r\n";
    }
}
