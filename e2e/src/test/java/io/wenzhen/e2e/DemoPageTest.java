package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code ./wenzhen up} offers a developer: the demo page and the Web SDK served by the gateway, a
 * demo app created at the first start, and dev tokens for it (for no other app). The page itself is
 * driven in headless Chromium: two people join and one sees the other.
 */
class DemoPageTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theDemoPageWorksOutOfTheBoxWithDevTokensForTheDemoAppOnly() throws Exception {
        Suite suite = Suite.get();
        String line = suite.process.awaitLine("demo page: ", Duration.ofSeconds(1));
        String base = "http://127.0.0.1:" + suite.env.get("WENZHEN_GATEWAY_PORT");
        assertTrue(line.contains(base + "/demo/?appId="), line);
        long demoApp = Long.parseLong(line.replaceAll(".*\\?appId=(\\d+).*", "$1"));

        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/demo/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("web debug page"), page.body());
        HttpResponse<String> sdk = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/sdk/index.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, sdk.statusCode());
        assertTrue(sdk.headers().firstValue("content-type").orElse("").contains("javascript"), sdk.headers().toString());
        assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/sdk/index.d.ts")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());

        // a dev token for the demo app logs in; another app gets none
        String room = "demo-" + UUID.randomUUID().toString().substring(0, 6);
        JsonNode token = Suite.post(base + "/dev/token", null, Map.of("appId", demoApp, "userID", "doctor_7", "roomID", room));
        try (SignalingClient client = SignalingClient.connect(suite.gatewayWs())) {
            JsonNode login = client.login(demoApp, room, token.get("token").asText(), "doctor_7", false);
            assertTrue(login.get("ok").asBoolean(), login.toString());
        }
        Suite.App other = suite.createApp("not the demo");
        assertEquals(403, Suite.send(base + "/dev/token", null, Map.of("appId", other.appId(), "userID", "x", "roomID", room)).statusCode());
        assertEquals(400, Suite.send(base + "/dev/token", null, Map.of("appId", demoApp, "userID", "x")).statusCode(),
                "a dev token is for one room");

        JsonNode r = BrowserCallTest.run(List.of("node", "demo.mjs", base, Long.toString(demoApp), "demo-page-" + room));
        assertTrue(r.path("error").isMissingNode() && r.path("pageErrors").isMissingNode(), r.toString());
        assertEquals(640, r.at("/patient/width").asInt(), r.toString());
        assertTrue(r.at("/patient/users").toString().contains("doctor_7"), r.toString());
        assertTrue(r.at("/patient/streams").toString().contains("doctor_7_main"), r.toString());
        assertTrue(r.at("/doctorQuality").asText().contains("kbps"), r.toString());
    }
}
