-- quality-service's own tables (schema quality): consultation reports and alerts, as they came off
-- quality-reports and quality-alerts. Keys are the events' own ids, so a record read twice is stored once.

CREATE TABLE report (
    consultation_id text PRIMARY KEY,
    app_id          bigint      NOT NULL,
    room_id         text        NOT NULL,
    started_at      timestamptz,
    ended_at        timestamptz,
    duration_s      bigint      NOT NULL,
    worst_grade     int         NOT NULL,
    poor_share      double precision NOT NULL,
    poor            boolean     NOT NULL,
    body            text        NOT NULL,  -- the whole report, as the event carried it (JSON)
    stored_at       timestamptz NOT NULL
);
CREATE INDEX report_by_app_time ON report (app_id, started_at);
CREATE INDEX report_by_room ON report (app_id, room_id, started_at);

CREATE TABLE alert (
    alert_id     text PRIMARY KEY,
    state        text        NOT NULL,  -- raised, recovered, ended
    app_id       bigint      NOT NULL,
    room_id      text        NOT NULL,
    stream_id    text        NOT NULL,
    user_id      text        NOT NULL,
    publisher_user_id text,
    side         text        NOT NULL,
    rule         text        NOT NULL,
    metric       text        NOT NULL,
    comparison   text        NOT NULL,
    threshold    double precision NOT NULL,
    raised_value double precision,
    worst        double precision,
    since        timestamptz NOT NULL,
    raised_at    timestamptz NOT NULL,
    ended_at     timestamptz
);
CREATE INDEX alert_by_app_time ON alert (app_id, raised_at);
