package io.wenzhen.room.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A logged-in user; keyed by (appId, userId) because a userID is unique within an app. */
@Entity
@Table(name = "member")
@IdClass(AppScopedId.class)
public class Member extends PanacheEntityBase {

    @Id
    @Column(name = "app_id")
    public long appId;

    @Id
    @Column(name = "user_id")
    public String id;

    @Column(name = "room_id")
    public String roomId;

    @Column(name = "user_name")
    public String userName;

    @Column(name = "session_id")
    public String sessionId;

    @Column(name = "gateway_id")
    public String gatewayId;

    @Column(name = "joined_at")
    public Instant joinedAt;
}
