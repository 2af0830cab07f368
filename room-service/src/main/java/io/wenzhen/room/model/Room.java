package io.wenzhen.room.model;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A live room. It exists from its first login to its last logout; {@link #seq} numbers its events. */
@Entity
@Table(name = "room")
@IdClass(AppScopedId.class)
public class Room extends PanacheEntityBase {

    @Id
    @Column(name = "app_id")
    public long appId;

    @Id
    @Column(name = "room_id")
    public String id;

    @Column(name = "consultation_id")
    public UUID consultationId;

    public long seq;

    @Column(name = "max_members")
    public int maxMembers;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The next event number of this consultation. */
    public long nextSeq() {
        return ++seq;
    }
}
