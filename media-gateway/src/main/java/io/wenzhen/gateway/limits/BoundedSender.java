package io.wenzhen.gateway.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Sends text frames to a WebSocket with a bound on what may wait unsent: a client that stops reading
 * (a slow reader, or a stranger holding its socket open) would otherwise grow the gateway's write
 * queue without limit. Past {@link #MAX_UNSENT_FRAMES} frames or {@link #MAX_UNSENT_CHARS} characters
 * not yet written, the connection is closed with "slow reader" (its session, if any, detaches and
 * may resume once the client reads again). What the kernel buffers first is bounded by
 * {@link ServerSocketBuffers}.
 */
public final class BoundedSender {

    /** Frames written but not yet flushed to one connection; a healthy client is a handful behind at most. */
    public static final int MAX_UNSENT_FRAMES = 1024;
    /** … and their characters: the bound on heap one stalled connection holds, whatever its frames' sizes. */
    public static final long MAX_UNSENT_CHARS = 1 << 20;
    public static final String CLOSE_REASON = "slow reader";
    private static final Map<String, Unsent> UNSENT = new ConcurrentHashMap<>();

    /** One connection's frames and characters handed to the socket and not yet written. */
    private static final class Unsent {
        int frames;
        long chars;
    }

    private BoundedSender() {
    }

    public static void send(WebSocketConnection connection, String text) {
        Unsent unsent = UNSENT.computeIfAbsent(connection.id(), id -> new Unsent());
        boolean over;
        synchronized (unsent) {
            unsent.frames++;
            unsent.chars += text.length();
            over = unsent.frames > MAX_UNSENT_FRAMES || unsent.chars > MAX_UNSENT_CHARS;
        }
        if (over) {
            written(connection.id(), unsent, text.length());
            connection.close(new CloseReason(CloseReason.NORMAL.getCode(), CLOSE_REASON)).subscribe().with(ok -> { }, failure -> { });
            return;
        }
        connection.sendText(text).subscribe().with(ok -> written(connection.id(), unsent, text.length()),
                failure -> written(connection.id(), unsent, text.length()));
    }

    private static void written(String id, Unsent unsent, int chars) {
        synchronized (unsent) {
            unsent.frames--;
            unsent.chars -= chars;
            if (unsent.frames <= 0) {
                UNSENT.remove(id, unsent);
            }
        }
    }
}
