package io.wenzhen.gateway.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.dtls.DtlsCertificate;
import io.wenzhen.protocols.rtcp.RtcpPacket;
import io.wenzhen.protocols.rtcp.RtcpParser;
import io.wenzhen.protocols.rtcp.RtcpWriter;
import io.wenzhen.protocols.rtp.RtpPacket;

/**
 * The SFU's forwarding through the real media port: one synthetic publisher, two synthetic players,
 * all over SRTP on UDP loopback.
 */
class ForwardingTest {

    static final long PUBLISHER_SSRC = 0x11223344L;
    final DtlsCertificate certificate = DtlsCertificate.generate("wenzhen-gateway", Duration.ofDays(30));
    MediaPort port;

    @BeforeEach
    void open() throws Exception {
        port = new MediaPort(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() {
        port.close();
    }

    static byte[] rtp(int sequence, boolean marker) {
        byte[] packet = HexFormat.of().parseHex("8060000000000000" + "11223344" + "0102030405060708090a");
        RtpPacket parsed = RtpPacket.parse(packet, 0, packet.length);
        parsed.setSequenceNumber(sequence);
        parsed.setTimestamp(sequence * 3000L);
        if (marker) {
            packet[1] |= (byte) 0x80;
        }
        return packet;
    }

    @Test
    void redundantAudioReachesEachPlayerAsItNegotiatedIt() throws Exception {
        try (SyntheticPeer publisher = new SyntheticPeer(port.port());
                SyntheticPeer withRed = new SyntheticPeer(port.port());
                SyntheticPeer withoutRed = new SyntheticPeer(port.port())) {
            WebRtcTransport publishing = new WebRtcTransport(port, certificate, publisher.certificate.fingerprint());
            publisher.connect(publishing, certificate.fingerprint());
            Producer producer = new Producer("doctor_7_main", publishing);
            producer.declare(PUBLISHER_SSRC);
            producer.red(63, 111);
            List<byte[]> edge = new CopyOnWriteArrayList<>();
            producer.add(new Producer.Sink() {
                @Override
                public void forward(byte[] packet) {
                    edge.add(packet);
                }

                @Override
                public void forwardSenderReport(RtcpPacket.SenderReport report) {
                }

                @Override
                public void close() {
                }
            });

            WebRtcTransport playing1 = new WebRtcTransport(port, certificate, withRed.certificate.fingerprint());
            withRed.connect(playing1, certificate.fingerprint());
            // this player numbered Opus 109 and RED 62: the blocks inside are renumbered too
            new Consumer(producer, playing1, Map.of(PUBLISHER_SSRC, new Consumer.Mapping(0xA1L, 109, 0, -1, 62)));
            WebRtcTransport playing2 = new WebRtcTransport(port, certificate, withoutRed.certificate.fingerprint());
            withoutRed.connect(playing2, certificate.fingerprint());
            new Consumer(producer, playing2, Map.of(PUBLISHER_SSRC, new Consumer.Mapping(0xB2L, 111)));

            byte[] red = RtpPacket.build(63, true, 5, 960, PUBLISHER_SSRC, HexFormat.of().parseHex("ef0f0003" + "6f" + "aabbcc" + "1122"));
            byte[] plain = RtpPacket.build(111, false, 6, 1920, PUBLISHER_SSRC, HexFormat.of().parseHex("3344"));
            publisher.sendRtp(red);
            publisher.sendRtp(plain);
            List<byte[]> toRed = receiveRtp(withRed, 2);
            List<byte[]> toPlain = receiveRtp(withoutRed, 2);
            RtpPacket a = RtpPacket.parse(toRed.get(0), 0, toRed.get(0).length);
            assertEquals(62, a.payloadType());
            assertArrayEquals(HexFormat.of().parseHex("ed0f0003" + "6d" + "aabbcc" + "1122"),
                    Arrays.copyOfRange(toRed.get(0), a.payloadOffset(), a.payloadOffset() + a.payloadLength()));
            assertEquals(109, RtpPacket.parse(toRed.get(1), 0, toRed.get(1).length).payloadType(), "plain Opus stays plain");
            RtpPacket b = RtpPacket.parse(toPlain.get(0), 0, toPlain.get(0).length);
            assertEquals(111, b.payloadType());
            assertEquals(5, b.sequenceNumber());
            assertArrayEquals(HexFormat.of().parseHex("1122"), Arrays.copyOfRange(toPlain.get(0), b.payloadOffset(),
                    b.payloadOffset() + b.payloadLength()), "the primary block alone for a player without RED");
            assertArrayEquals(HexFormat.of().parseHex("1122"), Arrays.copyOfRange(edge.get(0), 12, edge.get(0).length),
                    "and for a sink that takes plain Opus (the FLV edge)");
            assertEquals(2, edge.size());
        }
    }

    @Test
    void fansOutWithEachPlayersSsrcAsksForKeyframesAndAnswersNacks() throws Exception {
        try (SyntheticPeer publisher = new SyntheticPeer(port.port());
                SyntheticPeer first = new SyntheticPeer(port.port());
                SyntheticPeer second = new SyntheticPeer(port.port())) {
            WebRtcTransport publishing = new WebRtcTransport(port, certificate, publisher.certificate.fingerprint());
            publisher.connect(publishing, certificate.fingerprint());
            Producer producer = new Producer("doctor_7_main", publishing);
            producer.videoSsrc(PUBLISHER_SSRC);
            producer.declare(PUBLISHER_SSRC);

            WebRtcTransport playing1 = new WebRtcTransport(port, certificate, first.certificate.fingerprint());
            first.connect(playing1, certificate.fingerprint());
            new Consumer(producer, playing1, Map.of(PUBLISHER_SSRC, new Consumer.Mapping(0xA1L, 96)));

            // a new player makes the gateway ask the publisher for a keyframe
            SyntheticPeer.Received pli = publisher.receiveAny(Duration.ofSeconds(5));
            assertNotNull(pli);
            assertTrue(pli.rtcp());
            RtcpPacket.Pli request = assertInstanceOf(RtcpPacket.Pli.class, RtcpParser.parse(pli.packet(), 0, pli.packet().length).get(0));
            assertEquals(PUBLISHER_SSRC, request.mediaSsrc());

            WebRtcTransport playing2 = new WebRtcTransport(port, certificate, second.certificate.fingerprint());
            second.connect(playing2, certificate.fingerprint());
            new Consumer(producer, playing2, Map.of(PUBLISHER_SSRC, new Consumer.Mapping(0xB2L, 100)));

            second.lose.addAll(List.of(7, 9));
            for (int sequence = 1; sequence <= 50; sequence++) {
                publisher.sendRtp(rtp(sequence, sequence % 10 == 0));
            }
            List<byte[]> toFirst = receiveRtp(first, 50);
            List<byte[]> toSecond = receiveRtp(second, 48);
            RtpPacket a = RtpPacket.parse(toFirst.get(9), 0, toFirst.get(9).length);
            RtpPacket b = RtpPacket.parse(toSecond.get(7), 0, toSecond.get(7).length);
            assertEquals(0xA1L, a.ssrc());
            assertEquals(96, a.payloadType());
            assertEquals(0xB2L, b.ssrc());
            assertEquals(100, b.payloadType());
            assertEquals(10, a.sequenceNumber());
            assertTrue(a.marker(), "the marker bit is kept");
            byte[] payload = Arrays.copyOfRange(toFirst.get(9), a.payloadOffset(), a.payloadOffset() + a.payloadLength());
            assertArrayEquals(HexFormat.of().parseHex("0102030405060708090a"), payload, "forwarded without decoding");

            // the publisher's sender report reaches each player under the player's SSRC (lip sync)
            publisher.sendRtcp(RtcpWriter.senderReport(PUBLISHER_SSRC, 0x0000000180000000L, 150_000, 50, 1_000));
            RtcpPacket.SenderReport report = null;
            for (int i = 0; i < 10 && report == null; i++) {
                SyntheticPeer.Received received = first.receiveAny(Duration.ofSeconds(2));
                if (received != null && received.rtcp()) {
                    report = assertInstanceOf(RtcpPacket.SenderReport.class,
                            RtcpParser.parse(received.packet(), 0, received.packet().length).get(0));
                }
            }
            assertNotNull(report, "a sender report reaches the first player");
            assertEquals(0xA1L, report.ssrc());
            assertEquals(150_000, report.rtpTimestamp());

            // the second player lost 7 and 9: the gateway resends them from its cache
            second.sendRtcp(RtcpWriter.nack(0xB2L, 0xB2L, List.of(7, 9)));
            List<byte[]> resent = receiveRtp(second, 2);
            assertEquals(7, RtpPacket.parse(resent.get(0), 0, resent.get(0).length).sequenceNumber());
            assertEquals(9, RtpPacket.parse(resent.get(1), 0, resent.get(1).length).sequenceNumber());
        }
    }

    private static List<byte[]> receiveRtp(SyntheticPeer peer, int count) throws Exception {
        List<byte[]> packets = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (packets.size() < count && System.nanoTime() < deadline) {
            SyntheticPeer.Received received = peer.receiveAny(Duration.ofMillis(500));
            if (received != null && !received.rtcp()) {
                packets.add(received.packet());
            }
        }
        assertEquals(count, packets.size());
        return packets;
    }
}
