-- debrief schema 3 (PostgreSQL): the mark of a debrief database. Opening a
-- database that has tables but neither this mark nor debrief's first
-- migration is refused untouched, so debrief never migrates (or switches the
-- journal mode of) another program's database.
-- Append-only: change the schema with a new numbered file, in both folders.

CREATE TABLE debrief_marker (
    app TEXT NOT NULL PRIMARY KEY CHECK (app = 'debrief')
);
INSERT INTO debrief_marker (app) VALUES ('debrief');
