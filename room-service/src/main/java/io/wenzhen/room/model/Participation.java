package io.wenzhen.room.model;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A user's stay in a consultation: when they joined, left, and why the session ended. */
@Entity
@Table(name = "participation")
public class Participation extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "consultation_id")
    public UUID consultationId;

    @Column(name = "user_id")
    public String userId;

    @Column(name = "user_name")
    public String userName;

    @Column(name = "session_id")
    public String sessionId;

    @Column(name = "joined_at")
    public Instant joinedAt;

    @Column(name = "left_at")
    public Instant leftAt;

    @Column(name = "left_reason")
    public String leftReason;

    /** The stay of a member's session in a consultation, from {@code joinedAt}. */
    public static Participation of(UUID consultationId, Member member, Instant joinedAt) {
        Participation participation = new Participation();
        participation.consultationId = consultationId;
        participation.userId = member.id;
        participation.userName = member.userName;
        participation.sessionId = member.sessionId;
        participation.joinedAt = joinedAt;
        return participation;
    }
}
