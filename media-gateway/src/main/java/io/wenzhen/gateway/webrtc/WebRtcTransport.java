package io.wenzhen.gateway.webrtc;

import java.io.IOException;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.jboss.logging.Logger;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.dtls.ChangeCipherSpecGate;
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
 * <p>
 * After the handshake the same thread keeps reading DTLS: a peer whose copy of our last flight was
 * lost sends its own last flight again, and only a reader makes BouncyCastle answer it (else the
 * handshake completes on our side only); a close_notify or fatal alert ends the transport. A transport
 * that hears no authenticated SRTP or SRTCP for {@link #MEDIA_DEADLINE} — after a handshake that
 * completed on our side only, or from a peer that went away — has lost the peer's consent (RFC 7675's
 * purpose, on the media itself: browsers send RTCP every second or so) and is closed: nothing more is
 * sent to its address.
 */
public final class WebRtcTransport implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebRtcTransport.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A connected transport that authenticates nothing from its peer for this long is closed. */
    static final Duration MEDIA_DEADLINE = Duration.ofSeconds(15);
    private static final int DTLS_READ_WAIT_MILLIS = 1000;

    private final MediaPort port;
    /** The ICE credentials of this side, new after an ICE restart (RFC 8445 §9). */
    private volatile String localUfrag = newUfrag();
    private volatile String localPassword = newPassword();
    /**
     * The credentials in use before the last restart, still answered until a check comes under the new ones: a
     * client whose restart's answer was lost rolls back to them, and its checks must not go unanswered.
     */
    private volatile String previousUfrag;
    private volatile String previousPassword;
    /** Whether a check has authenticated under the current credentials. */
    private volatile boolean currentInUse;
    private final DtlsSrtpServer dtlsServer;
    private final QueueDatagramTransport dtls;
    private final AtomicBoolean handshaking = new AtomicBoolean();
    /** Keeps the peer's final flight in an order BouncyCastle's server can finish from (see the gate). */
    private final ChangeCipherSpecGate gate = new ChangeCipherSpecGate();
    private volatile SocketAddress remote;
    private volatile SrtpContext inboundRtp;
    private volatile SrtcpContext inboundRtcp;
    private volatile SrtpContext outboundRtp;
    private volatile SrtcpContext outboundRtcp;
    private volatile Consumer<byte[]> rtpListener = packet -> { };
    private volatile Consumer<byte[]> rtcpListener = packet -> { };
    private volatile Runnable connectedListener = () -> { };
    private final List<Runnable> closedListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> pathListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** When the peer's last SRTP or SRTCP packet authenticated (or the handshake completed); 0 before. */
    private volatile long lastAuthenticatedNanos;
    /** Our final handshake flight, to send again while the peer shows it has not got it. */
    private volatile List<byte[]> finalFlight = List.of();
    private volatile long finalFlightSentNanos;
    /** The peer's first SRTP or SRTCP authenticated: it has completed its side of the handshake. */
    private volatile boolean peerConfirmed;
    private static final long FINAL_FLIGHT_RESEND_NANOS = 250_000_000L;
    private final long mediaDeadlineNanos;
    /** Feedback on the peer's packets when it sends the transport-wide sequence number (a publisher); or null. */
    private volatile TransportCongestionControlServer congestionServer;
    /** The estimate of the peer's downlink when it reads the transport-wide sequence number (a player); or null. */
    private volatile TransportCongestionControlClient congestionClient;

    /**
     * @param remoteFingerprint the {@code a=fingerprint} of the peer's offer: its DTLS certificate must match
     */
    public WebRtcTransport(MediaPort port, DtlsCertificate certificate, String remoteFingerprint) {
        this(port, certificate, remoteFingerprint, MEDIA_DEADLINE);
    }

    /** @param mediaDeadline how long a connected transport may hear nothing authenticated from its peer */
    WebRtcTransport(MediaPort port, DtlsCertificate certificate, String remoteFingerprint, Duration mediaDeadline) {
        this.mediaDeadlineNanos = mediaDeadline.toNanos();
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

    /** The peer numbers its packets in header extension {@code extensionId}: it gets transport-wide feedback. */
    public void receiveTransportWideCc(int extensionId) {
        congestionServer = new TransportCongestionControlServer(extensionId, this::sendRtcp);
    }

    /**
     * The peer negotiated transport-wide feedback on what we send: packets are numbered in header extension
     * {@code extensionId}, and its feedback estimates its downlink (up to {@code ceilingBps}).
     */
    public void sendTransportWideCc(int extensionId, long ceilingBps) {
        congestionClient = new TransportCongestionControlClient(extensionId, ceilingBps);
    }

    /** The estimate of what the peer's downlink carries, or null when it gives no transport-wide feedback. */
    TransportCongestionControlClient congestionClient() {
        return congestionClient;
    }

    public String localPassword() {
        return localPassword;
    }

    /**
     * An ICE restart: the peer's checks may carry these credentials from now on, and the ones in use before stay
     * valid until it does (a restart whose answer never reached it is rolled back). DTLS and SRTP go on; media keeps
     * flowing on the checked path until the peer nominates a new one.
     */
    public synchronized void restartIce(String ufrag, String password) {
        if (closed.get()) {
            throw new IllegalStateException("the media connection has ended");
        }
        if (currentInUse || previousUfrag == null) {
            // the current ones are (or may be) in use: kept as the previous; the previous before them go
            port.forget(this, previousUfrag);
            previousUfrag = localUfrag;
            previousPassword = localPassword;
        } else {
            port.forget(this, localUfrag); // never used (its answer was lost): the previous ones are what the peer holds
        }
        localPassword = password;
        localUfrag = ufrag;
        currentInUse = false;
        port.register(this);
        if (closed.get()) {
            port.unregister(this); // closed meanwhile: not reachable again under the new name
            throw new IllegalStateException("the media connection has ended");
        }
    }

    /**
     * The password of a check's username fragment: the current one's, or the previous one's while it is still
     * valid; null for any other. A check under the current credentials retires the previous ones.
     */
    synchronized String passwordFor(String ufrag) {
        if (ufrag.equals(localUfrag)) {
            return localPassword;
        }
        return ufrag.equals(previousUfrag) ? previousPassword : null;
    }

    /** A check authenticated under {@code ufrag}: under the current credentials, the previous ones are done. */
    synchronized void checked(String ufrag) {
        if (ufrag.equals(localUfrag) && !currentInUse) {
            currentInUse = true;
            port.forget(this, previousUfrag);
            previousUfrag = null;
            previousPassword = null;
        }
    }

    /** Every username fragment that reaches this transport now (the current one, and the previous one if valid). */
    synchronized List<String> ufrags() {
        return previousUfrag == null ? List.of(localUfrag) : List.of(localUfrag, previousUfrag);
    }

    /** A fresh ICE username fragment: [a-z0-9], 24 bits or more of randomness. */
    public static String newUfrag() {
        return random(6);
    }

    /** A fresh ICE password: [a-z0-9], 128 bits or more of randomness. */
    public static String newPassword() {
        return random(18);
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

    /**
     * Each listener is called once when the transport closes (its DTLS ended, or the peer's consent lapsed); at
     * once when it has closed already.
     */
    public void onClosed(Runnable listener) {
        AtomicBoolean ran = new AtomicBoolean();
        Runnable once = () -> {
            if (ran.compareAndSet(false, true)) {
                listener.run();
            }
        };
        closedListeners.add(once);
        if (closed.get()) {
            once.run(); // closed before (or while) it was added: it would never hear of it
        }
    }

    /**
     * Each listener is called when the peer moves to a new path (it nominated another address: a network change,
     * after an ICE restart or a NAT's new mapping); what it missed meanwhile is lost.
     */
    public void onPathChanged(Runnable listener) {
        pathListeners.add(listener);
    }

    /** A checked (or nominated) address of the peer: media and DTLS go there from now on. */
    void select(SocketAddress address) {
        SocketAddress before = remote;
        remote = address;
        if (before != null && !before.equals(address)) {
            pathListeners.forEach(Runnable::run);
        }
    }

    void receiveDtls(byte[] datagram) {
        if (handshaking.compareAndSet(false, true)) {
            Thread.ofVirtual().name("dtls-" + localUfrag).start(this::handshake);
        }
        if (!connected()) {
            dtls.offer(gate.filter(datagram));
            return;
        }
        long now = System.nanoTime();
        if (!peerConfirmed && now - finalFlightSentNanos > FINAL_FLIGHT_RESEND_NANOS) {
            // handshake records from a peer that has sent no SRTP yet: it is still waiting for our last flight
            // (lost on the way) and sends its own again. BouncyCastle does not always answer; we do, with the
            // very datagrams of our last flight.
            finalFlightSentNanos = now;
            dtls.resend(finalFlight);
        }
        dtls.offer(datagram);
    }

    private void handshake() {
        DTLSTransport established;
        try {
            established = new DTLSServerProtocol().accept(dtlsServer, dtls);
            SrtpKeyMaterial keys = dtlsServer.keys();
            // the browser (DTLS client) sends with the client keys, we send with the server keys
            inboundRtcp = SrtcpContext.of(keys.profile(), keys.clientKey(), keys.clientSalt());
            outboundRtp = SrtpContext.of(keys.profile(), keys.serverKey(), keys.serverSalt());
            outboundRtcp = SrtcpContext.of(keys.profile(), keys.serverKey(), keys.serverSalt());
            lastAuthenticatedNanos = System.nanoTime();
            finalFlight = dtls.lastFlight();
            finalFlightSentNanos = System.nanoTime();
            inboundRtp = SrtpContext.of(keys.profile(), keys.clientKey(), keys.clientSalt());
            connectedListener.run();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("transport %s: DTLS handshake failed: %s", localUfrag, e.toString());
            close();
            return;
        }
        readDtls(established);
    }

    /** Reads DTLS until the transport closes: BouncyCastle resends its last flight and sees alerts only while read. */
    private void readDtls(DTLSTransport established) {
        byte[] buffer = new byte[QueueDatagramTransport.MTU];
        try {
            while (!closed.get()) {
                // application data has no use here (media is SRTP): what matters is what reading does inside
                established.receive(buffer, 0, buffer.length, DTLS_READ_WAIT_MILLIS);
                if (System.nanoTime() - lastAuthenticatedNanos > mediaDeadlineNanos) {
                    LOG.debugf("transport %s: nothing authenticated from the peer for %d ms; closed", localUfrag,
                            mediaDeadlineNanos / 1_000_000L);
                    close();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("transport %s: DTLS ended: %s", localUfrag, e.toString()); // close_notify, a fatal alert, or closed here
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
                byte[] rtcp = inboundRtcp.unprotect(datagram, 0, datagram.length);
                lastAuthenticatedNanos = System.nanoTime();
                peerConfirmed = true;
                rtcpListener.accept(rtcp);
            } else {
                byte[] packet = rtp.unprotect(datagram, 0, datagram.length);
                long now = System.nanoTime();
                lastAuthenticatedNanos = now;
                peerConfirmed = true;
                TransportCongestionControlServer congestion = congestionServer;
                if (congestion != null) {
                    congestion.received(packet, now); // every packet, probes included, before anything drops it
                }
                rtpListener.accept(packet);
            }
        } catch (MalformedPacketException e) {
            // unauthenticated, replayed or malformed: dropped
        }
    }

    /**
     * Encrypts an RTP packet for the peer and sends it; dropped before the handshake completes. The packet is the
     * caller's own copy: its transport-wide sequence number is written into it.
     */
    public void sendRtp(byte[] packet) {
        SrtpContext out = outboundRtp;
        SocketAddress to = remote;
        if (out != null && to != null && !closed.get()) {
            TransportCongestionControlClient congestion = congestionClient;
            if (congestion != null) {
                congestion.stamp(packet, System.nanoTime());
            }
            port.send(to, out.protect(packet, 0, packet.length));
        }
    }

    public void sendRtcp(byte[] packet) {
        SrtcpContext out = outboundRtcp;
        SocketAddress to = remote;
        if (out != null && to != null && !closed.get()) {
            port.send(to, out.protect(packet, 0, packet.length));
        }
    }

    /** Whether the transport has closed (its DTLS ended, its peer's consent lapsed, or closed here). */
    public boolean closed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        dtls.close();
        port.unregister(this);
        closedListeners.forEach(Runnable::run);
    }

    /** ICE credentials: [a-z0-9] text with at least 24 bits (ufrag) and 128 bits (password) of randomness. */
    private static String random(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }
}
