package io.wenzhen.gateway.webrtc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.wenzhen.gateway.limits.ConnectionCounter;
import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.dtls.DtlsRecord;
import io.wenzhen.protocols.stun.StunAttribute;
import io.wenzhen.protocols.stun.StunIntegrity;
import io.wenzhen.protocols.stun.StunMessage;
import io.wenzhen.protocols.stun.StunParser;
import io.wenzhen.protocols.stun.StunWriter;

/**
 * The one UDP port every WebRTC peer of this gateway uses (ICE-lite): STUN, DTLS and SRTP arrive on
 * it and are told apart by their first byte (RFC 7983). A connectivity check names its transport by
 * ICE username; once checked, the peer's address names it. Answers go to the packet's source
 * address, which is the address the browser reaches us from. Where UDP is blocked, browsers reach the
 * same transports over ICE-TCP (RFC 6544): a passive TCP port whose connections carry the same
 * packets, framed (RFC 4571); a connection then stands for the address ({@link TcpConnection}).
 */
public final class MediaPort implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MediaPort.class);
    private static final int MAX_DATAGRAM = 1500;

    private final DatagramChannel channel;
    private final Map<String, WebRtcTransport> byUfrag = new ConcurrentHashMap<>();
    private final Map<SocketAddress, WebRtcTransport> byAddress = new ConcurrentHashMap<>();
    private final Thread receiver;
    private final ServerSocketChannel tcp;
    /** Open ICE-TCP connections; bounded in total and per address, and each must pass a connectivity check in time. */
    private final Set<TcpConnection> connections = ConcurrentHashMap.newKeySet();
    private final ConnectionCounter tcpLimits;
    private final Duration tcpCheckDeadline;
    static final int MAX_TCP_CONNECTIONS = 2048;
    static final int MAX_TCP_CONNECTIONS_PER_ADDRESS = 256;
    static final Duration TCP_CHECK_DEADLINE = Duration.ofSeconds(10);
    private volatile boolean open = true;

    /** UDP only. */
    public MediaPort(InetSocketAddress bind) throws IOException {
        this(bind, null);
    }

    /** @param tcpBind where to accept ICE-TCP connections, or null for none */
    public MediaPort(InetSocketAddress bind, InetSocketAddress tcpBind) throws IOException {
        this(bind, tcpBind, new ConnectionCounter(MAX_TCP_CONNECTIONS, MAX_TCP_CONNECTIONS_PER_ADDRESS));
    }

    /** @param tcpLimits the caps on ICE-TCP connections, in total and per remote address */
    public MediaPort(InetSocketAddress bind, InetSocketAddress tcpBind, ConnectionCounter tcpLimits) throws IOException {
        this(bind, tcpBind, tcpLimits, TCP_CHECK_DEADLINE);
    }

    /** @param tcpCheckDeadline how long an ICE-TCP connection may stay open without becoming a checked path */
    MediaPort(InetSocketAddress bind, InetSocketAddress tcpBind, ConnectionCounter tcpLimits, Duration tcpCheckDeadline)
            throws IOException {
        this.tcpLimits = tcpLimits;
        this.tcpCheckDeadline = tcpCheckDeadline;
        channel = DatagramChannel.open().bind(bind);
        receiver = Thread.ofPlatform().name("media-port-" + port()).daemon().start(this::receiveLoop);
        if (tcpBind != null) {
            try {
                tcp = ServerSocketChannel.open().bind(tcpBind);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            Thread.ofPlatform().name("media-port-tcp-" + tcpPort()).daemon().start(this::acceptLoop);
        } else {
            tcp = null;
        }
    }

    /** The ICE-TCP port, or -1 when there is none. */
    public int tcpPort() {
        try {
            return tcp == null ? -1 : ((InetSocketAddress) tcp.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void acceptLoop() {
        while (open) {
            try {
                SocketChannel accepted = tcp.accept();
                String address;
                try {
                    address = accepted.getRemoteAddress() instanceof InetSocketAddress remote
                            ? ConnectionCounter.host(remote.getAddress()) : "";
                } catch (IOException e) {
                    accepted.close();
                    continue;
                }
                if (!tcpLimits.tryOpen(address)) {
                    accepted.close();
                    continue;
                }
                TcpConnection connection;
                try {
                    connection = new TcpConnection(accepted);
                } catch (IOException | RuntimeException e) {
                    tcpLimits.closed(address);
                    accepted.close();
                    continue;
                }
                connections.add(connection);
                Thread.ofVirtual().name("ice-tcp " + connection.remote()).start(() -> readLoop(connection, address));
                // a connection that never becomes a checked path is closed: no idle sockets kept for strangers
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(tcpCheckDeadline);
                    } catch (InterruptedException ignored) {
                        return;
                    }
                    if (!byAddress.containsKey(connection)) {
                        connection.close();
                    }
                });
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debugf("ICE-TCP accept: %s", e.toString());
            }
        }
    }

    /** One connection's packets, each handled as a datagram from it; its transport loses the path when it closes. */
    private void readLoop(TcpConnection connection, String address) {
        try {
            for (byte[] packet = connection.read(); packet != null && open; packet = connection.read()) {
                if (packet.length > 0) {
                    try {
                        dispatch(connection, packet);
                    } catch (RuntimeException e) {
                        LOG.debugf("ICE-TCP %s: %s", connection, e.toString());
                    }
                }
            }
        } catch (IOException e) {
            LOG.debugf("ICE-TCP %s closed: %s", connection, e.getMessage());
        } finally {
            connection.close();
            connections.remove(connection);
            byAddress.remove(connection);
            tcpLimits.closed(address);
        }
    }

    public int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes a transport reachable under its local ICE username fragment. */
    public void register(WebRtcTransport transport) {
        byUfrag.put(transport.localUfrag(), transport);
    }

    public void unregister(WebRtcTransport transport) {
        transport.ufrags().forEach(ufrag -> byUfrag.remove(ufrag, transport));
        byAddress.entrySet().removeIf(entry -> {
            if (entry.getValue() != transport) {
                return false;
            }
            if (entry.getKey() instanceof TcpConnection connection) {
                connection.close(); // the transport is gone: so is its connection
            }
            return true;
        });
    }

    /** A username fragment no longer reaches the transport (credentials an ICE restart retired); null: none. */
    void forget(WebRtcTransport transport, String ufrag) {
        if (ufrag != null) {
            byUfrag.remove(ufrag, transport);
        }
    }

    void send(SocketAddress to, byte[] datagram) {
        try {
            if (to instanceof TcpConnection connection) {
                if (!connection.write(datagram)) {
                    LOG.debugf("ICE-TCP %s: packet dropped (the peer does not keep up)", connection);
                }
                return;
            }
            channel.send(ByteBuffer.wrap(datagram), to);
        } catch (IOException e) {
            LOG.debugf("send to %s failed: %s", to, e.getMessage());
        }
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        while (open) {
            try {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                byte[] datagram = Arrays.copyOf(buffer.array(), buffer.position());
                dispatch(from, datagram);
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                // one bad datagram or peer never stops the port
                LOG.debugf("media port: %s", e.toString());
            }
        }
    }

    void dispatch(SocketAddress from, byte[] datagram) {
        if (StunMessage.looksLikeStun(datagram, 0, datagram.length)) {
            answerCheck(from, datagram);
            return;
        }
        WebRtcTransport transport = byAddress.get(from);
        if (transport == null) {
            return; // not (yet) checked: dropped
        }
        if (DtlsRecord.looksLikeDtls(datagram, 0, datagram.length)) {
            transport.receiveDtls(datagram);
        } else if ((datagram[0] & 0xC0) == 0x80) {
            transport.receiveMedia(datagram);
        }
    }

    /** An ICE connectivity check: verified with the transport's password, answered, and its address bound. */
    private void answerCheck(SocketAddress from, byte[] datagram) {
        StunMessage check;
        try {
            check = StunParser.parse(datagram, 0, datagram.length);
        } catch (MalformedPacketException e) {
            return;
        }
        if (check.type() != StunMessage.BINDING_REQUEST || check.username() == null) {
            return;
        }
        String local = check.username().split(":", 2)[0];
        WebRtcTransport transport = byUfrag.get(local);
        String password = transport == null ? null : transport.passwordFor(local);
        if (password == null || !StunIntegrity.verify(check, password)
                || (check.has(StunAttribute.FINGERPRINT) && !StunIntegrity.fingerprintValid(check))) {
            return; // RFC 8445: a check that does not authenticate is ignored
        }
        transport.checked(local);
        // ICE-lite: the controlling browser nominates; until then any checked address will do. Bound before the
        // answer leaves, so that whatever the peer sends once answered finds its transport.
        SocketAddress before = transport.remote();
        if (check.has(StunAttribute.USE_CANDIDATE) || before == null) {
            WebRtcTransport previous = byAddress.put(from, transport);
            if (previous != transport) {
                transport.select(from);
            }
            if (check.has(StunAttribute.USE_CANDIDATE) && before != null && !before.equals(from)) {
                forgetOtherPaths(transport, from); // a new nomination: the path moved (consent checks on one path cost no scan)
            }
        }
        byte[] response = new StunWriter(StunMessage.BINDING_SUCCESS, check.transactionId())
                .xorMappedAddress(from instanceof TcpConnection connection ? connection.remote() : (InetSocketAddress) from)
                .withIntegrity(password).withFingerprint().toBytes();
        send(from, response);
    }

    /**
     * The peer nominated {@code path}: the transport's other addresses are forgotten (an address left
     * mapped after a network change would let whoever gets it next reach this transport's DTLS).
     */
    private void forgetOtherPaths(WebRtcTransport transport, SocketAddress path) {
        byAddress.entrySet().removeIf(entry -> {
            if (entry.getValue() != transport || entry.getKey().equals(path)) {
                return false;
            }
            if (entry.getKey() instanceof TcpConnection connection) {
                connection.close();
            }
            return true;
        });
    }

    /** The transport a peer address reaches, or null (tests). */
    WebRtcTransport pathOf(SocketAddress address) {
        return byAddress.get(address);
    }

    /** How many peer addresses are mapped to transports (tests). */
    int paths() {
        return byAddress.size();
    }

    @Override
    public void close() {
        open = false;
        try {
            if (tcp != null) {
                tcp.close();
            }
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
