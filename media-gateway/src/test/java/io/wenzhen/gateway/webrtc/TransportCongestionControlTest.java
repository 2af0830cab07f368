package io.wenzhen.gateway.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.rtcp.RtcpPacket;
import io.wenzhen.protocols.rtcp.RtcpParser;
import io.wenzhen.protocols.rtcp.TransportFeedback;
import io.wenzhen.protocols.rtp.RtpPacket;

/** Both ends of transport-wide congestion control: the feedback the gateway gives publishers, and its numbering toward players. */
class TransportCongestionControlTest {

    static final int EXTENSION = 3;
    static final long MS = 1_000_000L;

    /** An RTP packet of {@code size} bytes whose one-byte extension block holds the transport-wide sequence number. */
    static byte[] packet(int transportSequence, int size) {
        byte[] packet = new byte[Math.max(20, size)];
        byte[] header = RtpPacket.build(96, false, transportSequence, 0, 1234, new byte[0]);
        System.arraycopy(header, 0, packet, 0, 12);
        packet[0] |= 0x10; // X: an extension block follows
        packet[12] = (byte) 0xBE;
        packet[13] = (byte) 0xDE;
        packet[15] = 1; // one 32-bit word of elements
        packet[16] = (byte) (EXTENSION << 4 | 1); // two bytes of value
        packet[17] = (byte) (transportSequence >> 8);
        packet[18] = (byte) transportSequence;
        return packet;
    }

    @Test
    void theServerReportsWhatArrivedAndWhen() {
        List<TransportFeedback> sent = new ArrayList<>();
        var server = new TransportCongestionControlServer(EXTENSION, rtcp -> {
            RtcpPacket.TransportCc cc = (RtcpPacket.TransportCc) RtcpParser.parse(rtcp, 0, rtcp.length).get(0);
            sent.add(TransportFeedback.parse(cc.feedback()));
        });
        long start = 1_000 * MS;
        server.received(packet(65534, 100), start);
        // 65535 lost; the numbering wraps; then 50 ms later a feedback is due
        server.received(packet(0, 100), start + 10 * MS);
        server.received(packet(2, 100), start + 20 * MS);
        server.received(packet(1, 100), start + 30 * MS); // reordered within the interval
        server.received(packet(3, 100), start + 60 * MS);
        assertEquals(2, sent.size(), "the first packet's feedback at once, then one after 50 ms");
        TransportFeedback second = sent.get(1);
        assertEquals(65535, second.baseSequence());
        long[] arrivals = second.arrivalMicros();
        assertEquals(5, arrivals.length);
        assertEquals(TransportFeedback.NOT_RECEIVED, arrivals[0]);
        assertEquals(10_000, arrivals[1] - sent.get(0).arrivalMicros()[0]);
        assertEquals(20_000, arrivals[2] - arrivals[1]);
        assertEquals(-10_000, arrivals[3] - arrivals[2], "a reordered arrival is a negative delta");
        assertEquals(40_000, arrivals[4] - arrivals[3]);
        assertEquals(1, second.feedbackCount() - sent.get(0).feedbackCount());

        server.received(packet(1, 100), start + 120 * MS); // late: reported already, as lost or received
        server.received(packet(4, 100), start + 130 * MS);
        assertEquals(4, sent.getLast().baseSequence());
        assertEquals(1, sent.getLast().count());
    }

    @Test
    void aHostilePublisherCostsABoundedRecord() {
        List<byte[]> sent = new ArrayList<>();
        var server = new TransportCongestionControlServer(EXTENSION, sent::add);
        Random random = new Random(3);
        long now = 0;
        for (int i = 0; i < 200_000; i++) {
            now += random.nextInt(100_000);
            server.received(packet(random.nextInt(0x10000), 100), now);
        }
        server.received(new byte[] {(byte) 0x80, 1, 2}, now); // not even a header
        for (byte[] rtcp : sent) {
            RtcpPacket.TransportCc cc = (RtcpPacket.TransportCc) RtcpParser.parse(rtcp, 0, rtcp.length).get(0);
            assertTrue(TransportFeedback.parse(cc.feedback()).count() <= TransportCongestionControlServer.MAX_PACKETS_PER_FEEDBACK);
        }
        assertFalse(sent.isEmpty());
    }

    @Test
    void theClientNumbersWhatItSendsAndReadsTheFeedback() {
        var client = new TransportCongestionControlClient(EXTENSION, 2_500_000);
        long start = 5_000 * MS;
        byte[] first = packet(40_000, 1000);
        byte[] second = packet(40_000, 1000); // forwarded packets carry their publisher's number: overwritten
        byte[] noExtension = RtpPacket.build(96, false, 1, 0, 1, new byte[100]);
        client.stamp(first, start);
        client.stamp(noExtension, start);
        client.stamp(second, start + MS);
        assertEquals(1, RtpPacket.parse(first, 0, first.length).extensionU16(EXTENSION));
        assertEquals(2, RtpPacket.parse(second, 0, second.length).extensionU16(EXTENSION));
        assertArrayEquals(RtpPacket.build(96, false, 1, 0, 1, new byte[100]), noExtension, "a packet without the element is left alone");
        assertFalse(client.active(start));
        client.feedback(new TransportFeedback(1, 0, new long[] {100_000, 101_000, 102_000}), start + 50 * MS);
        assertTrue(client.active(start + 60 * MS));
        assertFalse(client.limiting(), "one clear feedback shows no narrow link");
        assertFalse(client.active(start + 50 * MS + TransportCongestionControlClient.FEEDBACK_TIMEOUT_NANOS),
                "no feedback for 2 s: the player's REMB counts again");
    }

    /**
     * A player behind a link of {@code capacityBps} with a queue of up to 10 s (deep enough that only the delay
     * shows the link is full), sent {@code sendBps}: arrivals as that link delivers them.
     */
    static long simulate(SendSideBandwidthEstimator estimator, long sendBps, long capacityBps, double loss, int seconds, long[] clock) {
        Random random = new Random(5);
        int size = 1200;
        long sendInterval = size * 8L * 1_000_000 / sendBps; // µs between packets
        long service = size * 8L * 1_000_000 / capacityBps;
        long linkFreeAt = 0;
        List<SendSideBandwidthEstimator.PacketResult> pending = new ArrayList<>();
        long end = clock[0] + seconds * 1_000_000L;
        long nextFeedback = clock[0] + 50_000;
        long estimate = estimator.estimate();
        for (long t = clock[0]; t < end; t += sendInterval) {
            long departure = Math.max(t, linkFreeAt) + service;
            linkFreeAt = departure;
            long arrival = departure + 20_000; // 20 ms of propagation
            boolean lost = random.nextDouble() < loss || departure - t > 10_000_000; // a tail drop past the queue
            if (departure - t > 10_000_000) {
                linkFreeAt -= service;
            }
            pending.add(new SendSideBandwidthEstimator.PacketResult(t, lost ? TransportFeedback.NOT_RECEIVED : arrival, size));
            if (t >= nextFeedback) {
                estimate = estimator.update(pending, t * 1000);
                pending.clear();
                nextFeedback = t + 50_000;
            }
        }
        clock[0] = end;
        return estimate;
    }

    @Test
    void theEstimateStaysAtTheCeilingOnAClearPath() {
        var estimator = new SendSideBandwidthEstimator(2_500_000);
        long estimate = simulate(estimator, 1_500_000, 100_000_000, 0, 10, new long[] {0});
        assertEquals(2_500_000, estimate);
        assertFalse(estimator.limiting());
    }

    @Test
    void aQueueBuildingOnANarrowLinkBringsTheEstimateUnderItsCapacity() {
        var estimator = new SendSideBandwidthEstimator(2_500_000);
        long[] clock = {0};
        long estimate = simulate(estimator, 1_500_000, 400_000, 0, 3, clock);
        assertTrue(estimator.limiting());
        assertTrue(estimator.queueLimited(), "a queue: a sender sending less helps");
        assertTrue(estimate <= 400_000 && estimate >= 200_000, "the estimate follows the link's 400 kbit/s: " + estimate);
        // sent what it estimates: the queue drains, and the estimate holds near the capacity
        for (int second = 0; second < 10; second++) {
            estimate = simulate(estimator, estimator.estimate(), 400_000, 0, 1, clock);
        }
        assertTrue(estimate <= 480_000 && estimate >= 250_000, "near the capacity while sent what it estimates: " + estimate);
        // the link widens: the estimate climbs back, 8 % a second while near the old capacity, then 25 % once past it
        // (sent what it estimates, so never past 1.5 times what arrives)
        long before = estimate;
        estimate = simulate(estimator, estimator.estimate(), 100_000_000, 0, 2, clock);
        assertTrue(estimate < before * 1.25, "GCC's 8 % a second at first: " + before + " → " + estimate);
        for (int second = 0; second < 8; second++) {
            estimate = simulate(estimator, estimator.estimate(), 100_000_000, 0, 1, clock);
        }
        assertTrue(estimate > before * 3, "climbs back fast on a clear path: " + before + " → " + estimate);
    }

    @Test
    void heavyLossCutsTheEstimate() {
        var estimator = new SendSideBandwidthEstimator(2_500_000);
        long estimate = simulate(estimator, 1_000_000, 100_000_000, 0.2, 3, new long[] {0});
        assertTrue(estimate < 1_000_000, "20 % loss: below what arrives: " + estimate);
        assertTrue(estimator.limiting());
        assertFalse(estimator.queueLimited(), "loss without a queue holds resends, not the publisher");

        // once a queue was seen, later loss still cuts only the estimate, never the queue's bound
        var queued = new SendSideBandwidthEstimator(2_500_000);
        long[] clock = {0};
        simulate(queued, 1_500_000, 400_000, 0, 3, clock);
        long bound = queued.queueBound();
        assertTrue(queued.queueLimited());
        clock[0] += 12_000_000; // the simulated queue (up to 10 s) drained: arrivals go on from after it
        simulate(queued, 300_000, 100_000_000, 0.2, 5, clock);
        assertTrue(queued.queueBound() >= bound, "the queue's bound fell for loss: " + bound + " → " + queued.queueBound());
        assertTrue(queued.estimate() < bound, "the estimate did: " + queued.estimate() + " against " + bound);
        var light = new SendSideBandwidthEstimator(2_500_000);
        assertEquals(2_500_000, simulate(light, 1_000_000, 100_000_000, 0.01, 3, new long[] {0}), "1 % loss is no reason to cut");
    }

    /** Stamps {@code count} packets of 1,200 bytes 5 ms apart from {@code start}; their feedback, all received at 20 ms. */
    static long[] sendClearly(TransportCongestionControlClient client, int count, long start) {
        long[] arrivals = new long[count];
        for (int i = 0; i < count; i++) {
            client.stamp(packet(0, 1200), start + i * 5 * MS);
            arrivals[i] = (start + i * 5 * MS) / 1000 + 20_000;
        }
        return arrivals;
    }

    @Test
    void feedbackForPacketsNeverSentIsIgnored() {
        var client = new TransportCongestionControlClient(EXTENSION, 2_500_000);
        long start = 10_000 * MS;
        client.feedback(new TransportFeedback(1, 0, sendClearly(client, 40, start)), start + 250 * MS);
        long[] arrivals = new long[3000];
        Arrays.fill(arrivals, TransportFeedback.NOT_RECEIVED);
        arrivals[0] = start / 1000 + 300_000;
        client.feedback(new TransportFeedback(41, 0, arrivals), start + 400 * MS);
        assertFalse(client.limiting(), "a player cannot talk the estimate down with losses of packets it was never sent");
    }

    @Test
    void aPlayerReportingEverythingLostCannotTakeTheEstimateUnderTheFloor() {
        var client = new TransportCongestionControlClient(EXTENSION, 2_500_000);
        long now = 10_000 * MS;
        int first = 1;
        for (int round = 0; round < 100; round++) {
            long[] arrivals = sendClearly(client, 40, now);
            Arrays.fill(arrivals, 1, arrivals.length, TransportFeedback.NOT_RECEIVED); // one kept, so a rate still arrives
            client.feedback(new TransportFeedback(first, 0, arrivals), now + 250 * MS);
            first += 40;
            now += 300 * MS;
        }
        assertTrue(client.limiting());
        assertEquals(SendSideBandwidthEstimator.FLOOR_BPS, client.estimate());
        assertFalse(client.queueLimited(), "loss alone never lowers what the publisher may be asked for");
    }

    @Test
    void aLossReportedAgainIsNotCountedAgain() {
        var client = new TransportCongestionControlClient(EXTENSION, 2_500_000);
        long start = 10_000 * MS;
        long[] lost = sendClearly(client, 2000, start);
        Arrays.fill(lost, 1, lost.length, TransportFeedback.NOT_RECEIVED);
        assertEquals(2000, client.feedback(new TransportFeedback(1, 0, lost), start + 20_000 * MS).matched());
        assertEquals(0, client.feedback(new TransportFeedback(1, 1, lost), start + 20_100 * MS).matched(),
                "the same losses again: nothing to count (a player repeating them gets no work done)");
        assertTrue(client.admit(start + 30_000 * MS));
        assertFalse(client.admit(start + 30_001 * MS), "a second feedback within 5 ms is dropped unread");
    }

    @Test
    void aPacketReportedLostAndThenReceivedCountsReceived() {
        var client = new TransportCongestionControlClient(EXTENSION, 2_500_000);
        long start = 10_000 * MS;
        long[] arrivals = sendClearly(client, 2, start);
        long late = arrivals[0];
        arrivals[0] = TransportFeedback.NOT_RECEIVED;
        client.feedback(new TransportFeedback(1, 0, arrivals), start + 50 * MS);
        // the next feedback reports it after all (it arrived late): matched, since it is still in the history
        TransportCongestionControlClient.Change change = client.feedback(new TransportFeedback(1, 1, new long[] {late + 40_000}),
                start + 100 * MS);
        assertEquals(1, change.matched());
        TransportCongestionControlClient.Change again = client.feedback(new TransportFeedback(1, 2, new long[] {late + 40_000}),
                start + 150 * MS);
        assertEquals(0, again.matched(), "reported received once: a repeat is not counted again");
    }
}
