package io.wenzhen.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.wenzhen.events.WenzhenEvents;

/**
 * Publishes a service's outbox to Kafka in commit order, then marks the rows published.
 *
 * <p>One relay at a time per service, whatever the number of replicas: a run holds a PostgreSQL
 * advisory lock for its transaction, so events keep their order. A batch is sent pipelined (the
 * idempotent producer keeps order) and marked only once every record is acknowledged. If a replica
 * dies between the acknowledgement and the commit, the next run sends those rows again: every event
 * has a stable id (and room events a sequence number) by which consumers drop repeats.
 */
@ApplicationScoped
public class OutboxRelay {

    /** Published rows are kept this long (for a look after an incident), then deleted: the table does not grow for ever. */
    static final Duration KEEP_PUBLISHED = Duration.ofDays(1);

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;

    private final KafkaProducer<String, byte[]> producer;
    private final TopicsInitializer topics;
    private final long lockKey;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final MeterRegistry metrics;

    @Inject
    public OutboxRelay(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "quarkus.application.name") String application, TopicsInitializer topics,
            MeterRegistry metrics) {
        this.topics = topics;
        this.metrics = metrics;
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, application + "-outbox");
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        // one lock per service, all services sharing a database
        this.lockKey = ("wenzhen-outbox:" + application).hashCode();
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }

    @Scheduled(every = "${wenzhen.outbox.poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return publishPending();
    }

    @Scheduled(every = "${wenzhen.outbox.prune:10m}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        Instant before = Instant.now().minus(KEEP_PUBLISHED);
        return Panache.withTransaction(() -> OutboxEvent.delete("publishedAt is not null and publishedAt < ?1", before))
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.debugf("outbox: %d published event(s) older than %s deleted", deleted, KEEP_PUBLISHED);
                    }
                })
                .onFailure().invoke(e -> LOG.debugf("outbox prune failed, will retry: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Publishes what is pending. Call it right after committing a change for low latency; a call during a
     * run makes that run go round once more, so nothing committed before the call waits for the next tick.
     */
    public Uni<Void> publishPending() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return Uni.createFrom().voidItem();
        }
        Context context = Vertx.currentContext();
        return topics.ensured().chain(() -> runBatches(context))
                .onFailure().invoke(e -> LOG.warnf("publishing the outbox failed, will retry: %s", e.toString()))
                .onFailure().recoverWithNull()
                .eventually(() -> running.set(false))
                .replaceWithVoid();
    }

    private Uni<Void> runBatches(Context context) {
        again.set(false);
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("select pg_try_advisory_xact_lock(" + lockKey + ")", Boolean.class)
                        .getSingleResult())
                .chain(locked -> !locked ? Uni.createFrom().item(0)
                        : OutboxEvent.<OutboxEvent>find("publishedAt is null order by id").page(0, BATCH).list()
                                .chain(batch -> send(batch, context))))
                .chain(sent -> sent == BATCH || again.get() ? runBatches(context) : Uni.createFrom().voidItem());
    }

    private Uni<Integer> send(List<OutboxEvent> batch, Context context) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Uni<Void>> acks = new ArrayList<>(batch.size());
        for (OutboxEvent event : batch) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(event.topic, event.eventKey, event.payload);
            record.headers().add("content-type", WenzhenEvents.CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII));
            acks.add(Uni.createFrom().emitter(emitter -> producer.send(record, (metadata, failure) -> {
                if (failure != null) {
                    emitter.fail(failure);
                } else {
                    emitter.complete(null);
                }
            })));
        }
        List<Long> ids = batch.stream().map(event -> event.id).toList();
        // from commit to broker acknowledgement: how long an event waits in the outbox
        long oldest = batch.get(0).createdAt.toEpochMilli();
        Timer.builder("wenzhen.outbox.delay").publishPercentiles(0.5, 0.99)
                .register(metrics).record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - oldest)));
        return Uni.join().all(acks).andFailFast()
                // back on the session's Vert.x context before touching the database again
                .emitOn(command -> context.runOnContext(ignored -> command.run()))
                .chain(() -> OutboxEvent.update("publishedAt = ?1 where id in ?2", Instant.now(), ids))
                .replaceWith(batch.size());
    }
}
