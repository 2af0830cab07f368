package io.wenzhen.quality.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MosTest {

    @Test
    void theEModelAtItsDefaultsAndUnderLossAndDelay() {
        // G.107 Annex B at the default R of 93.2: MOS 4.41
        assertEquals(4.41, AudioMos.mos(93.2), 0.005);
        assertEquals(1, AudioMos.mos(-3));
        assertEquals(4.5, AudioMos.mos(120));
        // a clean loopback leg: only the codec's 40 ms of delay, Id = 0.96
        assertEquals(93.2 - 0.024 * 40, AudioMos.rFactor(0, 0, 0), 1e-9);
        // 5 % random loss with Ie = 0, Bpl = 25.1: Ie,eff = 95 * 5 / (5 + 25.1) = 15.78
        assertEquals(93.2 - 0.96 - 95 * 5 / 30.1, AudioMos.rFactor(0.05, 0, 0), 1e-9);
        // past 177.3 ms one way the delay costs more: 400 ms RTT -> 200 + 40 ms one way
        double d = 240;
        assertEquals(93.2 - (0.024 * d + 0.11 * (d - 177.3)), AudioMos.rFactor(0, 0, 400), 1e-9);
        assertTrue(AudioMos.estimate(0.2, 30, 300) < 2.6, "20 % loss is unusable");
        assertTrue(AudioMos.estimate(0, Double.NaN, Double.NaN) > 4.3, "unknown jitter and RTT count as none");
    }

    @Test
    void videoFromBitsPerPixelFrameRateAndFreezes() {
        double good = VideoMos.estimate(1000, 640, 480, 30, 0, 0, 10);
        double starved = VideoMos.estimate(150, 640, 480, 30, 0, 0, 10);
        double choppy = VideoMos.estimate(1000, 640, 480, 5, 0, 0, 10);
        double frozen = VideoMos.estimate(1000, 640, 480, 30, 0.3, 2, 10);
        assertEquals(Grade.EXCELLENT, Grade.of(good), "640x480 at 1 Mbit/s and 30 fps: " + good);
        assertEquals(Grade.UNUSABLE, Grade.of(starved), "150 kbit/s for 640x480: " + starved);
        assertTrue(choppy < good - 1, "5 fps: " + choppy);
        assertTrue(frozen <= 1.5, "frozen a third of the time: " + frozen);
        assertEquals(1, VideoMos.estimate(0, 640, 480, 30, 0, 0, 10), "no video");
        assertEquals(good, VideoMos.estimate(1000, 0, 0, Double.NaN, Double.NaN, Double.NaN, 10), 1e-9,
                "unknown resolution and rate: 640x480 at 30 fps assumed");
    }

    @Test
    void gradesFollowTheEModelsSatisfactionBands() {
        assertEquals(Grade.EXCELLENT, Grade.of(AudioMos.mos(80)));
        assertEquals(Grade.GOOD, Grade.of(AudioMos.mos(79.9)));
        assertEquals(Grade.GOOD, Grade.of(AudioMos.mos(70.01)));
        assertEquals(Grade.MEDIUM, Grade.of(AudioMos.mos(65)));
        assertEquals(Grade.POOR, Grade.of(AudioMos.mos(55)));
        assertEquals(Grade.UNUSABLE, Grade.of(AudioMos.mos(40)));
        assertEquals(Grade.UNKNOWN, Grade.of(Double.NaN));
        assertEquals(5, Grade.UNKNOWN.level());
    }
}
