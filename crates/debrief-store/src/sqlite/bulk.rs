//! SQLite bulk inserts: a chunk is one JSON array bound as one parameter and
//! expanded by `json_each`, so it costs one statement instead of one per row.

use sqlx::Row;
use sqlx::sqlite::SqliteConnection;

use crate::sql::{BulkContact, BulkNote};

fn encode(e: serde_json::Error) -> sqlx::Error {
    sqlx::Error::Encode(e.into())
}

pub(super) async fn clients(conn: &mut SqliteConnection, clients: &[(i64, &str)]) -> sqlx::Result<()> {
    // `WHERE true` tells SQLite's parser that ON CONFLICT is not a join constraint.
    let sql = "INSERT INTO clients (rep_id, name) \
        SELECT value ->> 0, value ->> 1 FROM json_each($1) WHERE true \
        ON CONFLICT (rep_id, name) DO NOTHING";
    let json = serde_json::to_string(clients).map_err(encode)?;
    sqlx::query(sql).bind(json).execute(conn).await?;
    Ok(())
}

/// Ids after the largest: safe because the write transaction holds the lock.
pub(super) async fn reserve_contact_ids(conn: &mut SqliteConnection, n: usize) -> sqlx::Result<Vec<i64>> {
    let row = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM contacts").fetch_one(conn).await?;
    let last: i64 = row.try_get(0)?;
    Ok((last + 1..).take(n).collect())
}

pub(super) async fn contacts(conn: &mut SqliteConnection, rows: &[BulkContact<'_>]) -> sqlx::Result<()> {
    let values: Vec<_> = rows
        .iter()
        .map(|r| (r.id, r.rep, r.client, r.at, r.channel, r.outcome, r.new_lead, r.better, r.note))
        .collect();
    let sql = "INSERT INTO contacts \
        (id, rep_id, client_id, at, channel, outcome, new_lead, better, note) \
        SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, \
               value ->> 5, value ->> 6, value ->> 7, value ->> 8 \
        FROM json_each($1)";
    sqlx::query(sql).bind(serde_json::to_string(&values).map_err(encode)?).execute(conn).await?;
    Ok(())
}

pub(super) async fn notes(conn: &mut SqliteConnection, rows: &[BulkNote<'_>]) -> sqlx::Result<()> {
    let values: Vec<_> = rows
        .iter()
        .map(|r| (r.contact, r.position, r.reason, r.text, r.controllable, r.do_differently))
        .collect();
    let sql = "INSERT INTO contact_reasons \
        (contact_id, position, reason_id, text, controllable, do_differently) \
        SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 \
        FROM json_each($1)";
    sqlx::query(sql).bind(serde_json::to_string(&values).map_err(encode)?).execute(conn).await?;
    Ok(())
}
