package io.wenzhen.room.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A command already applied: Kafka may deliver it again after a rebalance; it is then skipped. */
@Entity
@Table(name = "processed_command")
public class ProcessedCommand extends PanacheEntityBase {

    @Id
    @Column(name = "command_id")
    public String commandId;

    @Column(name = "processed_at")
    public Instant processedAt;
}
