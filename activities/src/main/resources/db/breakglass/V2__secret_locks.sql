-- One rotation per secret: the rotation that holds each secret's lock, from its PLAN until it ends.
-- A row outlives the worker that wrote it; only a holder whose workflow still runs blocks others.
CREATE TABLE breakglass.secret_locks (
    secret           text         PRIMARY KEY,
    rotation_id      text         NOT NULL,
    workflow_id      text         NOT NULL,
    acquired_at      timestamptz  NOT NULL,
    -- The rotation this lock was taken over from (its workflow no longer ran), or null.
    taken_over_from  text
);

CREATE INDEX secret_locks_rotation ON breakglass.secret_locks (rotation_id);
