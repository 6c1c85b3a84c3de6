-- debrief schema 8 (PostgreSQL).
-- Append-only: change the schema with a new numbered file, in both folders.

-- SQLite keeps contact_sources without a row id from this version on;
-- PostgreSQL's table (a heap and its primary key) stays as it is.
SELECT 1;
