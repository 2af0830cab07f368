-- The outbox of a service that uses wenzhen-outbox, in the service's own schema. The service adds
-- "db/outbox" to quarkus.flyway.locations; the version sorts before the service's own migrations.
CREATE TABLE outbox_event (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic        VARCHAR(128) NOT NULL,
    event_key    VARCHAR(256) NOT NULL,
    payload      BYTEA        NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_event_unpublished ON outbox_event (id) WHERE published_at IS NULL;
