package io.wenzhen.events.quality;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The data of {@code wenzhen.quality.client-sample.v1} on {@code quality-samples} (key appId/streamId):
 * the publish or play figures a client's SDK measured ({@code stats}, as docs/events describes them),
 * relayed by the gateway its signaling reached.
 *
 * @param direction  {@code publish} or {@code play}
 * @param receivedAt when the gateway received the report
 */
public record ClientSample(long appId, String roomId, String userId, String sessionId, String streamId, String direction,
        JsonNode stats, Instant receivedAt) {

    public static final String TYPE = "wenzhen.quality.client-sample.v1";
}
