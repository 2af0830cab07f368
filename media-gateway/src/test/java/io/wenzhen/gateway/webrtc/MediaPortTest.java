package io.wenzhen.gateway.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.wenzhen.protocols.dtls.DtlsCertificate;
import io.wenzhen.protocols.stun.StunAttribute;
import io.wenzhen.protocols.stun.StunIntegrity;
import io.wenzhen.protocols.stun.StunMessage;

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
                java.nio.channels.SocketChannel tcp = java.nio.channels.SocketChannel.open(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), both.tcpPort()))) {
            WebRtcTransport transport = new WebRtcTransport(both, certificate, "00");
            byte[] transaction = new byte[12];
            byte[] check = new io.wenzhen.protocols.stun.StunWriter(StunMessage.BINDING_REQUEST, transaction)
                    .username(transport.localUfrag() + ":peer").attribute(StunAttribute.USE_CANDIDATE, new byte[0])
                    .withIntegrity(transport.localPassword()).withFingerprint().toBytes();
            // RFC 4571 framing, and two frames in one write: the reader must not care how TCP cuts them
            java.nio.ByteBuffer frames = java.nio.ByteBuffer.allocate(4 + 2 * check.length);
            frames.putShort((short) check.length).put(check).putShort((short) check.length).put(check).flip();
            tcp.write(frames);

            byte[] answer = readFrame(tcp);
            StunMessage response = io.wenzhen.protocols.stun.StunParser.parse(answer, 0, answer.length);
            assertEquals(StunMessage.BINDING_SUCCESS, response.type());
            assertTrue(StunIntegrity.verify(response, transport.localPassword()));
            readFrame(tcp); // the second check's answer
            assertTrue(transport.remote() instanceof TcpConnection, "the connection is the transport's path: " + transport.remote());

            byte[] dtls = HexFormat.of().parseHex("16fefd000000000000000000010e"); // what the transport sends goes back framed
            both.send(transport.remote(), dtls);
            assertArrayEquals(dtls, readFrame(tcp));
        }
    }

    private static byte[] readFrame(java.nio.channels.SocketChannel tcp) throws Exception {
        tcp.socket().setSoTimeout(5000);
        java.io.DataInputStream in = new java.io.DataInputStream(tcp.socket().getInputStream());
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
}
