package io.wenzhen.gateway.relay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.wenzhen.gateway.webrtc.Sfu;

class MediaPipesJsonTest {

    static String offer(Sfu.Track audio) {
        return new String(MediaPipes.json(new MediaPipes.Offer(7, "c2FsdA==", "room", "cam", "s1", "u1",
                List.of(new Sfu.Track("video", 1, "VP8", 96), audio), Map.of(), "127.0.0.1:40001")), StandardCharsets.UTF_8);
    }

    @Test
    void aTrackWithoutRedIsWrittenAsBeforeRed() {
        // a gateway older than RED refuses fields it does not know: a stream without RED must not carry the field
        assertFalse(offer(new Sfu.Track("audio", 2, "opus", 111)).contains("redPayloadType"));
        assertTrue(offer(new Sfu.Track("audio", 2, "opus", 111, 63)).contains("\"redPayloadType\":63"));
    }
}
