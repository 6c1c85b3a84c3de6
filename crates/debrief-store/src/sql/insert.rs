//! Multi-row `INSERT`s: many rows bound into one statement, so a batch of
//! contacts costs a few statements, not one per row. Rows come from an
//! iterator and are made and bound while the database runs the statement
//! before, so neither the caller's thread nor the database's waits for the
//! other. Statements hold [`ROWS`] rows, or a smaller power of two for the
//! last rows: every statement text is one of a few, each prepared once per
//! connection (sqlx caches prepared statements by their text).

use std::collections::VecDeque;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

use super::{Backend, Conn, Param, list_placeholders};
use crate::Result;

/// Most rows per statement (a power of two): large enough that the database
/// keeps its place in the table and its indexes from row to row, that each
/// page a statement changes is saved for its rollback once for many rows,
/// and that handing a statement to the database costs little per row
/// (2,048 took about 12% less CPU than 512 for a million contacts).
const ROWS: usize = 2048;
/// Most values per statement (SQLite takes 32,766, PostgreSQL 65,535).
const PARAMS: usize = 30_000;

/// Runs `head VALUES (…), (…) tail` for `values`, rows of `width` values
/// each; how many rows were inserted.
pub(super) async fn insert_rows<'a, B: Backend>(
    conn: &mut Conn<B>,
    head: &str,
    tail: &str,
    width: usize,
    values: impl IntoIterator<Item = Param<'a>>,
) -> Result<u64> {
    let width = width.max(1);
    let mut pieces = Pieces::new(values.into_iter(), width);
    // One buffer for every piece: binding copies the values out of it.
    let mut piece = Vec::with_capacity(pieces.rows * width);
    if !pieces.next_into(&mut piece) {
        return Ok(0);
    }
    if pieces.is_done() {
        let sql = statement::<B>(head, tail, width, piece.len() / width);
        return Ok(B::run(conn, B::bound(&sql, &piece)).await?);
    }
    // Every size a piece may have: [`ROWS`] rows or a smaller power of two.
    let texts: Vec<String> = (0..=pieces.rows.ilog2()).map(|k| statement::<B>(head, tail, width, 1 << k)).collect();
    let text = |piece: &[Param<'_>]| texts[(piece.len() / width).max(1).ilog2() as usize].as_str();
    let mut next = Some(B::bound(text(&piece), &piece));
    let mut inserted = 0;
    while let Some(current) = next.take() {
        let mut running = pin!(B::run(conn, current));
        // Sent to the database first; the next rows are made and bound meanwhile.
        let started = poll_fn(|cx| Poll::Ready(running.as_mut().poll(cx))).await;
        if pieces.next_into(&mut piece) {
            next = Some(B::bound(text(&piece), &piece));
        }
        inserted += match started {
            Poll::Ready(done) => done?,
            Poll::Pending => running.await?,
        };
    }
    Ok(inserted)
}

/// The values of an insert cut into statements: [`ROWS`] rows each, the
/// last rows in pieces of decreasing powers of two.
struct Pieces<'a, I> {
    values: I,
    width: usize,
    /// Rows of a full piece.
    rows: usize,
    /// The last pieces, once the values ran out.
    ready: VecDeque<Vec<Param<'a>>>,
    done: bool,
}

impl<'a, I: Iterator<Item = Param<'a>>> Pieces<'a, I> {
    fn new(values: I, width: usize) -> Self {
        let most = ROWS.min(PARAMS / width).max(1);
        // The largest power of two that fits.
        let rows = 1 << most.ilog2();
        Pieces { values, width, rows, ready: VecDeque::new(), done: false }
    }

    /// Whether every piece was taken.
    fn is_done(&self) -> bool {
        self.done && self.ready.is_empty()
    }

    /// Puts the next piece in `piece`; `false` when there is none.
    fn next_into(&mut self, piece: &mut Vec<Param<'a>>) -> bool {
        piece.clear();
        if let Some(next) = self.ready.pop_front() {
            piece.extend(next);
            return true;
        }
        if self.done {
            return false;
        }
        piece.extend(self.values.by_ref().take(self.rows * self.width));
        let rows = piece.len() / self.width;
        if rows == self.rows {
            return true;
        }
        self.done = true;
        if rows == 0 {
            return false;
        }
        // The largest power of two stays in `piece`, the rest waits in `ready`.
        let mut rest = piece.split_off((1 << rows.ilog2()) * self.width);
        while !rest.is_empty() {
            let tail = rest.split_off((1 << (rest.len() / self.width).ilog2()) * self.width);
            self.ready.push_back(std::mem::replace(&mut rest, tail));
        }
        true
    }
}

/// `head VALUES (?, ?), (?, ?) tail`, numbered where the backend wants `$n`.
fn statement<B: Backend>(head: &str, tail: &str, width: usize, rows: usize) -> String {
    let mut sql = String::with_capacity(head.len() + tail.len() + 8 + rows * (width * 3 + 4));
    match head.strip_prefix("INSERT INTO ") {
        Some(rest) => {
            sql.push_str(B::INSERT_MANY);
            sql.push(' ');
            sql.push_str(rest);
        }
        None => sql.push_str(head),
    }
    sql.push_str(" VALUES ");
    let anonymous = format!("({})", list_placeholders::<B>(1, width));
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        match B::ANONYMOUS_LISTS {
            true => sql.push_str(&anonymous),
            false => sql.push_str(&format!("({})", list_placeholders::<B>(r * width + 1, width))),
        }
    }
    sql.push_str(tail);
    sql
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PostgresStore, SqliteStore};

    #[test]
    fn statements_number_their_values_where_the_backend_wants_it() {
        assert_eq!(
            statement::<SqliteStore>("INSERT INTO t (a, b)", "", 2, 2),
            "INSERT OR FAIL INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
        assert_eq!(
            statement::<PostgresStore>("INSERT INTO t (a, b)", " ON CONFLICT DO NOTHING", 2, 2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING"
        );
    }

    #[test]
    fn the_last_rows_go_in_decreasing_powers_of_two() {
        let sizes = |n: usize| {
            let values = (0..n as i64 * 3).map(Param::Int);
            let (mut pieces, mut piece) = (Pieces::new(values, 3), Vec::new());
            let mut sizes = Vec::new();
            while pieces.next_into(&mut piece) {
                sizes.push(piece.len() / 3);
            }
            assert!(pieces.is_done());
            sizes
        };
        assert_eq!(sizes(0), Vec::<usize>::new());
        assert_eq!(sizes(1), [1]);
        assert_eq!(sizes(4200), [2048, 2048, 64, 32, 8]);
        assert_eq!(sizes(4096), [2048, 2048]);
    }
}
