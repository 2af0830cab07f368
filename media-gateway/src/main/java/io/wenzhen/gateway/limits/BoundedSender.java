package io.wenzhen.gateway.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Sends text frames to a WebSocket with a bound on what may wait unsent: a client that stops reading
 * (a slow reader, or a stranger holding its socket open) would otherwise grow the gateway's write
 * queue without limit. Past {@link #MAX_IN_FLIGHT} frames not yet written, the connection is closed
 * (its session, if any, detaches and may resume once the client reads again).
 */
public final class BoundedSender {

    /** Frames written but not yet flushed to one connection; a healthy client is a handful behind at most. */
    public static final int MAX_IN_FLIGHT = 1024;
    private static final Map<String, AtomicInteger> IN_FLIGHT = new ConcurrentHashMap<>();

    private BoundedSender() {
    }

    public static void send(WebSocketConnection connection, String text) {
        AtomicInteger pending = IN_FLIGHT.computeIfAbsent(connection.id(), id -> new AtomicInteger());
        if (pending.incrementAndGet() > MAX_IN_FLIGHT) {
            done(connection.id(), pending);
            connection.close(new CloseReason(CloseReason.NORMAL.getCode(), "slow reader"))
                    .subscribe().with(ok -> { }, failure -> { });
            return;
        }
        connection.sendText(text).subscribe().with(ok -> done(connection.id(), pending), failure -> done(connection.id(), pending));
    }

    private static void done(String id, AtomicInteger pending) {
        if (pending.decrementAndGet() <= 0) {
            IN_FLIGHT.remove(id, pending);
        }
    }
}
