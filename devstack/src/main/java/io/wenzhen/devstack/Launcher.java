package io.wenzhen.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./wenzhen up}: the whole suite on one machine. Starts a real PostgreSQL and a real Kafka
 * (unless pointed at external ones), then the four services; waits until each is ready; keeps running
 * until Ctrl-C, then stops everything it started, services first.
 */
public final class Launcher {

    private final LauncherConfig config;
    private final List<AutoCloseable> started = new ArrayList<>();

    Launcher(LauncherConfig config) {
        this.config = config;
    }

    public static void main(String[] args) {
        try {
            LauncherConfig config = LauncherConfig.fromEnvironment(List.of(args));
            new Launcher(config).up();
        } catch (DevstackException e) {
            System.err.println("wenzhen: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("wenzhen: unexpected failure: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    void up() throws Exception {
        // Ctrl-C stops the suite. A shell script's background job starts with SIGINT ignored, and the JVM then
        // refuses to handle it; ./wenzhen restores its default disposition first (env --default-signal=INT).
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> System.exit(130));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopAll();
            stopped.countDown();
        }, "wenzhen-stop"));
        try {
            start();
        } catch (Exception e) {
            stopAll();
            throw e;
        }
        stopped.await();
    }

    private void start() throws Exception {
        config.checkPortsFree();
        if (config.publicBind()) {
            say("");
            say("*** --public: every service, the media port and RTMP listen on ALL interfaces (0.0.0.0). ***");
            say("*** Anyone who reaches this machine can mint tokens for the demo app (POST /dev/token),    ***");
            say("*** use the admin API's login, and join calls. Use it on a network you trust, for a demo.  ***");
            say("*** Set WENZHEN_GATEWAY_MEDIA_ADDRESS to this machine's address for browsers elsewhere.    ***");
            say("");
        }
        Path data = config.dataDir();
        if (config.fresh() && Files.exists(data)) {
            say("--fresh: removing " + data);
            deleteTree(data);
        }
        Files.createDirectories(data);
        DevSecrets secrets = DevSecrets.loadOrCreate(data.resolve("secrets"));
        Path logs = data.resolve("logs");

        String postgresUrl = config.externalPostgresUrl();
        String postgresUser = config.externalPostgresUser();
        String postgresPassword = config.externalPostgresPassword();
        if (postgresUrl == null) {
            say("starting PostgreSQL on 127.0.0.1:" + config.postgresPort() + " ...");
            EmbeddedPostgres postgres = EmbeddedPostgres.start(data.resolve("postgres"), config.postgresPort(),
                    secrets.read(DevSecrets.POSTGRES_PASSWORD), logs.resolve("postgres.log"), true);
            started.add(postgres);
            postgresUrl = postgres.url();
            postgresUser = EmbeddedPostgres.USER;
            postgresPassword = postgres.password();
            say("PostgreSQL ready (data in " + data.resolve("postgres") + ")");
        } else {
            say("using external PostgreSQL " + postgresUrl);
        }

        String kafkaBootstrap = config.externalKafka();
        if (kafkaBootstrap == null) {
            say("starting Kafka (KRaft) on 127.0.0.1:" + config.kafkaPort() + " ...");
            EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"), config.kafkaPort(),
                    config.kafkaPort() + 1, logs.resolve("kafka.log"));
            started.add(kafka);
            kafkaBootstrap = kafka.bootstrapServers();
            say("Kafka ready");
        } else {
            say("using external Kafka " + kafkaBootstrap);
        }

        EmbeddedTurn turn = null;
        if (config.turn()) {
            say("starting coturn on " + config.turnHost() + ":" + config.turnPort() + " (UDP and TCP) ...");
            turn = EmbeddedTurn.start(data.resolve("turn"), config.bindAddress(), config.turnHost(), config.gatewayMediaAddress(), config.turnPort(),
                    secrets.read(DevSecrets.TURN_SECRET), logs.resolve("coturn.log"));
            started.add(turn);
            say("coturn ready");
        }

        Map<String, String> common = new LinkedHashMap<>();
        // loopback only, unless --public: the gateway hands out dev tokens here, which nobody on the LAN should mint
        common.put("QUARKUS_HTTP_HOST", config.bindAddress());
        common.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        common.put("WENZHEN_POSTGRES_URL", postgresUrl);
        common.put("WENZHEN_POSTGRES_USER", postgresUser);
        common.put("WENZHEN_POSTGRES_PASSWORD", postgresPassword);
        common.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", secrets.file(DevSecrets.JWT_PUBLIC).toString());
        common.put("WENZHEN_SECRETS_CLUSTER_KEY_FILE", secrets.file(DevSecrets.CLUSTER_KEY).toString());

        List<QuarkusService> services = new ArrayList<>();
        for (LauncherConfig.Service service : LauncherConfig.Service.values()) {
            Map<String, String> env = new LinkedHashMap<>(common);
            if (service == LauncherConfig.Service.AUTH) {
                env.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", secrets.file(DevSecrets.JWT_PRIVATE).toString());
                env.put("WENZHEN_SECRETS_MASTER_KEY_FILE", secrets.file(DevSecrets.MASTER_KEY).toString());
                env.put("WENZHEN_BOOTSTRAP_ADMIN_PASSWORD_FILE",
                        secrets.file(DevSecrets.BOOTSTRAP_ADMIN_PASSWORD).toString());
            }
            if (service == LauncherConfig.Service.QUALITY) {
                // Kafka Streams' local state (checkpoints and locks) belongs to this data folder's instance
                env.put("WENZHEN_QUALITY_STATE_DIR", data.resolve("quality-streams").toString());
            }
            if (service == LauncherConfig.Service.GATEWAY) {
                // the demo page may fetch tokens for the demo app (never on outside ./wenzhen up)
                env.put("WENZHEN_GATEWAY_DEV_TOKENS", "true");
                env.put("WENZHEN_GATEWAY_BIND_ADDRESS", config.bindAddress());
                if (turn != null) {
                    env.put("WENZHEN_GATEWAY_TURN_URLS", String.join(",", turn.urls()));
                    env.put("WENZHEN_GATEWAY_TURN_SECRET", secrets.read(DevSecrets.TURN_SECRET));
                }
                for (int k = 0; k < config.gateways(); k++) {
                    services.add(startGateway(config.gateway(k), env, logs));
                }
                continue;
            }
            say("starting " + service.module() + " on port " + config.port(service) + " ...");
            QuarkusService process = QuarkusService.start(service.module(),
                    QuarkusService.jar(config.home(), service.module()), config.port(service), env,
                    logs.resolve(service.module() + ".log"));
            started.add(process);
            services.add(process);
        }
        for (QuarkusService service : services) {
            service.awaitReady(Duration.ofSeconds(180));
            say(service.name() + " ready at " + service.address());
        }

        System.out.println();
        say("the suite is up (logs in " + logs + ")");
        for (QuarkusService service : services) {
            System.out.printf("  %-16s %s   (health %s/q/health, OpenAPI %s/q/openapi)%n", service.name(),
                    service.address(), service.address(), service.address());
        }
        System.out.printf("  %-16s %s%n", "Kafka", kafkaBootstrap);
        System.out.printf("  %-16s %s%n", "PostgreSQL", postgresUrl);
        if (turn != null) {
            System.out.printf("  %-16s %s%n", "TURN", String.join(" ", turn.urls()));
        }
        Path bootstrap = secrets.file(DevSecrets.BOOTSTRAP_ADMIN_PASSWORD);
        OptionalLong demo = DemoApp.ensure(data, services.get(0).address(), bootstrap);
        String gateway = services.stream().filter(s -> s.name().startsWith(LauncherConfig.Service.GATEWAY.module()))
                .findFirst().orElseThrow().address();
        System.out.println();
        say("demo page: " + gateway + "/demo/" + (demo.isPresent() ? "?appId=" + demo.getAsLong() : "")
                + "   (Web SDK: " + gateway + "/sdk/index.js)");
        if (Files.exists(bootstrap)) {
            System.out.println();
            say("bootstrap admin (shown once): user 'admin', password '" + Files.readString(bootstrap).strip() + "'");
            say("  get an admin JWT: curl -s -XPOST " + services.get(0).address()
                    + "/api/v1/admin/login -H 'content-type: application/json' -d '{\"username\":\"admin\",\"password\":\"…\"}'");
            // auth-service has stored its hash; the plaintext is not kept
            Files.delete(bootstrap);
        }
        System.out.println();
        say("Ctrl-C stops everything.");
    }

    /** Gateway k (of --gateways N): its own ports and, when there are several, the name gateway-k in rooms and logs. */
    private QuarkusService startGateway(LauncherConfig.GatewayPorts ports, Map<String, String> common, Path logs) throws IOException {
        String module = LauncherConfig.Service.GATEWAY.module();
        Map<String, String> env = new LinkedHashMap<>(common);
        env.put("WENZHEN_GATEWAY_MEDIA_PORT", Integer.toString(ports.media()));
        env.put("WENZHEN_GATEWAY_MEDIA_TCP_PORT", Integer.toString(ports.mediaTcp()));
        env.put("WENZHEN_GATEWAY_RTMP_PORT", Integer.toString(ports.rtmp()));
        env.put("WENZHEN_GATEWAY_PIPE_PORT", Integer.toString(ports.pipe()));
        // Ctrl-C stops everything at once (SIGTERM to each service): no drain first, unless asked for
        env.put("WENZHEN_GATEWAY_DRAIN_ON_SIGTERM", System.getenv().getOrDefault("WENZHEN_GATEWAY_DRAIN_ON_SIGTERM", "false"));
        String name = module;
        if (config.gateways() > 1) {
            name = module + "-" + ports.index();
            env.put("WENZHEN_GATEWAY_ID", "gateway-" + ports.index());
        }
        say("starting " + name + " on port " + ports.http() + " (media " + ports.media() + ", RTMP " + ports.rtmp() + ", pipes " + ports.pipe() + ") ...");
        QuarkusService process = QuarkusService.start(name, QuarkusService.jar(config.home(), module), ports.http(), env,
                logs.resolve(name + ".log"));
        started.add(process);
        return process;
    }

    private synchronized void stopAll() {
        if (started.isEmpty()) {
            return;
        }
        say("stopping ...");
        // services first (in parallel), then Kafka and PostgreSQL that they use
        List<Thread> stopping = new ArrayList<>();
        for (AutoCloseable child : started) {
            if (child instanceof QuarkusService) {
                stopping.add(Thread.ofPlatform().start(() -> closeQuietly(child)));
            }
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            if (!(started.get(i) instanceof QuarkusService)) {
                closeQuietly(started.get(i));
            }
        }
        started.clear();
        say("stopped.");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("wenzhen: while stopping: " + e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static void say(String line) {
        System.out.println("wenzhen: " + line);
        System.out.flush();
    }
}
