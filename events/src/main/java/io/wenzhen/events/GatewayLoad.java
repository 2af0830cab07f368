package io.wenzhen.events;

/**
 * A gateway's load as its heartbeat reports it: what placing a room's media on a gateway weighs.
 * Schema: docs/events/wenzhen.gateway.heartbeat.v1.schema.json ({@code data.load}).
 *
 * @param producers            publications whose media this gateway receives
 * @param consumers            playbacks it sends
 * @param packetsPerSecond     media packets in and out over the last heartbeat interval
 * @param ingressBitsPerSecond media arriving from publishers, last second
 * @param cpu                  the gateway process's share of the machine's CPU over the last interval, 0 to 1
 * @param cores                the cores the process may use
 * @param zone                 its zone label (Kubernetes: topology.kubernetes.io/zone), null when not set
 * @param draining             whether it is draining before it stops (it takes no new rooms)
 */
public record GatewayLoad(int producers, int consumers, long packetsPerSecond, long ingressBitsPerSecond, double cpu, int cores,
        String zone, boolean draining) {
}
