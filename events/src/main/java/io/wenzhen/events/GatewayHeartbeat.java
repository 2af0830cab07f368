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
 * @param signalingUrl where the other gateways reach its signaling to relay a client's to it (ws://pod:port/ws)
 * @param publicUrl    where clients reach its signaling (Kubernetes: the one public address of every gateway)
 */
public record GatewayHeartbeat(String gatewayId, int sessions, int connections, Instant sentAt, List<String> liveSessions,
        GatewayLoad load, String signalingUrl, String publicUrl) {

    public static final String TYPE = "wenzhen.gateway.heartbeat.v1";
}
