-- debrief schema 6 (PostgreSQL): contacts imported from a CRM's export.
-- Append-only: change the schema with a new numbered file, in both folders.

-- Where an imported contact came from: its source (an export shape, like
-- `hubspot-deals`) and its key there (the row's id and the part of the row
-- the contact is), with a digest of what the row said. Importing the same
-- rows again adds nothing and changes only what the digest says changed.
CREATE TABLE contact_sources (
    source     TEXT NOT NULL,
    source_id  TEXT NOT NULL,
    contact_id BIGINT NOT NULL UNIQUE REFERENCES contacts (id) ON DELETE CASCADE,
    digest     TEXT NOT NULL,
    PRIMARY KEY (source, source_id)
);

-- Imported lost contacts waiting for their reason to be filed by the rep:
-- the CRM's lost reason in its words ('' when it gave none). A CRM's reason
-- says nothing of whose control it was in, so it is never filed unasked.
CREATE TABLE triage (
    contact_id BIGINT PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
    text       TEXT NOT NULL
);
