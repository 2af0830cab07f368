package io.wenzhen.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.wenzhen.devstack.KubernetesSecrets;

/**
 * One overlay of k8s/ as {@code kubectl kustomize} renders it ({@link Kubectl}), from a copy of k8s/
 * in target/ with the dev overlay's secret files generated (as {@code ./wenzhen k8s-secrets} makes
 * them); its objects, and a file of them for {@link Schemas}.
 */
record Rendered(String overlay, Path file, List<ObjectNode> objects) {

    static final Path ROOT = Path.of(System.getProperty("wenzhen.root", "..")).toAbsolutePath().normalize();
    static final Path WORK = ROOT.resolve("k8s-check/target");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    private static boolean copied;

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
            Command.Run run = Command.run(List.of(Kubectl.path().toString(), "kustomize", copy.resolve("overlays").resolve(overlay).toString()));
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
