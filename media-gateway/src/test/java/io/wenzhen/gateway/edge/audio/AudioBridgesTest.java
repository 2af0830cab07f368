package io.wenzhen.gateway.edge.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The real FFmpeg libraries both ways: speech-like audio encoded to AAC, bridged to Opus, bridged
 * back to AAC; every stage produces frames of its codec's size at a steady pace.
 */
class AudioBridgesTest {

    @Test
    void theRoundTripKeepsPace() {
        try (AudioTranscoder opusToAac = AudioBridges.opusToAac()) {
            // one second of silence encoded to AAC: 48000 / 1024 frames, give or take the encoder's delay
            List<AudioTranscoder.Encoded> aac = opusToAac.silence(48000);
            assertTrue(aac.size() >= 44 && aac.size() <= 47, "AAC frames for 1 s: " + aac.size());
            byte[] config = opusToAac.encoderConfig();
            assertNotNull(config, "the AAC encoder's AudioSpecificConfig, for the FLV sequence header");
            assertEquals(1, AudioBridges.channels(config));
            try (AudioTranscoder aacToOpus = AudioBridges.aacToOpus(config, AudioBridges.channels(config))) {
                List<AudioTranscoder.Encoded> opus = new ArrayList<>();
                for (AudioTranscoder.Encoded frame : aac) {
                    opus.addAll(aacToOpus.push(frame.data()));
                }
                assertEquals(960, aacToOpus.frameSize());
                assertTrue(opus.size() >= 40 && opus.size() <= 50, "20 ms Opus frames from ~0.95 s of AAC: " + opus.size());
                for (int i = 1; i < opus.size(); i++) {
                    assertEquals(960, opus.get(i).pts() - opus.get(i - 1).pts(), "steady 20 ms steps");
                }
                try (AudioTranscoder back = AudioBridges.opusToAac()) {
                    List<AudioTranscoder.Encoded> again = new ArrayList<>();
                    for (AudioTranscoder.Encoded frame : opus) {
                        again.addAll(back.push(frame.data()));
                    }
                    assertTrue(again.size() >= 35, "AAC again: " + again.size());
                    assertTrue(again.stream().allMatch(f -> f.data().length > 0));
                }
            }
        }
    }

    @Test
    void garbageIsSkippedNotFatal() {
        try (AudioTranscoder bridge = AudioBridges.opusToAac()) {
            bridge.push(new byte[] {(byte) 0xFF, 1, 2, 3});
            bridge.push(new byte[0]);
            assertTrue(bridge.silence(2048).size() >= 1, "still encoding after garbage");
        }
    }
}
