-- debrief schema 7 (PostgreSQL): meetings from the rep's calendar, to debrief.
-- Append-only: change the schema with a new numbered file, in both folders.

-- A meeting with someone from outside, imported from a calendar export:
-- key is the event's UID and the instance's planned start, so importing the
-- calendar again updates a meeting (moved, renamed) instead of adding it.
-- contact_id is the contact that debriefed it; until then it is to debrief.
CREATE TABLE meetings (
    id         BIGSERIAL PRIMARY KEY,
    rep_id     BIGINT NOT NULL REFERENCES reps (id),
    key        TEXT NOT NULL,
    starts_at  BIGINT NOT NULL,
    ends_at    BIGINT NOT NULL,
    title      TEXT NOT NULL,
    client     TEXT NOT NULL,
    attendees  TEXT NOT NULL,
    contact_id BIGINT REFERENCES contacts (id) ON DELETE SET NULL,
    UNIQUE (rep_id, key)
);
CREATE INDEX meetings_rep_start ON meetings (rep_id, starts_at);
CREATE INDEX meetings_contact ON meetings (contact_id) WHERE contact_id IS NOT NULL;
