package io.wenzhen.gateway.relay;

import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
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
import io.vertx.core.json.JsonObject;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.errors.GatewayError;
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
    /** Relayed clients to one home at once: far above a gateway's sessions, so the pool never queues one. */
    static final int MAX_RELAYS_PER_HOME = 100_000;
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

    /**
     * The relay could not reach the home. {@code definitive} when the home is surely gone: its address refused
     * the connection (no process listens), or a gateway there refused the relay as meant for another (a new
     * process in the old one's place); a timeout is not (a busy or partitioned home may still hold its calls).
     */
    public static final class HomeUnreachable extends RuntimeException {
        private final boolean definitive;

        public HomeUnreachable(String home, String why, boolean definitive) {
            super("gateway " + home + " is unreachable: " + why);
            this.definitive = definitive;
        }

        public boolean definitive() {
            return definitive;
        }
    }

    /** One client's relay: the home's socket once connected, and what the client sent meanwhile. */
    private static final class Link {
        final Connection client;
        final String home;
        final String firstRequestId;
        final Queue<String> waiting = new ArrayDeque<>();
        final CompletableFuture<Void> greeted = new CompletableFuture<>();
        WebSocket socket;
        /** The home answered the first request: from then on its frames are passed on without a look. */
        boolean answered;
        /** The home refused the first request: the client is this gateway's again, the home's socket goes. */
        boolean released;
        boolean closed;

        Link(Connection client, String home, String firstRequestId) {
            this.client = client;
            this.home = home;
            this.firstRequestId = firstRequestId;
            this.answered = firstRequestId == null; // a request without an id gets no reply to look for
        }
    }

    @PostConstruct
    void start() {
        // one connection per relayed client, never queued behind a pool's limit (Vert.x's default is 50 per home)
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setMaxConnections(MAX_RELAYS_PER_HOME).setMaxMessageSize(MAX_MESSAGE_BYTES).setMaxFrameSize(MAX_MESSAGE_BYTES));
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
    public Uni<Void> open(Connection connection, String home, String first, String firstRequestId) {
        return peer(home).chain(peer -> peer == null
                ? Uni.createFrom().failure(new HomeUnreachable(home, "no heartbeat from it within a minute", false))
                : connect(connection, peer, first, firstRequestId));
    }

    /** When the home's last heartbeat was read (null: never, or forgotten). */
    public Instant lastHeard(String home) {
        return peers.find(home).map(GatewayDirectory.Peer::seenAt).orElse(null);
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

    private Uni<Void> connect(Connection connection, GatewayDirectory.Peer peer, String first, String firstRequestId) {
        String home = peer.gatewayId();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(peer.signalingUrl())
                .setTimeout(CONNECT_TIMEOUT_MS);
        credentials.headers(identity.id(), home, connection.origin(), connection.clientAddress(), Instant.now().getEpochSecond())
                .forEach(options::addHeader);
        Link link = new Link(connection, home, firstRequestId);
        link.waiting.add(first);
        links.put(connection.id(), link);
        connection.relaying(true);
        if (!connection.socket().isOpen()) {
            closed(connection); // the client left while its login was on its way: nobody to log in for
            return Uni.createFrom().failure(new HomeUnreachable(home, "the client left", false));
        }
        client.connect(options).onComplete(result -> {
            if (result.failed()) {
                Throwable cause = result.cause();
                link.greeted.completeExceptionally(new HomeUnreachable(home, String.valueOf(cause.getMessage()),
                        cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")));
            } else {
                attach(link, result.result());
            }
        });
        return Uni.createFrom().completionStage(link.greeted)
                .ifNoItem().after(Duration.ofMillis(CONNECT_TIMEOUT_MS * 2L))
                .failWith(() -> new HomeUnreachable(home, "no hello from it", false))
                .onFailure().invoke(e -> {
                    if (links.remove(connection.id(), link)) {
                        connection.relaying(false);
                    }
                    synchronized (link) {
                        link.released = true;
                        if (link.socket != null) {
                            link.socket.close();
                        }
                    }
                })
                .onFailure().transform(e -> e instanceof HomeUnreachable ? e : new HomeUnreachable(home, e.toString(), false));
    }

    /** A message from a relayed client goes to its home (or waits for the home's socket). */
    public void forward(Connection connection, String text) {
        Link link = links.get(connection.id());
        if (link == null) {
            return;
        }
        synchronized (link) {
            if (link.greeted.isDone() && link.socket != null) {
                link.socket.writeTextMessage(text);
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
                if (link.socket != null) {
                    link.socket.close();
                }
            }
        }
    }

    private void attach(Link link, WebSocket socket) {
        synchronized (link) {
            link.socket = socket;
            if (link.released || link.closed) {
                socket.close(); // connected after the relay was given up (timed out) or the client left
                return;
            }
        }
        socket.textMessageHandler(text -> fromHome(link, text));
        socket.exceptionHandler(e -> LOG.debugf("relay of %s: %s", link.client.id(), e.toString()));
        socket.closeHandler(ignored -> {
            Short code = socket.closeStatusCode();
            if (!link.greeted.isDone()) {
                // closed before its hello: refused (a relay meant for another gateway, its caps) or gone
                link.greeted.completeExceptionally(new HomeUnreachable(link.home, "it closed the relay (" + code + ")", false));
                return;
            }
            boolean released;
            synchronized (link) {
                released = link.released;
            }
            if (released || !links.remove(link.client.id(), link)) {
                return;
            }
            closeClient(link, code == null || code == 1006 ? HOME_LOST
                    : new CloseReason(code, socket.closeReason() == null ? "" : socket.closeReason()));
        });
    }

    /**
     * The home's messages: its hello opens the relay (and what the client sent meanwhile goes); then each goes
     * to the client. Its answer to the first request is looked at: a refusal (a resume it cannot take, a login it
     * refuses) gives the client back to this gateway, so that what it sends next is this gateway's to answer.
     */
    private void fromHome(Link link, String text) {
        if (!link.greeted.isDone()) {
            JsonObject first = json(text);
            if (first == null || !"hello".equals(first.getString("type"))) {
                // refused: as a relay meant for another gateway (the home is gone, a new process has its address), or
                // for now (its connection caps): only the former moves the room
                Object code = first == null ? null : first.getValue("code");
                boolean gone = code instanceof Number number && number.intValue() == GatewayError.RELAY_MISDIRECTED.code();
                link.greeted.completeExceptionally(new HomeUnreachable(link.home, "it refused the relay: " + text, gone));
                return;
            }
            synchronized (link) {
                if (link.closed || link.released) {
                    link.socket.close(); // the client left, or the relay was given up, while it connected
                    return;
                }
                link.waiting.forEach(link.socket::writeTextMessage);
                link.waiting.clear();
                // completed under the lock forward() takes: nothing the client sends now can be queued and left there
                link.greeted.complete(null);
            }
            return;
        }
        synchronized (link) {
            if (link.released) {
                return;
            }
        }
        if (!link.answered) {
            JsonObject message = json(text);
            if (message != null && "reply".equals(message.getString("type")) && link.firstRequestId != null
                    && link.firstRequestId.equals(String.valueOf(message.getValue("id")))) {
                link.answered = true;
                if (!Boolean.TRUE.equals(message.getBoolean("ok")) && links.remove(link.client.id(), link)) {
                    // given back first, then told: what the client sends on the refusal is this gateway's to answer
                    link.client.relaying(false);
                    synchronized (link) {
                        link.released = true;
                        link.socket.close();
                    }
                }
            }
        }
        BoundedSender.send(link.client.socket(), text);
    }

    private static JsonObject json(String text) {
        try {
            return new JsonObject(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void closeClient(Link link, CloseReason reason) {
        if (link.client.socket().isOpen()) {
            link.client.socket().close(reason).subscribe().with(ok -> { }, failure -> { });
        }
    }
}
