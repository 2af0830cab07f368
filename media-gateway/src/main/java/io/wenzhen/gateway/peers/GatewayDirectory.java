package io.wenzhen.gateway.peers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.wenzhen.events.GatewayHeartbeat;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.gateway.config.SignalingAddresses;

/**
 * The other gateways, as their heartbeats describe them (every replica reads them all, from the latest):
 * where to relay a client's signaling to a room's home, and where clients can reach a gateway when
 * theirs is lost. A gateway silent for {@link #FORGET_AFTER_SECONDS} is forgotten.
 */
@ApplicationScoped
public class GatewayDirectory {

    private static final Logger LOG = Logger.getLogger(GatewayDirectory.class);
    static final long FORGET_AFTER_SECONDS = 60;
    /** Two heartbeat intervals and some: a gateway this young may not have heard a live peer yet. */
    static final Duration WARM_UP = Duration.ofSeconds(12);

    private final Instant startedAt = Instant.now();

    /** A peer gateway's addresses and when it last beat. */
    public record Peer(String gatewayId, String signalingUrl, String publicUrl, Instant seenAt) {
    }

    private final Map<String, Peer> peers = new ConcurrentHashMap<>();

    @Inject
    SignalingAddresses own;

    @Incoming("gateway-heartbeats")
    void onHeartbeat(ConsumerRecord<String, byte[]> record) {
        try {
            GatewayHeartbeat beat = WenzhenEvents.data(WenzhenEvents.deserialize(record.value()), GatewayHeartbeat.class);
            if (beat.signalingUrl() != null) {
                peers.put(beat.gatewayId(), new Peer(beat.gatewayId(), beat.signalingUrl(), beat.publicUrl(), Instant.now()));
            }
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable heartbeat (key %s): %s", record.key(), e.getMessage());
        }
    }

    /** Whether this gateway has listened long enough that a peer it has not heard of is really not there. */
    public boolean warm() {
        return Instant.now().isAfter(startedAt.plus(WARM_UP));
    }

    /** The gateway, when it has beaten within the last minute. */
    public Optional<Peer> find(String gatewayId) {
        Peer peer = peers.get(gatewayId);
        if (peer == null || peer.seenAt().isBefore(Instant.now().minusSeconds(FORGET_AFTER_SECONDS))) {
            return Optional.empty();
        }
        return Optional.of(peer);
    }

    /** The distinct public signaling addresses of this gateway and of the others seen within the last minute. */
    public List<String> publicUrls() {
        Instant since = Instant.now().minusSeconds(FORGET_AFTER_SECONDS);
        return Stream.concat(Stream.of(own.publicUrl()), peers.values().stream()
                .filter(p -> p.seenAt().isAfter(since) && p.publicUrl() != null).map(Peer::publicUrl))
                .distinct().sorted().toList();
    }
}
