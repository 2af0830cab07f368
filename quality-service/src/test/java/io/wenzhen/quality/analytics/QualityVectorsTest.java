package io.wenzhen.quality.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * docs/quality-vectors.json holds values of the formulas computed apart from this code; the SDK's
 * copy of the formulas (sdk/web/src/mos.js) is tested against the same file, so the grade a doctor
 * sees in the SDK and the one hospital IT sees agree.
 */
class QualityVectorsTest {

    static JsonNode vectors() throws Exception {
        return new ObjectMapper().readTree(Path.of(System.getProperty("wenzhen.root"), "docs", "quality-vectors.json").toFile());
    }

    static double orNaN(JsonNode node) {
        return node.isNull() ? Double.NaN : node.asDouble();
    }

    @Test
    void audioMos() throws Exception {
        for (JsonNode v : vectors().path("audio")) {
            assertEquals(v.path("mos").asDouble(), AudioMos.estimate(v.path("loss").asDouble(), v.path("jitterMs").asDouble(),
                    orNaN(v.path("rttMs"))), 1e-6, v.toString());
        }
    }

    @Test
    void videoMos() throws Exception {
        for (JsonNode v : vectors().path("video")) {
            assertEquals(v.path("mos").asDouble(), VideoMos.estimate(v.path("kbps").asDouble(), v.path("width").asInt(),
                    v.path("height").asInt(), orNaN(v.path("fps")), v.path("frozenShare").asDouble(), v.path("freezes").asDouble(),
                    v.path("windowSeconds").asDouble()), 1e-6, v.toString());
        }
    }

    @Test
    void grades() throws Exception {
        for (JsonNode v : vectors().path("grade")) {
            assertEquals(v.path("grade").asInt(), Grade.of(orNaN(v.path("mos"))).level(), v.toString());
        }
    }
}
