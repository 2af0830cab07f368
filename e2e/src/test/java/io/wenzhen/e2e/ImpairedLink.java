package io.wenzhen.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network between browsers and a gateway, in user space (this kernel has no netem): the gateway
 * listens on 127.0.0.1 and announces this relay's address with the same port. Each browser address gets
 * an upstream socket of its own, as a NAT would give it, and each direction of it a {@link LinkLane}
 * shaped by the browser's IP address (a browser in a network namespace of its own has one), so one
 * patient's bad 4G leaves the doctor's link alone. {@link #rebind} gives a browser's flows new upstream
 * sockets: the gateway sees it arrive from a new address, as after a network change. TCP ports it is told
 * to forward (signaling, ICE-TCP, TURN over TCP) pass unshaped.
 */
final class ImpairedLink implements AutoCloseable {

    private final DatagramSocket facingBrowsers;
    private final InetSocketAddress gateway;
    private final Map<SocketAddress, Flow> flows = new ConcurrentHashMap<>();
    private final Map<InetAddress, LinkLane.Shape> uplinks = new ConcurrentHashMap<>();
    private final Map<InetAddress, LinkLane.Shape> downlinks = new ConcurrentHashMap<>();
    private final DelayQueue<Pending> pending = new DelayQueue<>();
    private final Map<LinkLane.Fate, AtomicLong> fates = new EnumMap<>(LinkLane.Fate.class);
    private final List<ServerSocket> forwards = new ArrayList<>();
    private final Set<Integer> refusedTcp = ConcurrentHashMap.newKeySet();
    /** The forwarded TCP connections' sockets, both sides: closed with the link. */
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private final long seed;
    private volatile LinkLane.Shape defaultUplink = LinkLane.Shape.CLEAR;
    private volatile LinkLane.Shape defaultDownlink = LinkLane.Shape.CLEAR;
    private volatile boolean closed;

    /** One browser address: its upstream socket (replaced by a rebind) and a lane each way. */
    private final class Flow {
        final SocketAddress browser;
        final LinkLane up;
        final LinkLane down;
        volatile DatagramSocket upstream;

        Flow(SocketAddress browser) throws IOException {
            this.browser = browser;
            long flowSeed = seed * 31 + flows.size();
            this.up = new LinkLane(flowSeed);
            this.down = new LinkLane(flowSeed ^ 0x5DEECE66DL);
            this.upstream = open();
        }

        DatagramSocket open() throws IOException {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(gateway.getAddress(), 0));
            Thread.ofPlatform().daemon().name("impaired-link down " + browser).start(() -> fromGateway(this, socket));
            return socket;
        }
    }

    /** A datagram on its way: sent from {@code socket} to {@code to} when due. */
    private record Pending(DatagramSocket socket, byte[] data, SocketAddress to, long due, long order) implements Delayed {

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Pending that = (Pending) other;
            int byDue = Long.compare(due, that.due);
            return byDue != 0 ? byDue : Long.compare(order, that.order);
        }
    }

    /**
     * @param listen where browsers reach it (the gateway's announced address and its media port)
     * @param gatewayPort the gateway's media port on 127.0.0.1
     * @param seed the seed of every lane's randomness
     */
    ImpairedLink(InetSocketAddress listen, int gatewayPort, long seed) throws IOException {
        this.gateway = new InetSocketAddress(InetAddress.getLoopbackAddress(), gatewayPort);
        this.seed = seed;
        for (LinkLane.Fate fate : LinkLane.Fate.values()) {
            fates.put(fate, new AtomicLong());
        }
        this.facingBrowsers = new DatagramSocket(listen);
        Thread.ofPlatform().daemon().name("impaired-link up").start(this::fromBrowsers);
        Thread.ofPlatform().daemon().name("impaired-link sender").start(this::send);
    }

    /** Every browser's link, both ways, unless {@link #shape} names its address. */
    void shapeAll(LinkLane.Shape uplink, LinkLane.Shape downlink) {
        defaultUplink = uplink;
        defaultDownlink = downlink;
    }

    /** The link of the browser at {@code browser}: uplink (toward the gateway) and downlink. */
    void shape(InetAddress browser, LinkLane.Shape uplink, LinkLane.Shape downlink) {
        uplinks.put(browser, uplink);
        downlinks.put(browser, downlink);
    }

    /** Gives every flow from {@code browser} a new upstream socket: the gateway sees it come from a new address. */
    void rebind(InetAddress browser) throws IOException {
        for (Flow flow : flows.values()) {
            if (flow.browser instanceof InetSocketAddress address && address.getAddress().equals(browser)) {
                DatagramSocket old = flow.upstream;
                flow.upstream = flow.open();
                old.close();
            }
        }
    }

    /** Forwards TCP connections to the same port on 127.0.0.1, unshaped (signaling, ICE-TCP, TURN over TCP). */
    void forwardTcp(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(facingBrowsers.getLocalAddress(), port));
        forwards.add(server);
        Thread.ofVirtual().name("impaired-link tcp " + port).start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket browser = server.accept();
                    if (refusedTcp.contains(port)) {
                        browser.setSoLinger(true, 0); // a reset, as a firewall that refuses the port sends
                        browser.close();
                        continue;
                    }
                    Socket target;
                    try {
                        target = new Socket(InetAddress.getLoopbackAddress(), port);
                    } catch (IOException refused) {
                        browser.close(); // the browser sees its connection end, not hang
                        continue;
                    }
                    connections.add(browser);
                    connections.add(target);
                    browser.setTcpNoDelay(true);
                    target.setTcpNoDelay(true);
                    Thread.ofVirtual().start(() -> pump(browser, target));
                    Thread.ofVirtual().start(() -> pump(target, browser));
                } catch (IOException e) {
                    // closed, or the target refused: the browser's connection ends
                }
            }
        });
    }

    /** Refuses (or forwards again) new connections to {@code port}: a firewall that lets it through or not. */
    void refuseTcp(int port, boolean refuse) {
        if (refuse) {
            refusedTcp.add(port);
        } else {
            refusedTcp.remove(port);
        }
    }

    long count(LinkLane.Fate fate) {
        return fates.get(fate).get();
    }

    /** Datagrams offered to the link, both ways. */
    long offered() {
        return fates.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private void fromBrowsers() {
        byte[] buffer = new byte[2048];
        while (!closed) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                facingBrowsers.receive(packet);
                SocketAddress browser = packet.getSocketAddress();
                Flow flow = flows.get(browser);
                if (flow == null) {
                    flow = new Flow(browser);
                    flows.put(browser, flow);
                }
                InetAddress ip = ((InetSocketAddress) browser).getAddress();
                offer(flow.up, uplinks.getOrDefault(ip, defaultUplink), flow.upstream, packet, gateway);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void fromGateway(Flow flow, DatagramSocket socket) {
        byte[] buffer = new byte[2048];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                InetAddress ip = ((InetSocketAddress) flow.browser).getAddress();
                offer(flow.down, downlinks.getOrDefault(ip, defaultDownlink), facingBrowsers, packet, flow.browser);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void offer(LinkLane lane, LinkLane.Shape shape, DatagramSocket from, DatagramPacket packet, SocketAddress to) {
        LinkLane.Fate fate;
        long due;
        synchronized (lane) {
            fate = lane.admit(packet.getLength(), System.nanoTime(), shape);
            due = lane.due();
        }
        fates.get(fate).incrementAndGet();
        if (fate == LinkLane.Fate.DELIVERED) {
            byte[] copy = new byte[packet.getLength()];
            System.arraycopy(packet.getData(), packet.getOffset(), copy, 0, copy.length);
            pending.add(new Pending(from, copy, to, due, sequence.incrementAndGet()));
        }
    }

    private void send() {
        while (!closed) {
            try {
                Pending next = pending.poll(200, TimeUnit.MILLISECONDS);
                if (next != null) {
                    next.socket().send(new DatagramPacket(next.data(), next.data().length, next.to()));
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // a socket replaced by a rebind: what it still had to send is lost, as on a real network change
            }
        }
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // either side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing
            }
            connections.remove(from);
            connections.remove(to);
        }
    }

    @Override
    public void close() {
        closed = true;
        facingBrowsers.close();
        flows.values().forEach(flow -> flow.upstream.close());
        for (ServerSocket server : forwards) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        for (Socket socket : connections) {
            try {
                socket.close(); // ends its pump threads
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
