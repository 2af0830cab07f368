package io.wenzhen.devstack;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka (KRaft, broker and controller in one process) in a child JVM, from the
 * Apache Kafka jars that the build copies to {@code devstack/target/kafka-lib}.
 *
 * <p>A child JVM rather than in-process: the broker's Scala and logging jars stay off the services'
 * classpaths, and the broker's data and logs are kept like a real one's.
 */
public final class EmbeddedKafka implements AutoCloseable {

    static final String READY_MARKER = "WENZHEN-KAFKA-READY";

    private final ChildProcess process;
    private final int port;

    private EmbeddedKafka(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the broker on {@code port} (clients) and {@code controllerPort}, keeping its data in {@code dataDir}. */
    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort, Path log)
            throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        Path logDir = dataDir.resolve("log");
        Path config = dataDir.resolve("server.properties");
        Files.writeString(config, serverProperties(port, controllerPort, logDir));
        Path log4j = dataDir.resolve("log4j2.properties");
        Files.writeString(log4j, """
                status = warn
                appender.out.type = Console
                appender.out.name = out
                appender.out.layout.type = PatternLayout
                appender.out.layout.pattern = [%d] %p %m (%c)%n
                rootLogger.level = WARN
                rootLogger.appenderRef.out.ref = out
                """);
        String classpath = classpath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvm = List.of(java, "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=" + log4j.toUri(), "-cp", classpath);

        if (!Files.exists(logDir.resolve("meta.properties"))) {
            List<String> format = new ArrayList<>(jvm);
            format.addAll(List.of("kafka.tools.StorageTool", "format", "--cluster-id", newClusterId(),
                    "--config", config.toString(), "--ignore-formatted"));
            Process formatting = new ProcessBuilder(format).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!formatting.waitFor(120, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
                formatting.destroyForcibly();
                throw new DevstackException("formatting Kafka's storage failed; see " + log);
            }
        }

        List<String> command = new ArrayList<>(jvm);
        command.addAll(List.of(KafkaMain.class.getName(), Long.toString(ProcessHandle.current().pid()),
                config.toString(), "127.0.0.1:" + port));
        long offset = Files.size(log);
        ChildProcess process = ChildProcess.start("kafka", command, Map.of(), log);
        EmbeddedKafka kafka = new EmbeddedKafka(process, port);
        if (!awaitMarker(log, offset, process, Duration.ofSeconds(90))) {
            String tail = process.tail(20);
            kafka.close();
            throw new DevstackException("Kafka did not start on port " + port + "; its log ends with:\n" + tail);
        }
        return kafka;
    }

    public int port() {
        return port;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }

    static String serverProperties(int port, int controllerPort, Path logDir) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDir,
                "num.partitions=3",
                "auto.create.topics.enable=false", // the services create their topics (Topics.ensure) with the right partitions
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") ;
    }

    /**
     * 16 random bytes, URL-safe Base64, not starting with '-': the storage tool would read such an id as
     * an option (Kafka's own Uuid.randomUuid avoids it for the same reason).
     */
    static String newClusterId() {
        SecureRandom random = new SecureRandom();
        String id;
        do {
            byte[] raw = new byte[16];
            random.nextBytes(raw);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        } while (id.startsWith("-"));
        return id;
    }

    /** kafka-lib (the broker's jars) plus this module's own classes, which hold {@link KafkaMain}. */
    private static String classpath() throws IOException {
        Path lib = kafkaLib();
        List<String> entries = new ArrayList<>();
        try (var jars = Files.list(lib)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
        }
        if (entries.isEmpty()) {
            throw new DevstackException("no Kafka jars in " + lib + "; build the devstack module first (./mvnw -pl devstack package)");
        }
        entries.add(ownLocation().toString());
        return String.join(File.pathSeparator, entries);
    }

    /** {@code wenzhen.kafka.lib}, else {@code <wenzhen.root>/devstack/target/kafka-lib}, else beside this module's classes. */
    static Path kafkaLib() {
        String explicit = System.getProperty("wenzhen.kafka.lib", System.getenv("WENZHEN_KAFKA_LIB"));
        if (explicit != null) {
            return Path.of(explicit);
        }
        String root = System.getProperty("wenzhen.root", System.getenv("WENZHEN_HOME"));
        if (root != null && Files.isDirectory(Path.of(root, "devstack", "target", "kafka-lib"))) {
            return Path.of(root, "devstack", "target", "kafka-lib");
        }
        // target/classes or target/wenzhen-devstack.jar: kafka-lib is its sibling
        return ownLocation().getParent().resolve("kafka-lib");
    }

    private static Path ownLocation() {
        try {
            return Path.of(EmbeddedKafka.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean awaitMarker(Path log, long offset, ChildProcess process, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            byte[] all = Files.readAllBytes(log);
            if (new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                    StandardCharsets.UTF_8).contains(READY_MARKER)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
