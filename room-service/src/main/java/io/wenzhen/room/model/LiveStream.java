package io.wenzhen.room.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A stream being published; keyed by (appId, streamId) because a live streamID is unique within an app. */
@Entity
@Table(name = "live_stream")
@IdClass(AppScopedId.class)
public class LiveStream extends PanacheEntityBase {

    @Id
    @Column(name = "app_id")
    public long appId;

    @Id
    @Column(name = "stream_id")
    public String id;

    @Column(name = "room_id")
    public String roomId;

    @Column(name = "user_id")
    public String userId;

    @Column(name = "session_id")
    public String sessionId;

    @Column(name = "extra_info")
    public String extraInfo;

    @Column(name = "started_at")
    public Instant startedAt;
}
