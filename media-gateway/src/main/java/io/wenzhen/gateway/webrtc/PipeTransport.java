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
 * {@link Producer} whose feedback (PLI, NACK, reports) goes back through it. Each end says every second that it
 * is open, and when it closes ({@link #KEEPALIVE}, {@link #BYE}, sealed like the media).
 */
public final class PipeTransport implements AutoCloseable {

    /** A one-byte sealed payload that says the sender's end is open (sent every second, so silence means gone). */
    static final byte KEEPALIVE = 1;
    /** A one-byte sealed payload that says the sender's end has closed: this end closes too, at once. */
    static final byte BYE = 2;

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

    /** Tells the other end this one is open (the pipe port does, every second). */
    void keepalive() {
        send(new byte[] {KEEPALIVE});
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
        if (packet.length == 1 && packet[0] == BYE) {
            end(false);
            return;
        }
        if (packet.length < 8) { // a keepalive: shorter than any RTP or RTCP packet
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

    /** Closes this end and tells the other. */
    @Override
    public void close() {
        end(true);
    }

    private void end(boolean tellPeer) {
        if (tellPeer && !closed.get()) {
            send(new byte[] {BYE});
        }
        if (closed.compareAndSet(false, true)) {
            port.unregister(this);
            closedListeners.forEach(Runnable::run);
        }
    }
}
