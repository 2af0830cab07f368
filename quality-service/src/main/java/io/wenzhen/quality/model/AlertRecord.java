package io.wenzhen.quality.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One alert from raise to end, as stored: a recovery or end updates the raise's row. */
@Entity
@Table(name = "alert")
public class AlertRecord extends PanacheEntityBase {

    @Id
    @Column(name = "alert_id")
    public String alertId;

    public String state;

    @Column(name = "app_id")
    public long appId;

    @Column(name = "room_id")
    public String roomId;

    @Column(name = "stream_id")
    public String streamId;

    @Column(name = "user_id")
    public String userId;

    @Column(name = "publisher_user_id")
    public String publisherUserId;

    public String side;

    public String rule;

    public String metric;

    public String comparison;

    public double threshold;

    @Column(name = "raised_value")
    public Double raisedValue;

    public Double worst;

    public Instant since;

    @Column(name = "raised_at")
    public Instant raisedAt;

    @Column(name = "ended_at")
    public Instant endedAt;
}
