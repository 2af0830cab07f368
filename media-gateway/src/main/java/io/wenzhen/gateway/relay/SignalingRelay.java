package io.wenzhen.gateway.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.limits.BoundedSender;
import io.wenzhen.gateway.peers.GatewayDirectory;
import io.wenzhen.gateway.peers.RelayCredentials;
import io.wenzhen.gateway.session.Connection;

/**
 * Relays a client's signaling to its room's home (docs/architecture.md, "Placement"): once a login (or a
 * resume) belongs to another gateway, this gateway opens a WebSocket to that gateway's signaling with relay
 * credentials, passes the client's messages there and the home's back, and closes each side when the other
 * closes. The client's media goes to the home directly (its answers and addresses name the home), so the
 * relay carries signaling only, and losing it costs a resume, not the call.
 */
@ApplicationScoped
public class SignalingRelay {

    private static final Logger LOG = Logger.getLogger(SignalingRelay.class);
    /** How long connecting to a home may take before it counts as unreachable. */
    static final int CONNECT_TIMEOUT_MS = 2000;
    /** Messages a client may send while the relay connects (its rate limit keeps it far below). */
    static final int MAX_WAITING = 64;
    static final Duration PEER_POLL = Duration.ofMillis(200);
    /** How long a home this gateway has not heard of is waited for: more than a heartbeat interval (5 s). */
    static final Duration UNKNOWN_PEER_PATIENCE = Duration.ofSeconds(7);
    /** The home's messages can be larger than a client's (a big room's user list at login). */
    static final int MAX_MESSAGE_BYTES = 16 << 20;
    /** Said to the client when the home closed without a close frame (it died): the SDK resumes elsewhere. */
    static final CloseReason HOME_LOST = new CloseReason(1011, "room home lost");

    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private WebSocketClient client;

    @Inject
    Vertx vertx;

    @Inject
    GatewayDirectory peers;

    @Inject
    RelayCredentials credentials;

    @Inject
    GatewayIdentity identity;

    /** The relay could not connect to the home: room-service should move the room. */
    public static final class HomeUnreachable extends RuntimeException {
        public HomeUnreachable(String home, String why) {
            super("gateway " + home + " is unreachable: " + why);
        }
    }

    /** One client's relay: the home's socket once connected, and what the client sent meanwhile. */
    private static final class Link {
        final Connection client;
        final Queue<String> waiting = new ArrayDeque<>();
        WebSocket home;
        boolean greeted;
        boolean closed;

        Link(Connection client) {
            this.client = client;
        }
    }

    @PostConstruct
    void start() {
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setMaxMessageSize(MAX_MESSAGE_BYTES).setMaxFrameSize(MAX_MESSAGE_BYTES));
    }

    /** Whether this connection's messages go to another gateway. */
    public boolean relays(Connection connection) {
        return links.containsKey(connection.id());
    }

    /**
     * Relays the connection to gateway {@code home} from now on, starting with {@code first} (the login or
     * resume the home is to answer). Fails with {@link HomeUnreachable} when the home cannot be reached; the
     * connection is then not relayed.
     */
    public Uni<Void> open(Connection connection, String home, String first) {
        return peer(home).chain(peer -> peer == null
                ? Uni.createFrom().failure(new HomeUnreachable(home, "no heartbeat from it within a minute"))
                : connect(connection, peer, first));
    }

    /**
     * The home's addresses. One not heard of yet is waited for, a heartbeat interval and more (room-service may
     * have placed a room on a gateway whose first beat this one has not read yet), and longer while this
     * gateway is young (it may not have heard any peer yet): a home reported unreachable too soon would be moved.
     */
    private Uni<GatewayDirectory.Peer> peer(String home) {
        return peer(home, System.nanoTime() + UNKNOWN_PEER_PATIENCE.toNanos());
    }

    private Uni<GatewayDirectory.Peer> peer(String home, long deadlineNanos) {
        GatewayDirectory.Peer peer = peers.find(home).orElse(null);
        if (peer != null || (peers.warm() && System.nanoTime() > deadlineNanos)) {
            return Uni.createFrom().item(peer);
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(PEER_POLL).chain(() -> peer(home, deadlineNanos));
    }

    private Uni<Void> connect(Connection connection, GatewayDirectory.Peer peer, String first) {
        String home = peer.gatewayId();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(peer.signalingUrl());
        credentials.headers(identity.id(), connection.origin(), connection.clientAddress(), Instant.now().getEpochSecond())
                .forEach(options::addHeader);
        Link link = new Link(connection);
        link.waiting.add(first);
        links.put(connection.id(), link);
        connection.relaying(true);
        return Uni.createFrom().completionStage(() -> client.connect(options).toCompletionStage())
                .invoke(socket -> attach(link, socket))
                .onFailure().transform(e -> {
                    links.remove(connection.id(), link);
                    connection.relaying(false);
                    return new HomeUnreachable(home, e.getMessage());
                })
                .replaceWithVoid();
    }

    /** A message from a relayed client goes to its home (or waits for the home's socket). */
    public void forward(Connection connection, String text) {
        Link link = links.get(connection.id());
        if (link == null) {
            return;
        }
        synchronized (link) {
            if (link.home != null) {
                link.home.writeTextMessage(text);
            } else if (link.waiting.size() < MAX_WAITING) {
                link.waiting.add(text);
            } else {
                closeClient(link, new CloseReason(CloseReason.NORMAL.getCode(), BoundedSender.CLOSE_REASON));
            }
        }
    }

    /** The client's socket closed: so does the home's (the session there waits for a resume). */
    public void closed(Connection connection) {
        Link link = links.remove(connection.id());
        if (link != null) {
            synchronized (link) {
                link.closed = true;
                if (link.home != null) {
                    link.home.close();
                }
            }
        }
    }

    private void attach(Link link, WebSocket socket) {
        socket.textMessageHandler(text -> {
            if (!link.greeted) {
                link.greeted = true; // the home's hello: the client had this gateway's
                return;
            }
            BoundedSender.send(link.client.socket(), text);
        });
        socket.exceptionHandler(e -> LOG.debugf("relay of %s: %s", link.client.id(), e.toString()));
        socket.closeHandler(ignored -> {
            links.remove(link.client.id(), link);
            Short code = socket.closeStatusCode();
            closeClient(link, code == null || code == 1006 ? HOME_LOST
                    : new CloseReason(code, socket.closeReason() == null ? "" : socket.closeReason()));
        });
        synchronized (link) {
            link.home = socket;
            if (link.closed) {
                socket.close(); // the client left while the relay connected
                return;
            }
            for (String text : link.waiting) {
                socket.writeTextMessage(text);
            }
            link.waiting.clear();
        }
    }

    private static void closeClient(Link link, CloseReason reason) {
        if (link.client.socket().isOpen()) {
            link.client.socket().close(reason).subscribe().with(ok -> { }, failure -> { });
        }
    }
}
