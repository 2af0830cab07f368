package io.wenzhen.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The gateway's packages in layers (docs/architecture.md): each imports only from the layers below
 * it, so no two packages use each other. A package not listed here fails the test until it is placed.
 */
class LayersTest {

    /** Bottom first. Packages on one line are one layer: they may not import each other either. */
    static final List<List<String>> LAYERS = List.of(
            List.of("config"),
            List.of("errors", "limits", "apps", "peers", "turn"),
            List.of("messages"),
            List.of("webrtc"),
            List.of("session"),
            List.of("rooms"),
            List.of("quality", "edge", "relay"),
            List.of("signaling"),
            List.of("ws", "rest"));

    /** An import of a gateway package, or a type of one written out in full in the code. */
    static final Pattern USE = Pattern.compile("(?<![\\w.])io\\.wenzhen\\.gateway\\.([a-z]+)\\.");

    @Test
    void importsRunOnlyDownward() throws IOException {
        Path root = Path.of("src/main/java/io/wenzhen/gateway");
        List<String> upward = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() > 50, "the gateway's sources are found: " + sources.size());
        for (Path source : sources) {
            String own = root.relativize(source).getName(0).toString();
            if (own.endsWith(".java")) {
                continue; // the root package (the application class) may use anything
            }
            int ownLayer = layer(own);
            Matcher imports = USE.matcher(Files.readString(source).replaceFirst("(?m)^package .*$", ""));
            while (imports.find()) {
                String used = imports.group(1);
                if (!used.equals(own) && layer(used) >= ownLayer) {
                    upward.add(root.relativize(source) + " imports " + used);
                }
            }
        }
        assertEquals(List.of(), upward, "imports that do not run downward");
    }

    private static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        throw new AssertionError("package " + pkg + " has no layer in LayersTest.LAYERS");
    }
}
