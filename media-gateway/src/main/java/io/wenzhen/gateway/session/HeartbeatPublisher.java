package io.wenzhen.gateway.session;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.sun.management.OperatingSystemMXBean;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.wenzhen.events.GatewayHeartbeat;
import io.wenzhen.events.GatewayLoad;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.gateway.config.CloudEventHeaders;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.config.SignalingAddresses;
import io.wenzhen.gateway.webrtc.Consumer;
import io.wenzhen.gateway.webrtc.Sfu;

/**
 * Tells room-service this gateway is alive, and which sessions it holds. When the heartbeats stop (a
 * crash, a lost node), room-service ends this gateway's sessions so the others do not wait on ghosts;
 * a member this gateway does not back (a login applied after the gateway gave up waiting, an
 * end-of-session command lost) is removed too. Each beat also carries the gateway's load (streams,
 * packets, CPU, zone, draining): what placing a room's media on a gateway will weigh.
 */
@ApplicationScoped
public class HeartbeatPublisher {

    @Inject
    @Channel("gateway-heartbeats-out")
    MutinyEmitter<byte[]> heartbeats;

    @Inject
    GatewayIdentity identity;

    @Inject
    SessionRegistry sessions;

    @Inject
    Connections connections;

    @Inject
    Sfu sfu;

    @Inject
    GatewayDrain drain;

    @Inject
    GatewayConfig config;

    @Inject
    SignalingAddresses addresses;

    private final OperatingSystemMXBean system = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    /** Media packets in and out at the last beat, and when: the next beat's rate is the difference. */
    private long lastPackets;
    private long lastBeatNanos;

    /** What this gateway carries now: for room-service to place new rooms where there is room. */
    GatewayLoad load() {
        List<Sfu.StreamStats> streams = sfu.stats();
        long packets = 0;
        long ingress = 0;
        int consumers = 0;
        for (Sfu.StreamStats stream : streams) {
            packets += stream.publisher().packets();
            ingress += stream.publisher().bitrateBps();
            consumers += stream.players().size();
            for (Consumer.Stats player : stream.players().values()) {
                packets += player.packetsSent();
            }
        }
        long now = System.nanoTime();
        // the counts are per stream since it began: a stream ending between beats makes the difference
        // negative, read as nothing for that beat rather than as a negative rate
        long perSecond = lastBeatNanos == 0 ? 0 : Math.max(0, (packets - lastPackets) * 1_000_000_000L / Math.max(1, now - lastBeatNanos));
        lastPackets = packets;
        lastBeatNanos = now;
        double cpu = Math.max(0, system.getProcessCpuLoad());
        return new GatewayLoad(streams.size(), consumers, perSecond, ingress, Math.min(1, cpu), Runtime.getRuntime().availableProcessors(),
                config.zone().orElse(null), drain.draining());
    }

    @Scheduled(every = "${wenzhen.gateway.heartbeat-interval:5s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> beat() {
        List<String> live = sessions.all().stream().map(Session::id).toList();
        GatewayHeartbeat beat = new GatewayHeartbeat(identity.id(), live.size(), connections.count(), Instant.now(), live, load(),
                addresses.signalingUrl(), addresses.publicUrl());
        byte[] event = WenzhenEvents.serialize(WenzhenEvents.create(GatewayHeartbeat.TYPE, identity.source(), identity.id(),
                beat));
        return heartbeats.sendMessage(Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(identity.id()).withHeaders(CloudEventHeaders.structured()).build()))
                .onFailure().recoverWithNull();
    }
}
