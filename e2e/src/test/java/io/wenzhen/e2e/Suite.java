package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wenzhen.devstack.Ports;

/**
 * One running suite for the tests of a JVM: {@code ./wenzhen up} on ports of its own, with a short
 * resume grace so the tests can watch it run out. Stopped when the JVM exits.
 */
final class Suite {

    static final Duration RESUME_GRACE = Duration.ofSeconds(4);
    static final Duration GATEWAY_TIMEOUT = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Suite instance;

    final Map<String, String> env = new HashMap<>();
    final Path data;
    final SuiteProcess process;
    final String adminToken;

    private Suite() throws Exception {
        this(Map.of());
    }

    /** A suite of its own (drills): {@code extra} adds to or overrides the test settings (external Kafka, PostgreSQL …). */
    Suite(Map<String, String> extra) throws Exception {
        for (String port : new String[] {"WENZHEN_AUTH_PORT", "WENZHEN_ROOM_PORT", "WENZHEN_GATEWAY_PORT",
                "WENZHEN_QUALITY_PORT", "WENZHEN_POSTGRES_PORT"}) {
            env.put(port, Integer.toString(Ports.ephemeral()));
        }
        int kafka;
        do {
            kafka = Ports.ephemeral();
        } while (!Ports.isFree(kafka + 1));
        env.put("WENZHEN_KAFKA_PORT", Integer.toString(kafka));
        env.put("WENZHEN_GATEWAY_MEDIA_PORT", "0"); // a free UDP port for each gateway the tests start
        env.put("WENZHEN_GATEWAY_RTMP_PORT", "0"); // and a free RTMP port: clients learn it from the addresses signaling hands out
        env.put("WENZHEN_GATEWAY_PIPE_PORT", "0"); // and a free pipe port: peers learn it in each pipe's control exchange
        env.put("WENZHEN_GATEWAY_RESUME_GRACE", "PT" + RESUME_GRACE.toSeconds() + "S");
        env.put("WENZHEN_ROOM_GATEWAY_TIMEOUT", "PT" + GATEWAY_TIMEOUT.toSeconds() + "S");
        // the tests' own gateways stop at once when closed (the drain test turns it on for its gateway)
        env.put("WENZHEN_GATEWAY_DRAIN_ON_SIGTERM", "false");
        // a consultation's quality report a few seconds after its room closes, not half a minute
        env.put("WENZHEN_QUALITY_IDLE", "PT3S");
        env.put("WENZHEN_QUALITY_REPORT_GRACE", "PT5S");
        env.put("WENZHEN_QUALITY_TICK", "PT1S");
        env.putAll(extra);
        data = Files.createTempDirectory("wenzhen-suite-");
        process = SuiteProcess.start(env, "--data", data.toString());
        Runtime.getRuntime().addShutdownHook(new Thread(process::close));
        process.awaitLine("Ctrl-C stops everything", Duration.ofMinutes(4));
        String password = process.awaitLine("bootstrap admin", Duration.ofSeconds(1)).replaceAll(".*password '([^']+)'.*", "$1");
        adminToken = post(auth("/api/v1/admin/login"), null, Map.of("username", "admin", "password", password))
                .get("token").asText();
    }

    static synchronized Suite get() {
        if (instance == null) {
            try {
                instance = new Suite();
            } catch (Exception e) {
                throw new IllegalStateException("the suite did not start", e);
            }
        }
        return instance;
    }

    /** The suite's media-gateway process (a child of ./wenzhen up's launcher). */
    ProcessHandle gatewayProcess() {
        return process.descendants().stream().filter(p -> p.info().commandLine().orElse("").contains("media-gateway/target/quarkus-app"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no media-gateway process under the suite"));
    }

    String auth(String path) {
        return "http://127.0.0.1:" + env.get("WENZHEN_AUTH_PORT") + path;
    }

    String room(String path) {
        return "http://127.0.0.1:" + env.get("WENZHEN_ROOM_PORT") + path;
    }

    URI gatewayWs() {
        return URI.create("ws://127.0.0.1:" + env.get("WENZHEN_GATEWAY_PORT") + "/ws");
    }

    String kafka() {
        return "127.0.0.1:" + env.get("WENZHEN_KAFKA_PORT");
    }

    /** What another replica of a service needs to join this suite: its Kafka, database and keys. */
    Map<String, String> replicaEnv() throws IOException {
        Path secrets = data.resolve("secrets");
        Map<String, String> replica = new HashMap<>(env);
        replica.put("KAFKA_BOOTSTRAP_SERVERS", kafka());
        replica.put("WENZHEN_POSTGRES_URL", "postgresql://127.0.0.1:" + env.get("WENZHEN_POSTGRES_PORT") + "/wenzhen");
        replica.put("WENZHEN_POSTGRES_USER", "wenzhen");
        replica.put("WENZHEN_POSTGRES_PASSWORD", Files.readString(secrets.resolve("postgres.password")).strip());
        replica.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", secrets.resolve("jwt-public.pem").toString());
        replica.put("WENZHEN_SECRETS_CLUSTER_KEY_FILE", secrets.resolve("cluster.key").toString());
        return replica;
    }

    /** A new app: its AppID and ServerSecret. */
    App createApp(String name) throws IOException, InterruptedException {
        return createApp(Map.of("name", name));
    }

    App createApp(Map<String, Object> settings) throws IOException, InterruptedException {
        JsonNode app = post(auth("/api/v1/apps"), adminToken, settings);
        return new App(app.get("appId").asLong(), app.get("serverSecret").asText());
    }

    record App(long appId, String secret) {
    }

    /** A Token04 from auth-service's REST endpoint, as a hospital back end would get it. */
    String token(App app, Map<String, Object> request) throws IOException, InterruptedException {
        HttpRequest http = HttpRequest.newBuilder(URI.create(auth("/api/v1/tokens")))
                .header("content-type", "application/json")
                .header("authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (app.appId() + ":" + app.secret()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build();
        HttpResponse<String> response = HTTP.send(http, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("token").asText();
    }

    String token(App app, String userId) throws IOException, InterruptedException {
        return token(app, Map.of("userId", userId));
    }

    /** GET with a bearer token; the status and the body. */
    static HttpResponse<String> get(String url, String bearer) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("authorization", "Bearer " + bearer).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String quality(String path) {
        return "http://127.0.0.1:" + env.get("WENZHEN_QUALITY_PORT") + path;
    }

    static JsonNode post(String url, String bearer, Object body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(url, bearer, body);
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    static HttpResponse<String> send(String url, String bearer, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
