package io.wenzhen.quality.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A consultation's quality report as stored: the figures queries filter on, and the whole report. */
@Entity
@Table(name = "report")
public class ReportRecord extends PanacheEntityBase {

    @Id
    @Column(name = "consultation_id")
    public String consultationId;

    @Column(name = "app_id")
    public long appId;

    @Column(name = "room_id")
    public String roomId;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "duration_s")
    public long durationSeconds;

    @Column(name = "worst_grade")
    public int worstGrade;

    @Column(name = "poor_share")
    public double poorShare;

    public boolean poor;

    /** The report event's data, JSON. */
    public String body;

    @Column(name = "stored_at")
    public Instant storedAt;
}
