package io.wenzhen.gateway.limits;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open connections in total and per remote address, for one listener (WebSocket, ICE-TCP, RTMP): a
 * connection over either cap is refused, so that one host's idle sockets cannot lock everyone else
 * out. Every {@link #tryOpen} that returns true is matched by one {@link #closed}.
 */
public final class ConnectionCounter {

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    public ConnectionCounter(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a new connection from {@code address}; false (and nothing counted) when a cap is reached. */
    public boolean tryOpen(String address) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return false;
        }
        AtomicInteger mine = perAddress.compute(address, (key, count) -> {
            AtomicInteger counted = count == null ? new AtomicInteger() : count;
            counted.incrementAndGet();
            return counted;
        });
        if (mine.get() > maxPerAddress) {
            closed(address);
            return false;
        }
        return true;
    }

    public void closed(String address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    public int total() {
        return total.get();
    }

    /** The host of an address: connections count per address, not per port. */
    public static String host(InetAddress address) {
        return address == null ? "" : address.getHostAddress();
    }

    /** "203.0.113.7:52100", "[2001:db8::1]:52100" or a bare address → its host part. */
    public static String host(String remote) {
        if (remote == null) {
            return "";
        }
        if (remote.startsWith("[")) {
            int end = remote.indexOf(']');
            return end > 0 ? remote.substring(1, end) : remote;
        }
        int colon = remote.lastIndexOf(':');
        return colon > 0 && remote.indexOf(':') == colon ? remote.substring(0, colon) : remote; // more colons: a bare IPv6
    }
}
