package io.wenzhen.gateway.webrtc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.wenzhen.protocols.dtls.DtlsCertificate;
import io.wenzhen.protocols.pipe.PipeKeys;
import io.wenzhen.protocols.rtcp.RtcpWriter;

/**
 * {@code ./wenzhen bench relay [packets] [packets/s]}: what a packet costs when its player is on another
 * gateway than its publisher. Two gateways in this JVM (two media ports, two pipe ports, loopback), one
 * synthetic publisher on gateway A sending 1,100-byte SRTP packets at a steady rate, and in turn: a player
 * on A (forwarded locally), then a player on B (relayed through a pipe). Prints each thread's CPU per
 * packet, from the JVM's per-thread CPU time: A's media port thread (decrypt, then encrypt and send to the
 * local player, or seal and send into the pipe), B's pipe port thread (open, encrypt and send to the player),
 * and the ratio of the relayed packet's whole cost to the local one's.
 */
public final class RelayBenchmark {

    static final int WARM_UP = 10_000;

    public static void main(String[] args) throws Exception {
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        long pacing = 1_000_000_000L / (args.length > 1 ? Integer.parseInt(args[1]) : 2_000);
        DtlsCertificate certificate = DtlsCertificate.generate("bench", Duration.ofDays(1));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        SecureRandom random = new SecureRandom();
        try (MediaPort portA = new MediaPort(new InetSocketAddress(loopback, 0));
                MediaPort portB = new MediaPort(new InetSocketAddress(loopback, 0));
                PipePort pipesA = new PipePort(new InetSocketAddress(loopback, 0));
                PipePort pipesB = new PipePort(new InetSocketAddress(loopback, 0));
                SyntheticPeer publisher = new SyntheticPeer(portA.port());
                SyntheticPeer local = new SyntheticPeer(portA.port());
                SyntheticPeer remote = new SyntheticPeer(portB.port())) {
            WebRtcTransport publishing = new WebRtcTransport(portA, certificate, publisher.certificate.fingerprint());
            publisher.connect(publishing, certificate.fingerprint());
            Producer producer = new Producer("bench", publishing);
            producer.declare(ForwardingTest.PUBLISHER_SSRC);

            WebRtcTransport toLocal = new WebRtcTransport(portA, certificate, local.certificate.fingerprint());
            local.connect(toLocal, certificate.fingerprint());
            Consumer localConsumer = new Consumer(producer, toLocal, Map.of(ForwardingTest.PUBLISHER_SSRC, new Consumer.Mapping(0x1000L, 96)));

            byte[] salt = new byte[PipeKeys.SALT_BYTES];
            random.nextBytes(salt);
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            PipeKeys keys = PipeKeys.derive(secret, salt, 1, "gateway-a", "gateway-b");
            PipeTransport in = pipesB.open(1, keys, false, pipesA.address());
            Producer piped = new Producer("bench", in::sendRtcp, 2_500_000);
            piped.declare(ForwardingTest.PUBLISHER_SSRC);
            in.onRtp(piped::receiveRtp);
            in.onRtcp(piped::receiveRtcp);
            WebRtcTransport toRemote = new WebRtcTransport(portB, certificate, remote.certificate.fingerprint());
            remote.connect(toRemote, certificate.fingerprint());
            new Consumer(piped, toRemote, Map.of(ForwardingTest.PUBLISHER_SSRC, new Consumer.Mapping(0x2000L, 96)));
            PipeConsumer pipeOut = new PipeConsumer(producer, pipesA.open(1, keys, true, pipesB.address()));
            // as the SFU's reporter does once a second: the piped producer's receiver report goes back through the pipe,
            // which keeps the pipe alive on A's side (a pipe that hears nothing for 15 s is closed)
            ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
            reporter.scheduleAtFixedRate(piped::report, 1, 1, TimeUnit.SECONDS);
            // and the players report as browsers do (a transport that hears nothing from its peer for 15 s is closed)
            reporter.scheduleAtFixedRate(() -> {
                try {
                    local.sendRtcp(RtcpWriter.receiverReport(0x3001, List.of()));
                    remote.sendRtcp(RtcpWriter.receiverReport(0x3002, List.of()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, 1, 1, TimeUnit.SECONDS);

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long mediaA = threadId("media-port-" + portA.port());
            long pipeB = threadId("pipe-port-" + pipesB.port());
            ForwardingBenchmark.run(publisher, List.of(local, remote), 0, WARM_UP, pacing); // both ways, until the JIT has compiled them

            producer.remove(pipeOut);
            long[] before = {threads.getThreadCpuTime(mediaA), threads.getThreadCpuTime(pipeB)};
            long[] localLatency = ForwardingBenchmark.run(publisher, List.of(local), WARM_UP, packets, pacing);
            double localA = (threads.getThreadCpuTime(mediaA) - before[0]) / 1000.0 / packets;

            producer.remove(localConsumer);
            producer.add(pipeOut);
            before = new long[] {threads.getThreadCpuTime(mediaA), threads.getThreadCpuTime(pipeB)};
            long[] relayedLatency = ForwardingBenchmark.run(publisher, List.of(remote), WARM_UP + packets, packets, pacing);
            double relayedA = (threads.getThreadCpuTime(mediaA) - before[0]) / 1000.0 / packets;
            double relayedB = (threads.getThreadCpuTime(pipeB) - before[1]) / 1000.0 / packets;

            System.out.printf("relay: %d packets of 1100 bytes at %d/s, each way: %d and %d delivered, pipe port refused %d%n", packets,
                    1_000_000_000L / pacing, localLatency.length, relayedLatency.length, pipesB.refused());
            System.out.printf("  forwarded locally (A's media thread: decrypt, encrypt, send): %.1f µs CPU per packet%n", localA);
            System.out.printf("  relayed: A's media thread (decrypt, seal, send into the pipe) %.1f µs + B's pipe thread"
                    + " (open, encrypt, send) %.1f µs = %.1f µs CPU per packet%n", relayedA, relayedB, relayedA + relayedB);
            System.out.printf("  latency publisher send -> player decrypt, p50: local %.2f ms, relayed %.2f ms%n",
                    median(localLatency) / 1e6, median(relayedLatency) / 1e6);
            System.out.printf("ratio relayed/local CPU per packet: %.2f%n", (relayedA + relayedB) / localA);
            reporter.shutdownNow();
        }
        System.exit(0);
    }

    private static long threadId(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow().threadId();
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }
}
