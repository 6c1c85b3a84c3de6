-- debrief schema 5 (SQLite): each rep's time zone (an IANA name), in
-- which the rep's weeks and days are counted whoever looks. NULL for a rep
-- of an earlier schema until the application first opens it: then the zone
-- in effect becomes the rep's.
-- Append-only: change the schema with a new numbered file, in both folders.

ALTER TABLE reps ADD COLUMN tz TEXT;
