package io.wenzhen.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * coturn (Debian's {@code turnserver}) for {@code ./wenzhen up --turn}: TURN over UDP and TCP on one port,
 * credentials by the REST-API shared secret the gateway signs them with. No TLS listener: a development
 * machine has no certificate a browser would trust for it (the Kubernetes component serves TLS on 443).
 * The secret goes in a configuration file of mode 0600, never on the command line where ps shows it.
 */
public final class EmbeddedTurn implements AutoCloseable {

    /** Relay ports above Linux's default ephemeral range (32768–60999), so relays and the suite's own sockets never collide. */
    static final int RELAY_PORTS_FROM = 61000;
    static final int RELAY_PORTS_TO = 61999;

    private final ChildProcess process;
    private final List<String> urls;

    private EmbeddedTurn(ChildProcess process, List<String> urls) {
        this.process = process;
        this.urls = urls;
    }

    /**
     * @param listen the address it listens on (127.0.0.1, or 0.0.0.0 with --public)
     * @param announced the host clients reach it by
     * @param gateway the gateways' media address: the only peer it relays to (clients need no other, and a
     *     credential must not open a relay to anything else on this machine or network)
     */
    public static EmbeddedTurn start(Path dir, String listen, String announced, String gateway, int port, String secret, Path log)
            throws IOException, InterruptedException {
        String binary = "/usr/bin/turnserver";
        if (!Files.isExecutable(Path.of(binary))) {
            throw new DevstackException("--turn runs coturn, which is not installed: apt-get install coturn");
        }
        Files.createDirectories(dir);
        Path conf = dir.resolve("turnserver.conf");
        Files.deleteIfExists(conf);
        Files.createFile(conf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(conf, "static-auth-secret=" + secret + "\n");
        boolean loopbackOnly = listen.startsWith("127.");
        List<String> command = new ArrayList<>(List.of(binary, "-c", conf.toString(), "--use-auth-secret", "--realm=wenzhen",
                "--listening-port=" + port, "--min-port=" + RELAY_PORTS_FROM, "--max-port=" + RELAY_PORTS_TO,
                "--no-tls", "--no-dtls", "--no-cli", "--fingerprint", "--no-multicast-peers", "--no-tcp-relay",
                "--no-software-attribute", "--log-file=stdout", "--simple-log", "--pidfile=" + dir.resolve("turnserver.pid"),
                "--db=" + dir.resolve("turndb")));
        command.addAll(List.of("--denied-peer-ip=0.0.0.0-255.255.255.255", "--allowed-peer-ip=" + gateway));
        if (loopbackOnly) {
            command.addAll(List.of("--listening-ip=" + listen, "--relay-ip=" + listen));
        }
        if (gateway.startsWith("127.")) {
            command.add("--allow-loopback-peers"); // the gateway's media on loopback (the allowed-peer rule still holds)
        }
        ChildProcess process = ChildProcess.start("coturn", command, Map.of(), log);
        if (!Ports.awaitListening(port, Duration.ofSeconds(20), process)) {
            String tail = process.tail(20);
            process.close();
            throw new DevstackException("coturn did not start on port " + port + ":\n" + tail);
        }
        String host = announced.contains(":") ? "[" + announced + "]" : announced;
        return new EmbeddedTurn(process, List.of("turn:" + host + ":" + port + "?transport=udp",
                "turn:" + host + ":" + port + "?transport=tcp"));
    }

    /** The URLs clients are handed (RFC 7065). */
    public List<String> urls() {
        return urls;
    }

    @Override
    public void close() {
        process.close();
    }
}
