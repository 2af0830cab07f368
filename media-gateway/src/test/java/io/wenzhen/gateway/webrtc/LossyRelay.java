package io.wenzhen.gateway.webrtc;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Predicate;

/**
 * A UDP relay between one peer and the media port that drops a seeded-random fraction of the
 * datagrams a filter picks, both ways: an impaired network on loopback. The peer talks to
 * {@link #port()}; the gateway sees the relay's own address. At most {@link #MAX_DROPS_IN_A_ROW}
 * datagrams in a row are dropped each way: a longer run drops a DTLS flight so many times that
 * BouncyCastle's doubling retransmit timer (1, 2, 4, 8 … s) outwaits any bound a test can set, which
 * tells nothing more about the gateway (a full run once saw 9 of 10 handshakes finish in time so).
 */
final class LossyRelay implements AutoCloseable {

    static final int MAX_DROPS_IN_A_ROW = 2;

    private final DatagramSocket facingPeer;
    private final DatagramSocket facingGateway;
    private final SocketAddress gateway;
    private final Random random;
    private final double loss;
    private final Predicate<byte[]> lossy;
    private volatile SocketAddress peer;
    private volatile int dropped;
    /** Datagrams dropped in a row, toward the gateway and toward the peer. */
    private final int[] inARow = new int[2];

    LossyRelay(int gatewayPort, double loss, long seed, Predicate<byte[]> lossy) throws IOException {
        this.facingPeer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.facingGateway = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.gateway = new InetSocketAddress(InetAddress.getLoopbackAddress(), gatewayPort);
        this.random = new Random(seed);
        this.loss = loss;
        this.lossy = lossy;
        Thread.ofPlatform().daemon().name("relay-up").start(() -> pump(facingPeer, true));
        Thread.ofPlatform().daemon().name("relay-down").start(() -> pump(facingGateway, false));
    }

    /** DTLS records (RFC 7983: first byte 20–63). */
    static boolean dtls(byte[] datagram) {
        return datagram.length > 0 && datagram[0] >= 20 && datagram[0] <= 63;
    }

    int port() {
        return facingPeer.getLocalPort();
    }

    int dropped() {
        return dropped;
    }

    private void pump(DatagramSocket from, boolean up) {
        byte[] buffer = new byte[2048];
        while (!from.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                from.receive(packet);
                byte[] datagram = Arrays.copyOf(packet.getData(), packet.getLength());
                if (up) {
                    peer = packet.getSocketAddress();
                }
                boolean drop;
                synchronized (random) {
                    int way = up ? 0 : 1;
                    drop = lossy.test(datagram) && random.nextDouble() < loss && inARow[way] < MAX_DROPS_IN_A_ROW;
                    inARow[way] = drop ? inARow[way] + 1 : lossy.test(datagram) ? 0 : inARow[way];
                }
                if (drop) {
                    dropped++;
                    continue;
                }
                SocketAddress to = up ? gateway : peer;
                if (to != null) {
                    (up ? facingGateway : facingPeer).send(new DatagramPacket(datagram, datagram.length, to));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        facingPeer.close();
        facingGateway.close();
    }
}
