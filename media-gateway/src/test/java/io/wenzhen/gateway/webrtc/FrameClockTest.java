package io.wenzhen.gateway.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FrameClockTest {

    static final long MS = 1_000_000L;

    @Test
    void aGapOfThreeFrameIntervalsAndMoreThan150MsIsAFreeze() {
        FrameClock clock = new FrameClock();
        long t = 0;
        for (int i = 0; i < 31; i++) {
            clock.frameEnded(t);
            t += 33 * MS; // 30 fps
        }
        t += 120 * MS; // a 153 ms gap: above 3 x 33 = 99 but below 33 + 150 = 183
        clock.frameEnded(t);
        assertEquals(0, clock.freezes(), "153 ms at 30 fps is not yet a freeze");
        t += 400 * MS;
        clock.frameEnded(t);
        assertEquals(1, clock.freezes());
        assertEquals(400, clock.frozenMillis(), 1e-9);
        assertEquals(33, clock.frames());
    }

    @Test
    void aSlowStreamIsNotFrozenByItsOwnRhythm() {
        FrameClock clock = new FrameClock();
        for (int i = 0; i < 50; i++) {
            clock.frameEnded(i * 200 * MS); // 5 fps, steady
        }
        assertEquals(0, clock.freezes());
    }
}
