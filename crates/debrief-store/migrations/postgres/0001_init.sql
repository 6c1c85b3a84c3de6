-- debrief schema 1 (PostgreSQL). Timestamps are unix seconds.
-- Append-only: change the schema with a new numbered file, in both folders.

CREATE TABLE reps (
    id   BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE clients (
    id     BIGSERIAL PRIMARY KEY,
    rep_id BIGINT NOT NULL REFERENCES reps (id),
    name   TEXT NOT NULL,
    UNIQUE (rep_id, name)
);

CREATE TABLE reasons (
    id           BIGSERIAL PRIMARY KEY,
    label        TEXT NOT NULL UNIQUE,
    controllable BOOLEAN NOT NULL
);

-- Every way a reason has been written, keyed by its normalised form.
CREATE TABLE reason_texts (
    reason_id BIGINT NOT NULL REFERENCES reasons (id) ON DELETE CASCADE,
    key       TEXT NOT NULL UNIQUE,
    text      TEXT NOT NULL
);
CREATE INDEX reason_texts_reason ON reason_texts (reason_id);

CREATE TABLE contacts (
    id        BIGSERIAL PRIMARY KEY,
    rep_id    BIGINT NOT NULL REFERENCES reps (id),
    client_id BIGINT NOT NULL REFERENCES clients (id),
    at        BIGINT NOT NULL,
    channel   TEXT NOT NULL,
    outcome   TEXT NOT NULL,
    new_lead  BOOLEAN NOT NULL,
    better    TEXT,
    note      TEXT
);
CREATE INDEX contacts_rep_at ON contacts (rep_id, at);
CREATE INDEX contacts_client_outcome ON contacts (client_id, outcome);

CREATE TABLE contact_reasons (
    contact_id     BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    reason_id      BIGINT NOT NULL REFERENCES reasons (id),
    text           TEXT NOT NULL,
    controllable   BOOLEAN NOT NULL,
    do_differently TEXT,
    PRIMARY KEY (contact_id, position)
);
CREATE INDEX contact_reasons_reason ON contact_reasons (reason_id);

CREATE TABLE focus (
    id         BIGSERIAL PRIMARY KEY,
    rep_id     BIGINT NOT NULL REFERENCES reps (id),
    reason_id  BIGINT NOT NULL REFERENCES reasons (id),
    set_at     BIGINT NOT NULL,
    cleared_at BIGINT
);
-- At most one open focus per rep.
CREATE UNIQUE INDEX focus_open ON focus (rep_id) WHERE cleared_at IS NULL;
CREATE INDEX focus_reason ON focus (reason_id);
