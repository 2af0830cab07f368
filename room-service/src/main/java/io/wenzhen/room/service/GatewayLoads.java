package io.wenzhen.room.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.wenzhen.events.GatewayHeartbeat;
import io.wenzhen.events.GatewayLoad;

/**
 * Each gateway's last reported load, for {@link Placement}: fed by {@link GatewayLiveness} from the
 * heartbeats every replica reads whole. A gateway another gateway could not reach is a suspect: no new
 * rooms go to it, and its rooms move at their next login, until a heartbeat arriving well after the report
 * shows it alive.
 */
@ApplicationScoped
public class GatewayLoads {

    record Beat(GatewayLoad load, Instant sentAt, Instant arrivedAt) {
    }

    /** More than a heartbeat interval: a beat arriving later than this after a report shows the gateway alive. */
    static final Duration SUSPICION_OUTLIVES = Duration.ofSeconds(6);
    /** What a gateway not heard from yet is taken to carry: nothing, in no zone. */
    static final GatewayLoad JUST_STARTED = new GatewayLoad(0, 0, 0, 0, 0, 1, null, false);

    private final Map<String, Beat> beats = new ConcurrentHashMap<>();
    private final Map<String, Instant> suspects = new ConcurrentHashMap<>();

    @ConfigProperty(name = "wenzhen.room.gateway-timeout", defaultValue = "PT30S")
    Duration timeout;

    void observe(GatewayHeartbeat beat, Instant now) {
        if (beat.load() == null) {
            return; // an older gateway: it reports no load and is never chosen for another's room
        }
        Instant sentAt = beat.sentAt() == null ? now : beat.sentAt();
        beats.put(beat.gatewayId(), new Beat(beat.load(), sentAt, now));
        // by arrival, on this replica's clock (the gateway's may be off): a beat arriving this long after the report
        // comes from a live gateway, not from one that died just before (whose last beat was on its way)
        suspects.computeIfPresent(beat.gatewayId(), (gateway, since) -> now.isAfter(since.plus(SUSPICION_OUTLIVES)) ? null : since);
        // gateways gone for ten timeouts are forgotten (scaled down, renamed)
        beats.values().removeIf(old -> old.arrivedAt().isBefore(now.minus(timeout.multipliedBy(10))));
    }

    /** Another gateway could not reach this one: it takes no new rooms until it beats again. */
    public void suspect(String gateway, Instant now) {
        suspects.put(gateway, now);
    }

    /** Whether the gateway's heartbeats have been missing for a whole gateway timeout (or it is a suspect). */
    public boolean lost(String gateway, Instant now) {
        if (suspects.containsKey(gateway)) {
            return true;
        }
        Beat beat = beats.get(gateway);
        return beat != null && beat.arrivedAt().isBefore(now.minus(timeout));
    }

    /**
     * Gateways that can take a new room now: beating within the timeout, not draining, not suspected, not
     * {@code except}; and the asking gateway when no heartbeat of it has been read yet (it has just started:
     * it is alive, since it asks, and idle), so that a new gateway's first rooms are not sent away from it.
     */
    public Map<String, GatewayLoad> candidates(String asking, Instant now, Set<String> except) {
        Instant fresh = now.minus(timeout);
        Map<String, GatewayLoad> candidates = beats.entrySet().stream()
                .filter(e -> e.getValue().arrivedAt().isAfter(fresh) && !e.getValue().load().draining()
                        && !suspects.containsKey(e.getKey()) && !except.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().load()));
        if (!beats.containsKey(asking) && !suspects.containsKey(asking) && !except.contains(asking)) {
            candidates.put(asking, JUST_STARTED);
        }
        return candidates;
    }
}
