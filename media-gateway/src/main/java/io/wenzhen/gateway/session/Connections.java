package io.wenzhen.gateway.session;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.limits.BoundedSender;
import io.wenzhen.gateway.limits.ConnectionCounter;
import io.wenzhen.gateway.limits.RateLimiter;
import io.wenzhen.gateway.messages.ServerMessages;
import io.wenzhen.gateway.peers.RelayCredentials;

/**
 * The gateway's open signaling connections: capped in total and per remote address (so one host's
 * idle sockets cannot lock everyone else out), closed when silent past the idle timeout, and closed
 * without a session past the login deadline (heartbeats alone keep no stranger's socket open).
 */
@ApplicationScoped
public class Connections {

    private static final Logger LOG = Logger.getLogger(Connections.class);
    private final Map<String, Connection> open = new ConcurrentHashMap<>();
    private ConnectionCounter counter;

    @Inject
    GatewayConfig config;

    @Inject
    SessionRegistry sessions;

    @Inject
    RelayCredentials relays;

    @Inject
    GatewayIdentity identity;

    @PostConstruct
    void limits() {
        counter = new ConnectionCounter(config.wsMaxConnections(), config.wsMaxConnectionsPerAddress());
    }

    /**
     * A new connection; null when a cap refuses it, which it has then been told (TOO_MANY_CONNECTIONS,
     * with no request id) before its socket closes.
     */
    public Connection opened(WebSocketConnection socket) {
        String origin = socket.handshakeRequest().header("Origin");
        String address = ConnectionCounter.host(socket.handshakeRequest().remoteAddress());
        RelayCredentials.Relayed relayed;
        try {
            relayed = relays.verify(socket.handshakeRequest()::header, identity.id(), Instant.now().getEpochSecond());
        } catch (RelayCredentials.MisdirectedRelay e) {
            LOG.infof("relay from %s refused: %s", address, e.getMessage());
            refuse(socket, GatewayError.RELAY_MISDIRECTED);
            return null;
        } catch (SecurityException e) {
            LOG.warnf("connection from %s refused: %s", address, e.getMessage());
            refuse(socket, GatewayError.RELAY_REFUSED);
            return null;
        }
        if (relayed != null && relayed.address().startsWith(RelayCredentials.PIPE_REQUEST)) {
            // a pipe request's signature (captured on the internal network) is no relay's
            LOG.warnf("connection from %s refused: pipe credentials on the signaling endpoint", address);
            refuse(socket, GatewayError.RELAY_REFUSED);
            return null;
        }
        if (relayed != null) {
            // another gateway relays a client's signaling to this room's home: the client's origin and address count
            origin = relayed.origin();
            address = relayed.address();
        }
        if (!counter.tryOpen(address)) {
            refuse(socket, GatewayError.TOO_MANY_CONNECTIONS);
            return null;
        }
        Connection connection = new Connection(socket,
                new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst(), System.nanoTime()), origin, address,
                relayed != null);
        open.put(socket.id(), connection);
        return connection;
    }

    /** Tells the client why (no request id) and closes its socket. */
    private static void refuse(WebSocketConnection socket, GatewayError refusal) {
        BoundedSender.send(socket, ServerMessages.error(null, refusal.code(), refusal.name(), refusal.message()).toString());
        socket.close(new CloseReason(CloseReason.NORMAL.getCode(), refusal.name())).subscribe().with(ok -> { }, failure -> { });
    }

    /** The connection of a socket, or null when it was refused or has closed. */
    public Connection of(WebSocketConnection socket) {
        return open.get(socket.id());
    }

    /** The socket closed: its place is freed, and an active session waits for a resume until the grace period ends. */
    public void closed(WebSocketConnection socket) {
        Connection connection = open.remove(socket.id());
        if (connection != null) {
            counter.closed(connection.address());
        }
        Session session = sessions.byConnection(socket.id());
        sessions.unbind(socket.id());
        if (session != null && session.connection() == socket) {
            session.detach(Instant.now());
        }
    }

    /**
     * Connections silent past the idle timeout are closed (their sessions then wait for a resume), and
     * so are connections without a session past the login deadline (LOGIN_DEADLINE).
     */
    public void closeIdle() {
        long nowNanos = System.nanoTime();
        long idle = config.idleTimeout().toNanos();
        long loginDeadline = config.loginDeadline().toNanos();
        for (Connection connection : open.values()) {
            WebSocketConnection socket = connection.socket();
            if (!socket.isOpen()) {
                continue;
            }
            // a connection relayed to its room's home has its session there, which keeps the login deadline
            boolean hasSession = sessions.byConnection(socket.id()) != null || connection.relaying();
            connection.swept(hasSession, nowNanos);
            if (nowNanos - connection.lastSeenNanos() > idle) {
                socket.close().subscribe().with(ok -> { }, failure -> { });
            } else if (!connection.loggingIn() && !hasSession && nowNanos - connection.withoutSessionSinceNanos() > loginDeadline) {
                GatewayError deadline = GatewayError.LOGIN_DEADLINE;
                connection.send(ServerMessages.error(null, deadline.code(), deadline.name(), deadline.message()));
                socket.close(new CloseReason(CloseReason.NORMAL.getCode(), deadline.name())).subscribe().with(ok -> { }, failure -> { });
            }
        }
    }

    /** Open connections (the heartbeat reports them). */
    public int count() {
        return open.size();
    }
}
