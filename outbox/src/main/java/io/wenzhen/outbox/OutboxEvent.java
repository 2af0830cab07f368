package io.wenzhen.outbox;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/**
 * An event written in the same transaction as the change it reports; {@link OutboxRelay} publishes it.
 * Each service creates the table {@code outbox_event} in its own schema (see its Flyway migrations).
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String topic;

    @Column(name = "event_key")
    public String eventKey;

    public byte[] payload;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    /** Adds an event to the caller's transaction: it commits with the change or not at all. */
    public static Uni<OutboxEvent> append(String topic, String key, byte[] payload) {
        OutboxEvent event = new OutboxEvent();
        event.topic = topic;
        event.eventKey = key;
        event.payload = payload;
        event.createdAt = Instant.now();
        return event.persist();
    }
}
