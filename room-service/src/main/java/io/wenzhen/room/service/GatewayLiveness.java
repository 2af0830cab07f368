package io.wenzhen.room.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
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
import io.wenzhen.room.model.Member;
import io.wenzhen.room.service.RoomMembership.Departure;

/**
 * Ends the sessions of gateways that stopped sending heartbeats: a gateway that crashed cannot send
 * SESSION_EXPIRED itself, and the others in its rooms must not wait on ghosts. Every replica sweeps;
 * the member rows are locked, so a member leaves once. While no heartbeat of any gateway arrives the
 * sweep holds unless Kafka has answered this replica for a whole timeout: a Kafka outage must not end
 * calls whose media still flows, while a platform whose every gateway died still gets its members ended.
 */
@ApplicationScoped
public class GatewayLiveness {

    private static final Logger LOG = Logger.getLogger(GatewayLiveness.class);
    static final Departure GATEWAY_LOST = new Departure("gateway-lost", RoomError.SESSION_EXPIRED, false);
    static final Departure NOT_BACKED = new Departure("session-expired", RoomError.SESSION_EXPIRED, false);
    /**
     * A member who joined less than this before a beat was sent may not be in it yet (its login's result was
     * on its way to the gateway): only older members missing from a beat are removed. Above the gateway's
     * command timeout, with room for clocks a little apart.
     */
    static final Duration BACKING_MARGIN = Duration.ofSeconds(15);

    /** What a gateway's last heartbeat said it holds. */
    record Backing(Instant sentAt, Set<String> sessions) {
    }

    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Backing> backing = new ConcurrentHashMap<>();
    /** When any heartbeat last arrived: a silent feed is this consumer's (or Kafka's) trouble, not every gateway's. */
    private volatile Instant lastHeartbeat = Instant.now();
    /** Since when heartbeats have been arriving without a gap longer than the timeout (first: the start). */
    private volatile Instant feedSince = Instant.now();

    @ConfigProperty(name = "wenzhen.room.gateway-timeout", defaultValue = "PT30S")
    Duration timeout;

    @Inject
    RoomMembership membership;

    @Inject
    OutboxRelay relay;

    @Inject
    KafkaReachability kafka;

    @Inject
    GatewayLoads loads;

    @Incoming("gateway-heartbeats")
    void onHeartbeat(ConsumerRecord<String, byte[]> record) {
        try {
            GatewayHeartbeat beat = WenzhenEvents.data(WenzhenEvents.deserialize(record.value()), GatewayHeartbeat.class);
            Instant now = Instant.now();
            if (now.isAfter(lastHeartbeat.plus(timeout))) {
                feedSince = now; // the feed is back after a silence: every gateway gets a whole timeout again
            }
            lastHeartbeat = now;
            lastSeen.put(beat.gatewayId(), now);
            loads.observe(beat, now);
            if (beat.liveSessions() != null && beat.sentAt() != null) {
                backing.put(beat.gatewayId(), new Backing(beat.sentAt(), Set.copyOf(beat.liveSessions())));
            }
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable heartbeat (key %s): %s", record.key(), e.getMessage());
        }
    }

    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        Instant now = Instant.now();
        if (now.isBefore(feedSince.plus(timeout))) {
            // until a whole timeout has passed since the start (or since the feed came back), silence only means
            // we have not listened long enough
            return Uni.createFrom().voidItem();
        }
        Instant deadline = now.minus(timeout);
        if (lastHeartbeat.isBefore(deadline)) {
            // no gateway's heartbeat for a whole timeout: either every gateway died, or Kafka (or this consumer) is
            // away. Ending every call on the platform for the latter would be the outage's worst effect: the sweep
            // goes on only if Kafka has answered without a break for a whole timeout (then the silence is real).
            if (!kafka.reachableFor(timeout, now)) {
                return Uni.createFrom().voidItem();
            }
        }
        return sweepGateways(now, deadline);
    }

    private Uni<Void> sweepGateways(Instant now, Instant deadline) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createSelectionQuery(
                "select distinct gatewayId from Member where gatewayId is not null", String.class).getResultList()))
                .chain(gateways -> {
                    // gateways long silent and with nobody left on them are forgotten
                    lastSeen.entrySet().removeIf(entry -> entry.getValue().isBefore(deadline) && !gateways.contains(entry.getKey()));
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (String gateway : gateways) {
                        // a gateway first met in the member table (just started, heartbeat not yet here) gets a
                        // whole timeout from now before its silence counts
                        Instant seen = lastSeen.computeIfAbsent(gateway, first -> now);
                        if (seen.isBefore(deadline)) {
                            chain = chain.chain(() -> endSessionsOf(gateway));
                        } else if (backing.get(gateway) instanceof Backing beat) {
                            chain = chain.chain(() -> endUnbackedSessionsOf(gateway, beat));
                        }
                    }
                    backing.keySet().retainAll(lastSeen.keySet());
                    return chain;
                });
    }

    /** Members of a live gateway that its last heartbeat does not back: ghosts of lost commands, removed. */
    private Uni<Void> endUnbackedSessionsOf(String gateway, Backing beat) {
        Instant joinedBefore = beat.sentAt().minus(BACKING_MARGIN);
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createSelectionQuery(
                "select appId, id, sessionId from Member where gatewayId = :gateway and joinedAt < :before", Object[].class)
                .setParameter("gateway", gateway).setParameter("before", joinedBefore).getResultList()))
                .chain(rows -> endEach(rows.stream().filter(row -> !beat.sessions().contains((String) row[2])).toList(),
                        member -> gateway.equals(member.gatewayId) && member.joinedAt.isBefore(joinedBefore), NOT_BACKED))
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("gateway %s does not back %d member(s): removed", gateway, count);
                    }
                }).replaceWithVoid();
    }

    private Uni<Void> endSessionsOf(String gateway) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createSelectionQuery(
                "select appId, id, sessionId from Member where gatewayId = :gateway", Object[].class)
                .setParameter("gateway", gateway).getResultList()))
                .chain(rows -> endEach(rows, member -> gateway.equals(member.gatewayId), GATEWAY_LOST))
                .invoke(count -> LOG.infof("gateway %s is silent: %d session(s) ended", gateway, count))
                .replaceWithVoid();
    }

    /**
     * Removes these members (rows of appId, userId, sessionId), each in a transaction of its own: loaded under
     * its lock, and only while it is still that session and {@code still} holds. One transaction for all
     * would fail on the second member of a room: removing the first loads the room's other members into the
     * session, and Hibernate cannot lock an entity already there by our composite key.
     */
    private Uni<Integer> endEach(List<Object[]> rows, Predicate<Member> still, Departure why) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Object[] row : rows) {
            chain = chain.chain(() -> Panache.withTransaction(() -> RoomMembership.lockMember((Long) row[0], (String) row[1])
                    .chain(member -> member == null || !member.sessionId.equals(row[2]) || !still.test(member)
                            ? Uni.createFrom().voidItem() : membership.remove(member, why, true))));
        }
        return chain.invoke(() -> {
            if (!rows.isEmpty()) {
                relay.publishPending().subscribe().with(ok -> { }, failure -> { });
            }
        }).replaceWith(rows.size());
    }
}
