package io.wenzhen.gateway.webrtc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

import io.wenzhen.protocols.pipe.PipeCipher;
import io.wenzhen.protocols.pipe.PipeKeys;

/**
 * The UDP port media pipes between gateways use, on the gateway's internal address only. It never answers
 * a datagram: one of an unknown pipe, from another address than the pipe's peer, or that does not
 * authenticate under the pipe's key is dropped and counted, so a stranger who reaches the port can make it
 * do nothing but count (no amplification, no STUN, no state). Every open pipe says so to its peer each second;
 * a pipe that hears nothing authenticated for {@link #SILENCE} is closed: its peer's end is gone.
 */
public final class PipePort implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PipePort.class);
    private static final int MAX_DATAGRAM = 1500 + PipeCipher.OVERHEAD;
    static final Duration SILENCE = Duration.ofSeconds(15);

    private final DatagramChannel channel;
    private final Map<Long, PipeTransport> pipes = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "pipe-port-sweeper");
        thread.setDaemon(true);
        return thread;
    });
    private final Duration silence;
    private volatile boolean open = true;

    public PipePort(InetSocketAddress bind) throws IOException {
        this(bind, SILENCE);
    }

    /** @param silence how long a pipe may hear nothing authenticated before it is closed */
    PipePort(InetSocketAddress bind, Duration silence) throws IOException {
        this.silence = silence;
        channel = DatagramChannel.open().bind(bind);
        Thread.ofPlatform().name("pipe-port-" + port()).daemon().start(this::receiveLoop);
        long sweep = Math.max(100, silence.toMillis() / 3);
        sweeper.scheduleAtFixedRate(this::closeSilent, sweep, sweep, TimeUnit.MILLISECONDS);
        sweeper.scheduleAtFixedRate(() -> pipes.values().forEach(PipeTransport::keepalive), 1, 1, TimeUnit.SECONDS);
    }

    public int port() {
        return address().getPort();
    }

    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A pipe to the gateway whose pipe port is at {@code remote}: datagrams under {@code pipeId} from there are
     * its, once they authenticate.
     *
     * @param offerer whether this gateway offered the pipe (the two ends seal under their own nonces)
     */
    public PipeTransport open(long pipeId, PipeKeys keys, boolean offerer, InetSocketAddress remote) {
        PipeTransport pipe = new PipeTransport(this, pipeId, new PipeCipher(pipeId, keys, offerer), remote);
        if (pipes.putIfAbsent(pipeId, pipe) != null) {
            throw new IllegalStateException("pipe " + pipeId + " is open already");
        }
        return pipe;
    }

    void unregister(PipeTransport pipe) {
        pipes.remove(pipe.id(), pipe);
    }

    /** Datagrams dropped: of no pipe, from the wrong address, or not authentic. */
    public long refused() {
        return refused.sum();
    }

    void refusedOne() {
        refused.increment();
    }

    /** How many pipes are open. */
    public int pipes() {
        return pipes.size();
    }

    void send(InetSocketAddress to, byte[] datagram) {
        try {
            channel.send(ByteBuffer.wrap(datagram), to);
        } catch (IOException e) {
            LOG.debugf("pipe send to %s failed: %s", to, e.getMessage());
        }
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        while (open) {
            try {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                long pipeId = PipeCipher.pipeIdOf(buffer.array(), buffer.position());
                PipeTransport pipe = pipeId < 0 ? null : pipes.get(pipeId);
                if (pipe == null || !pipe.remote().equals(from)) {
                    refused.increment();
                    continue;
                }
                pipe.receive(buffer.array(), buffer.position());
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debugf("pipe port: %s", e.toString()); // one bad datagram or pipe never stops the port
            }
        }
    }

    private void closeSilent() {
        long now = System.nanoTime();
        for (PipeTransport pipe : pipes.values()) {
            if (now - pipe.lastHeardNanos() > silence.toNanos()) {
                LOG.debugf("pipe %d: nothing from %s for %s; closed", pipe.id(), pipe.remote(), silence);
                pipe.close();
            }
        }
    }

    @Override
    public void close() {
        open = false;
        sweeper.shutdownNow();
        pipes.values().forEach(PipeTransport::close);
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
