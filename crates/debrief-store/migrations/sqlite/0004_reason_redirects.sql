-- debrief schema 4 (SQLite): where a merged reason went. A contact logged
-- with the id of a reason merged meanwhile (its writer read the vocabulary
-- before the merge) is counted under the reason it was merged into.
-- Append-only: change the schema with a new numbered file, in both folders.

CREATE TABLE reason_redirects (
    from_id INTEGER PRIMARY KEY,
    -- Always the surviving reason: a later merge of it re-points these rows.
    into_id INTEGER NOT NULL REFERENCES reasons (id)
);
CREATE INDEX reason_redirects_into ON reason_redirects (into_id);
