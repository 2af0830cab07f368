package io.wenzhen.quality.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The data of {@code wenzhen.quality.window.v1} on {@code quality-windows} (key appId/roomId): one
 * participant's quality over one 10 s window, what consultation reports are built from.
 *
 * @param last the participant has gone quiet: its last window (a report waits for every participant's)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WindowSummary(long appId, String roomId, String streamId, String userId, String publisherUserId, String side,
        Instant start, Instant end, long samples, boolean last, Figures figures) {

    public static final String TYPE = "wenzhen.quality.window.v1";
}
