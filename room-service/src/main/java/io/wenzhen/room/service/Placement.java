package io.wenzhen.room.service;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.wenzhen.events.GatewayLoad;

/**
 * Which gateway a new room's media goes to (docs/architecture.md, "Placement"), from the load each live,
 * undrained gateway last reported. Pure: the caller hands in the candidates.
 * <ol>
 * <li>Only gateways in the asking gateway's zone, when it has one and any such gateway is a candidate: a
 * client reached a gateway near it, and its media should not cross zones.</li>
 * <li>The asking gateway itself while its CPU is within {@link #STAY_MARGIN} of the least loaded one: a room
 * placed where its first client already is needs no relay, and small differences are noise.</li>
 * <li>Otherwise the least loaded by CPU share, then by streams (producers and consumers), then by name (so
 * every replica of room-service chooses alike).</li>
 * </ol>
 * With no candidate at all (no heartbeat read yet, every gateway draining) the asking gateway keeps it.
 */
public final class Placement {

    /** How much more CPU share than the least loaded gateway the asking one may carry and still keep the room. */
    static final double STAY_MARGIN = 0.15;

    private static final Comparator<Map.Entry<String, GatewayLoad>> LEAST_LOADED = Comparator
            .<Map.Entry<String, GatewayLoad>>comparingDouble(e -> e.getValue().cpu())
            .thenComparingInt(e -> e.getValue().producers() + e.getValue().consumers())
            .thenComparing(Map.Entry::getKey);

    private Placement() {
    }

    /**
     * @param asking     the gateway whose client asked for the room
     * @param candidates live gateways that take new rooms, with their last load
     */
    public static String choose(String asking, Map<String, GatewayLoad> candidates) {
        if (candidates.isEmpty()) {
            return asking;
        }
        GatewayLoad own = candidates.get(asking);
        String zone = own == null ? null : own.zone();
        Map<String, GatewayLoad> pool = candidates;
        if (zone != null) {
            Map<String, GatewayLoad> sameZone = candidates.entrySet().stream()
                    .filter(e -> Objects.equals(zone, e.getValue().zone()))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            pool = sameZone.isEmpty() ? candidates : sameZone;
        }
        Map.Entry<String, GatewayLoad> least = pool.entrySet().stream().min(LEAST_LOADED).orElseThrow();
        if (own != null && own.cpu() <= least.getValue().cpu() + STAY_MARGIN) {
            return asking;
        }
        return least.getKey();
    }
}
