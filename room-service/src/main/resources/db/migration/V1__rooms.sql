-- room-service's schema "room": live state (room, member, live_stream), the consultation record and
-- processed commands (idempotency).

CREATE TABLE room (
    app_id          BIGINT       NOT NULL,
    room_id         VARCHAR(128) NOT NULL,
    consultation_id UUID         NOT NULL,
    seq             BIGINT       NOT NULL,          -- last event sequence number of this consultation
    max_members     INTEGER      NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (app_id, room_id)
);

-- userID is unique within an app: one row per logged-in user, whichever room
CREATE TABLE member (
    app_id     BIGINT       NOT NULL,
    user_id    VARCHAR(64)  NOT NULL,
    room_id    VARCHAR(128) NOT NULL,
    user_name  VARCHAR(256) NOT NULL,
    session_id VARCHAR(64)  NOT NULL,
    gateway_id VARCHAR(128),
    joined_at  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (app_id, user_id)
);
CREATE INDEX member_by_room ON member (app_id, room_id);

-- streamID is unique within an app while live
CREATE TABLE live_stream (
    app_id     BIGINT        NOT NULL,
    stream_id  VARCHAR(256)  NOT NULL,
    room_id    VARCHAR(128)  NOT NULL,
    user_id    VARCHAR(64)   NOT NULL,
    session_id VARCHAR(64)   NOT NULL,
    extra_info VARCHAR(1024) NOT NULL DEFAULT '',
    started_at TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (app_id, stream_id)
);
CREATE INDEX live_stream_by_room ON live_stream (app_id, room_id);

-- The consultation record: one row per life of a room (first login to last logout)
CREATE TABLE consultation (
    id         UUID         PRIMARY KEY,
    app_id     BIGINT       NOT NULL,
    room_id    VARCHAR(128) NOT NULL,
    started_at TIMESTAMPTZ  NOT NULL,
    ended_at   TIMESTAMPTZ,
    end_reason VARCHAR(32)
);
CREATE INDEX consultation_by_room ON consultation (app_id, room_id, started_at DESC);

CREATE TABLE participation (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id UUID         NOT NULL REFERENCES consultation (id),
    user_id         VARCHAR(64)  NOT NULL,
    user_name       VARCHAR(256) NOT NULL,
    session_id      VARCHAR(64)  NOT NULL,
    joined_at       TIMESTAMPTZ  NOT NULL,
    left_at         TIMESTAMPTZ,
    left_reason     VARCHAR(32)
);
CREATE INDEX participation_by_consultation ON participation (consultation_id);
CREATE INDEX participation_open_by_session ON participation (session_id) WHERE left_at IS NULL;

CREATE TABLE stream_record (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id UUID         NOT NULL REFERENCES consultation (id),
    stream_id       VARCHAR(256) NOT NULL,
    user_id         VARCHAR(64)  NOT NULL,
    started_at      TIMESTAMPTZ  NOT NULL,
    ended_at        TIMESTAMPTZ,
    end_reason      VARCHAR(32)
);
CREATE INDEX stream_record_by_consultation ON stream_record (consultation_id);

-- a command handled once, even when Kafka delivers it again after a rebalance
CREATE TABLE processed_command (
    command_id   VARCHAR(64) PRIMARY KEY,
    processed_at TIMESTAMPTZ NOT NULL
);

-- outbox_event comes from wenzhen-outbox (db/outbox)
