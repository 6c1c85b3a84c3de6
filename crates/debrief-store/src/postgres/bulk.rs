//! PostgreSQL bulk inserts: a chunk is one array per column, expanded by
//! `UNNEST`, so it costs one statement instead of one per row.

use sqlx::Row;
use sqlx::postgres::PgConnection;

use crate::sql::{BulkContact, BulkNote};

/// One column of `rows`.
fn column<R, T>(rows: &[R], f: impl Fn(&R) -> T) -> Vec<T> {
    rows.iter().map(f).collect()
}

pub(super) async fn clients(conn: &mut PgConnection, clients: &[(i64, i64, &str)]) -> sqlx::Result<u64> {
    let sql = "INSERT INTO clients (id, rep_id, name) \
        SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[]) \
        ON CONFLICT (rep_id, name) DO NOTHING";
    let (ids, reps, names) = (column(clients, |c| c.0), column(clients, |c| c.1), column(clients, |c| c.2));
    Ok(sqlx::query(sql).bind(ids).bind(reps).bind(names).execute(conn).await?.rows_affected())
}

/// Ids drawn from the table's sequence, so concurrent writers never collide.
pub(super) async fn reserve_ids(conn: &mut PgConnection, table: &'static str, n: usize) -> sqlx::Result<Vec<i64>> {
    let sql = format!("SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)");
    let rows = sqlx::query(&sql).bind(n as i64).fetch_all(conn).await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

pub(super) async fn contacts(conn: &mut PgConnection, rows: &[BulkContact<'_>]) -> sqlx::Result<()> {
    let sql = "INSERT INTO contacts \
        (id, rep_id, client_id, at, channel, outcome, new_lead, better, note) \
        SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], \
            $5::text[], $6::text[], $7::boolean[], $8::text[], $9::text[])";
    sqlx::query(sql)
        .bind(column(rows, |r| r.id))
        .bind(column(rows, |r| r.rep))
        .bind(column(rows, |r| r.client))
        .bind(column(rows, |r| r.at))
        .bind(column(rows, |r| r.channel))
        .bind(column(rows, |r| r.outcome))
        .bind(column(rows, |r| r.new_lead))
        .bind(column(rows, |r| r.better))
        .bind(column(rows, |r| r.note))
        .execute(conn)
        .await?;
    Ok(())
}

pub(super) async fn notes(conn: &mut PgConnection, rows: &[BulkNote<'_>]) -> sqlx::Result<()> {
    let sql = "INSERT INTO contact_reasons \
        (contact_id, position, reason_id, text, controllable, do_differently) \
        SELECT * FROM UNNEST($1::bigint[], $2::integer[], $3::bigint[], $4::text[], \
            $5::boolean[], $6::text[])";
    sqlx::query(sql)
        .bind(column(rows, |r| r.contact))
        .bind(column(rows, |r| r.position))
        .bind(column(rows, |r| r.reason))
        .bind(column(rows, |r| r.text))
        .bind(column(rows, |r| r.controllable))
        .bind(column(rows, |r| r.do_differently))
        .execute(conn)
        .await?;
    Ok(())
}
