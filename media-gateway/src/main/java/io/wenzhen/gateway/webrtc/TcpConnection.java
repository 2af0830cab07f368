package io.wenzhen.gateway.webrtc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One ICE-TCP connection from a browser (RFC 6544, passive side): packets travel framed by a 16-bit
 * length (RFC 4571). It stands where a UDP source address stands in {@link MediaPort}: the key a
 * checked transport is found by, and the path its packets go back on. Equal only to itself.
 */
final class TcpConnection extends SocketAddress {

    static final int MAX_FRAME = 0xFFFF;

    private final transient SocketChannel channel;
    private final InetSocketAddress remote;

    TcpConnection(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
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

    /** Sends one packet with its length in front; frames from several threads never interleave. */
    synchronized void write(byte[] packet) throws IOException {
        if (packet.length > MAX_FRAME) {
            throw new IOException("a packet too large for RFC 4571 framing");
        }
        ByteBuffer frame = ByteBuffer.allocate(2 + packet.length).putShort((short) packet.length).put(packet).flip();
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
    }

    void close() {
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
