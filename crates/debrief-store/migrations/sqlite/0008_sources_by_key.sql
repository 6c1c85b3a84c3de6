-- debrief schema 8 (SQLite).
-- Append-only: change the schema with a new numbered file, in both folders.

-- The source of an imported contact is looked up by (source, key) only:
-- kept in that key's order alone, without a row id beside it.
CREATE TABLE contact_sources_by_key (
    source     TEXT NOT NULL,
    source_id  TEXT NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    digest     TEXT NOT NULL,
    PRIMARY KEY (source, source_id)
) WITHOUT ROWID;
INSERT INTO contact_sources_by_key SELECT source, source_id, contact_id, digest FROM contact_sources;
DROP TABLE contact_sources;
ALTER TABLE contact_sources_by_key RENAME TO contact_sources;
CREATE UNIQUE INDEX contact_sources_contact ON contact_sources (contact_id);
