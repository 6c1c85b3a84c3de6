//! The store suite: every case runs on a fresh SQLite file and on a fresh
//! PostgreSQL schema (`DEBRIEF_TEST_DATABASE_URL`; required when `CI` is set).

#[path = "store/harness.rs"]
mod harness;

#[path = "store/contacts.rs"]
mod contacts;
#[path = "store/focus.rs"]
mod focus;
#[path = "store/load.rs"]
mod load;
#[path = "store/loop_items.rs"]
mod loop_items;
#[path = "store/queries.rs"]
mod queries;
#[path = "store/race.rs"]
mod race;
#[path = "store/schema.rs"]
mod schema;
#[path = "store/vocab.rs"]
mod vocab;
