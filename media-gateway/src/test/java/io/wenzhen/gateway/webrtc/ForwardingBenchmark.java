package io.wenzhen.gateway.webrtc;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.wenzhen.protocols.dtls.DtlsCertificate;
import io.wenzhen.protocols.rtp.RtpPacket;

/**
 * {@code ./wenzhen bench forwarding [players] [packets] [packets/s]}: one synthetic publisher sends
 * SRTP packets of 1,100 bytes at a steady rate through the media port (in this JVM) to N synthetic
 * players on loopback. Prints how many arrived, the media port thread's CPU per packet (so packets/s
 * per core: decrypt once, encrypt and send N times) and the per-packet latency from the publisher's
 * send to a player's decrypt (p50/p99). The players run in the same JVM on the same 2 cores, so the
 * latency includes their own queueing: read it at rates the machine sustains (nothing lost).
 */
public final class ForwardingBenchmark {

    public static void main(String[] args) throws Exception {
        int receivers = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int packets = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        long pacing = 1_000_000_000L / (args.length > 2 ? Integer.parseInt(args[2]) : 2_000);
        DtlsCertificate certificate = DtlsCertificate.generate("bench", Duration.ofDays(1));
        try (MediaPort port = new MediaPort(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SyntheticPeer publisher = new SyntheticPeer(port.port());
            WebRtcTransport publishing = new WebRtcTransport(port, certificate, publisher.certificate.fingerprint());
            publisher.connect(publishing, certificate.fingerprint());
            Producer producer = new Producer("bench", publishing);
            producer.declare(ForwardingTest.PUBLISHER_SSRC);
            List<SyntheticPeer> players = new ArrayList<>();
            for (int i = 0; i < receivers; i++) {
                SyntheticPeer player = new SyntheticPeer(port.port());
                WebRtcTransport playing = new WebRtcTransport(port, certificate, player.certificate.fingerprint());
                player.connect(playing, certificate.fingerprint());
                new Consumer(producer, playing, Map.of(ForwardingTest.PUBLISHER_SSRC, new Consumer.Mapping(0x1000L + i, 96)));
                players.add(player);
            }

            // warm-up, then the measured run
            run(publisher, players, 0, 2_000, pacing);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long portThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("media-port-")).findFirst().orElseThrow().threadId();
            long cpuBefore = threads.getThreadCpuTime(portThread);
            long[] latencies = run(publisher, players, 2_000, packets, pacing);
            long cpu = threads.getThreadCpuTime(portThread) - cpuBefore;
            long forwarded = (long) packets * receivers;
            Arrays.sort(latencies);
            int received = latencies.length;
            System.out.printf("forwarding 1 -> %d players, %d packets of 1100 bytes at %d/s: %d of %d delivered%n",
                    receivers, packets, 1_000_000_000L / pacing, received, forwarded);
            System.out.printf("  media port thread: %.1f µs CPU per packet in (decrypt + %d x encrypt + send) = %.0f packets in/s/core, %.0f packets out/s/core%n",
                    cpu / 1000.0 / packets, receivers, packets / (cpu / 1e9), forwarded / (cpu / 1e9));
            System.out.printf("  latency publisher send -> player decrypt: p50 %.2f ms, p99 %.2f ms%n",
                    latencies[received / 2] / 1e6, latencies[(int) (received * 0.99)] / 1e6);
            for (SyntheticPeer player : players) {
                player.close();
            }
            publisher.close();
        }
        System.exit(0);
    }

    /** Sends {@code count} packets from sequence number {@code first}, one per {@code pacing} ns; every player's latencies. */
    static long[] run(SyntheticPeer publisher, List<SyntheticPeer> players, int first, int count, long pacing)
            throws Exception {
        List<long[]> results = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(players.size());
        for (SyntheticPeer player : players) {
            long[] latencies = new long[count];
            results.add(latencies);
            Thread.ofPlatform().daemon().start(() -> {
                int n = 0;
                try {
                    while (n < count) {
                        SyntheticPeer.Received received = player.receiveAny(Duration.ofSeconds(2));
                        if (received == null) {
                            break;
                        }
                        if (!received.rtcp()) {
                            RtpPacket rtp = RtpPacket.parse(received.packet(), 0, received.packet().length);
                            long sent = ByteBuffer.wrap(received.packet(), rtp.payloadOffset(), 8).getLong();
                            latencies[n++] = System.nanoTime() - sent;
                        }
                    }
                } catch (Exception e) {
                    // counted as missing
                } finally {
                    results.set(results.indexOf(latencies), Arrays.copyOf(latencies, n));
                    done.countDown();
                }
            });
        }
        byte[] packet = new byte[1100];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        ByteBuffer.wrap(packet, 8, 4).putInt((int) ForwardingTest.PUBLISHER_SSRC);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            RtpPacket rtp = RtpPacket.parse(packet, 0, packet.length);
            // sequence numbers go on from the last run: SRTP refuses a repeated index as a replay
            rtp.setSequenceNumber((first + i) & 0xFFFF);
            rtp.setTimestamp((first + i) * 90L);
            ByteBuffer.wrap(packet, 12, 8).putLong(System.nanoTime());
            publisher.sendRtp(packet.clone());
            long due = start + i * pacing;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
        }
        done.await();
        return results.stream().flatMapToLong(Arrays::stream).toArray();
    }
}
