package io.wenzhen.gateway.edge;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import io.wenzhen.gateway.errors.GatewayError;

/**
 * A stream published through the edge, from the signaling {@code publish} until its end: at most
 * one RTMP connection feeds it at a time, and reconnects of live-pusher feed the same producer. It
 * keeps the RTP numbering across connections, so WebRTC players see one continuous stream.
 */
public final class EdgePublication implements AutoCloseable {

    private final AtomicReference<AutoCloseable> connection = new AtomicReference<>();
    private volatile boolean closed;
    /** RTP state that outlives a connection; guarded by the single feeding connection's thread. */
    int videoSequence = ThreadLocalRandom.current().nextInt(0x10000);
    int audioSequence = ThreadLocalRandom.current().nextInt(0x10000);
    /** Media time (ms) the next connection starts at: after the last one's end, so RTP time only moves on. */
    long nextStartMillis;

    void attach(AutoCloseable feeding) {
        if (closed) {
            throw new EdgeRefusal(GatewayError.STREAM_KEY_INVALID);
        }
        if (!connection.compareAndSet(null, feeding)) {
            throw new EdgeRefusal(GatewayError.PUBLISHER_CONNECTED);
        }
    }

    boolean detach(AutoCloseable feeding) {
        return connection.compareAndSet(feeding, null);
    }

    /** The stream ended (unpublish, logout, session over): its RTMP connection goes too. */
    @Override
    public void close() {
        closed = true;
        AutoCloseable feeding = connection.getAndSet(null);
        if (feeding != null) {
            try {
                feeding.close();
            } catch (Exception e) {
                // the connection is going anyway
            }
        }
    }
}
