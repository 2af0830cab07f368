package io.wenzhen.auth.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.wenzhen.auth.config.AuthConfig;
import io.wenzhen.auth.model.OutboxEvent;
import io.wenzhen.events.WenzhenEvents;

/**
 * Publishes outbox events to Kafka in id order, then marks them published. Runs every second and
 * right after each change. A crash between send and mark re-sends a record: harmless, because app
 * records carry the whole state and a revision.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;

    private final MutinyEmitter<byte[]> apps;
    private final AuthConfig config;
    private final Map<String, Object> kafkaConfig;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean topicReady;

    @Inject
    public OutboxRelay(@Channel("apps-out") MutinyEmitter<byte[]> apps, AuthConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.apps = apps;
        this.config = config;
        this.kafkaConfig = kafkaConfig;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return publishPending();
    }

    /** Publishes whatever is pending; a call while a run is under way returns at once (that run or the next picks it up). */
    public Uni<Void> publishPending() {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        Context context = Vertx.currentContext();
        return ensureTopic()
                .chain(() -> Panache.withSession(() -> OutboxEvent.<OutboxEvent>find(
                        "publishedAt is null order by id").page(0, BATCH).list()))
                .chain(batch -> send(batch, context))
                .onFailure().invoke(e -> LOG.warnf("publishing app events failed, will retry: %s", e.toString()))
                .onFailure().recoverWithNull()
                .eventually(() -> running.set(false))
                .replaceWithVoid();
    }

    private Uni<Void> send(List<OutboxEvent> batch, Context context) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // one by one, in id order: a compacted topic keeps the last record per key, so order matters
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(event -> apps.sendMessage(message(event)).replaceWith(event.id))
                .collect().asList()
                .emitOn(command -> context.runOnContext(ignored -> command.run()))
                .chain(ids -> Panache.withTransaction(() -> OutboxEvent.update(
                        "publishedAt = ?1 where id in ?2", Instant.now(), ids)))
                .replaceWithVoid();
    }

    private static Message<byte[]> message(OutboxEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("content-type", WenzhenEvents.CONTENT_TYPE.getBytes()));
        return Message.of(event.payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.topic).withKey(event.eventKey).withHeaders(headers).build());
    }

    /** The apps topic must be compacted; create it so before the first record (a blocking admin call, off the event loop). */
    private Uni<Void> ensureTopic() {
        if (topicReady) {
            return Uni.createFrom().voidItem();
        }
        Context context = Vertx.currentContext();
        return Uni.createFrom().item(() -> {
            try (Admin admin = Admin.create(kafkaConfig)) {
                NewTopic topic = new NewTopic(config.auth().appsTopic(), 1, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                admin.createTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + config.auth().appsTopic(), e.getCause());
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot create topic " + config.auth().appsTopic(), e);
            }
            topicReady = true;
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(command -> context.runOnContext(ignored -> command.run()));
    }

    /** Written in the caller's transaction: the event commits with the change or not at all. */
    public static Uni<OutboxEvent> append(String topic, String key, byte[] payload) {
        OutboxEvent event = new OutboxEvent();
        event.topic = topic;
        event.eventKey = key;
        event.payload = payload;
        event.createdAt = Instant.now();
        return event.persist();
    }
}
