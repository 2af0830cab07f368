package io.wenzhen.events;

import java.time.Instant;
import java.util.List;

/**
 * A gateway saying it is alive, every few seconds on {@code gateway-heartbeats} (key: gatewayId).
 * Schema: docs/events/wenzhen.gateway.heartbeat.v1.schema.json.
 *
 * @param liveSessions the ids of the sessions this gateway holds when it sends the beat: room-service
 *                     removes members of this gateway that none of them backs (null from older gateways)
 * @param load         what the gateway carries, for placing rooms (null from older gateways)
 */
public record GatewayHeartbeat(String gatewayId, int sessions, int connections, Instant sentAt, List<String> liveSessions,
        GatewayLoad load) {

    public static final String TYPE = "wenzhen.gateway.heartbeat.v1";
}
