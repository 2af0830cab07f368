package io.wenzhen.gateway.webrtc;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.pipe.PipeCipher;
import io.wenzhen.protocols.rtp.RtpPacket;

/**
 * One media pipe between two gateways (mediasoup's PipeTransport): plain RTP and RTCP of one stream, each
 * packet sealed for the pipe ({@link PipeCipher}) and sent to the peer gateway's {@link PipePort}. The
 * offering gateway's end feeds it from a published stream ({@link PipeConsumer}); the answering end feeds a
 * {@link Producer} whose feedback (PLI, NACK, reports) goes back through it.
 */
public final class PipeTransport implements AutoCloseable {

    private final PipePort port;
    private final long id;
    private final PipeCipher cipher;
    private final InetSocketAddress remote;
    private final List<Runnable> closedListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Consumer<byte[]> rtpListener = packet -> { };
    private volatile Consumer<byte[]> rtcpListener = packet -> { };
    private volatile long lastHeardNanos = System.nanoTime();

    PipeTransport(PipePort port, long id, PipeCipher cipher, InetSocketAddress remote) {
        this.port = port;
        this.id = id;
        this.cipher = cipher;
        this.remote = remote;
    }

    public long id() {
        return id;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    public void onRtp(Consumer<byte[]> listener) {
        this.rtpListener = listener;
    }

    public void onRtcp(Consumer<byte[]> listener) {
        this.rtcpListener = listener;
    }

    /** Each listener is called once, when the pipe closes (here, or silent too long). */
    public void onClosed(Runnable listener) {
        closedListeners.add(listener);
    }

    public void sendRtp(byte[] packet) {
        send(packet);
    }

    public void sendRtcp(byte[] packet) {
        send(packet);
    }

    private void send(byte[] packet) {
        if (!closed.get()) {
            port.send(remote, cipher.seal(packet, 0, packet.length));
        }
    }

    void receive(byte[] datagram, int length) {
        byte[] packet;
        try {
            packet = cipher.open(datagram, length);
        } catch (MalformedPacketException e) {
            port.refusedOne();
            return;
        }
        lastHeardNanos = System.nanoTime();
        if (packet.length < 8) { // shorter than any RTP or RTCP packet
            return;
        }
        if (RtpPacket.isRtcp(packet, 0, packet.length)) {
            rtcpListener.accept(packet);
        } else {
            rtpListener.accept(packet);
        }
    }

    public boolean closed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            port.unregister(this);
            closedListeners.forEach(Runnable::run);
        }
    }
}
