package io.wenzhen.gateway.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.limits.ConnectionCounter;

/**
 * The RTMP port of the mini-program edge: one virtual thread per connection, blocking reads (an
 * RTMP connection is a long-lived ordered byte stream, and the chunk format is simplest read that way).
 */
@ApplicationScoped
@Startup // the port opens (or fails) at start
public class RtmpServer {

    private static final Logger LOG = Logger.getLogger(RtmpServer.class);

    @Inject
    GatewayConfig config;

    @Inject
    Instance<EdgeAccess> access;

    @Inject
    EdgeMetrics metrics;

    private ServerSocket server;
    private final Set<RtmpConnection> connections = ConcurrentHashMap.newKeySet();
    private ConnectionCounter limits;

    @PostConstruct
    void start() {
        limits = new ConnectionCounter(config.rtmpMaxConnections(), config.rtmpMaxConnectionsPerAddress());
        if (config.rtmpPort() < 0) {
            LOG.info("RTMP is off (rtmp-port -1)");
            return;
        }
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(config.bindAddress()), config.rtmpPort()), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the RTMP port " + config.rtmpPort(), e);
        }
        LOG.infof("RTMP (mini-program edge) on %d", server.getLocalPort());
        metrics.gauge("wenzhen.edge.rtmp.connections", "open RTMP connections (publishers and players)", connections::size);
        Thread.ofPlatform().name("rtmp-accept").daemon().start(this::acceptLoop);
    }

    /** The bound port, or -1 when RTMP is off. */
    public int port() {
        return server == null ? -1 : server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warnf("RTMP accept failed: %s", e.toString());
                    pause(); // out of file descriptors, say: do not spin
                }
                continue;
            }
            String address = ConnectionCounter.host(socket.getInetAddress());
            if (!limits.tryOpen(address)) {
                LOG.warnf("rtmp %s refused: %d connections already, or its address's share (rtmp-max-connections, -per-address)",
                        socket.getRemoteSocketAddress(), limits.total());
                metrics.refused();
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
                continue;
            }
            RtmpConnection connection;
            try {
                connection = new RtmpConnection(socket, access.get(), config, metrics);
            } catch (RuntimeException e) {
                limits.closed(address);
                closeQuietly(socket);
                continue;
            }
            connections.add(connection);
            Thread.ofVirtual().name("rtmp " + socket.getRemoteSocketAddress()).start(() -> {
                try {
                    connection.run();
                } finally {
                    connections.remove(connection);
                    limits.closed(address);
                }
            });
            // the whole handshake, connect and publish/play in a deadline: no trickle of bytes keeps a socket for hours
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(config.rtmpAdmissionDeadline());
                } catch (InterruptedException e) {
                    return;
                }
                if (connections.contains(connection) && !connection.admitted()) {
                    metrics.refused();
                    connection.close();
                }
            });
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        connections.forEach(RtmpConnection::close);
    }
}
