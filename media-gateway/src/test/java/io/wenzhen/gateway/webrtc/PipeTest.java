package io.wenzhen.gateway.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.dtls.DtlsCertificate;
import io.wenzhen.protocols.pipe.PipeCipher;
import io.wenzhen.protocols.pipe.PipeKeys;
import io.wenzhen.protocols.rtcp.RtcpPacket;
import io.wenzhen.protocols.rtcp.RtcpParser;
import io.wenzhen.protocols.rtcp.RtcpWriter;
import io.wenzhen.protocols.rtp.RtpPacket;
import io.wenzhen.protocols.sdp.SessionDescription;
import io.wenzhen.protocols.stun.StunMessage;
import io.wenzhen.protocols.stun.StunWriter;

/**
 * Two gateways in one JVM, each with its own media port, SFU and pipe port, all real UDP on loopback: a
 * stream published on gateway A plays on gateway B through a pipe, a stranger's datagrams on the pipe port
 * are dropped unanswered, and the publisher moving to B takes B's player over without a break.
 */
class PipeTest {

    static final Sfu.Owner DOCTOR_ON_A = new Sfu.Owner("doctor-session-a", "doctor_7");
    static final Sfu.Owner DOCTOR_ON_B = new Sfu.Owner("doctor-session-b", "doctor_7");
    static final String ROOM = "app/room";
    static final String STREAM = "doctor_7_main";
    static final int H264 = 102;
    static final int OPUS = 111;
    private static final SecureRandom RANDOM = new SecureRandom();

    final byte[] secret = random(32);
    MediaPort portA;
    MediaPort portB;
    Sfu sfuA;
    Sfu sfuB;
    PipePort pipesA;
    PipePort pipesB;

    @BeforeEach
    void open() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        portA = new MediaPort(new InetSocketAddress(loopback, 0));
        portB = new MediaPort(new InetSocketAddress(loopback, 0));
        sfuA = new Sfu(portA, DtlsCertificate.generate("gw-a", Duration.ofDays(1)), new InetSocketAddress(loopback, portA.port()),
                List.of("H264", "VP8"));
        sfuB = new Sfu(portB, DtlsCertificate.generate("gw-b", Duration.ofDays(1)), new InetSocketAddress(loopback, portB.port()),
                List.of("H264", "VP8"));
        pipesA = new PipePort(new InetSocketAddress(loopback, 0));
        pipesB = new PipePort(new InetSocketAddress(loopback, 0));
    }

    @AfterEach
    void close() {
        pipesA.close();
        pipesB.close();
        sfuA.close();
        sfuB.close();
    }

    /** Gateway A pipes the stream to gateway B, as the two would agree over their signed control request. */
    private void pipe() {
        long id = RANDOM.nextInt(1, Integer.MAX_VALUE);
        PipeKeys keys = PipeKeys.derive(secret, random(PipeKeys.SALT_BYTES), id, "gw-a", "gw-b");
        PipeTransport in = pipesB.open(id, keys, false, pipesA.address());
        sfuB.pipeIn(ROOM, STREAM, sfuA.describe(ROOM, STREAM), in);
        sfuA.pipeOut(ROOM, STREAM, pipesA.open(id, keys, true, pipesB.address()));
    }

    @Test
    void aStreamPublishedOnOneGatewayPlaysOnAnotherAndItsKeyframeRequestsGoBack() throws Exception {
        try (SyntheticPeer publisher = new SyntheticPeer(portA.port()); SyntheticPeer player = new SyntheticPeer(portB.port())) {
            publisher.connect(sfuA.publish(ROOM, STREAM, publisher.offer("sendonly", 0x1111, 0x2222), DOCTOR_ON_A));
            pipe();
            String played = sfuB.play(ROOM, STREAM, player.offer("recvonly", 0, 0), "patient_1");
            long playerVideo = SessionDescription.parse(played).media().get(1).ssrcs().get(0);
            player.connect(played);
            Thread.sleep(300);

            for (int i = 0; i < 5; i++) {
                publisher.sendRtp(RtpPacket.build(H264, false, 100 + i, 3000L * i, 0x2222, new byte[] {0x41, 1, 2, 3}));
            }
            for (int i = 0; i < 5; i++) {
                RtpPacket got = nextRtp(player);
                assertNotNull(got, "packet " + i + " through the pipe");
                assertEquals(playerVideo, got.ssrc());
                assertEquals(100 + i, got.sequenceNumber());
            }

            // the player's keyframe request crosses back through the pipe to the publisher on gateway A
            Thread.sleep(Producer.KEYFRAME_INTERVAL_NANOS / 1_000_000 + 100); // past the requests of the pipe's and the player's start
            while (publisher.receiveAny(Duration.ofMillis(50)) != null) {
                // drained
            }
            player.sendRtcp(RtcpWriter.pli(0x9999, playerVideo));
            assertTrue(pliArrives(publisher), "a PLI reaches the publisher on the other gateway");
            assertEquals(0, pipesB.refused());
        }
    }

    @Test
    void aDatagramUnderAWrongKeyOrFromAStrangerIsDroppedAndNothingIsAnswered() throws Exception {
        try (SyntheticPeer publisher = new SyntheticPeer(portA.port()); SyntheticPeer player = new SyntheticPeer(portB.port());
                DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            publisher.connect(sfuA.publish(ROOM, STREAM, publisher.offer("sendonly", 0x1111, 0x2222), DOCTOR_ON_A));
            long id = RANDOM.nextInt(1, Integer.MAX_VALUE);
            byte[] salt = random(PipeKeys.SALT_BYTES);
            PipeKeys keys = PipeKeys.derive(secret, salt, id, "gw-a", "gw-b");
            sfuB.pipeIn(ROOM, STREAM, sfuA.describe(ROOM, STREAM), pipesB.open(id, keys, false, pipesA.address()));
            PipeTransport real = pipesA.open(id, keys, true, pipesB.address());
            sfuA.pipeOut(ROOM, STREAM, real);
            String played = sfuB.play(ROOM, STREAM, player.offer("recvonly", 0, 0), "patient_1");
            player.connect(played);
            Thread.sleep(300);

            // the pipe's id and salt, but not the cluster's secret
            PipeKeys guessed = PipeKeys.derive(random(32), salt, id, "gw-a", "gw-b");
            byte[] forged = RtpPacket.build(H264, false, 500, 0, 0x2222, new byte[] {0x65, 6, 6, 6});
            byte[] underGuess = new PipeCipher(id, guessed, true).seal(forged, 0, forged.length);
            stranger.send(new DatagramPacket(underGuess, underGuess.length, pipesB.address()));
            // the right key (leaked, say) from another address than gateway A's pipe port
            byte[] underKey = new PipeCipher(id, keys, true).seal(forged, 0, forged.length);
            stranger.send(new DatagramPacket(underKey, underKey.length, pipesB.address()));
            // STUN and anything else: never answered
            byte[] check = new StunWriter(StunMessage.BINDING_REQUEST, random(12)).toBytes();
            stranger.send(new DatagramPacket(check, check.length, pipesB.address()));
            stranger.send(new DatagramPacket(new byte[] {0x50, 1, 0, 0, 0, 1}, 6, pipesB.address()));

            assertNull(nextRtp(player), "nothing forged reaches the player");
            stranger.setSoTimeout(500);
            try {
                stranger.receive(new DatagramPacket(new byte[1500], 1500));
                throw new AssertionError("the pipe port answered a stranger");
            } catch (SocketTimeoutException expected) {
                // silence
            }
            assertEquals(4, pipesB.refused(), "each stranger's datagram dropped and counted");

            // the real pipe still works after all that
            publisher.sendRtp(RtpPacket.build(H264, false, 501, 0, 0x2222, new byte[] {0x41, 1}));
            RtpPacket got = nextRtp(player);
            assertNotNull(got);
            assertEquals(501, got.sequenceNumber());
        }
    }

    @Test
    void thePublisherMovingToThePlayersGatewayTakesThePlayerOverAtAKeyframeWithoutABreakInNumbering() throws Exception {
        try (SyntheticPeer onA = new SyntheticPeer(portA.port()); SyntheticPeer player = new SyntheticPeer(portB.port());
                SyntheticPeer onB = new SyntheticPeer(portB.port())) {
            onA.connect(sfuA.publish(ROOM, STREAM, onA.offer("sendonly", 0x1111, 0x2222), DOCTOR_ON_A));
            pipe();
            String played = sfuB.play(ROOM, STREAM, player.offer("recvonly", 0, 0), "patient_1");
            long playerVideo = SessionDescription.parse(played).media().get(1).ssrcs().get(0);
            player.connect(played);
            Thread.sleep(300);
            for (int i = 0; i < 3; i++) {
                onA.sendRtp(RtpPacket.build(H264, i == 2, 100 + i, 9000L + 3000L * i, 0x2222, new byte[] {0x41, 1}));
                assertEquals(100 + i, nextRtp(player).sequenceNumber());
            }

            // the same user publishes the stream on B (its session moved): the pipe's player is taken over
            onB.connect(sfuB.publish(ROOM, STREAM, onB.offer("sendonly", 0x3333, 0x4444), DOCTOR_ON_B));
            Thread.sleep(200);
            for (int i = 0; i < 3; i++) {
                onB.sendRtp(RtpPacket.build(H264, false, 7000 + i, 500_000L + 3000L * i, 0x4444, new byte[] {0x41, 2}));
            }
            assertNull(nextRtp(player), "no delta frame of the new publication before its keyframe");
            onA.sendRtp(RtpPacket.build(H264, true, 103, 18000, 0x2222, new byte[] {0x41, 1}));
            RtpPacket stillPiped = nextRtp(player);
            assertNotNull(stillPiped, "the pipe feeds the player until the keyframe");
            assertEquals(103, stillPiped.sequenceNumber());

            onB.sendRtp(RtpPacket.build(H264, false, 7003, 509_000L, 0x4444, new byte[] {0x65, 3}));
            RtpPacket first = nextRtp(player);
            assertNotNull(first, "the keyframe of the new publication");
            assertEquals(playerVideo, first.ssrc(), "the player's SSRC stays");
            assertEquals(104, first.sequenceNumber(), "numbering goes on from the last packet sent");
            long step = (first.timestamp() - 18000) & 0xFFFF_FFFFL;
            assertTrue(step > 0 && step < 90_000, "the timestamp moves on by the time passed: " + step);

            onA.sendRtp(RtpPacket.build(H264, false, 104, 21000, 0x2222, new byte[] {0x41, 1}));
            // a late packet of the new publication from before its keyframe: its number would be one the player has
            onB.sendRtp(RtpPacket.build(H264, false, 7002, 506_000L, 0x4444, new byte[] {0x41, 2}));
            onB.sendRtp(RtpPacket.build(H264, true, 7004, 509_000L, 0x4444, new byte[] {0x41, 4}));
            RtpPacket next = nextRtp(player);
            assertEquals(105, next.sequenceNumber(), "the pipe's packets no longer reach the player");
            assertEquals(first.timestamp(), next.timestamp());
            assertNull(nextRtp(player));
            // its audio switches at its first packet: then every track has moved, and the player is the new one's
            onB.sendRtp(RtpPacket.build(OPUS, false, 300, 960, 0x3333, new byte[] {1}));
            assertNotNull(nextRtp(player));
            assertFalse(sfuB.stats().get(0).players().isEmpty(), "the player is the new publication's player now");
        }
    }

    @Test
    void anAudioTrackSwitchesAtTheNewPublicationsFirstPacketAndVideoWaitsForItsKeyframe() throws Exception {
        try (SyntheticPeer onA = new SyntheticPeer(portA.port()); SyntheticPeer player = new SyntheticPeer(portB.port());
                SyntheticPeer onB = new SyntheticPeer(portB.port())) {
            onA.connect(sfuA.publish(ROOM, STREAM, onA.offer("sendonly", 0x1111, 0x2222), DOCTOR_ON_A));
            pipe();
            String played = sfuB.play(ROOM, STREAM, player.offer("recvonly", 0, 0), "patient_1");
            long playerAudio = SessionDescription.parse(played).media().get(0).ssrcs().get(0);
            long playerVideo = SessionDescription.parse(played).media().get(1).ssrcs().get(0);
            player.connect(played);
            Thread.sleep(300);
            onA.sendRtp(RtpPacket.build(OPUS, false, 50, 960, 0x1111, new byte[] {1, 2, 3}));
            assertEquals(50, nextRtp(player).sequenceNumber());
            onA.sendRtp(RtpPacket.build(H264, true, 100, 9000, 0x2222, new byte[] {0x41, 1}));
            assertEquals(100, nextRtp(player).sequenceNumber());

            onB.connect(sfuB.publish(ROOM, STREAM, onB.offer("sendonly", 0x3333, 0x4444), DOCTOR_ON_B));
            Thread.sleep(200);
            onB.sendRtp(RtpPacket.build(OPUS, false, 9000, 480_000, 0x3333, new byte[] {4, 5, 6}));
            RtpPacket audio = nextRtp(player);
            assertNotNull(audio, "the new publication's audio at once: no keyframe to wait for");
            assertEquals(playerAudio, audio.ssrc());
            assertEquals(51, audio.sequenceNumber(), "the audio numbering goes on");
            onA.sendRtp(RtpPacket.build(OPUS, false, 51, 1920, 0x1111, new byte[] {7}));
            onA.sendRtp(RtpPacket.build(H264, true, 101, 12000, 0x2222, new byte[] {0x41, 1}));
            RtpPacket video = nextRtp(player);
            assertNotNull(video, "the old publication's video until the new one's keyframe");
            assertEquals(playerVideo, video.ssrc());
            assertEquals(101, video.sequenceNumber());
            assertNull(nextRtp(player), "but no more of its audio");
        }
    }

    @Test
    void aPipeWithoutMediaStaysOpenAndOneEndClosingClosesTheOther() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (PipePort a = new PipePort(new InetSocketAddress(loopback, 0), Duration.ofMillis(2500));
                PipePort b = new PipePort(new InetSocketAddress(loopback, 0), Duration.ofMillis(2500))) {
            PipeKeys keys = PipeKeys.derive(secret, random(PipeKeys.SALT_BYTES), 9, "gw-a", "gw-b");
            PipeTransport out = a.open(9, keys, true, b.address());
            PipeTransport in = b.open(9, keys, false, a.address());
            Thread.sleep(4000); // past the silence: only the keepalives cross
            assertFalse(out.closed() || in.closed(), "each end's keepalives keep the other open");
            assertEquals(0, a.refused() + b.refused(), "nothing refused while both ends are open");
            out.close();
            Thread.sleep(300);
            assertTrue(in.closed(), "the other end closes at once, not after its silence");
            // a keepalive the other end sent before the bye reached it finds no pipe on this side: refused, rightly
        }
    }

    private static boolean pliArrives(SyntheticPeer publisher) throws Exception {
        for (int i = 0; i < 20; i++) {
            SyntheticPeer.Received got = publisher.receiveAny(Duration.ofMillis(100));
            if (got != null && got.rtcp()) {
                for (RtcpPacket packet : RtcpParser.parse(got.packet(), 0, got.packet().length)) {
                    if (packet instanceof RtcpPacket.Pli) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The next RTP packet the peer gets within half a second, RTCP skipped; null when none. */
    static RtpPacket nextRtp(SyntheticPeer peer) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
        while (System.nanoTime() < deadline) {
            SyntheticPeer.Received got = peer.receiveAny(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (got != null && !got.rtcp()) {
                return RtpPacket.parse(got.packet(), 0, got.packet().length);
            }
        }
        return null;
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
