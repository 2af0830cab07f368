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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;

import io.wenzhen.protocols.dtls.DtlsCertificate;
import io.wenzhen.protocols.dtls.DtlsSrtpClient;
import io.wenzhen.protocols.dtls.SrtpKeyMaterial;
import io.wenzhen.protocols.rtp.RtpPacket;
import io.wenzhen.protocols.sdp.MediaDescription;
import io.wenzhen.protocols.sdp.SessionDescription;
import io.wenzhen.protocols.srtp.SrtcpContext;
import io.wenzhen.protocols.srtp.SrtpContext;
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
    SrtcpContext sendRtcp;
    SrtcpContext receiveRtcp;
    /** The DTLS association once the handshake is done (its close sends close_notify). */
    DTLSTransport dtls;

    /** RTP sequence numbers to lose once, as a lossy network would (before decryption). */
    final Set<Integer> lose = ConcurrentHashMap.newKeySet();

    /** A decrypted packet from the gateway. */
    record Received(boolean rtcp, byte[] packet) {
    }

    SyntheticPeer(int serverPort) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setReceiveBufferSize(4 << 20);
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
        dtls = new DTLSClientProtocol().connect(client, new DatagramTransport() {
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
        sendRtp = SrtpContext.of(keys.profile(), keys.clientKey(), keys.clientSalt());
        receiveRtp = SrtpContext.of(keys.profile(), keys.serverKey(), keys.serverSalt());
        sendRtcp = SrtcpContext.of(keys.profile(), keys.clientKey(), keys.clientSalt());
        receiveRtcp = SrtcpContext.of(keys.profile(), keys.serverKey(), keys.serverSalt());
    }

    /** An offer as a browser makes one: audio (Opus) and video (VP8 and H.264), this peer's fingerprint and SSRCs. */
    String offer(String direction, long audioSsrc, long videoSsrc) {
        return offer(direction, audioSsrc, videoSsrc, -1);
    }

    /**
     * An offer as a browser makes it: Opus, VP8 and H.264 (payload type 102); with {@code rtxSsrc >= 0}
     * also RTX (payload type 103 for 102) and, when sending, the FID group pairing the video SSRC with it.
     */
    String offer(String direction, long audioSsrc, long videoSsrc, long rtxSsrc) {
        boolean sending = direction.equals("sendonly");
        String ssrcAudio = sending ? "a=ssrc:" + audioSsrc + " cname:peer\r\n" : "";
        String ssrcVideo = sending ? "a=ssrc:" + videoSsrc + " cname:peer\r\n" : "";
        String rtx = "";
        if (rtxSsrc >= 0) {
            rtx = "a=rtpmap:103 rtx/90000\r\na=fmtp:103 apt=102\r\n";
            if (sending) {
                ssrcVideo = "a=ssrc-group:FID " + videoSsrc + " " + rtxSsrc + "\r\n" + ssrcVideo + "a=ssrc:" + rtxSsrc
                        + " cname:peer\r\n";
            }
        }
        return "v=0\r\no=- 7 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=ice-ufrag:peer\r\n"
                + "a=ice-pwd:peerpasswordpeerpassword\r\na=fingerprint:" + certificate.fingerprint() + "\r\n"
                + "a=setup:actpass\r\na=" + direction + "\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n" + ssrcAudio
                + "m=video 9 UDP/TLS/RTP/SAVPF 96 102" + (rtxSsrc >= 0 ? " 103" : "") + "\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na="
                + direction + "\r\n"
                + "a=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n"
                + "a=rtpmap:102 H264/90000\r\na=fmtp:102 packetization-mode=1;profile-level-id=42e01f\r\n" + rtx + ssrcVideo;
    }

    /** Connects to what an answer announces: its ICE credentials, its host candidate, its fingerprint. */
    void connect(String answerSdp) throws Exception {
        SessionDescription answer = SessionDescription.parse(answerSdp);
        MediaDescription first = answer.media().stream().filter(m -> m.port() != 0)
                .findFirst().orElseThrow();
        if (check(first.attribute("ice-ufrag"), first.attribute("ice-pwd"), true) == null) {
            throw new IllegalStateException("no answer to the connectivity check");
        }
        handshake(first.attribute("fingerprint"));
    }

    /** Checks, nominates and completes DTLS with a transport, as a browser would after the answer. */
    void connect(WebRtcTransport transport, String serverFingerprint) throws Exception {
        if (check(transport.localUfrag(), transport.localPassword(), true) == null) {
            throw new IllegalStateException("no answer to the connectivity check");
        }
        handshake(serverFingerprint);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!transport.connected() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    void sendRtcp(byte[] rtcp) throws IOException {
        send(sendRtcp.protect(rtcp, 0, rtcp.length));
    }

    /** The next packet from the gateway, RTP or RTCP, decrypted; null on timeout. */
    Received receiveAny(Duration timeout) throws IOException {
        byte[] datagram = receive(timeout);
        if (datagram == null) {
            return null;
        }
        if (RtpPacket.isRtcp(datagram, 0, datagram.length)) {
            return new Received(true, receiveRtcp.unprotect(datagram, 0, datagram.length));
        }
        int sequence = ((datagram[2] & 0xFF) << 8) | (datagram[3] & 0xFF);
        if (lose.remove(sequence)) {
            return receiveAny(timeout);
        }
        return new Received(false, receiveRtp.unprotect(datagram, 0, datagram.length));
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

    /** Ends the DTLS association as a browser closing its peer connection does: a close_notify alert. */
    void closeDtls() throws IOException {
        dtls.close();
    }

    @Override
    public void close() {
        socket.close();
    }
}
