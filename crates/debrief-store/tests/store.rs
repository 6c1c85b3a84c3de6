//! The store suite: every case runs on a fresh SQLite file and on a fresh
//! PostgreSQL schema (`DEBRIEF_TEST_DATABASE_URL`; required when `CI` is set).

#[path = "store/harness.rs"]
mod harness;

#[path = "store/bulk.rs"]
mod bulk;
#[path = "store/contacts.rs"]
mod contacts;
#[path = "store/focus.rs"]
mod focus;
#[path = "store/loop_items.rs"]
mod loop_items;
#[path = "store/queries.rs"]
mod queries;
#[path = "store/schema.rs"]
mod schema;
#[path = "store/vocab.rs"]
mod vocab;
