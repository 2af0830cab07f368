package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.wenzhen.devstack.QuarkusService;

/**
 * Two real headless Chromium instances through the whole suite: a doctor publishes the fake camera
 * and microphone, a patient plays it through the gateway's SFU (ICE-lite, DTLS-SRTP, forwarding).
 * Needs Debian's chromium and the npm package playwright-core in e2e/browser (./wenzhen test installs
 * both); fails, never skips, without them.
 */
class BrowserCallTest {

    @Test
    void aPatientSeesAndHearsTheDoctorThroughTheGatewayInH264() throws Exception {
        call("H264");
    }

    @Test
    void andInVp8() throws Exception {
        call("VP8");
    }

    /** A hospital network that drops UDP: a gateway offering only its ICE-TCP candidate (RFC 6544). */
    @Test
    void andOverIceTcpWhereUdpIsNotAnOption() throws Exception {
        JsonNode result = throughGateway("WENZHEN_GATEWAY_ICE_UDP", "false", "tcp", gateway -> call("H264", gateway));
        assertEquals("tcp", result.at("/player/iceProtocol").asText(), "media over ICE-TCP: " + result);
    }

    /**
     * A lossy last mile: the gateway drops 5 % of the video toward the player on purpose, and the player's
     * NACKs are answered from the retransmission cache on its RTX stream, negotiated in both answers.
     */
    @Test
    void andRepairsLossWithNacksAnsweredOverRtx() throws Exception {
        JsonNode result = throughGateway("WENZHEN_GATEWAY_IMPAIRMENT_PLAYER_LOSS", "0.05", "lossy", gateway -> call("VP8", gateway, 90));
        String answer = result.at("/player/answer").asText();
        assertTrue(answer.matches("(?s).*a=fmtp:\\d+ apt=\\d+.*") && answer.contains("a=ssrc-group:FID "),
                "RTX in the player's answer: " + answer);
        assertTrue(result.at("/player/nackCount").asInt() > 0, "the player NACKed the dropped packets: " + result.get("player"));
        if (!result.at("/player/retransmitted").isNull()) {
            assertTrue(result.at("/player/retransmitted").asInt() > 0, "and got them again over RTX: " + result.get("player"));
        }
        System.out.println("browser call with 5 % video loss toward the player: " + result.at("/player/nackCount").asInt()
                + " NACKs, " + result.at("/player/retransmitted") + " retransmissions received, "
                + result.at("/player/packetsLost").asInt() + " counted lost by Chromium (before repair), "
                + result.at("/player/frames").asInt() + " frames decoded");
    }

    interface Call {
        JsonNode through(String gateway) throws Exception;
    }

    /** A call through a gateway of its own, started for it with one setting changed. */
    static JsonNode throughGateway(String variable, String value, String name, Call call) throws Exception {
        Suite suite = Suite.get();
        Map<String, String> env = suite.replicaEnv();
        env.put(variable, value);
        env.put("WENZHEN_GATEWAY_ZONE", "zone-" + name); // a zone of its own: rooms asked for there stay there
        try (QuarkusService gateway = Replica.start("media-gateway", "media-gateway", env, suite.data.resolve("logs"),
                "media-gateway-" + name)) {
            return call.through("http://127.0.0.1:" + gateway.port());
        }
    }

    private static JsonNode call(String codec) throws Exception {
        return call(codec, "http://127.0.0.1:" + Suite.get().env.get("WENZHEN_GATEWAY_PORT"));
    }

    private static JsonNode call(String codec, String gateway) throws Exception {
        return call(codec, gateway, 30);
    }

    private static JsonNode call(String codec, String gateway, int minFrames) throws Exception {
        Suite suite = Suite.get();
        Suite.App app = suite.createApp("browser call");
        String room = "call-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode result = run(List.of("node", "call.mjs", gateway,
                Long.toString(app.appId()), suite.token(app, "doctor_7"), suite.token(app, "patient_1"), room, codec, Integer.toString(minFrames)));

        assertEquals("connected", result.at("/publisher/state").asText(), result.toString());
        assertEquals("connected", result.at("/player/state").asText(), result.toString());
        assertTrue(result.at("/player/frames").asInt() >= minFrames, "frames decoded: " + result);
        assertEquals(640, result.at("/player/width").asInt(), result.toString());
        assertEquals(480, result.at("/player/height").asInt(), result.toString());
        assertEquals("video/" + codec, result.at("/player/codec").asText(), "the publisher's codec, forwarded: " + result);
        assertTrue(result.at("/player/audioPackets").asInt() > 0, "audio arrives: " + result);
        assertEquals("SRTP_AEAD_AES_128_GCM", result.at("/player/srtpCipher").asText(), "Chromium offers AES-GCM and the gateway takes it: " + result);
        assertEquals("doctor_7_main", result.at("/player/ended").asText(), "the player hears the stream ended: " + result);
        System.out.println("browser call (" + codec + ", " + result.at("/player/iceProtocol").asText() + "): first frame "
                + result.at("/player/firstFrameMs").asInt() + " ms after play (including ICE and DTLS)");
        return result;
    }

    static JsonNode run(List<String> command) throws IOException, InterruptedException {
        Process node = new ProcessBuilder(command).directory(SuiteProcess.ROOT.resolve("e2e/browser").toFile())
                .redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(3, TimeUnit.MINUTES), "the browsers did not finish");
        String line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no result from the browsers (is chromium installed? "
                        + "npm ci in e2e/browser?):\n" + output));
        return Suite.JSON.readTree(line.substring("RESULT ".length()));
    }
}
