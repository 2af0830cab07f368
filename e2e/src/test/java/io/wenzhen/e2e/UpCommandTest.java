package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wenzhen.devstack.Ports;

/**
 * The README's first command, end to end: real PostgreSQL, real Kafka and the four packaged services,
 * on ports of their own so a developer's running suite does not disturb the test.
 */
class UpCommandTest {

    static final Duration START = Duration.ofMinutes(4);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, String> env = new HashMap<>();
    final int authPort = Ports.ephemeral();

    UpCommandTest() {
        env.put("WENZHEN_AUTH_PORT", Integer.toString(authPort));
        env.put("WENZHEN_ROOM_PORT", Integer.toString(Ports.ephemeral()));
        env.put("WENZHEN_GATEWAY_PORT", Integer.toString(Ports.ephemeral()));
        env.put("WENZHEN_QUALITY_PORT", Integer.toString(Ports.ephemeral()));
        env.put("WENZHEN_POSTGRES_PORT", Integer.toString(Ports.ephemeral()));
        env.put("WENZHEN_GATEWAY_MEDIA_PORT", Integer.toString(Ports.ephemeral()));
        env.put("WENZHEN_GATEWAY_PIPE_PORT", Integer.toString(Ports.ephemeral()));
        int kafka;
        do {
            kafka = Ports.ephemeral();
        } while (!Ports.isFree(kafka + 1));
        env.put("WENZHEN_KAFKA_PORT", Integer.toString(kafka));
    }

    @Test
    void startsEverythingKeepsDataAcrossRestartsAndLeavesNothingBehind() throws Exception {
        Path data = Files.createTempDirectory("wenzhen-up-");
        String password;
        long appId;
        try (SuiteProcess suite = SuiteProcess.start(env, "--data", data.toString())) {
            suite.awaitLine("Ctrl-C stops everything", START);
            for (String port : List.of("WENZHEN_AUTH_PORT", "WENZHEN_ROOM_PORT", "WENZHEN_GATEWAY_PORT", "WENZHEN_QUALITY_PORT")) {
                assertEquals(200, get("http://127.0.0.1:" + env.get(port) + "/q/health/ready", null).statusCode(), port);
            }
            String line = suite.awaitLine("bootstrap admin (shown once)", Duration.ofSeconds(1));
            password = line.replaceAll(".*password '([^']+)'.*", "$1");
            String admin = login(password);
            appId = JSON.readTree(post("/api/v1/apps", admin, "{\"name\":\"survives restarts\"}").body()).get("appId").asLong();

            for (String port : List.of("WENZHEN_AUTH_PORT", "WENZHEN_ROOM_PORT", "WENZHEN_GATEWAY_PORT", "WENZHEN_QUALITY_PORT")) {
                assertEquals(List.of("127.0.0.1"), listeningOn("tcp", Integer.parseInt(env.get(port))),
                        port + ": loopback only without --public (the gateway mints dev tokens)");
            }
            int media = Integer.parseInt(env.get("WENZHEN_GATEWAY_MEDIA_PORT"));
            assertEquals(List.of("127.0.0.1"), listeningOn("udp", media), "the media port too");
            assertEquals(List.of("127.0.0.1"), listeningOn("tcp", media), "and its ICE-TCP port");
            List<ProcessHandle> children = suite.descendants();
            assertTrue(children.size() >= 6, "PostgreSQL, Kafka and four services: " + children.size());
            assertEquals(130, suite.interrupt(Duration.ofSeconds(90)));
            assertNothingLeft(children);
        }
        assertFalse(Files.exists(data.resolve("secrets/bootstrap-admin.password")), "the plaintext is not kept");
        for (String log : List.of("auth-service.log", "postgres.log", "kafka.log")) {
            assertFalse(Files.readString(data.resolve("logs").resolve(log)).contains(password), "password in " + log);
        }

        try (SuiteProcess again = SuiteProcess.start(env, "--data", data.toString())) {
            again.awaitLine("Ctrl-C stops everything", START);
            assertTrue(again.lines().stream().noneMatch(l -> l.contains("bootstrap admin")), "shown only once");
            String admin = login(password);
            JsonNode app = JSON.readTree(get(auth("/api/v1/apps/" + appId), admin).body());
            assertEquals("survives restarts", app.get("name").asText());
            List<ProcessHandle> children = again.descendants();
            again.interrupt(Duration.ofSeconds(90));
            assertNothingLeft(children);
        }

        try (SuiteProcess fresh = SuiteProcess.start(env, "--data", data.toString(), "--fresh")) {
            fresh.awaitLine("Ctrl-C stops everything", START);
            fresh.awaitLine("bootstrap admin (shown once)", Duration.ofSeconds(1));
            String admin = login(fresh.awaitLine("bootstrap admin", Duration.ofSeconds(1))
                    .replaceAll(".*password '([^']+)'.*", "$1"));
            assertEquals(404, get(auth("/api/v1/apps/" + appId), admin).statusCode(), "--fresh starts empty");
            fresh.interrupt(Duration.ofSeconds(90));
        }
    }

    @Test
    void aTakenPortIsAOneLineErrorAndNothingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(authPort, 1, InetAddress.getLoopbackAddress());
                SuiteProcess suite = SuiteProcess.start(env, "--data", Files.createTempDirectory("wenzhen-port-").toString())) {
            assertEquals(1, suite.waitFor(Duration.ofSeconds(60)));
            String error = suite.awaitLine("already in use", Duration.ofSeconds(1));
            assertTrue(error.contains("port " + authPort + " (auth-service)") && error.contains("WENZHEN_AUTH_PORT"), error);
            assertTrue(suite.descendants().isEmpty());
        }
    }

    @Test
    void noJdkIsAOneLineError() throws Exception {
        // a PATH with the shell tools but no java, and no JAVA_HOME or JDK folders to find
        Path bin = Files.createTempDirectory("wenzhen-nojdk-");
        for (String tool : List.of("bash", "dirname", "readlink", "ls", "sed", "sort", "awk", "id", "cat", "find")) {
            Path target = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), Files.exists(target) ? target : Path.of("/bin", tool));
        }
        Map<String, String> noJdk = new HashMap<>(env);
        noJdk.put("PATH", bin.toString());
        noJdk.put("JAVA_HOME", "/nonexistent");
        noJdk.put("WENZHEN_JVM_DIRS", "/nonexistent");
        try (SuiteProcess suite = SuiteProcess.start(noJdk)) {
            assertEquals(1, suite.waitFor(Duration.ofSeconds(30)));
            assertTrue(suite.awaitLine("no JDK 21 or newer found", Duration.ofSeconds(1)).startsWith("wenzhen: "));
        }
    }

    /** The local addresses of this machine's sockets listening on a TCP port, or bound to a UDP port (from /proc/net). */
    static List<String> listeningOn(String protocol, int port) throws IOException {
        List<String> addresses = new ArrayList<>();
        for (String table : List.of(protocol, protocol + "6")) {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/" + table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                boolean listening = protocol.equals("udp") || fields[3].equals("0A");
                if (listening && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(address(local[0]));
                }
            }
        }
        return addresses;
    }

    /** /proc/net's hex address (little-endian words) as text: 0100007F is 127.0.0.1. */
    private static String address(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - i) * 2, word * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertNothingLeft(List<ProcessHandle> children) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(children.stream().noneMatch(ProcessHandle::isAlive), "processes left behind: "
                + children.stream().filter(ProcessHandle::isAlive).map(p -> p.pid() + " " + p.info().command().orElse("?")).toList());
    }

    private String auth(String path) {
        return "http://127.0.0.1:" + authPort + path;
    }

    private String login(String password) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/api/v1/admin/login", null,
                "{\"username\":\"admin\",\"password\":\"" + password + "\"}");
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("token").asText();
    }

    private HttpResponse<String> post(String path, String bearer, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(auth(path)))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
