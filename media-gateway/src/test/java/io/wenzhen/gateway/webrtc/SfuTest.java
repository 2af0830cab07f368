package io.wenzhen.gateway.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.dtls.DtlsCertificate;
import io.wenzhen.protocols.rtcp.RtcpPacket;
import io.wenzhen.protocols.rtcp.RtcpParser;
import io.wenzhen.protocols.rtcp.RtcpWriter;
import io.wenzhen.protocols.rtp.RtpPacket;
import io.wenzhen.protocols.rtp.Rtx;
import io.wenzhen.protocols.sdp.MediaDescription;
import io.wenzhen.protocols.sdp.SessionDescription;

/** Offer/answer to media: a publisher and a player meet through the SFU, all real UDP and SRTP. */
class SfuTest {

    static final Sfu.Owner DOCTOR = new Sfu.Owner("doctor-session", "doctor_7");

    Sfu sfu;
    MediaPort port;

    @BeforeEach
    void open() throws Exception {
        port = new MediaPort(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        sfu = new Sfu(port, DtlsCertificate.generate("gw", Duration.ofDays(1)),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port.port()), List.of("H264", "VP8"));
    }

    @AfterEach
    void close() {
        sfu.close();
    }

    @Test
    void aPlayerReceivesThePublishersVideoWithTheSsrcAndPayloadTypeOfItsAnswer() throws Exception {
        try (SyntheticPeer publisher = new SyntheticPeer(port.port()); SyntheticPeer player = new SyntheticPeer(port.port())) {
            String published = sfu.publish("app/room", "doctor_7_main", publisher.offer("sendonly", 0x1111, 0x2222), DOCTOR);
            assertEquals("recvonly", SessionDescription.parse(published).media().get(1).direction());
            publisher.connect(published);

            String played = sfu.play("app/room", "doctor_7_main", player.offer("recvonly", 0, 0), "patient_1");
            SessionDescription answer = SessionDescription.parse(played);
            long videoSsrc = answer.media().get(1).ssrcs().get(0);
            assertEquals("H264", answer.media().get(1).codecs().get(0).name(), "the publisher's codec");
            player.connect(played);
            Thread.sleep(300); // the player's DTLS completes on the gateway

            byte[] rtp = HexFormat.of().parseHex("80660001000000100000222201020304");
            for (int i = 0; i < 5; i++) {
                RtpPacket.parse(rtp, 0, rtp.length).setSequenceNumber(100 + i);
                publisher.sendRtp(rtp.clone());
            }
            int received = 0;
            for (int i = 0; i < 20 && received < 5; i++) {
                SyntheticPeer.Received packet = player.receiveAny(Duration.ofSeconds(2));
                if (packet != null && !packet.rtcp()) {
                    RtpPacket forwarded = RtpPacket.parse(packet.packet(), 0, packet.packet().length);
                    assertEquals(videoSsrc, forwarded.ssrc());
                    assertEquals(102, forwarded.payloadType());
                    received++;
                }
            }
            assertEquals(5, received);

            sfu.stopPublishing("app/room", "doctor_7_main", DOCTOR.sessionId());
            publisher.sendRtp(rtp.clone());
            assertNull(receiveRtp(player), "the player's stream ends with the publisher's");
            assertEquals(0, sfu.playing("app/room"), "its subscriptions are forgotten with it");
            sfu.stopPlaying("app/room", "doctor_7_main", "patient_1"); // the player's own stop finds nothing left: no harm
        }
    }

    @Test
    void publishersGetReceiverReportsAndRembAndTheStatsShowBothSides() throws Exception {
        try (SyntheticPeer publisher = new SyntheticPeer(port.port()); SyntheticPeer player = new SyntheticPeer(port.port())) {
            String published = sfu.publish("app/room", "doctor_7_main", publisher.offer("sendonly", 0x1111, 0x2222), DOCTOR);
            publisher.connect(published);
            String played = sfu.play("app/room", "doctor_7_main", player.offer("recvonly", 0, 0), "patient_1");
            long playerVideoSsrc = SessionDescription.parse(played).media().get(1).ssrcs().get(0);
            player.connect(played);
            Thread.sleep(300);

            byte[] rtp = HexFormat.of().parseHex("80660001000000100000222201020304");
            for (int i = 0; i < 50; i++) {
                if (i % 10 == 5) {
                    continue; // one packet in ten never arrives
                }
                RtpPacket packet = RtpPacket.parse(rtp, 0, rtp.length);
                packet.setSequenceNumber(1000 + i);
                publisher.sendRtp(rtp.clone());
            }
            // the player reports 25/256 loss on what it gets
            player.sendRtcp(RtcpWriter.receiverReport(0x9999, List.of(
                    new RtcpPacket.ReportBlock(playerVideoSsrc, 25, 3, 1044, 900, 0, 0))));

            RtcpPacket.ReceiverReport report = null;
            RtcpPacket.Remb remb = null;
            for (int i = 0; i < 40 && (report == null || remb == null); i++) {
                SyntheticPeer.Received got = publisher.receiveAny(Duration.ofMillis(200));
                if (got == null || !got.rtcp()) {
                    continue;
                }
                for (var packet : RtcpParser.parse(got.packet(), 0, got.packet().length)) {
                    if (packet instanceof RtcpPacket.ReceiverReport rr && !rr.reports().isEmpty()) {
                        report = rr;
                    }
                    if (packet instanceof RtcpPacket.Remb r) {
                        remb = r;
                    }
                }
            }
            assertNotNull(report, "a receiver report reaches the publisher within a second or so");
            assertEquals(0x2222, report.reports().get(0).ssrc());
            assertEquals(5, report.reports().get(0).cumulativeLost(), "5 of 50 lost");
            assertEquals(1049, report.reports().get(0).highestSequence());
            assertNotNull(remb, "REMB with it");
            assertEquals(List.of(0x2222L), remb.ssrcs());

            Sfu.StreamStats stats = sfu.stats().get(0);
            assertEquals("doctor_7_main", stats.streamId());
            assertEquals(45, stats.publisher().packets());
            assertEquals(5, stats.publisher().lostTotal());
            assertEquals(5, stats.publisher().nacksSent(), "each one-packet gap NACKed toward the publisher");
            assertTrue(stats.publisher().keyframeRequests() >= 1, "a keyframe asked for the new player");
            Consumer.Stats playerStats = stats.players().get("patient_1");
            assertEquals(45, playerStats.packetsSent());
            assertEquals(25 / 256.0, playerStats.lossFraction(), 1e-9);
            assertEquals(10.0, playerStats.jitterMillis(), 1e-9, "900 ticks of the 90 kHz clock");
        }
    }

    @Test
    void aGapInThePublishersVideoIsNackedAtOnce() throws Exception {
        try (SyntheticPeer publisher = new SyntheticPeer(port.port())) {
            publisher.connect(sfu.publish("app/room", "doctor_7_main", publisher.offer("sendonly", 0x1111, 0x2222), DOCTOR));
            Thread.sleep(300);
            byte[] rtp = HexFormat.of().parseHex("80660001000000100000222201020304");
            for (int sequence : new int[] {2000, 2001, 2004}) { // 2002 and 2003 never arrive
                RtpPacket.parse(rtp, 0, rtp.length).setSequenceNumber(sequence);
                publisher.sendRtp(rtp.clone());
            }
            RtcpPacket.Nack nack = null;
            for (int i = 0; i < 20 && nack == null; i++) {
                SyntheticPeer.Received got = publisher.receiveAny(Duration.ofMillis(200));
                if (got != null && got.rtcp()) {
                    for (var packet : RtcpParser.parse(got.packet(), 0, got.packet().length)) {
                        if (packet instanceof RtcpPacket.Nack n) {
                            nack = n;
                        }
                    }
                }
            }
            assertNotNull(nack, "the gateway asks the publisher for what it missed");
            assertEquals(0x2222, nack.mediaSsrc());
            assertEquals(List.of(2002, 2003), nack.lostSequenceNumbers());
        }
    }

    @Test
    void retransmissionsTravelOnRtxStreamsBothWays() throws Exception {
        try (SyntheticPeer publisher = new SyntheticPeer(port.port()); SyntheticPeer player = new SyntheticPeer(port.port())) {
            String published = sfu.publish("app/room", "doctor_7_main", publisher.offer("sendonly", 0x1111, 0x2222, 0x3333), DOCTOR);
            var publisherVideo = SessionDescription.parse(published).media().get(1);
            assertEquals(List.of("102", "103"), publisherVideo.formats(), "RTX negotiated with the publisher");
            assertEquals(103, publisherVideo.rtxFor(102).payloadType());
            publisher.connect(published);
            String played = sfu.play("app/room", "doctor_7_main", player.offer("recvonly", 0, 0, 0), "patient_1");
            var playerVideo = SessionDescription.parse(played).media().get(1);
            long videoSsrc = playerVideo.ssrcs().get(0);
            long rtxSsrc = playerVideo.rtxSsrcs().get(videoSsrc);
            assertEquals(103, playerVideo.rtxFor(102).payloadType(), "and with the player");
            player.connect(played);
            Thread.sleep(300);

            byte[] rtp = HexFormat.of().parseHex("80660001000000100000222201020304");
            for (int sequence : new int[] {3000, 3002}) { // 3001 is lost on the way in
                RtpPacket.parse(rtp, 0, rtp.length).setSequenceNumber(sequence);
                publisher.sendRtp(rtp.clone());
            }
            // the publisher answers the gateway's NACK on its RTX stream, and probes with padding-only RTX
            RtpPacket.parse(rtp, 0, rtp.length).setSequenceNumber(3001);
            publisher.sendRtp(Rtx.wrap(rtp.clone(), 0x3333, 103, 500));
            RtpPacket.parse(rtp, 0, rtp.length).setSequenceNumber(3000);
            publisher.sendRtp(Rtx.wrap(rtp.clone(), 0x3333, 103, 501)); // redundant: 3000 is here
            publisher.sendRtp(HexFormat.of().parseHex("a06701f6000000100000333300000004"));

            List<Integer> forwarded = new ArrayList<>();
            for (int i = 0; i < 20 && forwarded.size() < 3; i++) {
                byte[] packet = receiveRtp(player);
                if (packet != null) {
                    RtpPacket got = RtpPacket.parse(packet, 0, packet.length);
                    assertEquals(videoSsrc, got.ssrc(), "restored to the media stream, not the RTX one");
                    assertEquals(102, got.payloadType());
                    forwarded.add(got.sequenceNumber());
                }
            }
            assertEquals(List.of(3000, 3002, 3001), forwarded, "neither the probe nor the redundant resend is forwarded");
            // the late original of 3001, whose RTX copy was already forwarded: never a second packet 3001 toward the
            // player (its header differs, and SRTP would seal two plaintexts under one GCM nonce)
            RtpPacket.parse(rtp, 0, rtp.length).setSequenceNumber(3001);
            publisher.sendRtp(rtp.clone());
            // and an SSRC the publisher's offer never announced: dropped before it costs a cache
            byte[] stranger = HexFormat.of().parseHex("80660bb8000000100000777701020304");
            publisher.sendRtp(stranger);
            assertNull(receiveRtp(player));
            Producer producer = sfu.source("app/room", "doctor_7_main").producer();
            assertNotNull(producer.cached(0x2222, 3002), "the announced SSRC is cached");
            assertNull(producer.cached(0x7777, 3000), "the stranger's is not");

            // the player NACKs 3002: the answer comes on its RTX stream, the original sequence number first
            player.sendRtcp(RtcpWriter.nack(0x9999, videoSsrc, List.of(3002)));
            byte[] resent = receiveRtp(player);
            assertNotNull(resent, "the NACK is answered");
            RtpPacket rtx = RtpPacket.parse(resent, 0, resent.length);
            assertEquals(rtxSsrc, rtx.ssrc());
            assertEquals(103, rtx.payloadType());
            byte[] original = Rtx.unwrap(resent, videoSsrc, 102);
            assertEquals(3002, RtpPacket.parse(original, 0, original.length).sequenceNumber());

            Producer.Report report = sfu.stats().get(0).publisher();
            // reports come once a second; on a busy machine (other tests' threads) give them time
            for (int i = 0; i < 100 && (report.packets() < 3 || report.retransmissionsReceived() < 1); i++) {
                Thread.sleep(100);
                report = sfu.stats().get(0).publisher();
            }
            assertEquals(1, report.retransmissionsReceived());
            assertEquals(1, sfu.stats().get(0).players().get("patient_1").retransmitted());
        }
    }

    @Test
    void headerExtensionIdsFollowEachPlayersOffer() {
        String mid = "urn:ietf:params:rtp-hdrext:sdes:mid";
        String level = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
        assertNull(Sfu.extensionMap(Map.of(level, 1), Map.of(level, 1)), "same ids: no rewrite at all");
        int[] map = Sfu.extensionMap(Map.of(mid, 4, level, 1), Map.of(mid, 4, level, 9));
        assertEquals(9, map[1], "renumbered");
        assertEquals(0, map[4], "the publisher's MID value means nothing to the player: removed");
        assertEquals(0, Sfu.extensionMap(Map.of(level, 1), Map.of())[1], "not negotiated by the player: removed");
        String offer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=extmap:3 " + level + "\r\na=extmap:7 urn:x-unknown\r\n"
                + "a=rtpmap:111 opus/48000/2\r\n";
        assertEquals(Map.of(level, 3), Sfu.forwardedExtensions(SessionDescription.parse(offer)), "only what the SFU forwards");
    }

    @Test
    void anotherSessionCanNeitherReplaceNorEndAPublicationAndAHeldAsideOneIsNotPlayable() throws Exception {
        Sfu.Owner intruder = new Sfu.Owner("intruder-session", "intruder_9");
        try (SyntheticPeer publisher = new SyntheticPeer(port.port()); SyntheticPeer player = new SyntheticPeer(port.port());
                SyntheticPeer other = new SyntheticPeer(port.port())) {
            Sfu.Publication pending = sfu.prepare("app/room", "doctor_7_main", publisher.offer("sendonly", 0x1111, 0x2222), DOCTOR);
            assertThrows(IllegalStateException.class, () -> sfu.play("app/room", "doctor_7_main", other.offer("recvonly", 0, 0), "early"),
                    "held aside until room-service confirms: nobody plays it yet");
            sfu.admit(pending);
            publisher.connect(pending.answer());
            String played = sfu.play("app/room", "doctor_7_main", player.offer("recvonly", 0, 0), "patient_1");
            player.connect(played);
            Thread.sleep(300);

            assertThrows(Sfu.StreamTakenException.class,
                    () -> sfu.prepare("app/room", "doctor_7_main", other.offer("sendonly", 0x5555, 0x6666), intruder));
            assertThrows(Sfu.StreamTakenException.class,
                    () -> sfu.prepareEdge("app/room", "doctor_7_main", () -> { }, intruder));
            sfu.stopPublishing("app/room", "doctor_7_main", intruder.sessionId());
            sfu.streamRemoved("app/room", "doctor_7_main", intruder.userId());
            assertEquals(DOCTOR, sfu.source("app/room", "doctor_7_main").owner(), "still the doctor's");

            byte[] rtp = HexFormat.of().parseHex("80660001000000100000222201020304");
            publisher.sendRtp(rtp.clone());
            assertNotNull(receiveRtp(player), "and the patient still gets the doctor's media");

            sfu.streamRemoved("app/room", "doctor_7_main", DOCTOR.userId()); // room-service ends the doctor's stream
            assertNull(sfu.source("app/room", "doctor_7_main"));
            assertEquals(0, sfu.routers(), "an empty room's router is forgotten");
        }
    }

    /**
     * A publisher's media connection that ends on its own (a close_notify here; a lapsed consent is the
     * same path) ends its publication and its players, and is reported as lost; an unpublish is not.
     */
    @Test
    void aPublicationWhoseTransportEndsIsRemovedWithItsPlayersAndReportedLost() throws Exception {
        BlockingQueue<String> lost = new LinkedBlockingQueue<>();
        sfu.onPublicationLost((roomKey, streamId, owner) -> lost.add(roomKey + " " + streamId + " " + owner.sessionId()));
        try (SyntheticPeer publisher = new SyntheticPeer(port.port()); SyntheticPeer player = new SyntheticPeer(port.port());
                SyntheticPeer second = new SyntheticPeer(port.port())) {
            publisher.connect(sfu.publish("app/room", "doctor_7_main", publisher.offer("sendonly", 0x1111, 0x2222), DOCTOR));
            player.connect(sfu.play("app/room", "doctor_7_main", player.offer("recvonly", 0, 0), "patient_1"));
            Thread.sleep(300);
            assertEquals(1, sfu.playing("app/room"));

            publisher.closeDtls();
            assertEquals("app/room doctor_7_main " + DOCTOR.sessionId(), lost.poll(5, TimeUnit.SECONDS), "reported lost");
            assertNull(sfu.source("app/room", "doctor_7_main"), "the publication is gone");
            assertEquals(0, sfu.routers(), "with its players, and its room's router");

            second.connect(sfu.publish("app/room", "doctor_7_main", second.offer("sendonly", 0x3333, 0x4444), DOCTOR));
            sfu.stopPublishing("app/room", "doctor_7_main", DOCTOR.sessionId());
            assertNull(lost.poll(1, TimeUnit.SECONDS), "an unpublish closes the transport too, and is no loss");

            Sfu.Publication held = sfu.prepare("app/room", "doctor_7_main", second.offer("sendonly", 0x5555, 0x6666), DOCTOR);
            ((WebRtcTransport) held.published().source()).close(); // its connection ends while room-service is asked
            assertThrows(Sfu.PublicationLostException.class, () -> sfu.admit(held), "admitted dead: refused");
            assertNull(sfu.source("app/room", "doctor_7_main"), "and not left in the room");
            assertNull(lost.poll(300, TimeUnit.MILLISECONDS), "the publish is refused instead: no loss reported");
        }
    }

    /**
     * NACK amplification: a player that NACKs 6,000 sequence numbers 50 times a second gets a bounded
     * number of resends, and another call on the same gateway keeps its packet rate.
     */
    @Test
    void aNackFloodCostsOnlyItsSenderAndOtherCallsKeepTheirPacketRate() throws Exception {
        try (SyntheticPeer doctor = new SyntheticPeer(port.port()); SyntheticPeer patient = new SyntheticPeer(port.port());
                SyntheticPeer victimPublisher = new SyntheticPeer(port.port()); SyntheticPeer flooder = new SyntheticPeer(port.port())) {
            doctor.connect(sfu.publish("app/calm", "doctor_main", doctor.offer("sendonly", 0x1111, 0x2222), DOCTOR));
            patient.connect(sfu.play("app/calm", "doctor_main", patient.offer("recvonly", 0, 0), "patient"));
            victimPublisher.connect(sfu.publish("app/flood", "cam", victimPublisher.offer("sendonly", 0x3333, 0x4444),
                    new Sfu.Owner("s2", "u2")));
            String flooded = sfu.play("app/flood", "cam", flooder.offer("recvonly", 0, 0), "flooder");
            long floodedSsrc = SessionDescription.parse(flooded).media().get(1).ssrcs().get(0);
            flooder.connect(flooded);
            Thread.sleep(300);

            byte[] packet = HexFormat.of().parseHex("806600010000001000004444" + "00".repeat(1000));
            for (int sequence = 0; sequence < 1024; sequence++) { // the cache full of 1 KB packets to resend
                RtpPacket.parse(packet, 0, packet.length).setSequenceNumber(sequence);
                victimPublisher.sendRtp(packet.clone());
                if (sequence % 64 == 0) {
                    Thread.sleep(5);
                }
            }
            List<Integer> everything = IntStream.range(0, 6000).map(i -> i & 0xFFFF).boxed().toList();
            byte[] nack = RtcpWriter.nack(0x9999, floodedSsrc, everything);
            Thread flood = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 150; i++) { // 50 per second for 3 s
                    try {
                        flooder.sendRtcp(nack);
                        Thread.sleep(20);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            int[] received = new int[1];
            Thread counting = Thread.ofPlatform().start(() -> {
                try {
                    for (SyntheticPeer.Received got; (got = patient.receiveAny(Duration.ofSeconds(1))) != null;) {
                        if (!got.rtcp()) {
                            received[0]++;
                        }
                    }
                } catch (Exception e) {
                    // done
                }
            });
            byte[] rtp = HexFormat.of().parseHex("80660001000000100000222201020304");
            int sent = 0;
            long start = System.nanoTime();
            while (System.nanoTime() - start < 3_000_000_000L) { // the calm call: 500 packets/s
                RtpPacket.parse(rtp, 0, rtp.length).setSequenceNumber(sent & 0xFFFF);
                doctor.sendRtp(rtp.clone());
                sent++;
                Thread.sleep(2);
            }
            flood.join();
            counting.join();
            Consumer.Stats flooderStats = sfu.stats().stream().filter(s -> s.streamId().equals("cam")).findFirst().orElseThrow()
                    .players().get("flooder");
            System.out.printf("NACK flood: %d NACKs of 6,000 sequence numbers -> %d resends, %d refused; the other call got %d of %d"
                    + " packets%n", flooderStats.nacks(), flooderStats.retransmitted(), flooderStats.resendsRefused(), received[0], sent);
            assertTrue(flooderStats.nacks() >= 100, "the flood arrived: " + flooderStats);
            assertTrue(flooderStats.retransmitted() <= ResendLimiter.MAX_PACKETS_PER_SECOND * 4L,
                    "resends within the per-consumer rate, not 1,024 per NACK: " + flooderStats);
            assertTrue(flooderStats.resendsRefused() > 0, flooderStats.toString());
            assertTrue(received[0] >= sent * 0.95, "the other call kept its packet rate: " + received[0] + " of " + sent);
        }
    }

    @Test
    void refusesToPlayWhatIsNotPublishedAndOffersItCannotAnswer() throws Exception {
        try (SyntheticPeer player = new SyntheticPeer(port.port())) {
            assertThrows(IllegalStateException.class, () -> sfu.play("app/room", "nope", player.offer("recvonly", 0, 0), "p"));
            assertThrows(MalformedPacketException.class,
                    () -> sfu.publish("app/room", "s", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n", DOCTOR));
        }
    }

    @Test
    void anIceRestartAnswersWithNewCredentialsTheOldOnesNoLongerReachAndTheStreamGoesOn() throws Exception {
        try (SyntheticPeer publisher = new SyntheticPeer(port.port()); SyntheticPeer player = new SyntheticPeer(port.port());
                SyntheticPeer stranger = new SyntheticPeer(port.port())) {
            String offer = publisher.offer("sendonly", 0x1111, 0x2222);
            publisher.connect(sfu.publish("app/room", "doctor_7_main", offer, DOCTOR));
            String played = sfu.play("app/room", "doctor_7_main", player.offer("recvonly", 0, 0), "patient_1");
            player.connect(played);
            Thread.sleep(300); // the player's DTLS completes on the gateway

            String restarted = sfu.restartIce("app/room", "doctor_7_main", false, "patient_1", player.offer("recvonly", 0, 0));
            MediaDescription before = SessionDescription.parse(played).media().get(1);
            MediaDescription after = SessionDescription.parse(restarted).media().get(1);
            assertNotEquals(before.attribute("ice-ufrag"), after.attribute("ice-ufrag"));
            assertNotEquals(before.attribute("ice-pwd"), after.attribute("ice-pwd"));
            assertEquals(before.ssrcs(), after.ssrcs(), "the same stream, from the same SSRCs");
            assertNotNull(player.check(before.attribute("ice-ufrag"), before.attribute("ice-pwd"), true),
                    "the old credentials answer until the new ones are used (a client whose answer was lost rolls back)");
            assertNotNull(player.check(after.attribute("ice-ufrag"), after.attribute("ice-pwd"), true));
            assertNull(player.check(before.attribute("ice-ufrag"), before.attribute("ice-pwd"), true), "used, the new ones retire the old");

            // two restarts whose answers were lost: the credentials in use stay valid, the unused ones do not
            MediaDescription lost = SessionDescription.parse(sfu.restartIce("app/room", "doctor_7_main", false, "patient_1",
                    player.offer("recvonly", 0, 0))).media().get(1);
            MediaDescription latest = SessionDescription.parse(sfu.restartIce("app/room", "doctor_7_main", false, "patient_1",
                    player.offer("recvonly", 0, 0))).media().get(1);
            assertNull(player.check(lost.attribute("ice-ufrag"), lost.attribute("ice-pwd"), true));
            assertNotNull(player.check(after.attribute("ice-ufrag"), after.attribute("ice-pwd"), true));
            assertNotNull(player.check(latest.attribute("ice-ufrag"), latest.attribute("ice-pwd"), true));

            // no new DTLS: the player decrypts what follows with the keys of its first handshake
            byte[] rtp = HexFormat.of().parseHex("80660001000000100000222201020304");
            publisher.sendRtp(rtp.clone());
            assertNotNull(receiveRtp(player), "the stream goes on after the restart");

            // a restart changes ICE only: not the certificate, not the media, and only the session's own connection
            assertThrows(MalformedPacketException.class, () -> sfu.restartIce("app/room", "doctor_7_main", false, "patient_1",
                    stranger.offer("recvonly", 0, 0)));
            assertThrows(MalformedPacketException.class, () -> sfu.restartIce("app/room", "doctor_7_main", true,
                    DOCTOR.sessionId(), publisher.offer("sendonly", 0x1111, 0x3333)));
            assertThrows(IllegalStateException.class, () -> sfu.restartIce("app/room", "doctor_7_main", false, "nurse_2",
                    player.offer("recvonly", 0, 0)));
            assertNotNull(sfu.restartIce("app/room", "doctor_7_main", true, DOCTOR.sessionId(), offer));
        }
    }

    private static byte[] receiveRtp(SyntheticPeer peer) throws Exception {
        SyntheticPeer.Received packet = peer.receiveAny(Duration.ofMillis(500));
        while (packet != null && packet.rtcp()) {
            packet = peer.receiveAny(Duration.ofMillis(500));
        }
        return packet == null ? null : packet.packet();
    }
}
