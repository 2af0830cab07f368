package io.wenzhen.e2e;

import java.time.Duration;
import java.util.Random;

/**
 * One direction of one browser's link, as a router and a radio would treat its datagrams: lost at
 * random or in bursts (a Gilbert model: a good and a bad state, every datagram in the bad state lost),
 * queued behind a rate cap with a bounded queue (tail drop, as a router's buffer), delayed, with jitter.
 * It never reorders: a datagram leaves no earlier than the one before it. Seeded, so a run repeats.
 * Pure logic: {@link ImpairedLink} moves the datagrams.
 */
final class LinkLane {

    /**
     * How the lane behaves now; changed while a call runs.
     *
     * @param loss       the fraction lost, in [0, 1)
     * @param meanBurst  the mean length of a run of losses (1: independent losses)
     * @param delay      one-way delay added to every datagram
     * @param jitter     a uniform variation of the delay, ± this much (order kept)
     * @param bitsPerSecond the rate cap, 0 for none
     * @param queue      how long a datagram may wait behind the cap before the queue is full and it is dropped
     */
    record Shape(double loss, double meanBurst, Duration delay, Duration jitter, long bitsPerSecond, Duration queue) {

        static final Shape CLEAR = new Shape(0, 1, Duration.ZERO, Duration.ZERO, 0, Duration.ofMillis(300));

        Shape {
            if (loss < 0 || loss >= 1 || meanBurst < 1) {
                throw new IllegalArgumentException("loss in [0, 1) and a mean burst of at least 1");
            }
        }

        Shape withLoss(double fraction, double burst) {
            return new Shape(fraction, burst, delay, jitter, bitsPerSecond, queue);
        }

        Shape withDelay(Duration oneWay, Duration variation) {
            return new Shape(loss, meanBurst, oneWay, variation, bitsPerSecond, queue);
        }

        Shape withRate(long bits, Duration maxQueue) {
            return new Shape(loss, meanBurst, delay, jitter, bits, maxQueue);
        }
    }

    /** What happened to one datagram. */
    enum Fate {
        DELIVERED, LOST, QUEUE_FULL
    }

    private final Random random;
    private boolean bad;
    private long lastDeparture = Long.MIN_VALUE;
    private long lastDue = Long.MIN_VALUE;
    private long due;

    LinkLane(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Admits a datagram of {@code bytes} offered at {@code nowNanos} under {@code shape}; when its fate is
     * DELIVERED, {@link #due()} is when it arrives.
     */
    Fate admit(int bytes, long nowNanos, Shape shape) {
        if (lost(shape)) {
            return Fate.LOST;
        }
        long departure = nowNanos;
        if (shape.bitsPerSecond() > 0) {
            long start = Math.max(nowNanos, lastDeparture);
            if (start - nowNanos > shape.queue().toNanos()) {
                return Fate.QUEUE_FULL;
            }
            departure = start + bytes * 8L * 1_000_000_000L / shape.bitsPerSecond();
            lastDeparture = departure;
        }
        long arrival = departure + shape.delay().toNanos();
        long jitter = shape.jitter().toNanos();
        if (jitter > 0) {
            arrival += (long) ((random.nextDouble() * 2 - 1) * jitter);
        }
        due = Math.max(Math.max(arrival, departure), lastDue);
        lastDue = due;
        return Fate.DELIVERED;
    }

    /** When the last delivered datagram arrives (System.nanoTime's clock). */
    long due() {
        return due;
    }

    private boolean lost(Shape shape) {
        if (shape.loss() == 0) {
            bad = false;
            return false;
        }
        if (shape.meanBurst() <= 1) {
            return random.nextDouble() < shape.loss();
        }
        // Gilbert: leave the bad state with r = 1 / mean burst; enter it with p such that p / (p + r) = loss
        double r = 1 / shape.meanBurst();
        double p = shape.loss() * r / (1 - shape.loss());
        bad = bad ? random.nextDouble() >= r : random.nextDouble() < p;
        return bad;
    }
}
