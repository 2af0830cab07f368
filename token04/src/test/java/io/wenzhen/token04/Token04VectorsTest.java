package io.wenzhen.token04;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Byte compatibility with ZEGO's Token04, against tokens made outside this codebase (openssl for CBC,
 * Python's cryptography for GCM; see src/test/vectors/make_vectors.py).
 */
class Token04VectorsTest {

    static Stream<JsonNode> vectors() throws IOException {
        try (InputStream in = Token04VectorsTest.class.getResourceAsStream("/token04-vectors.json")) {
            List<JsonNode> list = new ArrayList<>();
            new ObjectMapper().readTree(in).forEach(list::add);
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesTokensMadeElsewhere(JsonNode vector) {
        Token04Codec.Decoded decoded = Token04Codec.decode(vector.get("token").asText(), vector.get("secret").asText());

        assertEquals(Token04Format.valueOf(vector.get("format").asText()), decoded.format());
        assertEquals(vector.get("expire").asLong(), decoded.headerExpire());
        assertEquals(claims(vector), decoded.claims());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encodesTheSameBytes(JsonNode vector) {
        String token = Token04Codec.encode(claims(vector), vector.get("secret").asText(),
                Token04Format.valueOf(vector.get("format").asText()), HexFormat.of().parseHex(vector.get("ivHex").asText()));

        assertEquals(vector.get("token").asText(), token);
    }

    private static Token04Claims claims(JsonNode vector) {
        return new Token04Claims(vector.get("appId").asLong(), vector.get("userId").asText(),
                vector.get("nonce").asLong(), vector.get("ctime").asLong(), vector.get("expire").asLong(),
                vector.get("payload").asText());
    }
}
