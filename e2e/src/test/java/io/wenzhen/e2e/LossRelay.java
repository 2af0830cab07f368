package io.wenzhen.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.wenzhen.devstack.Ports;

/**
 * A lossy network between browsers and the gateway, in user space (this kernel has no netem): the
 * gateway listens on 127.0.0.1 and announces 127.0.0.3 with the same port, where this relay listens; it
 * gives each browser address an upstream socket of its own, as a NAT would, and drops a seeded-random
 * fraction of the RTP and RTCP both ways (STUN and DTLS pass). ICE-TCP is off, so the media must cross it.
 */
final class LossRelay implements AutoCloseable {

    static final int PORT = Ports.ephemeral();
    static final String ANNOUNCED = "127.0.0.3";

    private final DatagramSocket facingBrowsers;
    private final InetSocketAddress gateway = new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT);
    private final Map<SocketAddress, DatagramSocket> upstream = new ConcurrentHashMap<>();
    private final double loss;
    private final Random random;
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private LossRelay(double loss, long seed) throws IOException {
        this.loss = loss;
        this.random = new Random(seed);
        this.facingBrowsers = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ANNOUNCED), PORT));
        Thread.ofPlatform().daemon().name("loss-relay").start(this::fromBrowsers);
    }

    /** The gateway settings that put this relay in the media path. */
    static Map<String, String> gatewaySettings() {
        return Map.of("WENZHEN_GATEWAY_MEDIA_PORT", Integer.toString(PORT), "WENZHEN_GATEWAY_MEDIA_ADDRESS", ANNOUNCED,
                "WENZHEN_GATEWAY_MEDIA_TCP_PORT", "-1");
    }

    static LossRelay start(double loss, long seed) throws IOException {
        return new LossRelay(loss, seed);
    }

    long relayed() {
        return relayed.get();
    }

    long dropped() {
        return dropped.get();
    }

    private boolean lose(byte[] data, int length) {
        boolean media = length > 0 && (data[0] & 0xC0) == 0x80; // RTP or RTCP (RFC 7983)
        synchronized (random) {
            return media && random.nextDouble() < loss;
        }
    }

    private void fromBrowsers() {
        byte[] buffer = new byte[2048];
        while (!facingBrowsers.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                facingBrowsers.receive(packet);
                SocketAddress browser = packet.getSocketAddress();
                DatagramSocket up = upstream.computeIfAbsent(browser, this::open);
                relayed.incrementAndGet();
                if (lose(packet.getData(), packet.getLength())) {
                    dropped.incrementAndGet();
                    continue;
                }
                up.send(new DatagramPacket(packet.getData(), packet.getLength(), gateway));
            } catch (IOException e) {
                return;
            }
        }
    }

    private DatagramSocket open(SocketAddress browser) {
        try {
            DatagramSocket up = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofPlatform().daemon().name("loss-relay " + browser).start(() -> {
                byte[] buffer = new byte[2048];
                while (!up.isClosed()) {
                    try {
                        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                        up.receive(packet);
                        relayed.incrementAndGet();
                        if (lose(packet.getData(), packet.getLength())) {
                            dropped.incrementAndGet();
                            continue;
                        }
                        facingBrowsers.send(new DatagramPacket(packet.getData(), packet.getLength(), browser));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            return up;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        facingBrowsers.close();
        upstream.values().forEach(DatagramSocket::close);
    }
}
