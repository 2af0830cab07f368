package io.wenzhen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LinkLaneTest {

    static final long MS = 1_000_000L;

    @Test
    void randomLossLosesItsFractionIndependently() {
        Losses losses = losses(new LinkLane(1), LinkLane.Shape.CLEAR.withLoss(0.10, 1), 100_000);
        assertEquals(0.10, losses.fraction(), 0.005);
        assertEquals(1 / 0.9, losses.meanRun(), 0.05); // independent losses: runs of 1 / (1 - p) on average
    }

    @Test
    void burstyLossLosesTheSameFractionInRunsOfTheMeanLength() {
        Losses losses = losses(new LinkLane(2), LinkLane.Shape.CLEAR.withLoss(0.10, 4), 200_000);
        assertEquals(0.10, losses.fraction(), 0.01);
        assertEquals(4.0, losses.meanRun(), 0.3);
    }

    /** How many of {@code offered} datagrams (one a millisecond) were lost, and in how many runs. */
    record Losses(int offered, int lost, int runs) {

        double fraction() {
            return lost / (double) offered;
        }

        double meanRun() {
            return lost / (double) runs;
        }
    }

    static Losses losses(LinkLane lane, LinkLane.Shape shape, int offered) {
        int lost = 0;
        int runs = 0;
        boolean previous = false;
        for (int i = 0; i < offered; i++) {
            boolean now = lane.admit(1000, i * MS, shape) == LinkLane.Fate.LOST;
            lost += now ? 1 : 0;
            runs += now && !previous ? 1 : 0;
            previous = now;
        }
        return new Losses(offered, lost, runs);
    }

    @Test
    void aRateCapPassesItsRateAndDropsWhatOverflowsTheQueue() {
        LinkLane lane = new LinkLane(3);
        LinkLane.Shape shape = LinkLane.Shape.CLEAR.withRate(800_000, Duration.ofMillis(200));
        long delivered = 0;
        long dropped = 0;
        long lastDue = 0;
        // 1,000-byte datagrams every 5 ms: 1.6 Mbit/s offered for 10 s
        for (long t = 0; t < 10_000 * MS; t += 5 * MS) {
            LinkLane.Fate fate = lane.admit(1000, t, shape);
            if (fate == LinkLane.Fate.DELIVERED) {
                delivered++;
                assertTrue(lane.due() - t <= 210 * MS, "waited past the queue: " + (lane.due() - t) / MS + " ms");
                assertTrue(lane.due() >= lastDue);
                lastDue = lane.due();
            } else {
                assertEquals(LinkLane.Fate.QUEUE_FULL, fate);
                dropped++;
            }
        }
        assertEquals(800_000, delivered * 8000 * 1e9 / lastDue, 20_000);
        assertEquals(1000, dropped, 30); // half of the 2,000 offered
    }

    @Test
    void delayAndJitterNeverReorder() {
        LinkLane lane = new LinkLane(4);
        LinkLane.Shape shape = LinkLane.Shape.CLEAR.withDelay(Duration.ofMillis(75), Duration.ofMillis(20));
        long lastDue = 0;
        double delaySum = 0;
        for (int i = 0; i < 10_000; i++) {
            long now = i * 20 * MS;
            assertEquals(LinkLane.Fate.DELIVERED, lane.admit(200, now, shape));
            assertTrue(lane.due() >= lastDue);
            assertTrue(lane.due() - now >= 55 * MS && lane.due() - now <= 95 * MS);
            delaySum += lane.due() - now;
            lastDue = lane.due();
        }
        assertEquals(75, delaySum / 10_000 / MS, 1);
    }
}
