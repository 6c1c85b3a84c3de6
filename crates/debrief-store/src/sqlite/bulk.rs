//! SQLite bulk inserts: multi-row `VALUES` statements of a few thousand bound
//! parameters each, prepared once and reused, instead of one statement per row.

use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteConnection};
use sqlx::{Row, Sqlite};

use crate::sql::{BulkContact, BulkNote};

type SqliteQuery<'q> = Query<'q, Sqlite, SqliteArguments<'q>>;

/// Parameters per statement, under SQLite's default limit of 32,766: fewer,
/// larger statements are cheaper to run; the text is prepared once.
const PARAMS: usize = 16_000;

pub(super) async fn clients(conn: &mut SqliteConnection, clients: &[(i64, i64, &str)]) -> sqlx::Result<u64> {
    let head = "INSERT INTO clients (id, rep_id, name)";
    let tail = "ON CONFLICT (rep_id, name) DO NOTHING";
    insert(conn, head, tail, 3, clients, |q, &(id, rep, name)| q.bind(id).bind(rep).bind(name)).await
}

/// Ids after the largest: safe because the write transaction holds the lock.
pub(super) async fn reserve_ids(conn: &mut SqliteConnection, table: &'static str, n: usize) -> sqlx::Result<Vec<i64>> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {table}");
    let row = sqlx::query(&sql).fetch_one(conn).await?;
    let last: i64 = row.try_get(0)?;
    Ok((last + 1..).take(n).collect())
}

pub(super) async fn contacts(conn: &mut SqliteConnection, rows: &[BulkContact<'_>]) -> sqlx::Result<()> {
    let head = "INSERT INTO contacts \
        (id, rep_id, client_id, at, channel, outcome, new_lead, better, note)";
    insert(conn, head, "", 9, rows, |q, r| {
        q.bind(r.id)
            .bind(r.rep)
            .bind(r.client)
            .bind(r.at)
            .bind(r.channel)
            .bind(r.outcome)
            .bind(r.new_lead)
            .bind(r.better)
            .bind(r.note)
    })
    .await
    .map(drop)
}

pub(super) async fn notes(conn: &mut SqliteConnection, rows: &[BulkNote<'_>]) -> sqlx::Result<()> {
    let head = "INSERT INTO contact_reasons \
        (contact_id, position, reason_id, text, controllable, do_differently)";
    insert(conn, head, "", 6, rows, |q, r| {
        q.bind(r.contact).bind(r.position).bind(r.reason).bind(r.text).bind(r.controllable).bind(r.do_differently)
    })
    .await
    .map(drop)
}

/// Inserts `rows` with `head VALUES (?, …), … tail`, `width` values a row.
/// The next statement's values are bound on this thread while SQLite's
/// worker thread runs the previous one.
async fn insert<'r, T: Sync>(
    conn: &mut SqliteConnection,
    head: &str,
    tail: &str,
    width: usize,
    rows: &'r [T],
    bind: impl for<'q> Fn(SqliteQuery<'q>, &'q T) -> SqliteQuery<'q>,
) -> sqlx::Result<u64> {
    let per = PARAMS / width;
    // The statement text of a full chunk only when there is one (a few small
    // loads never need those thousands of placeholders).
    let full = if rows.len() >= per { values(head, tail, width, per) } else { String::new() };
    let last = values(head, tail, width, rows.len() % per);
    // Only the full-size statement is worth keeping prepared.
    let query = |chunk: &'r [T]| match chunk.len() == per {
        true => chunk.iter().fold(sqlx::query(&full), &bind),
        false => chunk.iter().fold(sqlx::query(&last), &bind).persistent(false),
    };
    let mut chunks = rows.chunks(per);
    let Some(first) = chunks.next() else { return Ok(0) };
    let mut pending = query(first);
    let mut affected = 0;
    for chunk in chunks {
        let (done, next) = tokio::join!(pending.execute(&mut *conn), async { query(chunk) });
        affected += done?.rows_affected();
        pending = next;
    }
    Ok(affected + pending.execute(conn).await?.rows_affected())
}

/// `head VALUES (?, ?), (?, ?) tail` for `rows` rows of `width` values.
fn values(head: &str, tail: &str, width: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; width].join(", "));
    format!("{head} VALUES {} {tail}", vec![row.as_str(); rows].join(", "))
}
