package io.wenzhen.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command of the checks (kubectl, node) with a timeout, and keeps what it printed. */
final class Command {

    /** What a command printed, and how it exited. */
    record Run(int exit, String output) {
    }

    private Command() {
    }

    static Run run(List<String> command) {
        try {
            // the output goes to a file, so that the timeout holds even for a process that keeps its output open
            Path output = Files.createTempFile(Rendered.WORK, "run-", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            return new Run(process.exitValue(), text);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
