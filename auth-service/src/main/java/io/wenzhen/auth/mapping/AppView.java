package io.wenzhen.auth.mapping;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An app as the admin API shows it. {@code serverSecret} is present only in the answers to creation
 * and rotation: the one time the console shows it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppView(long appId, String name, String status, List<String> allowedOrigins, int maxRooms,
        int maxMembersPerRoom, long revision, Instant createdAt, Instant updatedAt, String serverSecret,
        Instant previousSecretValidUntil) {
}
