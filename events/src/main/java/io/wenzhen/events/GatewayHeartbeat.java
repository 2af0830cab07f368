package io.wenzhen.events;

import java.time.Instant;

/**
 * A gateway saying it is alive, every few seconds on {@code gateway-heartbeats} (key: gatewayId).
 * Schema: docs/events/wenzhen.gateway.heartbeat.v1.schema.json.
 */
public record GatewayHeartbeat(String gatewayId, int sessions, int connections, Instant sentAt) {

    public static final String TYPE = "wenzhen.gateway.heartbeat.v1";
}
