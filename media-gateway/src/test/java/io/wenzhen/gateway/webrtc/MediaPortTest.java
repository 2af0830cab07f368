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
