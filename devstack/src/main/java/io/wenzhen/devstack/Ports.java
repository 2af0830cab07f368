package io.wenzhen.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Port checks for starting servers on fixed, configurable ports. */
public final class Ports {

    private Ports() {
    }

    /** True when nothing listens on the port, on the loopback or the wildcard address. */
    public static boolean isFree(int port) {
        for (InetAddress address : new InetAddress[] {InetAddress.getLoopbackAddress(), null}) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** True when no socket holds the UDP port (0 means "any free port" and is always free). */
    public static boolean isUdpFree(int port) {
        if (port == 0) {
            return true;
        }
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port the kernel just handed out, for tests that must not collide with a running suite. */
    public static int ephemeral() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port the kernel just handed out whose UDP side is free too, for tests that bind both or only UDP. */
    public static int ephemeralUdp() {
        for (;;) {
            int port = ephemeral();
            if (isUdpFree(port)) {
                return port;
            }
        }
    }

    /** Waits until something accepts connections on localhost:port, or the process died, or time ran out. */
    public static boolean awaitListening(int port, Duration timeout, ChildProcess owner) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (owner != null && !owner.isAlive()) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        return false;
    }
}
