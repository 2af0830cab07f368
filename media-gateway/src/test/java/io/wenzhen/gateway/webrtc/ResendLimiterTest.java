package io.wenzhen.gateway.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The NACK limiter's rules, on a clock the test moves (pure logic). */
class ResendLimiterTest {

    static final long MS = 1_000_000L;

    @Test
    void aNackCountsEachSequenceOnceAndAtMostTheCap() {
        ResendLimiter limiter = new ResendLimiter(2_500_000, 0);
        assertEquals(List.of(5, 6), limiter.candidates(List.of(5, 5, 6, 5, 6), -1, 0), "repeats in one NACK count once");
        List<Integer> many = IntStream.range(0, 6000).boxed().toList();
        assertEquals(ResendLimiter.MAX_SEQUENCES_PER_NACK, limiter.candidates(many, -1, 0).size());
        assertEquals(List.of(5, 6), limiter.candidates(List.of(5, 6), -1, 0), "a NACK leaves no trace in the next one");
    }

    @Test
    void aPacketIsNotResentTwiceWithinTheRoundTrip() {
        ResendLimiter limiter = new ResendLimiter(2_500_000, 0);
        assertTrue(limiter.tryResend(7, 1200, 0));
        assertEquals(List.of(), limiter.candidates(List.of(7), 50 * MS, 40 * MS), "within the 50 ms RTT");
        assertEquals(List.of(7), limiter.candidates(List.of(7), 50 * MS, 60 * MS), "after it");
        assertEquals(List.of(), limiter.candidates(List.of(7), -1, 90 * MS), "unknown RTT: 100 ms is assumed");
        assertEquals(List.of(7), limiter.candidates(List.of(7), 1 * MS, 25 * MS), "a tiny RTT still waits 20 ms");
        assertEquals(List.of(7 + 1024), limiter.candidates(List.of(7 + 1024), 50 * MS, 1 * MS), "another packet in the same slot");
    }

    @Test
    void resendsStayWithinThePacketRateAndThePlayersBandwidth() {
        ResendLimiter byCount = new ResendLimiter(1_000_000_000, 0);
        int sent = 0;
        for (int i = 0; i < 10_000; i++) {
            sent += byCount.tryResend(i, 100, 0) ? 1 : 0;
        }
        assertEquals(ResendLimiter.MAX_PACKETS_PER_SECOND / 4, sent, "a quarter second's burst at once");
        assertTrue(byCount.tryResend(1, 100, 10 * MS), "tokens come back with time");

        ResendLimiter byBytes = new ResendLimiter(2_500_000, 0); // 312,500 bytes/s: 78,125 bytes a quarter second
        int bytes = 0;
        for (int i = 0; i < 100 && byBytes.tryResend(i, 1200, 0); i++) {
            bytes += 1200;
        }
        assertEquals(78_000, bytes, "the bytes a quarter second of the player's bandwidth holds");
        byBytes.bandwidth(250_000); // the player's REMB says its downlink is far narrower
        assertFalse(byBytes.tryResend(200, 1200, 10 * MS), "312 bytes came back in 10 ms: not a packet's worth");
        assertTrue(byBytes.tryResend(200, 1200, 50 * MS));
    }
}
