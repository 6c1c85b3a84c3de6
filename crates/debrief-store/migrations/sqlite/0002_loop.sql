-- debrief schema 2 (SQLite): the loop after a contact. Owning up to mistakes,
-- recovering from mishaps, follow-ups, closed clients, the daily question.
-- Timestamps are unix seconds; booleans are 0/1.
-- Append-only: change the schema with a new numbered file, in both folders.

-- A client stops being followed up once closed (after the last unanswered chase).
ALTER TABLE clients ADD COLUMN closed_at INTEGER;
ALTER TABLE clients ADD COLUMN closed_reason TEXT;

-- A mistake that affected a client: open, then owned (when, how, what was
-- said), then committed (what will be different). rep_id and client_id copy
-- the contact's, so a rep's items are read without touching contacts.
CREATE TABLE ownership (
    id           INTEGER PRIMARY KEY,
    rep_id       INTEGER NOT NULL REFERENCES reps (id),
    contact_id   INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    client_id    INTEGER NOT NULL REFERENCES clients (id),
    reason_id    INTEGER NOT NULL REFERENCES reasons (id),
    opened_at    INTEGER NOT NULL,
    owned_at     INTEGER,
    owned_how    TEXT,
    owned_said   TEXT,
    committed_at INTEGER,
    commitment   TEXT,
    CHECK ((owned_at IS NULL) = (owned_how IS NULL) AND (owned_at IS NULL) = (owned_said IS NULL)),
    CHECK ((committed_at IS NULL) = (commitment IS NULL))
);
-- Unresolved (not committed) items of a rep, oldest first.
CREATE INDEX ownership_open ON ownership (rep_id, opened_at) WHERE committed_at IS NULL;
CREATE INDEX ownership_rep_reason ON ownership (rep_id, reason_id);
CREATE INDEX ownership_contact ON ownership (contact_id);
CREATE INDEX ownership_reason ON ownership (reason_id);

-- A mishap (late, missed meeting, system failure) and its recovery.
-- resolved_at is the time of the first `resolved` step, kept with the steps.
CREATE TABLE recoveries (
    id          INTEGER PRIMARY KEY,
    rep_id      INTEGER NOT NULL REFERENCES reps (id),
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    kind        TEXT NOT NULL,
    what        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    resolved_at INTEGER
);
CREATE INDEX recoveries_rep ON recoveries (rep_id, at);
CREATE INDEX recoveries_open ON recoveries (rep_id, at) WHERE resolved_at IS NULL;

-- The steps of a recovery, in the order recorded.
CREATE TABLE recovery_steps (
    recovery_id INTEGER NOT NULL REFERENCES recoveries (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    step        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    text        TEXT,
    client_said TEXT,
    PRIMARY KEY (recovery_id, seq)
) WITHOUT ROWID;

-- Follow-ups: kind `chase` and `check-in` carry their number n, kind
-- `mishap-update` its recovery. status_at is when it was done or cancelled.
CREATE TABLE follow_ups (
    id          INTEGER PRIMARY KEY,
    rep_id      INTEGER NOT NULL REFERENCES reps (id),
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    kind        TEXT NOT NULL CHECK (kind IN ('chase', 'check-in', 'mishap-update', 'manual')),
    n           INTEGER,
    recovery_id INTEGER REFERENCES recoveries (id),
    anchor      INTEGER NOT NULL,
    due         INTEGER NOT NULL,
    note        TEXT,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    status_at   INTEGER,
    CHECK ((status = 'open') = (status_at IS NULL))
);
-- A rep's open follow-ups by due time (and all of them, by status).
CREATE INDEX follow_ups_rep ON follow_ups (rep_id, status, due);
CREATE INDEX follow_ups_client ON follow_ups (client_id, status);
CREATE INDEX follow_ups_recovery ON follow_ups (recovery_id) WHERE recovery_id IS NOT NULL;

-- The daily question, one row per rep and civil date ('YYYY-MM-DD').
-- kind: `items` (a JSON array of strings in items), `nothing`, or `missed`
-- (a missed-day note in note).
CREATE TABLE daily_entries (
    rep_id INTEGER NOT NULL REFERENCES reps (id),
    date   TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('items', 'nothing', 'missed')),
    items  TEXT,
    note   TEXT,
    PRIMARY KEY (rep_id, date)
) WITHOUT ROWID;
