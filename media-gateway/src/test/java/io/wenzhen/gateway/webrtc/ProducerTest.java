package io.wenzhen.gateway.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.rtcp.RtcpPacket;
import io.wenzhen.protocols.rtcp.RtcpParser;
import io.wenzhen.protocols.rtp.RtpPacket;

class ProducerTest {

    /** A viewer whose link shows itself narrower than the stream (or not: -1). */
    record Viewer(long downlinkLimitBps) implements Producer.Sink {
        @Override
        public void forward(byte[] packet) {
        }

        @Override
        public void forwardSenderReport(RtcpPacket.SenderReport report) {
        }

        @Override
        public void close() {
        }
    }

    /** The REMB in the compound RTCP the producer sent last. */
    static long lastRemb(List<byte[]> sent) {
        for (RtcpPacket packet : RtcpParser.parse(sent.getLast(), 0, sent.getLast().length)) {
            if (packet instanceof RtcpPacket.Remb remb) {
                return remb.bitrate();
            }
        }
        throw new AssertionError("no REMB in the last RTCP");
    }

    @Test
    void aLoneViewersNarrowDownlinkCapsThePublisherAndASecondViewerLiftsTheCap() {
        List<byte[]> sent = new ArrayList<>();
        Producer producer = new Producer("cam", sent::add, 2_500_000);
        producer.declare(42);
        for (int i = 0; i < 10; i++) {
            producer.receiveRtp(RtpPacket.build(111, false, i, i * 960L, 42, new byte[100]));
        }
        Viewer narrow = new Viewer(400_000);
        producer.add(narrow);
        producer.report();
        // REMB's mantissa and exponent round down a little
        assertEquals(400_000, lastRemb(sent), 400_000 * 0.01, "the publisher sends what its one viewer's link carries");

        producer.add(new Viewer(-1));
        producer.report();
        assertEquals(2_500_000, lastRemb(sent), 2_500_000 * 0.01, "with two viewers no single one sets what everyone gets");

        producer.remove(narrow);
        producer.add(new Viewer(50_000));
        producer.remove(producer.consumers().getFirst());
        producer.report();
        assertEquals(BitrateEstimator.FLOOR_BPS, lastRemb(sent), BitrateEstimator.FLOOR_BPS * 0.01, "never under the floor");
    }
}
