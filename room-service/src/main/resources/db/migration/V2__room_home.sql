-- Where each room's media lives (docs/architecture.md, "Placement"): chosen when the room is first asked
-- for, kept for the room's life, changed only when its gateway is lost. A row without a room is a placement
-- whose first member has not arrived yet (it is chosen again after a minute).
CREATE TABLE room_home (
    app_id     BIGINT       NOT NULL,
    room_id    VARCHAR(128) NOT NULL,
    gateway_id VARCHAR(128) NOT NULL,
    placed_at  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (app_id, room_id)
);
