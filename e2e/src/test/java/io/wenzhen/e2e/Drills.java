package io.wenzhen.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.wenzhen.devstack.EmbeddedKafka;
import io.wenzhen.devstack.EmbeddedPostgres;
import io.wenzhen.devstack.Ports;
import io.wenzhen.devstack.QuarkusService;

/**
 * {@code ./wenzhen drill NAME}: a fault injected into a whole suite with real Kafka, PostgreSQL and
 * clients, and what happened printed (docs/reliability.md). The suite runs on a Kafka and a PostgreSQL
 * that the drill owns, so that it can stop and start them.
 * <ul>
 * <li>{@code kafka}: the broker down 60 s in the middle of a Chromium call and of signaling-only rooms;</li>
 * <li>{@code postgres}: the database down 60 s under logins and logouts;</li>
 * <li>{@code room-service}: room-service SIGKILLed under live rooms, a new one started;</li>
 * <li>{@code gateway}: the gateway SIGKILLed with sessions on it, a new one started;</li>
 * <li>{@code loss}: a Chromium call whose media crosses a relay losing 5 % of it both ways.</li>
 * </ul>
 */
public final class Drills {

    static final Duration OUTAGE = Duration.ofSeconds(60);
    /** The loss drill's link: the gateway listens on 127.0.0.1 and announces 127.0.0.3, where the link listens. */
    static final String LOSSY_ADDRESS = "127.0.0.3";
    static final int LOSSY_PORT = Ports.ephemeralUdp();

    private final Path home = Files.createTempDirectory("wenzhen-drill-");
    private final int kafkaPort;
    private final String postgresPassword = UUID.randomUUID().toString();
    private final int postgresPort = Ports.ephemeral();
    private EmbeddedKafka kafka;
    private EmbeddedPostgres postgres;
    private Suite suite;

    Drills() throws Exception {
        int port;
        do {
            port = Ports.ephemeral();
        } while (!Ports.isFree(port + 1));
        kafkaPort = port;
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "all";
        List<String> names = name.equals("all") ? List.of("kafka", "postgres", "room-service", "gateway", "loss") : List.of(name);
        for (String drill : names) {
            Drills drills = new Drills();
            try {
                drills.start(drill.equals("loss") ? lossyGatewaySettings() : Map.of());
                System.out.println("== drill " + drill);
                switch (drill) {
                    case "kafka" -> drills.kafka();
                    case "postgres" -> drills.postgres();
                    case "room-service" -> drills.roomService();
                    case "gateway" -> drills.gateway();
                    case "loss" -> drills.loss();
                    default -> throw new IllegalArgumentException("unknown drill " + drill + " (kafka, postgres, room-service, gateway, loss, all)");
                }
            } catch (Exception | AssertionError e) {
                System.out.println("drill " + drill + " FAILED: " + e);
                e.printStackTrace(System.out);
            } finally {
                drills.stop();
            }
        }
        System.exit(0);
    }

    void start(Map<String, String> settings) throws Exception {
        startKafka();
        startPostgres();
        Map<String, String> env = new HashMap<>(settings);
        env.put("WENZHEN_KAFKA_BOOTSTRAP", "127.0.0.1:" + kafkaPort);
        env.put("WENZHEN_POSTGRES_URL", "postgresql://127.0.0.1:" + postgresPort + "/" + EmbeddedPostgres.DATABASE);
        env.put("WENZHEN_POSTGRES_USER", EmbeddedPostgres.USER);
        env.put("WENZHEN_POSTGRES_PASSWORD", postgresPassword);
        suite = new Suite(env);
    }

    void stop() {
        if (suite != null) {
            suite.process.close();
        }
        quietly(() -> kafka.close());
        quietly(() -> postgres.close());
    }

    private void startKafka() throws Exception {
        kafka = EmbeddedKafka.start(home.resolve("kafka"), kafkaPort, kafkaPort + 1, home.resolve("kafka.log"));
    }

    private void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start(home.resolve("postgres"), postgresPort, postgresPassword, home.resolve("postgres.log"), true);
    }

    /** What a replacement service needs: the suite's keys, and the drill's own Kafka and PostgreSQL. */
    Map<String, String> replicaEnv() throws Exception {
        Map<String, String> env = suite.replicaEnv();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
        env.put("WENZHEN_POSTGRES_URL", "postgresql://127.0.0.1:" + postgresPort + "/" + EmbeddedPostgres.DATABASE);
        env.put("WENZHEN_POSTGRES_USER", EmbeddedPostgres.USER);
        env.put("WENZHEN_POSTGRES_PASSWORD", postgresPassword);
        return env;
    }

    // ---------------------------------------------------------------------------------------------- kafka

    /** The broker down for a minute mid-call: media goes on, signaling comes back, nobody is removed. */
    void kafka() throws Exception {
        Suite.App app = suite.createApp("drill kafka");
        String callRoom = "kafka-call-" + UUID.randomUUID().toString().substring(0, 6);
        String quietRoom = "kafka-quiet-" + UUID.randomUUID().toString().substring(0, 6);
        // other userIDs than the call's (doctor_7, patient_1): a second login of a userID would kick the first
        SignalingClient doctor = login(app, quietRoom, "doctor_q");
        SignalingClient patient = login(app, quietRoom, "patient_q");
        long[] recovered = new long[1];
        JsonNode call = heldCall(app, callRoom, 100, () -> {
            long down = System.nanoTime();
            quietly(() -> kafka.close());
            System.out.println("kafka: broker stopped");
            sleep(OUTAGE);
            quietly(this::startKafka);
            long up = System.nanoTime();
            System.out.printf("kafka: broker started again after %.1f s%n", (up - down) / 1e9);
            recovered[0] = untilLoginWorks(app, up);
        });
        sleep(Duration.ofSeconds(15)); // past room-service's gateway timeout after the feed resumed
        // the call room's members leave when the browsers close at the call's end: only the quiet room counts here
        int removed = leftEvents(app.appId(), List.of(quietRoom));
        List<String> quietMembers = members(app.appId(), quietRoom);
        System.out.printf("kafka: the patient decoded %d frames during the %d s hold (outage included); signaling back %.1f s "
                        + "after the broker; members removed meanwhile: %d; the quiet room's members: %s, its sockets: %s / %s%n",
                call.at("/player/framesDuringHold").asInt(), 100, recovered[0] / 1e9, removed, quietMembers,
                doctor.closedWith == null ? "open" : doctor.closedWith, patient.closedWith == null ? "open" : patient.closedWith);
        System.out.println("kafka: the quiet room's events: " + doctor.events("kicked") + " " + patient.events("kicked"));
        doctor.close();
        patient.close();
    }

    // ------------------------------------------------------------------------------------------- postgres

    /** The database down for a minute under logins and logouts: afterwards no ghost member, no event lost. */
    void postgres() throws Exception {
        Suite.App app = suite.createApp("drill postgres");
        int rooms = 8;
        Map<String, Map<String, SignalingClient>> online = new LinkedHashMap<>();
        List<String> roomIds = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            String room = "pg-" + r + "-" + UUID.randomUUID().toString().substring(0, 6);
            roomIds.add(room);
            Map<String, SignalingClient> people = new TreeMap<>();
            for (String user : List.of("doctor_" + r, "patient_" + r)) {
                people.put(user, login(app, room, user));
            }
            online.put(room, people);
        }
        int[] counts = new int[4]; // logins ok, logins refused, logouts ok, logouts refused
        long churnUntil = System.nanoTime() + Duration.ofSeconds(100).toNanos();
        Thread churn = Thread.ofPlatform().start(() -> {
            Random random = new Random(7);
            while (System.nanoTime() < churnUntil) {
                String room = roomIds.get(random.nextInt(rooms));
                Map<String, SignalingClient> people = online.get(room);
                String user = random.nextBoolean() ? "doctor_" + roomIds.indexOf(room) : "patient_" + roomIds.indexOf(room);
                synchronized (people) {
                    SignalingClient client = people.remove(user);
                    try {
                        if (client != null) {
                            boolean ok = client.request(client.message("logout")).path("ok").asBoolean();
                            counts[ok ? 2 : 3]++;
                            client.close();
                        } else {
                            SignalingClient fresh = SignalingClient.connect(suite.gatewayWs());
                            JsonNode reply = fresh.login(app.appId(), room, suite.token(app, user), user, false);
                            if (reply.path("ok").asBoolean()) {
                                people.put(user, fresh);
                                counts[0]++;
                            } else {
                                counts[1]++;
                                fresh.close();
                            }
                        }
                    } catch (Exception | AssertionError e) {
                        counts[1]++;
                    }
                }
                sleep(Duration.ofMillis(300));
            }
        });
        sleep(Duration.ofSeconds(15));
        quietly(() -> postgres.close());
        long down = System.nanoTime();
        System.out.println("postgres: database stopped under churn");
        sleep(OUTAGE);
        quietly(this::startPostgres);
        System.out.printf("postgres: database started again after %.1f s%n", (System.nanoTime() - down) / 1e9);
        churn.join();
        // the gateways' heartbeats (5 s) and room-service's margin (15 s) let it find members nobody backs
        long settled = System.nanoTime();
        Map<String, List<String>> ghosts = new TreeMap<>();
        for (int i = 0; i < 90; i++) {
            ghosts.clear();
            for (String room : roomIds) {
                List<String> members = members(app.appId(), room);
                List<String> expected;
                synchronized (online.get(room)) {
                    expected = List.copyOf(online.get(room).keySet());
                }
                if (!new TreeSet<>(members).equals(new TreeSet<>(expected))) {
                    ghosts.put(room, members);
                }
            }
            if (ghosts.isEmpty()) {
                break;
            }
            sleep(Duration.ofSeconds(1));
        }
        Map<String, String> gaps = eventGaps(app.appId(), roomIds);
        System.out.printf("postgres: logins ok %d, refused %d (TIMEOUT while the database was away); logouts ok %d, refused %d%n",
                counts[0], counts[1], counts[2], counts[3]);
        System.out.printf("postgres: members matched the live sessions %.1f s after the churn ended; rooms with ghosts: %s;"
                + " event numbering gaps: %s%n", (System.nanoTime() - settled) / 1e9, ghosts.isEmpty() ? "none" : ghosts,
                gaps.isEmpty() ? "none" : gaps);
        online.values().forEach(people -> people.values().forEach(SignalingClient::close));
    }

    // --------------------------------------------------------------------------------------- room-service

    /** room-service SIGKILLed under live rooms; a new one started at once: how long until logins work, and nothing lost. */
    void roomService() throws Exception {
        Suite.App app = suite.createApp("drill room-service");
        List<String> roomIds = new ArrayList<>();
        List<SignalingClient> clients = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            String room = "rs-" + r + "-" + UUID.randomUUID().toString().substring(0, 6);
            roomIds.add(room);
            clients.add(login(app, room, "doctor_" + r));
            clients.add(login(app, room, "patient_" + r));
        }
        ProcessHandle roomService = suite.process.descendants().stream()
                .filter(p -> p.info().commandLine().orElse("").contains("room-service/target/quarkus-app")).findFirst().orElseThrow();
        long killed = System.nanoTime();
        roomService.destroyForcibly();
        roomService.onExit().get(30, TimeUnit.SECONDS);
        try (QuarkusService replacement = QuarkusService.start("room-service", QuarkusService.jar(SuiteProcess.ROOT, "room-service"),
                Ports.ephemeral(), replicaEnv(), suite.data.resolve("logs/room-service-drill.log"))) {
            replacement.awaitReady(Duration.ofMinutes(2));
            long ready = System.nanoTime();
            long back = untilLoginWorks(app, killed);
            for (SignalingClient client : clients) {
                client.request(client.message("broadcast").put("message", "still here"));
            }
            sleep(Duration.ofSeconds(15));
            int removed = leftEvents(app.appId(), roomIds);
            Map<String, String> gaps = eventGaps(app.appId(), roomIds);
            System.out.printf("room-service: SIGKILL -> new replica ready in %.1f s, logins work again %.1f s after the kill;"
                    + " members removed: %d; event gaps: %s%n", (ready - killed) / 1e9, back / 1e9, removed, gaps.isEmpty() ? "none" : gaps);
        }
        clients.forEach(SignalingClient::close);
    }

    // -------------------------------------------------------------------------------------------- gateway

    /**
     * The gateway SIGKILLed: its clients see the socket drop, room-service ends their membership, a new
     * gateway serves. One of the clients is the Web SDK in Chromium, publishing: it reports DISCONNECTED
     * once resuming fails, then logs in and publishes again as an app does.
     */
    void gateway() throws Exception {
        Suite.App app = suite.createApp("drill gateway");
        String room = "gw-" + UUID.randomUUID().toString().substring(0, 6);
        SignalingClient doctor = login(app, room, "doctor_1");
        SignalingClient patient = login(app, room, "patient_1");
        String gatewayHttp = "http://127.0.0.1:" + suite.env.get("WENZHEN_GATEWAY_PORT");
        Process browser = new ProcessBuilder("node", "gateway-loss.mjs", gatewayHttp, Long.toString(app.appId()), room,
                suite.token(app, "nurse_3"), "nurse_3", "nurse_3_main").directory(SuiteProcess.ROOT.resolve("e2e/browser").toFile())
                .redirectErrorStream(true).start();
        BlockingQueue<String> browserLines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))
                .lines().forEach(browserLines::add));
        awaitLine(browserLines, "READY", Duration.ofMinutes(1));
        long sessionsBefore = members(app.appId(), room).size();
        ProcessHandle gateway = suite.gatewayProcess();
        long killed = System.nanoTime();
        gateway.destroyForcibly();
        gateway.onExit().get(30, TimeUnit.SECONDS);
        long ended = -1;
        for (int i = 0; i < 120 && ended < 0; i++) {
            if (members(app.appId(), room).isEmpty()) {
                ended = System.nanoTime() - killed;
            } else {
                sleep(Duration.ofMillis(500));
            }
        }
        Map<String, String> env = replicaEnv();
        try (QuarkusService replacement = QuarkusService.start("media-gateway", QuarkusService.jar(SuiteProcess.ROOT, "media-gateway"),
                Integer.parseInt(suite.env.get("WENZHEN_GATEWAY_PORT")), env, suite.data.resolve("logs/media-gateway-drill.log"))) {
            replacement.awaitReady(Duration.ofMinutes(2));
            long back = untilLoginWorks(app, killed);
            System.out.printf("gateway: SIGKILL with %d members on it -> room-service ended them %.1f s later (gateway timeout %d s);"
                    + " a new gateway on the same port took logins %.1f s after the kill%n", sessionsBefore,
                    ended / 1e9, Suite.GATEWAY_TIMEOUT.toSeconds(), back / 1e9);
            String result = awaitLine(browserLines, "RESULT ", Duration.ofMinutes(2)).substring("RESULT ".length());
            System.out.println("gateway: the Web SDK in Chromium (times from its socket's drop): " + result);
        } finally {
            browser.destroy();
            browser.waitFor(20, TimeUnit.SECONDS);
        }
        doctor.close();
        patient.close();
    }

    /** The first line that starts with {@code prefix}; the lines before it are printed (the browser's errors). */
    private static String awaitLine(BlockingQueue<String> lines, String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String line; (line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null;) {
            if (line.startsWith(prefix)) {
                return line;
            }
            System.out.println("gateway: [browser] " + line);
        }
        throw new AssertionError("the browser did not print " + prefix.strip() + " within " + timeout);
    }

    // ----------------------------------------------------------------------------------------------- loss

    /** A Chromium call whose media crosses a relay that loses 5 % of it both ways. */
    void loss() throws Exception {
        Suite.App app = suite.createApp("drill loss");
        String room = "loss-" + UUID.randomUUID().toString().substring(0, 6);
        try (ImpairedLink link = new ImpairedLink(new InetSocketAddress(LOSSY_ADDRESS, LOSSY_PORT), LOSSY_PORT, 11)) {
            LinkLane.Shape lossy = LinkLane.Shape.CLEAR.withLoss(0.05, 1);
            link.shapeAll(lossy, lossy);
            JsonNode call = heldCall(app, room, 30, () -> { });
            System.out.printf("loss: 5 %% of datagrams lost both ways (%d of %d dropped): the patient decoded %d frames in"
                    + " the 30 s hold (%.1f fps), %d NACKs sent%n", link.count(LinkLane.Fate.LOST), link.offered(),
                    call.at("/player/framesDuringHold").asInt(), call.at("/player/framesDuringHold").asInt() / 30.0,
                    call.at("/player/nackCount").asInt());
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    /** The gateway settings that put the loss drill's link in the media path (no ICE-TCP: the media must cross it). */
    static Map<String, String> lossyGatewaySettings() {
        return Map.of("WENZHEN_GATEWAY_MEDIA_PORT", Integer.toString(LOSSY_PORT), "WENZHEN_GATEWAY_MEDIA_ADDRESS", LOSSY_ADDRESS,
                "WENZHEN_GATEWAY_MEDIA_TCP_PORT", "-1");
    }

    JsonNode heldCall(Suite.App app, String room, int holdSeconds, HeldCall.Action during) throws Exception {
        return HeldCall.run(suite, app, room, holdSeconds, during);
    }

    SignalingClient login(Suite.App app, String room, String user) throws Exception {
        SignalingClient client = SignalingClient.connect(suite.gatewayWs());
        JsonNode reply = client.login(app.appId(), room, suite.token(app, user), user, false);
        if (!reply.path("ok").asBoolean()) {
            throw new IllegalStateException("login of " + user + " failed: " + reply);
        }
        keepAlive(client);
        return client;
    }

    /** Heartbeats every 10 s, as the SDK sends them: a drill holds sessions longer than the idle timeout. */
    static void keepAlive(SignalingClient client) {
        Thread.ofVirtual().start(() -> {
            while (true) {
                sleep(Duration.ofSeconds(10));
                try {
                    client.sendRaw(client.message("heartbeat").toString());
                } catch (RuntimeException e) {
                    return;
                }
            }
        });
    }

    /** Nanoseconds from {@code since} until a fresh login in a fresh room succeeds (tried every second, 5 minutes at most). */
    long untilLoginWorks(Suite.App app, long since) throws Exception {
        for (int i = 0; i < 300; i++) {
            try (SignalingClient probe = SignalingClient.connect(suite.gatewayWs())) {
                JsonNode reply = probe.login(app.appId(), "probe-" + UUID.randomUUID().toString().substring(0, 6),
                        suite.token(app, "probe_" + i), "probe_" + i, false);
                if (reply.path("ok").asBoolean()) {
                    long took = System.nanoTime() - since;
                    probe.request(probe.message("logout"));
                    return took;
                }
            } catch (Exception | AssertionError e) {
                // not yet
            }
            sleep(Duration.ofSeconds(1));
        }
        return -1;
    }

    /** The userIDs room-service has in a room now (none when the room is closed). */
    List<String> members(long appId, String room) throws Exception {
        HttpResponse<String> response = Suite.get(suite.room("/api/v1/apps/" + appId + "/rooms/" + room), suite.adminToken);
        if (response.statusCode() == 404) {
            return List.of();
        }
        List<String> users = new ArrayList<>();
        Suite.JSON.readTree(response.body()).path("users").forEach(u -> users.add(u.path("userId").asText(u.path("id").asText())));
        return users;
    }

    /** user-left and user-kicked events of these rooms so far. */
    int leftEvents(long appId, List<String> rooms) {
        return RoomEventLog.read("127.0.0.1:" + kafkaPort, appId, rooms).departures();
    }

    /** Rooms whose events skip or repeat a number within a consultation: an event lost or doubled. */
    Map<String, String> eventGaps(long appId, List<String> rooms) {
        return RoomEventLog.read("127.0.0.1:" + kafkaPort, appId, rooms).gaps();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void quietly(HeldCall.Action action) {
        try {
            action.run();
        } catch (Exception e) {
            System.out.println("(while stopping or starting: " + e + ")");
        }
    }
}
