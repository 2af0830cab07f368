package io.wenzhen.gateway.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Sends text frames to a WebSocket with a bound on what may wait unsent: a client that stops reading
 * (a slow reader, or a stranger holding its socket open) would otherwise grow the gateway's write
 * queue without limit. Past {@link #MAX_UNSENT_FRAMES} frames, or {@link #MAX_UNSENT_CHARS} characters
 * in more than one frame (a single large reply — a login into a crowded room — always goes), the
 * connection is closed with "slow reader" (its session, if any, detaches and may resume once the
 * client reads again). What the kernel buffers first is bounded by {@link ServerSocketBuffers}.
 */
public final class BoundedSender {

    /** Frames written but not yet flushed to one connection; a healthy client is a handful behind at most. */
    public static final int MAX_UNSENT_FRAMES = 1024;
    /** … and their characters: the bound on heap one stalled connection holds, whatever its frames' sizes. */
    public static final long MAX_UNSENT_CHARS = 1 << 20;
    public static final String CLOSE_REASON = "slow reader";
    /** Per connection id: frames and characters handed to the socket and not yet written; gone at zero frames. */
    private static final Map<String, Unsent> UNSENT = new ConcurrentHashMap<>();

    private static final Logger LOG = Logger.getLogger(BoundedSender.class);

    /** A connection's unsent frames and characters, and whether it has been cut (it is closing: nothing more is queued). */
    private record Unsent(int frames, long chars, boolean cut) {
    }

    private BoundedSender() {
    }

    public static void send(WebSocketConnection connection, String text) {
        String id = connection.id();
        int chars = text.length();
        Unsent now = UNSENT.merge(id, new Unsent(1, chars, false),
                (held, one) -> new Unsent(held.frames() + 1, held.chars() + chars, held.cut()));
        if (now.cut()) {
            written(id, chars);
            return;
        }
        if (now.frames() > MAX_UNSENT_FRAMES || (now.frames() > 1 && now.chars() > MAX_UNSENT_CHARS)) {
            UNSENT.computeIfPresent(id, (key, held) -> new Unsent(held.frames() - 1, held.chars() - chars, true));
            LOG.infof("connection %s cut: %d frames, %d characters unsent (%s)", id, now.frames(), now.chars(), CLOSE_REASON);
            connection.close(new CloseReason(CloseReason.NORMAL.getCode(), CLOSE_REASON)).subscribe().with(ok -> { }, failure -> { });
            return;
        }
        connection.sendText(text).subscribe().with(ok -> written(id, chars), failure -> written(id, chars));
    }

    private static void written(String id, int chars) {
        UNSENT.computeIfPresent(id, (key, held) -> held.frames() <= 1 ? null : new Unsent(held.frames() - 1, held.chars() - chars, held.cut()));
    }
}
