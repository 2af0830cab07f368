package io.wenzhen.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The strict schema check of rendered manifests: schemas/validate.mjs (the kubernetes-models
 * validators, then TypeScript's excess-property check against their interfaces).
 */
final class Schemas {

    static final Path FOLDER = Rendered.ROOT.resolve("k8s-check/schemas");

    private Schemas() {
    }

    /** schemas/validate.mjs on a rendered file: exit 0 when every object matches its schema strictly. */
    static Command.Run validate(Path file) {
        Path script = FOLDER.resolve("validate.mjs");
        if (!Files.isDirectory(FOLDER.resolve("node_modules/typescript"))) {
            throw new AssertionError("the schemas are not installed: run npm ci in k8s-check/schemas (./wenzhen test does)");
        }
        return Command.run(List.of("node", script.toString(), file.toString()));
    }
}
