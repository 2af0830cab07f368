package io.wenzhen.protocols.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;

class TransportFeedbackTest {

    private static final long MISSING = TransportFeedback.NOT_RECEIVED;

    /**
     * Written out by hand from the draft's layout: packets 100–102 arrive at 65 ms, not at all, and 135 ms. The
     * reference time is 1 (64 ms); the deltas are 4 ticks (small) and 280 ticks (large, 0x0118); one two-bit
     * status vector chunk holds the symbols 1, 0, 2 (0xD200); then padding to 32 bits.
     */
    static final byte[] WRITTEN = HexFormat.of().parseHex(
            "8fcd0006" + "00000001" + "00000002" + "00640003" + "00000105" + "d2000401" + "18000000");

    @Test
    void writesTheDraftsLayout() {
        byte[] packet = new TransportFeedback(100, 5, new long[] {65_000, MISSING, 135_000}).write(1, 2);
        assertEquals(HexFormat.of().formatHex(WRITTEN), HexFormat.of().formatHex(packet));
    }

    @Test
    void readsWhatTheRtcpParserKeeps() {
        RtcpPacket.TransportCc cc = assertInstanceOf(RtcpPacket.TransportCc.class, RtcpParser.parse(WRITTEN, 0, WRITTEN.length).get(0));
        assertEquals(1, cc.senderSsrc());
        TransportFeedback feedback = TransportFeedback.parse(cc.feedback());
        assertEquals(100, feedback.baseSequence());
        assertEquals(5, feedback.feedbackCount());
        assertArrayEquals(new long[] {65_000, MISSING, 135_000}, feedback.arrivalMicros());
    }

    @Test
    void readsBackWhatItWritesToTheTick() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            int count = 1 + random.nextInt(round % 10 == 0 ? 3000 : 40);
            long[] arrivals = new long[count];
            long clock = random.nextLong(1L << 40);
            for (int i = 0; i < count; i++) {
                int kind = random.nextInt(10);
                clock += switch (kind) {
                    case 0 -> -random.nextInt(20_000); // reordered: a negative delta
                    case 1 -> random.nextInt(300_000); // a long pause: a large delta
                    default -> random.nextInt(30_000);
                };
                // a long run lost now and then, so run-length chunks of both symbols are written too
                arrivals[i] = i > 0 && (kind == 2 || round % 7 == 0 && i % 50 < 20) ? MISSING : clock;
            }
            int base = random.nextInt(0x10000);
            byte[] packet = new TransportFeedback(base, round & 0xFF, arrivals).write(9, 10);
            assertEquals(0, packet.length % 4);
            RtcpPacket.TransportCc cc = (RtcpPacket.TransportCc) RtcpParser.parse(packet, 0, packet.length).get(0);
            TransportFeedback read = TransportFeedback.parse(cc.feedback());
            assertEquals(base, read.baseSequence());
            assertEquals(round & 0xFF, read.feedbackCount());
            long[] expected = arrivals.clone();
            long wrap = 0x1000000L * 64_000;
            for (int i = 0; i < count; i++) {
                if (expected[i] != MISSING) {
                    // to the tick, on a clock whose reference wraps every 2^24 × 64 ms
                    expected[i] = Math.floorMod(Math.floorDiv(expected[i], 250) * 250, wrap);
                }
            }
            long[] got = read.arrivalMicros().clone();
            for (int i = 0; i < count; i++) {
                if (got[i] != MISSING) {
                    got[i] = Math.floorMod(got[i], wrap);
                }
            }
            assertArrayEquals(expected, got, "round " + round);
        }
    }

    @Test
    void aLongRunTakesOneChunk() {
        long[] arrivals = new long[1000];
        for (int i = 0; i < arrivals.length; i++) {
            arrivals[i] = 1_000_000 + i * 1_000L;
        }
        byte[] packet = new TransportFeedback(0, 0, arrivals).write(1, 2);
        // header 4, SSRCs 8, base/count/reference 8, one run-length chunk 2, 1000 one-byte deltas, padding 2
        assertEquals(4 + 8 + 8 + 2 + 1000 + 2, packet.length);
    }

    @Test
    void refusesWhatItCannotWrite() {
        assertThrows(IllegalArgumentException.class, () -> new TransportFeedback(0, 0, new long[0]).write(1, 2));
        assertThrows(IllegalArgumentException.class, () -> new TransportFeedback(0, 0, new long[] {MISSING, MISSING}).write(1, 2));
        long[] lostFirst = {MISSING, 70_000};
        assertArrayEquals(lostFirst, TransportFeedback.parse(Arrays.copyOfRange(new TransportFeedback(0, 0, lostFirst).write(1, 2), 12, 24))
                .arrivalMicros(), "the reference time comes from the first packet that arrived");
        assertThrows(IllegalArgumentException.class, () -> new TransportFeedback(0, 0, new long[] {0, 9_000_000}).write(1, 2));
        assertEquals(false, TransportFeedback.fits(0, 9_000_000));
        assertEquals(true, TransportFeedback.fits(0, 8_000_000));
    }

    @Test
    void fuzzedFeedbackOnlyEverFailsAsMalformed() {
        Random random = new Random(11);
        byte[] fci = Arrays.copyOfRange(WRITTEN, 12, WRITTEN.length);
        for (int round = 0; round < 100_000; round++) {
            byte[] input = random.nextBoolean() ? new byte[random.nextInt(40)] : fci.clone();
            if (input.length == fci.length) {
                input[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
            } else {
                random.nextBytes(input);
            }
            try {
                TransportFeedback feedback = TransportFeedback.parse(input);
                assertEquals(((input[2] & 0xFF) << 8) | (input[3] & 0xFF), feedback.count());
            } catch (MalformedPacketException expected) {
                // the only way it may fail
            }
        }
    }
}
