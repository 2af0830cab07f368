package io.wenzhen.room.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The gateway a room's media lives on (its home): every member's signaling is relayed there. */
@Entity
@Table(name = "room_home")
@IdClass(AppScopedId.class)
public class RoomHome extends PanacheEntityBase {

    @Id
    @Column(name = "app_id")
    public long appId;

    @Id
    @Column(name = "room_id")
    public String id;

    @Column(name = "gateway_id")
    public String gatewayId;

    @Column(name = "placed_at")
    public Instant placedAt;
}
