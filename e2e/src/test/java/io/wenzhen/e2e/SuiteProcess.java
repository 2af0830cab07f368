package io.wenzhen.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code ./wenzhen up} run as a user would, with its output collected line by line. */
final class SuiteProcess implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("wenzhen.root", "..")).toAbsolutePath().normalize();

    private final Process process;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private SuiteProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                    System.out.println("[up] " + line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        });
    }

    /**
     * Starts {@code ./wenzhen up} as a script's background job would: in a process group of its own
     * ({@code setsid}) and with SIGINT ignored on entry, as a non-interactive shell leaves it for {@code &}.
     */
    static SuiteProcess start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("setsid", "bash", "-c", "trap '' INT; exec \"$0\" up \"$@\"",
                ROOT.resolve("wenzhen").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("WENZHEN_NO_BUILD", "1");
        builder.environment().putAll(env);
        return new SuiteProcess(builder.start());
    }

    /** Waits for a line containing {@code text}; fails if the process ends or time runs out first. */
    String awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (lines) {
                for (String line : lines) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            if (!process.isAlive()) {
                Thread.sleep(200); // let the reader drain the last lines
                synchronized (lines) {
                    for (String line : lines) {
                        if (line.contains(text)) {
                            return line;
                        }
                    }
                }
                throw new AssertionError("./wenzhen up exited (" + process.exitValue() + ") before printing '" + text
                        + "':\n" + String.join("\n", lines));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + String.join("\n", lines));
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Every process the suite started (PostgreSQL, Kafka, the services), for checking none outlives it. */
    List<ProcessHandle> descendants() {
        return process.descendants().toList();
    }

    /** Sends Ctrl-C's signal to its whole process group, as a terminal (or a script's kill) does, and waits for the exit code. */
    int interrupt(Duration timeout) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", "--", "-" + process.pid()).start().waitFor();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("./wenzhen up did not stop within " + timeout);
        }
        return process.exitValue();
    }

    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("./wenzhen up did not end within " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
