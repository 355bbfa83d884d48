-- Breakglass's own records. They live in the schema "breakglass" so they never clash with the
-- tables of the service whose keys are rotated: the two often share one PostgreSQL database.

-- One row per rotation. Only the key and the state are required: CLOSE may be recorded for a
-- rotation whose start could not be (recording the start failed and the rotation failed with it).
CREATE TABLE breakglass.rotations (
    rotation_id        text        PRIMARY KEY,
    workflow_id        text,
    kind               text,
    initiator          text,
    reason             text,
    secrets            text[]      NOT NULL DEFAULT '{}',
    state              text        NOT NULL,
    started_at         timestamptz,
    ended_at           timestamptz,
    approvers          text[]      NOT NULL DEFAULT '{}',
    validations        text[]      NOT NULL DEFAULT '{}',
    items_reencrypted  bigint,
    next_rotation_due  timestamptz,
    failure            text
);

-- The incident timeline, upserted by position. No foreign key to rotations: the workflow saves
-- the PLAN entry before it records the start.
CREATE TABLE breakglass.timeline_entries (
    rotation_id  text         NOT NULL,
    seq          integer      NOT NULL,
    phase        text         NOT NULL,
    outcome      text         NOT NULL,
    actor        text,
    started_at   timestamptz,
    ended_at     timestamptz,
    detail       text,
    PRIMARY KEY (rotation_id, seq)
);

-- When each secret is next due for routine rotation, and which rotation set that date.
CREATE TABLE breakglass.next_rotations (
    secret            text         PRIMARY KEY,
    due_at            timestamptz  NOT NULL,
    last_rotation_id  text         NOT NULL
);

-- What operators did through the API: append only.
CREATE TABLE breakglass.audit_log (
    id      bigserial    PRIMARY KEY,
    at      timestamptz  NOT NULL DEFAULT now(),
    actor   text         NOT NULL,
    action  text         NOT NULL,
    target  text,
    result  text         NOT NULL,
    detail  text
);

CREATE INDEX audit_log_at ON breakglass.audit_log (at);
