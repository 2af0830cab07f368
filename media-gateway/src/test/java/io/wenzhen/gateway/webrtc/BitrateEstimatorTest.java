package io.wenzhen.gateway.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BitrateEstimatorTest {

    @Test
    void withoutLossTheCeilingStands() {
        BitrateEstimator estimator = new BitrateEstimator(2_500_000);
        assertEquals(2_500_000, estimator.update(300_000, 0));
    }

    @Test
    void heavyLossCutsToWhatArrivesThenCleanIntervalsGrowItBack() {
        BitrateEstimator estimator = new BitrateEstimator(2_500_000);
        long cut = estimator.update(1_000_000, 0.2);
        assertEquals(900_000, cut, "what arrived, less half the loss");
        long held = estimator.update(900_000, 0.05);
        assertEquals(cut, held, "moderate loss holds");
        long grown = estimator.update(900_000, 0.0);
        assertEquals(972_000, grown, "8 % above what arrives");
        for (int i = 0; i < 100; i++) {
            estimator.update(estimator.estimate(), 0);
        }
        assertEquals(2_500_000, estimator.estimate(), "never above the ceiling");
    }

    @Test
    void neverBelowTheFloor() {
        BitrateEstimator estimator = new BitrateEstimator(2_500_000);
        assertTrue(estimator.update(10_000, 0.9) >= BitrateEstimator.FLOOR_BPS);
    }
}
