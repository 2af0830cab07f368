package io.wenzhen.gateway.webrtc;

import java.net.SocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.bouncycastle.tls.DTLSServerProtocol;
import org.jboss.logging.Logger;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.dtls.DtlsCertificate;
import io.wenzhen.protocols.dtls.DtlsSrtpServer;
import io.wenzhen.protocols.dtls.QueueDatagramTransport;
import io.wenzhen.protocols.dtls.SrtpKeyMaterial;
import io.wenzhen.protocols.rtp.RtpPacket;
import io.wenzhen.protocols.srtp.SrtcpContext;
import io.wenzhen.protocols.srtp.SrtpContext;

/**
 * One peer connection (mediasoup's WebRtcTransport): ICE-lite credentials, the DTLS-SRTP handshake
 * (BouncyCastle, on a virtual thread, since its API blocks), then SRTP in both directions. Decrypted
 * RTP and RTCP go to the listeners that the Producer/Consumer layer installs.
 */
public final class WebRtcTransport implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebRtcTransport.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MediaPort port;
    private final String localUfrag = random(6);
    private final String localPassword = random(18);
    private final DtlsSrtpServer dtlsServer;
    private final QueueDatagramTransport dtls;
    private final AtomicBoolean handshaking = new AtomicBoolean();
    private volatile SocketAddress remote;
    private volatile SrtpContext inboundRtp;
    private volatile SrtcpContext inboundRtcp;
    private volatile SrtpContext outboundRtp;
    private volatile SrtcpContext outboundRtcp;
    private volatile Consumer<byte[]> rtpListener = packet -> { };
    private volatile Consumer<byte[]> rtcpListener = packet -> { };
    private volatile Runnable connectedListener = () -> { };

    /**
     * @param remoteFingerprint the {@code a=fingerprint} of the peer's offer: its DTLS certificate must match
     */
    public WebRtcTransport(MediaPort port, DtlsCertificate certificate, String remoteFingerprint) {
        this.port = port;
        this.dtlsServer = new DtlsSrtpServer(certificate, remoteFingerprint);
        this.dtls = new QueueDatagramTransport(datagram -> {
            SocketAddress to = remote;
            if (to != null) {
                port.send(to, datagram);
            }
        });
        port.register(this);
    }

    public String localUfrag() {
        return localUfrag;
    }

    public String localPassword() {
        return localPassword;
    }

    public SocketAddress remote() {
        return remote;
    }

    public boolean connected() {
        return inboundRtp != null;
    }

    public void onRtp(Consumer<byte[]> listener) {
        this.rtpListener = listener;
    }

    public void onRtcp(Consumer<byte[]> listener) {
        this.rtcpListener = listener;
    }

    public void onConnected(Runnable listener) {
        this.connectedListener = listener;
    }

    /** A checked (or nominated) address of the peer: media and DTLS go there from now on. */
    void select(SocketAddress address) {
        remote = address;
    }

    void receiveDtls(byte[] datagram) {
        if (handshaking.compareAndSet(false, true)) {
            Thread.ofVirtual().name("dtls-" + localUfrag).start(this::handshake);
        }
        dtls.offer(datagram);
    }

    private void handshake() {
        try {
            new DTLSServerProtocol().accept(dtlsServer, dtls);
            SrtpKeyMaterial keys = dtlsServer.keys();
            // the browser (DTLS client) sends with the client keys, we send with the server keys
            inboundRtcp = SrtcpContext.of(keys.profile(), keys.clientKey(), keys.clientSalt());
            outboundRtp = SrtpContext.of(keys.profile(), keys.serverKey(), keys.serverSalt());
            outboundRtcp = SrtcpContext.of(keys.profile(), keys.serverKey(), keys.serverSalt());
            inboundRtp = SrtpContext.of(keys.profile(), keys.clientKey(), keys.clientSalt());
            connectedListener.run();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debugf("transport %s: DTLS handshake failed: %s", localUfrag, e.toString());
            close();
        }
    }

    void receiveMedia(byte[] datagram) {
        SrtpContext rtp = inboundRtp;
        if (rtp == null) {
            return; // before the handshake: nothing can be authenticated yet
        }
        try {
            if (RtpPacket.isRtcp(datagram, 0, datagram.length)) {
                rtcpListener.accept(inboundRtcp.unprotect(datagram, 0, datagram.length));
            } else {
                rtpListener.accept(rtp.unprotect(datagram, 0, datagram.length));
            }
        } catch (MalformedPacketException e) {
            // unauthenticated, replayed or malformed: dropped
        }
    }

    /** Encrypts an RTP packet for the peer and sends it; dropped before the handshake completes. */
    public void sendRtp(byte[] packet) {
        SrtpContext out = outboundRtp;
        SocketAddress to = remote;
        if (out != null && to != null) {
            port.send(to, out.protect(packet, 0, packet.length));
        }
    }

    public void sendRtcp(byte[] packet) {
        SrtcpContext out = outboundRtcp;
        SocketAddress to = remote;
        if (out != null && to != null) {
            port.send(to, out.protect(packet, 0, packet.length));
        }
    }

    @Override
    public void close() {
        dtls.close();
        port.unregister(this);
    }

    /** ICE credentials: [a-z0-9] text with at least 24 bits (ufrag) and 128 bits (password) of randomness. */
    private static String random(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }
}
