package io.wenzhen.events;

import java.time.Instant;
import java.util.List;

/**
 * Data of {@code wenzhen.auth.app-updated.v1} on the compacted {@code apps} topic (key: the AppID).
 * Each record carries the app's whole state, so the latest record per key is all a gateway needs.
 * Schema: docs/events/wenzhen.auth.app-updated.v1.schema.json.
 */
public record AppUpdated(long appId, String name, String status, List<String> allowedOrigins, Limits limits,
        long revision, String change, Secrets secrets, Instant updatedAt) {

    public static final String TYPE = "wenzhen.auth.app-updated.v1";

    public record Limits(int maxRooms, int maxMembersPerRoom) {
    }

    /**
     * The ServerSecrets sealed with the cluster key (AES-256-GCM, associated data {@code app:<appId>});
     * never plaintext on Kafka.
     */
    public record Secrets(String current, String previous, Instant previousValidUntil) {
    }
}
