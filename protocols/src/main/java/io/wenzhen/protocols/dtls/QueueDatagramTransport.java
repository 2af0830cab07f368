package io.wenzhen.protocols.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.bouncycastle.tls.DatagramTransport;

/**
 * BouncyCastle's view of one peer on a shared UDP port: the port's demultiplexer {@link #offer}s the
 * DTLS datagrams of this peer; what DTLS sends goes to {@code sender} (which writes to the peer's
 * address). Bounded, so a flooding peer cannot grow it without limit.
 */
public final class QueueDatagramTransport implements DatagramTransport {

    /** Leaves room for IP, UDP and ICE-TCP framing under a 1280-byte path MTU. */
    public static final int MTU = 1200;
    private static final int QUEUE = 256;

    private final BlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>(QUEUE);
    private final Consumer<byte[]> sender;
    private volatile boolean closed;
    /** What was sent since the engine last read a datagram: at the end of a handshake, its last flight. */
    private final List<byte[]> flight = new ArrayList<>();
    private boolean readSinceSend = true;

    public QueueDatagramTransport(Consumer<byte[]> sender) {
        this.sender = sender;
    }

    /** A datagram from the peer; false when the queue is full (the datagram is dropped, as UDP would). */
    public boolean offer(byte[] datagram) {
        return !closed && inbound.offer(datagram);
    }

    @Override
    public int getReceiveLimit() {
        return MTU;
    }

    @Override
    public int getSendLimit() {
        return MTU;
    }

    @Override
    public int receive(byte[] buffer, int offset, int length, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        try {
            byte[] datagram = inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (datagram == null) {
                return -1;
            }
            int size = Math.min(length, datagram.length);
            System.arraycopy(datagram, 0, buffer, offset, size);
            synchronized (flight) {
                readSinceSend = true;
            }
            return size;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    @Override
    public void send(byte[] buffer, int offset, int length) {
        if (!closed) {
            byte[] datagram = Arrays.copyOfRange(buffer, offset, offset + length);
            synchronized (flight) {
                if (readSinceSend) {
                    flight.clear();
                    readSinceSend = false;
                }
                flight.add(datagram);
            }
            sender.accept(datagram);
        }
    }

    /** The datagrams sent since the engine last read one: after a server's handshake, its final flight. */
    public List<byte[]> lastFlight() {
        synchronized (flight) {
            return List.copyOf(flight);
        }
    }

    /** Sends those datagrams again, as they were. */
    public void resend(List<byte[]> datagrams) {
        if (!closed) {
            datagrams.forEach(sender);
        }
    }

    @Override
    public void close() {
        closed = true;
        inbound.clear();
    }
}
