-- auth-service's schema (Flyway creates the schema "auth" and runs this in it)

-- One row per app (the project console's "project"): AppID and its ServerSecret, sealed with the
-- master key (AES-256-GCM, bound to the AppID); the previous secret stays valid for a grace period
-- after a rotation so tokens already handed out keep working.
CREATE TABLE app (
    app_id                      BIGINT       PRIMARY KEY CHECK (app_id > 0 AND app_id <= 4294967295),
    name                        VARCHAR(128) NOT NULL,
    status                      VARCHAR(16)  NOT NULL CHECK (status IN ('ACTIVE', 'DISABLED')),
    allowed_origins             TEXT         NOT NULL DEFAULT '',
    max_rooms                   INTEGER      NOT NULL CHECK (max_rooms > 0),
    max_members_per_room        INTEGER      NOT NULL CHECK (max_members_per_room > 1),
    secret_sealed               TEXT         NOT NULL,
    previous_secret_sealed      TEXT,
    previous_secret_valid_until TIMESTAMPTZ,
    revision                    BIGINT       NOT NULL,
    created_at                  TIMESTAMPTZ  NOT NULL,
    updated_at                  TIMESTAMPTZ  NOT NULL
);

-- Console administrators; passwords as bcrypt hashes.
CREATE TABLE admin_user (
    username      VARCHAR(64)  PRIMARY KEY,
    password_hash VARCHAR(100) NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL
);

-- outbox_event comes from wenzhen-outbox (db/outbox)
