package io.wenzhen.gateway.session;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.websockets.next.WebSocketConnection;
import io.wenzhen.gateway.limits.BoundedSender;
import io.wenzhen.gateway.limits.RateLimiter;

/**
 * What the gateway knows of one signaling connection before and after login: its socket, its rate
 * limiter, where it came from, and the times its idle and login deadlines count from.
 */
public final class Connection {

    private final WebSocketConnection socket;
    private final RateLimiter limiter;
    private final String origin;
    private final String address;
    /** Whether another gateway relays this client here (it then is not relayed onward: no chains, no loops). */
    private final boolean fromRelay;
    private volatile long lastSeenNanos = System.nanoTime();
    /** Since when the connection has had no session (its opening, or its logout); see {@link Connections#closeIdle}. */
    private volatile long withoutSessionSinceNanos = System.nanoTime();
    /** Whether the last sweep found a session on this connection: when it goes, the login deadline starts again. */
    private volatile boolean hadSession;
    private volatile boolean loggingIn;
    /** Whether this client's signaling is relayed to another gateway (its room's home), where its session lives. */
    private volatile boolean relaying;

    Connection(WebSocketConnection socket, RateLimiter limiter, String origin, String address, boolean fromRelay) {
        this.socket = socket;
        this.limiter = limiter;
        this.origin = origin;
        this.address = address;
        this.fromRelay = fromRelay;
    }

    public WebSocketConnection socket() {
        return socket;
    }

    public String id() {
        return socket.id();
    }

    /** The browser's {@code Origin} header (null for other clients). */
    public String origin() {
        return origin;
    }

    String address() {
        return address;
    }

    /** A message arrived: the idle deadline starts again. */
    public void received(long nowNanos) {
        lastSeenNanos = nowNanos;
    }

    /** Whether the connection's rate limiter lets one more message through. */
    public boolean withinRate(long nowNanos) {
        return limiter.tryAcquire(nowNanos);
    }

    /** Sends a message, bounded (a client that stops reading is cut); nothing once the socket is closed. */
    public void send(ObjectNode message) {
        if (message != null && socket.isOpen()) {
            BoundedSender.send(socket, message.toString());
        }
    }

    public boolean loggingIn() {
        return loggingIn;
    }

    /** A login is under way (so the login deadline does not close the connection meanwhile), or over. */
    public void loggingIn(boolean underWay) {
        loggingIn = underWay;
    }

    public boolean relaying() {
        return relaying;
    }

    /** From now on every message of this connection goes to another gateway, and that gateway's messages come back. */
    public void relaying(boolean relayed) {
        relaying = relayed;
    }

    public boolean fromRelay() {
        return fromRelay;
    }

    /** Where the client connected from (its address as this gateway counts connections). */
    public String clientAddress() {
        return address;
    }

    /** The session logged out: the connection gets a whole login deadline from now. */
    public void loggedOut(long nowNanos) {
        withoutSessionSinceNanos = nowNanos;
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    long withoutSessionSinceNanos() {
        return withoutSessionSinceNanos;
    }

    /** What the idle sweep found: a session that has gone since the last sweep restarts the login deadline. */
    void swept(boolean hasSession, long nowNanos) {
        if (hadSession && !hasSession) {
            withoutSessionSinceNanos = nowNanos; // kicked, revoked, expired: a whole deadline to log in again
        }
        hadSession = hasSession;
    }
}
