-- debrief schema 1 (SQLite). Timestamps are unix seconds; booleans are 0/1.
-- Append-only: change the schema with a new numbered file, in both folders.

CREATE TABLE reps (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE clients (
    id     INTEGER PRIMARY KEY,
    rep_id INTEGER NOT NULL REFERENCES reps (id),
    name   TEXT NOT NULL,
    UNIQUE (rep_id, name)
);

CREATE TABLE reasons (
    id           INTEGER PRIMARY KEY,
    label        TEXT NOT NULL UNIQUE,
    controllable INTEGER NOT NULL
);

-- Every way a reason has been written, keyed by its normalised form.
CREATE TABLE reason_texts (
    reason_id INTEGER NOT NULL REFERENCES reasons (id) ON DELETE CASCADE,
    key       TEXT NOT NULL UNIQUE,
    text      TEXT NOT NULL
);
CREATE INDEX reason_texts_reason ON reason_texts (reason_id);

CREATE TABLE contacts (
    id        INTEGER PRIMARY KEY,
    rep_id    INTEGER NOT NULL REFERENCES reps (id),
    client_id INTEGER NOT NULL REFERENCES clients (id),
    at        INTEGER NOT NULL,
    channel   TEXT NOT NULL,
    outcome   TEXT NOT NULL,
    new_lead  INTEGER NOT NULL,
    better    TEXT,
    note      TEXT
);
CREATE INDEX contacts_rep_at ON contacts (rep_id, at);
CREATE INDEX contacts_client_outcome ON contacts (client_id, outcome);

CREATE TABLE contact_reasons (
    contact_id     INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    reason_id      INTEGER NOT NULL REFERENCES reasons (id),
    text           TEXT NOT NULL,
    controllable   INTEGER NOT NULL,
    do_differently TEXT,
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
CREATE INDEX contact_reasons_reason ON contact_reasons (reason_id);

CREATE TABLE focus (
    id         INTEGER PRIMARY KEY,
    rep_id     INTEGER NOT NULL REFERENCES reps (id),
    reason_id  INTEGER NOT NULL REFERENCES reasons (id),
    set_at     INTEGER NOT NULL,
    cleared_at INTEGER
);
-- At most one open focus per rep.
CREATE UNIQUE INDEX focus_open ON focus (rep_id) WHERE cleared_at IS NULL;
CREATE INDEX focus_reason ON focus (reason_id);
