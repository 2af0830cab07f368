package io.wenzhen.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.wenzhen.devstack.DevSecrets;
import io.wenzhen.devstack.EmbeddedTurn;
import io.wenzhen.devstack.Ports;
import io.wenzhen.devstack.QuarkusService;

/**
 * The networks of NetworkScenariosTest and {@code ./wenzhen bench networks}: a gateway of its own beside a
 * running suite, listening on loopback and announcing the {@link ImpairedLink} in front of it; the patient's
 * Chromium in a {@link BrowserNamespace}, reaching the gateway's signaling, ICE-TCP and coturn through the link's
 * TCP forwards; the doctor's Chromium on this machine, its media through the link too (shaped by {@link
 * #shapeDoctor}). coturn (Debian's) relays over UDP and TCP with the gateway's credentials.
 */
final class NetworkLab implements AutoCloseable {

    final Suite suite;
    final Suite.App app;
    final BrowserNamespace patientNetwork;
    final ImpairedLink link;
    final EmbeddedTurn turn;
    final QuarkusService gateway;
    final int iceTcpPort;
    final int turnPort;
    private Path turnDir;
    /** What the lab opened, the last first: closed in that order. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    NetworkLab(Suite suite, long seed) throws Exception {
        this.suite = suite;
        this.app = suite.createApp("networks");
        this.patientNetwork = BrowserNamespace.create();
        opened.add(patientNetwork);
        try {
            int mediaPort = Ports.ephemeralUdp();
            this.iceTcpPort = Ports.ephemeral();
            this.turnPort = Ports.ephemeralUdp();
            String host = patientNetwork.hostSide().getHostAddress();
            this.link = new ImpairedLink(new InetSocketAddress(patientNetwork.hostSide(), mediaPort), mediaPort, seed);
            opened.addFirst(link);
            String secret = DevSecrets.randomToken(32);
            this.turnDir = Files.createTempDirectory("wenzhen-turn-");
            this.turn = EmbeddedTurn.start(turnDir, "127.0.0.1", host, host, turnPort, secret,
                    suite.data.resolve("logs/coturn-networks.log"));
            opened.addFirst(turn);
            Map<String, String> env = suite.replicaEnv();
            env.putAll(Map.of("WENZHEN_GATEWAY_MEDIA_PORT", Integer.toString(mediaPort),
                    "WENZHEN_GATEWAY_MEDIA_TCP_PORT", Integer.toString(iceTcpPort),
                    // clients are told the link's address; the gateway itself listens on loopback only
                    "WENZHEN_GATEWAY_MEDIA_ADDRESS", host, "WENZHEN_GATEWAY_BIND_ADDRESS", "127.0.0.1", "QUARKUS_HTTP_HOST", "127.0.0.1",
                    "WENZHEN_GATEWAY_TURN_URLS", String.join(",", turn.urls()), "WENZHEN_GATEWAY_TURN_SECRET", secret,
                    "WENZHEN_GATEWAY_RTMP_PORT", "-1", "WENZHEN_GATEWAY_ZONE", "zone-networks"));
            this.gateway = Replica.start("media-gateway", "media-gateway", env, suite.data.resolve("logs"), "media-gateway-networks");
            opened.addFirst(gateway);
            link.forwardTcp(gateway.port());
            link.forwardTcp(iceTcpPort);
            link.forwardTcp(turnPort);
        } catch (Exception | Error e) {
            closeAll(e);
            throw e;
        }
    }

    /** The call's options: the patient in its namespace, reaching the gateway through the link. */
    Map<String, Object> options(int seconds) {
        Map<String, Object> options = new HashMap<>();
        options.put("seconds", seconds);
        options.put("patientBase", "http://" + patientNetwork.hostSide().getHostAddress() + ":" + gateway.port());
        options.put("patientChromium", patientNetwork.chromium().toString());
        return options;
    }

    /**
     * The doctor's link, both ways: every address's but the patient's (which keeps its own). The doctor's Chromium
     * runs on this machine and reaches the link from whichever of this machine's addresses its candidate has
     * (loopback, eth0's, the namespace's outside one).
     */
    void shapeDoctor(LinkLane.Shape uplink, LinkLane.Shape downlink) {
        link.shapeAll(uplink, downlink);
    }

    /** A consultation in a room of its own over the lab's network. */
    NetworkCall.Result call(Map<String, Object> options, NetworkCall.OnSample onSample) throws Exception {
        return NetworkCall.run(suite, app, "http://127.0.0.1:" + gateway.port(), "net-" + UUID.randomUUID().toString().substring(0, 8),
                options, onSample);
    }

    @Override
    public void close() throws Exception {
        Exception first = new Exception("closing the network lab");
        closeAll(first);
        if (first.getSuppressed().length > 0) {
            throw first;
        }
    }

    /** Closes what was opened, last first, every one even when some fail (their failures suppressed into {@code into}). */
    private void closeAll(Throwable into) {
        for (AutoCloseable closeable : opened) {
            try {
                closeable.close();
            } catch (Exception e) {
                into.addSuppressed(e);
            }
        }
        opened.clear();
        if (turnDir != null) {
            try (Stream<Path> files = Files.walk(turnDir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file); // coturn's configuration holds the secret
                }
            } catch (IOException e) {
                into.addSuppressed(e);
            }
        }
    }
}
