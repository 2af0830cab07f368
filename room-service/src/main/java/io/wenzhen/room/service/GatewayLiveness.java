package io.wenzhen.room.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.wenzhen.events.GatewayHeartbeat;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.room.RoomError;
import io.wenzhen.outbox.OutboxRelay;
import io.wenzhen.room.service.RoomMembership.Departure;

/**
 * Ends the sessions of gateways that stopped sending heartbeats: a gateway that crashed cannot send
 * SESSION_EXPIRED itself, and the others in its rooms must not wait on ghosts. Every replica sweeps;
 * the member rows are locked, so a member leaves once.
 */
@ApplicationScoped
public class GatewayLiveness {

    private static final Logger LOG = Logger.getLogger(GatewayLiveness.class);
    static final Departure GATEWAY_LOST = new Departure("gateway-lost", RoomError.SESSION_EXPIRED, false);

    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Instant startedAt = Instant.now();

    @ConfigProperty(name = "wenzhen.room.gateway-timeout", defaultValue = "PT30S")
    Duration timeout;

    @Inject
    RoomMembership membership;

    @Inject
    OutboxRelay relay;

    @Incoming("gateway-heartbeats")
    void onHeartbeat(ConsumerRecord<String, byte[]> record) {
        try {
            GatewayHeartbeat beat = WenzhenEvents.data(WenzhenEvents.deserialize(record.value()), GatewayHeartbeat.class);
            lastSeen.put(beat.gatewayId(), Instant.now());
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable heartbeat (key %s): %s", record.key(), e.getMessage());
        }
    }

    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        Instant now = Instant.now();
        if (now.isBefore(startedAt.plus(timeout))) {
            // until a whole timeout has passed since start, silence only means we have not listened long enough
            return Uni.createFrom().voidItem();
        }
        Instant deadline = now.minus(timeout);
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createSelectionQuery(
                "select distinct gatewayId from Member where gatewayId is not null", String.class).getResultList()))
                .chain(gateways -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (String gateway : gateways) {
                        // a gateway first met in the member table (just started, heartbeat not yet here) gets a
                        // whole timeout from now before its silence counts
                        Instant seen = lastSeen.computeIfAbsent(gateway, first -> now);
                        if (seen.isBefore(deadline)) {
                            chain = chain.chain(() -> endSessionsOf(gateway));
                        }
                    }
                    return chain;
                });
    }

    private Uni<Void> endSessionsOf(String gateway) {
        // keys only: each member is then loaded under its lock (locking an entity already in the session
        // is not what we want, and Hibernate's lock upgrade does not support our composite keys)
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createSelectionQuery(
                "select appId, id from Member where gatewayId = :gateway", Object[].class)
                .setParameter("gateway", gateway).getResultList()).chain(keys -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Object[] key : keys) {
                        chain = chain.chain(() -> RoomMembership.lockMember((Long) key[0], (String) key[1]).chain(member ->
                                member == null || !gateway.equals(member.gatewayId) ? Uni.createFrom().voidItem()
                                        : membership.remove(member, GATEWAY_LOST, true)));
                    }
                    return chain.replaceWith(keys.size());
                })).invoke(count -> LOG.infof("gateway %s is silent: %d session(s) ended", gateway, count))
                .invoke(() -> relay.publishPending().subscribe().with(ok -> { }, failure -> { }))
                .replaceWithVoid();
    }
}
