package io.wenzhen.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.wenzhen.devstack.DevSecrets;
import io.wenzhen.devstack.EmbeddedTurn;
import io.wenzhen.devstack.Ports;
import io.wenzhen.devstack.QuarkusService;

/**
 * The networks of NetworkScenariosTest and {@code ./wenzhen bench networks}: a gateway of its own beside a
 * running suite, listening on loopback and announcing the {@link ImpairedLink} in front of it; the patient's
 * Chromium in a {@link BrowserNamespace}, reaching the gateway's signaling, ICE-TCP and coturn through the link's
 * TCP forwards; the doctor's Chromium on this machine, its media through the link too (shaped by its own address,
 * the namespace's outside one). coturn (Debian's) relays over UDP and TCP with the gateway's credentials.
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

    NetworkLab(Suite suite, long seed) throws Exception {
        this.suite = suite;
        this.app = suite.createApp("networks");
        this.patientNetwork = BrowserNamespace.create();
        int mediaPort = udpFreePort();
        this.iceTcpPort = Ports.ephemeral();
        this.turnPort = udpFreePort();
        String host = patientNetwork.hostSide().getHostAddress();
        this.link = new ImpairedLink(new InetSocketAddress(patientNetwork.hostSide(), mediaPort), mediaPort, seed);
        String secret = DevSecrets.randomToken(32);
        Path dir = Files.createTempDirectory("wenzhen-turn-");
        this.turn = EmbeddedTurn.start(dir, "127.0.0.1", host, turnPort, secret, suite.data.resolve("logs/coturn-networks.log"));
        Map<String, String> env = suite.replicaEnv();
        env.putAll(Map.of("WENZHEN_GATEWAY_MEDIA_PORT", Integer.toString(mediaPort),
                "WENZHEN_GATEWAY_MEDIA_TCP_PORT", Integer.toString(iceTcpPort),
                // clients are told the link's address; the gateway itself listens on loopback only
                "WENZHEN_GATEWAY_MEDIA_ADDRESS", host, "WENZHEN_GATEWAY_BIND_ADDRESS", "127.0.0.1", "QUARKUS_HTTP_HOST", "127.0.0.1",
                "WENZHEN_GATEWAY_TURN_URLS", String.join(",", turn.urls()), "WENZHEN_GATEWAY_TURN_SECRET", secret,
                "WENZHEN_GATEWAY_RTMP_PORT", "-1", "WENZHEN_GATEWAY_ZONE", "zone-networks"));
        this.gateway = Replica.start("media-gateway", "media-gateway", env, suite.data.resolve("logs"), "media-gateway-networks");
        link.forwardTcp(gateway.port());
        link.forwardTcp(iceTcpPort);
        link.forwardTcp(turnPort);
    }

    /** The call's options: the patient in its namespace, reaching the gateway through the link. */
    Map<String, Object> options(int seconds) {
        Map<String, Object> options = new HashMap<>();
        options.put("seconds", seconds);
        options.put("patientBase", "http://" + patientNetwork.hostSide().getHostAddress() + ":" + gateway.port());
        options.put("patientChromium", patientNetwork.chromium().toString());
        return options;
    }

    /** A consultation in a room of its own over the lab's network. */
    NetworkCall.Result call(Map<String, Object> options, NetworkCall.OnSample onSample) throws Exception {
        return NetworkCall.run(suite, app, "http://127.0.0.1:" + gateway.port(), "net-" + UUID.randomUUID().toString().substring(0, 8),
                options, onSample);
    }

    private static int udpFreePort() {
        for (;;) {
            int port = Ports.ephemeral();
            if (Ports.isUdpFree(port)) {
                return port;
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (AutoCloseable closeable : new AutoCloseable[] {gateway, turn, link, patientNetwork}) {
            try {
                closeable.close();
            } catch (IOException | InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
