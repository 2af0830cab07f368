package io.wenzhen.protocols.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.rtcp.RtcpPacket;

class RtpReceiveStatsTest {

    static final long MS = 1_000_000L;

    @Test
    void countsLossAndReportsTheFractionPerInterval() {
        RtpReceiveStats stats = new RtpReceiveStats(0x1234, 90000);
        for (int seq = 100; seq < 200; seq++) {
            if (seq % 10 != 5) { // every tenth packet lost
                stats.received(seq, seq * 3000L, seq * 33 * MS, 1000);
            }
        }
        assertEquals(100, stats.expected());
        assertEquals(10, stats.lost());
        RtcpPacket.ReportBlock block = stats.reportBlock(10_000 * MS);
        assertEquals(25, block.fractionLost(), "10 % of 256");
        assertEquals(10, block.cumulativeLost());
        assertEquals(199, block.highestSequence());
        // the next interval has no loss
        for (int seq = 200; seq < 250; seq++) {
            stats.received(seq, seq * 3000L, seq * 33 * MS, 1000);
        }
        assertEquals(0, stats.reportBlock(20_000 * MS).fractionLost());
    }

    @Test
    void theSequenceNumberWrapsIntoTheExtendedHighest() {
        RtpReceiveStats stats = new RtpReceiveStats(1, 48000);
        for (int i = 0; i < 20; i++) {
            stats.received((65530 + i) & 0xFFFF, i * 960L, i * 20 * MS, 100);
        }
        assertEquals(65536 + 13, stats.extendedHighestSequence());
        assertEquals(0, stats.lost());
        assertEquals(20, stats.expected());
    }

    @Test
    void reorderedAndDuplicatePacketsAreNotLoss() {
        RtpReceiveStats stats = new RtpReceiveStats(1, 90000);
        int[] order = {1, 2, 4, 3, 5, 5, 6};
        for (int seq : order) {
            stats.received(seq, seq * 3000L, seq * 33 * MS, 100);
        }
        assertEquals(6, stats.extendedHighestSequence());
        assertEquals(0, stats.lost());
    }

    @Test
    void jitterIsZeroForPerfectlyPacedPacketsAndGrowsWithIrregularArrival() {
        RtpReceiveStats paced = new RtpReceiveStats(1, 90000);
        for (int seq = 0; seq < 100; seq++) {
            paced.received(seq, seq * 3000L, seq * 3000L * 1_000_000_000L / 90000, 100);
        }
        assertTrue(paced.jitterMillis() < 0.1, "paced: " + paced.jitterMillis());
        RtpReceiveStats bumpy = new RtpReceiveStats(1, 90000);
        for (int seq = 0; seq < 100; seq++) {
            long wobble = (seq % 2 == 0 ? 0 : 15) * MS;
            bumpy.received(seq, seq * 3000L, seq * 3000L * 1_000_000_000L / 90000 + wobble, 100);
        }
        assertTrue(bumpy.jitterMillis() > 5, "bumpy: " + bumpy.jitterMillis());
    }

    @Test
    void jitterStaysSmallAcrossTheTimestampWrapAndALongUptime() {
        RtpReceiveStats stats = new RtpReceiveStats(1, 90000);
        long boot = 200L * 3600 * 1_000_000_000L; // 200 hours of System.nanoTime
        for (int seq = 0; seq < 100; seq++) {
            long timestamp = (0xFFFF_F000L + seq * 3000L) & 0xFFFF_FFFFL;
            stats.received(seq, timestamp, boot + seq * 3000L * 1_000_000_000L / 90000, 100);
        }
        assertTrue(stats.jitterMillis() < 0.1, "jitter " + stats.jitterMillis());
    }

    @Test
    void theLastSenderReportGoesIntoLsrAndDlsr() {
        RtpReceiveStats stats = new RtpReceiveStats(1, 90000);
        stats.received(1, 0, 0, 100);
        long ntp = 0x0000_1234_5678_0000L;
        stats.senderReport(ntp, 1_000 * MS);
        RtcpPacket.ReportBlock block = stats.reportBlock(1_500 * MS);
        assertEquals(0x1234_5678L, block.lastSenderReport());
        assertEquals(32768, block.delaySinceLastSenderReport(), "half a second in 1/65536 s");
    }
}
