package io.wenzhen.gateway.webrtc;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;

import io.wenzhen.protocols.dtls.DtlsCertificate;
import io.wenzhen.protocols.dtls.DtlsSrtpClient;
import io.wenzhen.protocols.dtls.SrtpKeyMaterial;
import io.wenzhen.protocols.srtp.SrtpContext;
import io.wenzhen.protocols.srtp.SrtpKeys;
import io.wenzhen.protocols.stun.StunAttribute;
import io.wenzhen.protocols.stun.StunMessage;
import io.wenzhen.protocols.stun.StunParser;
import io.wenzhen.protocols.stun.StunWriter;

/**
 * A WebRTC peer without a browser: ICE connectivity check, DTLS-SRTP client, SRTP in both directions,
 * over a real UDP socket on loopback. Plays the browser's part against the media port in tests and
 * benchmarks.
 */
final class SyntheticPeer implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    final DatagramSocket socket;
    final InetSocketAddress server;
    final DtlsCertificate certificate = DtlsCertificate.generate("synthetic-peer", Duration.ofDays(1));
    SrtpContext sendRtp;
    SrtpContext receiveRtp;

    SyntheticPeer(int serverPort) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
    }

    /** Sends a connectivity check and returns the answer, or null when none comes. */
    StunMessage check(String serverUfrag, String serverPassword, boolean nominate) throws IOException {
        byte[] transaction = new byte[12];
        RANDOM.nextBytes(transaction);
        StunWriter request = new StunWriter(StunMessage.BINDING_REQUEST, transaction)
                .username(serverUfrag + ":peer")
                .attribute(StunAttribute.PRIORITY, new byte[] {0x6e, 0, 1, (byte) 0xff})
                .attribute(StunAttribute.ICE_CONTROLLING, new byte[8]);
        if (nominate) {
            request.attribute(StunAttribute.USE_CANDIDATE, new byte[0]);
        }
        send(request.withIntegrity(serverPassword).withFingerprint().toBytes());
        byte[] answer = receive(Duration.ofMillis(1000));
        return answer == null ? null : StunParser.parse(answer, 0, answer.length);
    }

    /** The DTLS-SRTP handshake as the client, the server's certificate checked against its fingerprint. */
    void handshake(String serverFingerprint) throws IOException {
        DtlsSrtpClient client = new DtlsSrtpClient(certificate, serverFingerprint);
        new DTLSClientProtocol().connect(client, new DatagramTransport() {
            @Override
            public int getReceiveLimit() {
                return 1500;
            }

            @Override
            public int getSendLimit() {
                return 1200;
            }

            @Override
            public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
                byte[] datagram = SyntheticPeer.this.receive(Duration.ofMillis(Math.max(1, waitMillis)));
                if (datagram == null) {
                    return -1;
                }
                System.arraycopy(datagram, 0, buf, off, Math.min(len, datagram.length));
                return Math.min(len, datagram.length);
            }

            @Override
            public void send(byte[] buf, int off, int len) throws IOException {
                SyntheticPeer.this.send(Arrays.copyOfRange(buf, off, off + len));
            }

            @Override
            public void close() {
            }
        });
        SrtpKeyMaterial keys = client.keys();
        sendRtp = new SrtpContext(SrtpKeys.forRtp(keys.clientKey(), keys.clientSalt()));
        receiveRtp = new SrtpContext(SrtpKeys.forRtp(keys.serverKey(), keys.serverSalt()));
    }

    void sendRtp(byte[] rtp) throws IOException {
        send(sendRtp.protect(rtp, 0, rtp.length));
    }

    /** The next RTP packet from the server, decrypted, or null. */
    byte[] receiveRtp(Duration timeout) throws IOException {
        byte[] datagram = receive(timeout);
        return datagram == null ? null : receiveRtp.unprotect(datagram, 0, datagram.length);
    }

    void send(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, server));
    }

    byte[] receive(Duration timeout) throws IOException {
        byte[] buffer = new byte[1500];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            socket.receive(packet);
            return Arrays.copyOf(buffer, packet.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() {
        socket.close();
    }
}
