package io.wenzhen.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void allowsTheBurstThenTheRate() {
        RateLimiter limiter = new RateLimiter(20, 40, 0);
        for (int i = 0; i < 40; i++) {
            assertTrue(limiter.tryAcquire(0), "burst " + i);
        }
        assertFalse(limiter.tryAcquire(0));
        assertTrue(limiter.tryAcquire(50_000_000L), "one more after 1/20 s");
        assertFalse(limiter.tryAcquire(50_000_000L));
        assertTrue(limiter.tryAcquire(10_000_000_000L));
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            allowed += limiter.tryAcquire(10_000_000_000L) ? 1 : 0;
        }
        assertTrue(allowed == 39, "refilled to the burst, not beyond: " + allowed);
    }
}
