package io.wenzhen.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace a browser runs in, joined to this machine by a veth pair (10.231.k.2 inside,
 * 10.231.k.1 outside): the browser has an address of its own, so the {@link ImpairedLink} can shape its
 * link alone, and its UDP can be blocked in the kernel (this kernel has neither netem nor tc actions nor
 * iptables: an htb class whose queue holds nothing takes every UDP datagram). Needs root, as the test run
 * has (it installs packages): without it the test fails, it does not skip.
 */
final class BrowserNamespace implements AutoCloseable {

    private final String name;
    private final String outside;
    private final String inside;
    private final InetAddress hostSide;
    private final String prefix;
    private volatile InetAddress browserSide;
    private final Path chromium;

    private BrowserNamespace(String name, int subnet) throws IOException, InterruptedException {
        this.name = name;
        this.outside = name + "h";
        this.inside = name + "n";
        this.prefix = "10.231." + subnet + ".";
        this.hostSide = InetAddress.getByName(prefix + "1");
        this.browserSide = InetAddress.getByName(prefix + "2");
        run("ip", "netns", "add", name);
        try {
            configure();
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                run("ip", "netns", "del", name); // takes the veth pair with it: nothing left for a later run to collide with
            } catch (IOException | InterruptedException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        this.chromium = Files.createTempFile("chromium-in-" + name, ".sh",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(chromium, "#!/bin/sh\nexec ip netns exec " + name + " /usr/bin/chromium \"$@\"\n");
    }

    private void configure() throws IOException, InterruptedException {
        run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
        run("ip", "link", "set", inside, "netns", name);
        run("ip", "addr", "add", prefix + "1/24", "dev", outside);
        run("ip", "link", "set", outside, "up");
        inNamespace("ip", "addr", "add", prefix + "2/24", "dev", inside);
        inNamespace("ip", "link", "set", inside, "up");
        // an address change adds the new address before the old goes: the new one must stay when the first goes
        inNamespace("sysctl", "-q", "-w", "net.ipv4.conf." + inside + ".promote_secondaries=1");
        inNamespace("ip", "link", "set", "lo", "up");
        inNamespace("ip", "route", "add", "default", "via", prefix + "1");
        // the root qdisc: class 1:10 (everything) and 1:20 (UDP, once blocked) whose queue holds nothing
        inNamespace("tc", "qdisc", "add", "dev", inside, "root", "handle", "1:", "htb", "default", "10");
        inNamespace("tc", "class", "add", "dev", inside, "parent", "1:", "classid", "1:10", "htb", "rate", "10gbit");
        inNamespace("tc", "class", "add", "dev", inside, "parent", "1:", "classid", "1:20", "htb", "rate", "10gbit");
        inNamespace("tc", "qdisc", "add", "dev", inside, "parent", "1:20", "handle", "20:", "pfifo", "limit", "0");
    }

    /** A new namespace; fails (never skips) where namespaces cannot be made. */
    static BrowserNamespace create() throws IOException, InterruptedException {
        int subnet = ThreadLocalRandom.current().nextInt(1, 250);
        return new BrowserNamespace("wz" + ProcessHandle.current().pid() % 100_000 + "x" + subnet, subnet);
    }

    /** This machine's side of the pair: where the browser reaches the suite. */
    InetAddress hostSide() {
        return hostSide;
    }

    /** The browser's own address. */
    InetAddress browserSide() {
        return browserSide;
    }

    /** A Chromium executable that runs in this namespace (for playwright's executablePath). */
    Path chromium() {
        return chromium;
    }

    /**
     * Moves the browser to another address on its network, as a phone that leaves Wi-Fi for 4G: the new one
     * comes up, the old one goes (the browser's sockets on it fail), and {@link #browserSide} names the new one.
     */
    void changeAddress() throws IOException, InterruptedException {
        String old = browserSide.getHostAddress();
        String fresh = prefix + (old.endsWith(".2") ? "3" : "2");
        inNamespace("ip", "addr", "add", fresh + "/24", "dev", inside);
        inNamespace("ip", "addr", "del", old + "/24", "dev", inside);
        inNamespace("ip", "route", "replace", "default", "via", prefix + "1");
        browserSide = InetAddress.getByName(fresh);
    }

    /** Blocks (or lets through again) every UDP datagram the browser sends: a network that allows only TCP. */
    void blockUdp(boolean block) throws IOException, InterruptedException {
        List<String> filter = new ArrayList<>(List.of("tc", "filter", block ? "add" : "del", "dev", inside, "parent", "1:",
                "protocol", "ip", "prio", "1"));
        if (block) {
            filter.addAll(List.of("u32", "match", "ip", "protocol", "17", "0xff", "flowid", "1:20"));
        }
        inNamespace(filter.toArray(String[]::new));
    }

    private void inNamespace(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        run(full.toArray(String[]::new));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (the network tests need root): " + output.strip());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("ip", "netns", "del", name); // takes the veth pair with it
        Files.deleteIfExists(chromium);
    }
}
