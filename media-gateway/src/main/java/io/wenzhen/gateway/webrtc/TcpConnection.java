package io.wenzhen.gateway.webrtc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One ICE-TCP connection from a browser (RFC 6544, passive side): packets travel framed by a 16-bit
 * length (RFC 4571). It stands where a UDP source address stands in {@link MediaPort}: the key a
 * checked transport is found by, and the path its packets go back on. Equal only to itself.
 * Sending never blocks the caller (the media port's thread forwards to everyone): packets wait in a
 * bounded queue that a writer thread of this connection drains; a peer that stops reading loses
 * packets, never the gateway its thread.
 */
final class TcpConnection extends SocketAddress {

    static final int MAX_FRAME = 0xFFFF;
    /** About a second of a 2.5 Mbit/s stream. */
    static final int QUEUE = 256;

    private final transient SocketChannel channel;
    private final InetSocketAddress remote;
    private final transient BlockingQueue<byte[]> outgoing = new ArrayBlockingQueue<>(QUEUE);
    private volatile boolean open = true;

    TcpConnection(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        Thread.ofVirtual().name("ice-tcp-writer " + remote).start(this::writeLoop);
    }

    InetSocketAddress remote() {
        return remote;
    }

    /** Reads the next framed packet; null when the peer closed the connection. */
    byte[] read() throws IOException {
        ByteBuffer length = ByteBuffer.allocate(2);
        if (!fill(length)) {
            return null;
        }
        ByteBuffer packet = ByteBuffer.allocate(length.flip().getShort() & 0xFFFF);
        return fill(packet) ? packet.array() : null;
    }

    private boolean fill(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Queues one packet; false when it was dropped (the queue is full, or the connection closed). */
    boolean write(byte[] packet) {
        return open && packet.length <= MAX_FRAME && outgoing.offer(packet);
    }

    private void writeLoop() {
        try {
            while (open) {
                byte[] packet = outgoing.poll(1, TimeUnit.SECONDS);
                if (packet != null) {
                    ByteBuffer frame = ByteBuffer.allocate(2 + packet.length).putShort((short) packet.length).put(packet).flip();
                    while (frame.hasRemaining()) {
                        channel.write(frame);
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            close();
        }
    }

    boolean isOpen() {
        return open;
    }

    void close() {
        open = false;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public String toString() {
        return "tcp:" + remote;
    }
}
