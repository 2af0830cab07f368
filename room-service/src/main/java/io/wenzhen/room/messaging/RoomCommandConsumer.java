package io.wenzhen.room.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.wenzhen.events.Topics;
import io.wenzhen.events.WenzhenEvents;
import io.wenzhen.events.room.RoomCommand;
import io.wenzhen.outbox.OutboxEvent;
import io.wenzhen.outbox.OutboxRelay;
import io.wenzhen.room.service.RoomCommandHandler;

/**
 * Consumes {@code room-commands}. The topic is keyed by {@code appId/roomId}, so each room's commands
 * reach one replica, in order; a replica that stops hands its partitions to the others, which carry on
 * from the state in PostgreSQL and skip commands already applied. No command is committed unapplied
 * while the database is down; one that fails with the database up goes to {@code room-commands-dead}.
 */
@ApplicationScoped
public class RoomCommandConsumer {

    private static final Logger LOG = Logger.getLogger(RoomCommandConsumer.class);
    /** A command's transaction takes milliseconds; one silent this long is stuck. */
    static final Duration STALL_DEADLINE = Duration.ofSeconds(20);
    static final int RETRIES = 8;
    /** How long a command waits before it is tried again while the database does not answer. */
    static final Duration DATABASE_WAIT = Duration.ofSeconds(2);

    @Inject
    RoomCommandHandler handler;

    @Inject
    OutboxRelay relay;

    @Inject
    MeterRegistry metrics;

    @Incoming("room-commands")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        RoomCommand command;
        try {
            command = WenzhenEvents.data(WenzhenEvents.deserialize(record.value()), RoomCommand.class);
            if (command.commandId() == null || command.kind() == null || command.roomId() == null) {
                throw new IllegalArgumentException("commandId, kind and roomId are required");
            }
        } catch (RuntimeException e) {
            // cannot ever be processed: log and move on rather than block the partition
            LOG.warnf("skipping an unreadable command (key %s): %s", record.key(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        // how long the command waited in Kafka, and how long applying it took
        Timer.builder("wenzhen.room.command.lag").publishPercentiles(0.5, 0.99)
                .register(metrics).record(Duration.ofMillis(Math.max(0,
                System.currentTimeMillis() - record.timestamp())));
        long start = System.nanoTime();
        return Panache.withTransaction(() -> handler.handle(command))
                // a transaction that stops making progress is abandoned and retried rather than left to
                // hold its partition forever (the database ends the abandoned one: idle_in_transaction_session_timeout)
                .ifNoItem().after(STALL_DEADLINE).failWith(() -> new IllegalStateException("no progress in " + STALL_DEADLINE))
                .onFailure().invoke(e -> LOG.warnf("command %s (%s, partition %d offset %d) failed, will retry: %s",
                        command.commandId(), command.kind(), record.partition(), record.offset(), e.toString()))
                // a lost race (two replicas during a rebalance, a duplicate login across rooms) or a
                // database hiccup: the whole transaction is retried; the command id keeps it idempotent
                .onFailure().retry().withBackOff(Duration.ofMillis(20), Duration.ofSeconds(2)).atMost(RETRIES)
                .invoke(() -> Timer.builder("wenzhen.room.command")
                        .tag("kind", command.kind().name()).publishPercentiles(0.5, 0.99).register(metrics).record(Duration.ofNanos(System.nanoTime() - start)))
                .invoke(() -> relay.publishPending().subscribe().with(ok -> { }, failure -> { }))
                // still failing. With the database down (a restart, a failover) nothing is committed and nothing
                // dropped: the partition waits and the command is tried again once the database answers. With the
                // database up, the command itself is at fault: it goes to room-commands-dead (replayable) so the
                // partition's other rooms go on; its gateway answers TIMEOUT, and the heartbeat reconciliation
                // removes any member a half-done login left.
                .onFailure().recoverWithUni(e -> databaseAnswers().chain(up -> up ? deadLetter(record, command, e)
                        : Uni.createFrom().voidItem().onItem().delayIt().by(DATABASE_WAIT).invoke(() -> LOG.warnf(
                                "command %s waits for the database (partition %d offset %d)", command.commandId(),
                                record.partition(), record.offset())).chain(() -> consume(record))));
    }

    /** A trivial query in time: the database is up. */
    private Uni<Boolean> databaseAnswers() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createNativeQuery("select 1")
                .getSingleResult())).map(ignored -> true)
                .ifNoItem().after(Duration.ofSeconds(5)).fail()
                .onFailure().recoverWithItem(false);
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, byte[]> record, RoomCommand command, Throwable failure) {
        LOG.errorf("command %s (%s, partition %d offset %d) failed %d times with the database up: to %s (%s)",
                command.commandId(), command.kind(), record.partition(), record.offset(), RETRIES + 1, Topics.ROOM_COMMANDS_DEAD,
                failure.toString());
        metrics.counter("wenzhen.room.command.dead", "kind", command.kind().name()).increment();
        return Panache.withTransaction(() -> OutboxEvent.append(Topics.ROOM_COMMANDS_DEAD, record.key(), record.value()))
                .invoke(() -> relay.publishPending().subscribe().with(ok -> { }, ignored -> { }))
                .replaceWithVoid()
                // the database went away just now: wait for it like any other command
                .onFailure().recoverWithUni(e -> Uni.createFrom().voidItem().onItem().delayIt().by(DATABASE_WAIT)
                        .chain(() -> consume(record)));
    }
}
