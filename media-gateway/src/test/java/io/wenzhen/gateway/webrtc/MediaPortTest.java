package io.wenzhen.gateway.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.wenzhen.gateway.limits.ConnectionCounter;
import io.wenzhen.protocols.dtls.DtlsCertificate;
import io.wenzhen.protocols.stun.StunAttribute;
import io.wenzhen.protocols.stun.StunIntegrity;
import io.wenzhen.protocols.stun.StunMessage;
import io.wenzhen.protocols.stun.StunParser;
import io.wenzhen.protocols.stun.StunWriter;

/** ICE-lite, DTLS-SRTP and SRTP through the real media port over UDP on loopback, with a synthetic peer. */
class MediaPortTest {

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

    /**
     * DTLS under loss: ten handshakes through a relay that drops 20 % of the DTLS datagrams both ways
     * all connect, and media flows. Without the transport's repairs — its last flight sent again while the
     * peer shows it lacks it, and the ChangeCipherSpecGate — 8 of these 10 connected.
     */
    @Test
    void tenHandshakesThroughARelayDroppingAFifthOfDtlsAllConnect() throws Exception {
        int connected = 0;
        int dropped = 0;
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            try (LossyRelay relay = new LossyRelay(port.port(), 0.20, 7 + i, LossyRelay::dtls);
                    SyntheticPeer peer = new SyntheticPeer(relay.port())) {
                WebRtcTransport transport = new WebRtcTransport(port, certificate, peer.certificate.fingerprint());
                BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
                transport.onRtp(received::add);
                Thread handshake = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        peer.connect(transport, certificate.fingerprint());
                    } catch (Exception e) {
                        // not connected: counted below
                    }
                });
                handshake.join(Duration.ofSeconds(40));
                if (!handshake.isAlive() && transport.connected()) {
                    byte[] rtp = HexFormat.of().parseHex("806f0001000000640000abcd" + "0102030405060708");
                    peer.sendRtp(rtp);
                    if (received.poll(5, TimeUnit.SECONDS) != null) {
                        connected++;
                    }
                }
                dropped += relay.dropped();
                transport.close();
            }
        }
        System.out.printf("DTLS through 20 %% loss: %d of 10 handshakes connected, %d DTLS datagrams dropped, %.1f s in all%n",
                connected, dropped, (System.nanoTime() - started) / 1e9);
        assertTrue(dropped > 0, "the relay dropped some");
        assertEquals(10, connected, "every handshake completes on both sides");
    }

    @Test
    void aPeerChecksConnectsAndExchangesSrtpBothWays() throws Exception {
        try (SyntheticPeer peer = new SyntheticPeer(port.port())) {
            WebRtcTransport transport = new WebRtcTransport(port, certificate, peer.certificate.fingerprint());
            BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
            transport.onRtp(received::add);

            StunMessage answer = peer.check(transport.localUfrag(), transport.localPassword(), true);
            assertNotNull(answer, "the check is answered");
            assertEquals(StunMessage.BINDING_SUCCESS, answer.type());
            assertTrue(StunIntegrity.verify(answer, transport.localPassword()));
            assertTrue(StunIntegrity.fingerprintValid(answer));
            assertTrue(answer.has(StunAttribute.XOR_MAPPED_ADDRESS));
            assertEquals(peer.localAddress(), transport.remote(), "answered and bound to the packet's source");

            peer.handshake(certificate.fingerprint());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!transport.connected() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(transport.connected());

            byte[] rtp = HexFormat.of().parseHex("806f0001000000640000abcd" + "0102030405060708");
            peer.sendRtp(rtp);
            assertArrayEquals(rtp, received.poll(5, TimeUnit.SECONDS), "decrypted on the gateway");

            byte[] back = HexFormat.of().parseHex("8060000700000001deadbeef" + "cafe");
            transport.sendRtp(back);
            assertArrayEquals(back, peer.receiveRtp(Duration.ofSeconds(5)), "and the other way");
        }
    }

    @Test
    void iceTcpChecksAreAnsweredOnTheConnectionWhichThenCarriesTheTransportsPackets() throws Exception {
        try (MediaPort both = new MediaPort(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel tcp = SocketChannel.open(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), both.tcpPort()))) {
            WebRtcTransport transport = new WebRtcTransport(both, certificate, "00");
            byte[] transaction = new byte[12];
            byte[] check = new StunWriter(StunMessage.BINDING_REQUEST, transaction)
                    .username(transport.localUfrag() + ":peer").attribute(StunAttribute.USE_CANDIDATE, new byte[0])
                    .withIntegrity(transport.localPassword()).withFingerprint().toBytes();
            // RFC 4571 framing, and two frames in one write: the reader must not care how TCP cuts them
            ByteBuffer frames = ByteBuffer.allocate(4 + 2 * check.length);
            frames.putShort((short) check.length).put(check).putShort((short) check.length).put(check).flip();
            tcp.write(frames);

            byte[] answer = readFrame(tcp);
            StunMessage response = StunParser.parse(answer, 0, answer.length);
            assertEquals(StunMessage.BINDING_SUCCESS, response.type());
            assertTrue(StunIntegrity.verify(response, transport.localPassword()));
            readFrame(tcp); // the second check's answer
            assertTrue(transport.remote() instanceof TcpConnection, "the connection is the transport's path: " + transport.remote());

            byte[] dtls = HexFormat.of().parseHex("16fefd000000000000000000010e"); // what the transport sends goes back framed
            both.send(transport.remote(), dtls);
            assertArrayEquals(dtls, readFrame(tcp));
        }
    }

    private static byte[] readFrame(SocketChannel tcp) throws Exception {
        tcp.socket().setSoTimeout(5000);
        DataInputStream in = new DataInputStream(tcp.socket().getInputStream());
        byte[] frame = new byte[in.readUnsignedShort()];
        in.readFully(frame);
        return frame;
    }

    @Test
    void ignoresChecksThatDoNotAuthenticateAndMediaFromUncheckedAddresses() throws Exception {
        try (SyntheticPeer peer = new SyntheticPeer(port.port()); SyntheticPeer stranger = new SyntheticPeer(port.port())) {
            WebRtcTransport transport = new WebRtcTransport(port, certificate, peer.certificate.fingerprint());
            BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
            transport.onRtp(received::add);

            assertNull(peer.check(transport.localUfrag(), "not-the-password", true));
            assertNull(peer.check("unknown", transport.localPassword(), true));
            assertNull(transport.remote());

            stranger.send(HexFormat.of().parseHex("806f0001000000640000abcd0102030405060708" + "00".repeat(10)));
            stranger.send(new byte[] {22, (byte) 0xfe, (byte) 0xfd});
            stranger.send(new byte[] {0, 1, 2});
            assertNull(received.poll(300, TimeUnit.MILLISECONDS));
            assertFalse(transport.connected());
        }
    }

    /**
     * Consent (RFC 7675's purpose, on the media): a connected transport whose peer goes silent is closed
     * once the deadline passes, and tells its listeners; a peer that keeps sending RTCP keeps it open.
     */
    @Test
    void aTransportWhosePeerFallsSilentIsClosedAndOneThatKeepsTalkingIsNot() throws Exception {
        Duration deadline = Duration.ofSeconds(2);
        try (SyntheticPeer silent = new SyntheticPeer(port.port()); SyntheticPeer talking = new SyntheticPeer(port.port())) {
            WebRtcTransport quiet = new WebRtcTransport(port, certificate, silent.certificate.fingerprint(), deadline);
            WebRtcTransport alive = new WebRtcTransport(port, certificate, talking.certificate.fingerprint(), deadline);
            CountDownLatch quietClosed = new CountDownLatch(1);
            CountDownLatch aliveClosed = new CountDownLatch(1);
            AtomicLong quietClosedAt = new AtomicLong();
            quiet.onClosed(() -> {
                quietClosedAt.set(System.nanoTime());
                quietClosed.countDown();
            });
            alive.onClosed(aliveClosed::countDown);
            long handshaking = System.nanoTime(); // the silent transport's deadline counts from its handshake, after this
            silent.connect(quiet, certificate.fingerprint());
            talking.connect(alive, certificate.fingerprint());
            long connected = System.nanoTime();

            byte[] receiverReport = HexFormat.of().parseHex("81c90007" + "0000abcd" + "00000001" + "00".repeat(20));
            while (System.nanoTime() - connected < deadline.multipliedBy(2).toNanos()) {
                talking.sendRtcp(receiverReport); // a browser sends RTCP every second or so
                Thread.sleep(300);
            }
            assertTrue(quietClosed.await(deadline.toMillis() + 2000, TimeUnit.MILLISECONDS), "the silent peer's transport closed");
            Duration after = Duration.ofNanos(quietClosedAt.get() - handshaking);
            assertTrue(after.compareTo(deadline) >= 0, "not before the deadline: " + after);
            assertNull(port.pathOf(silent.localAddress()), "nothing more reaches (or is sent to) its address");
            assertEquals(1, aliveClosed.getCount(), "the talking peer's transport stays open");
            assertNotNull(port.pathOf(talking.localAddress()));
            alive.close();
            assertEquals(0, aliveClosed.getCount(), "closing tells the listeners");
        }
    }

    /**
     * ICE-TCP: one address holds at most its cap of connections (the rest are closed at once), another
     * address is not locked out, and a connection that never becomes a checked path is closed at the
     * deadline, which frees its place.
     */
    @Test
    void iceTcpConnectionsAreCappedPerAddressAndUncheckedOnesClosedAtTheDeadline() throws Exception {
        Duration deadline = Duration.ofSeconds(2);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (MediaPort capped = new MediaPort(new InetSocketAddress(loopback, 0), new InetSocketAddress(loopback, 0),
                new ConnectionCounter(100, 3), deadline)) {
            InetSocketAddress server = new InetSocketAddress(loopback, capped.tcpPort());
            List<SocketChannel> fromOne = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    fromOne.add(SocketChannel.open(server));
                }
                long started = System.nanoTime();
                int refused = 0;
                for (SocketChannel connection : fromOne.subList(3, 6)) {
                    if (closedByServer(connection, Duration.ofSeconds(1))) {
                        refused++;
                    }
                }
                assertEquals(3, refused, "the connections past the per-address cap are closed at once");
                try (SocketChannel other = SocketChannel.open()) {
                    other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0)).connect(server);
                    WebRtcTransport transport = new WebRtcTransport(capped, certificate, "00");
                    other.write(frame(check(transport, true)));
                    byte[] answer = readFrame(other);
                    assertEquals(StunMessage.BINDING_SUCCESS, StunParser.parse(answer, 0, answer.length).type(),
                            "another address is not locked out");

                    for (SocketChannel connection : fromOne.subList(0, 3)) {
                        assertTrue(closedByServer(connection, deadline.plusSeconds(3)), "unchecked: closed at the deadline");
                    }
                    assertTrue(System.nanoTime() - started >= deadline.minusMillis(200).toNanos(), "not before it");
                    assertFalse(closedByServer(other, Duration.ofMillis(500)), "the checked connection stays");
                }
                try (SocketChannel again = SocketChannel.open(server)) {
                    again.write(frame(check(new WebRtcTransport(capped, certificate, "00"), true)));
                    assertNotNull(readFrame(again), "the closed ones freed their places");
                }
            } finally {
                for (SocketChannel connection : fromOne) {
                    connection.close();
                }
            }
        }
    }

    /**
     * A new nomination moves the path: the address the peer left (after a network change, it may be
     * someone else's next) no longer reaches the transport, and only one path stays mapped.
     */
    @Test
    void aNewNominationForgetsTheTransportsOtherPaths() throws Exception {
        try (SyntheticPeer before = new SyntheticPeer(port.port()); SyntheticPeer after = new SyntheticPeer(port.port())) {
            WebRtcTransport transport = new WebRtcTransport(port, certificate, before.certificate.fingerprint());
            assertNotNull(before.check(transport.localUfrag(), transport.localPassword(), true));
            assertNotNull(after.check(transport.localUfrag(), transport.localPassword(), false));
            assertEquals(before.localAddress(), transport.remote(), "a check without nomination does not move the path");
            assertNull(port.pathOf(after.localAddress()), "answered, but not a path until nominated");
            assertEquals(transport, port.pathOf(before.localAddress()));

            assertNotNull(after.check(transport.localUfrag(), transport.localPassword(), true));
            assertEquals(after.localAddress(), transport.remote(), "the nominated address is the path");
            assertNull(port.pathOf(before.localAddress()), "the old address is forgotten");
            assertEquals(1, port.paths());
            transport.close();
        }
    }

    private static boolean closedByServer(SocketChannel connection, Duration within) throws IOException {
        connection.socket().setSoTimeout((int) within.toMillis());
        try {
            return connection.socket().getInputStream().read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static byte[] check(WebRtcTransport transport, boolean nominate) {
        StunWriter request = new StunWriter(StunMessage.BINDING_REQUEST, new byte[12]).username(transport.localUfrag() + ":peer");
        if (nominate) {
            request.attribute(StunAttribute.USE_CANDIDATE, new byte[0]);
        }
        return request.withIntegrity(transport.localPassword()).withFingerprint().toBytes();
    }

    /** RFC 4571 framing. */
    private static ByteBuffer frame(byte[] packet) {
        return ByteBuffer.allocate(2 + packet.length).putShort((short) packet.length).put(packet).flip();
    }
}
