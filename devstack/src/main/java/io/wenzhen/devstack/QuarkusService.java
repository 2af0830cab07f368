package io.wenzhen.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One of the suite's Quarkus services, run from its fast-jar in a child JVM. */
public final class QuarkusService implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final ChildProcess process;

    private QuarkusService(String name, int port, ChildProcess process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /** The fast-jar the Quarkus build leaves in {@code <module>/target/quarkus-app}. */
    public static Path jar(Path home, String module) {
        return home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public static QuarkusService start(String name, Path jar, int port, Map<String, String> env, Path log)
            throws IOException {
        if (!Files.exists(jar)) {
            throw new DevstackException(name + " is not built (" + jar + " is missing); run ./mvnw package -DskipTests");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // WENZHEN_HEAP_<MODULE> (e.g. WENZHEN_HEAP_MEDIA_GATEWAY=1g) gives one service more heap
        String heap = System.getenv().getOrDefault("WENZHEN_HEAP_" + name.toUpperCase().replace('-', '_'), "384m");
        List<String> command = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx" + heap, "-XX:+UseSerialGC"));
        // WENZHEN_JVM_OPTS_<MODULE> adds JVM options (e.g. a larger young generation for a benchmark); later ones win
        String extra = System.getenv().getOrDefault("WENZHEN_JVM_OPTS_" + name.toUpperCase().replace('-', '_'), "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-jar", jar.toString()));
        return new QuarkusService(name, port, ChildProcess.start(name, command, env, log));
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** The process, for tests that stop it the hard way (a crash, a lost node). */
    public ProcessHandle process() {
        return ProcessHandle.of(process.pid()).orElseThrow();
    }

    public String address() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits until {@code /q/health/ready} answers 200: the service reaches its Kafka and database. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(address() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new DevstackException(name + " exited while starting; its log (" + process.log()
                        + ") ends with:\n" + process.tail(20));
            }
            try {
                HttpResponse<String> response = HTTP.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + ": " + response.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(250);
        }
        throw new DevstackException(name + " was not ready within " + timeout.toSeconds() + " s (" + last
                + "); see " + process.log());
    }

    @Override
    public void close() {
        process.close();
    }
}
