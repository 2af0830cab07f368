package io.wenzhen.auth.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An app (a hospital's project): AppID, sealed ServerSecret(s), allowed origins and limits. */
@Entity
@Table(name = "app")
public class App extends PanacheEntityBase {

    public enum Status { ACTIVE, DISABLED }

    @Id
    @Column(name = "app_id")
    public long appId;

    public String name;

    @Enumerated(EnumType.STRING)
    public Status status;

    /** Newline-separated; see AppMapper. */
    @Column(name = "allowed_origins")
    public String allowedOrigins;

    @Column(name = "max_rooms")
    public int maxRooms;

    @Column(name = "max_members_per_room")
    public int maxMembersPerRoom;

    @Column(name = "secret_sealed")
    public String secretSealed;

    @Column(name = "previous_secret_sealed")
    public String previousSecretSealed;

    @Column(name = "previous_secret_valid_until")
    public Instant previousSecretValidUntil;

    /** Bumped on every change; consumers of the apps topic keep the highest. */
    public long revision;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
