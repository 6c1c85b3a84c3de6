//! What a write refers to, checked inside its transaction: rows that must
//! exist, rows that must be a rep's, and the reason an id counts under now
//! (itself, locked against a merge until the transaction ends, or the reason
//! it was merged into).

use std::collections::{HashMap, HashSet};

use super::rows::Cols;
use super::vocab::insert_reason;
use super::{Backend, Conn, Param, args, fetch_optional, list_placeholders};
use crate::{Result, StoreError};

/// How many ids one `IN (…)` list holds (well under every backend's limit).
const CHUNK: usize = 1000;
/// How many merges in a row a write follows before it gives up.
const HOPS: usize = 8;

/// `NotFound` unless `table` has a row with that id.
pub(super) async fn ensure_exists<B: Backend>(
    conn: &mut Conn<B>,
    table: &'static str,
    what: &'static str,
    id: i64,
) -> Result<()> {
    let sql = format!("SELECT 1 FROM {table} WHERE id = $1");
    match fetch_optional::<B>(conn, &sql, &args![id]).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound { what, id: id.to_string() }),
    }
}

/// `NotFound` for the first of `ids` that is not a row of `table`.
pub(super) async fn ensure_all<B: Backend>(
    conn: &mut Conn<B>,
    table: &'static str,
    what: &'static str,
    ids: &[i64],
) -> Result<()> {
    let found = existing::<B>(conn, table, ids, "").await?;
    match sorted(ids).into_iter().find(|id| !found.contains(id)) {
        Some(missing) => Err(StoreError::NotFound { what, id: missing.to_string() }),
        None => Ok(()),
    }
}

/// `NotFound` for the first `(rep, id)` whose row of `table` is not that rep's.
pub(super) async fn ensure_reps_own<B: Backend>(
    conn: &mut Conn<B>,
    table: &'static str,
    what: &'static str,
    pairs: &[(i64, i64)],
) -> Result<()> {
    let ids: Vec<i64> = pairs.iter().map(|&(_, id)| id).collect();
    let mut owner = HashMap::new();
    for chunk in sorted(&ids).chunks(CHUNK) {
        let sql = format!("SELECT id, rep_id FROM {table} WHERE id IN ({})", list_placeholders::<B>(1, chunk.len()));
        let params: Vec<Param<'_>> = chunk.iter().map(|&id| Param::Int(id)).collect();
        for row in B::fetch(conn, &sql, &params).await? {
            owner.insert(row.int(0)?, row.int(1)?);
        }
    }
    match pairs.iter().find(|(rep, id)| owner.get(id) != Some(rep)) {
        Some((_, id)) => Err(StoreError::NotFound { what, id: id.to_string() }),
        None => Ok(()),
    }
}

/// The reason each of `ids` counts under now: itself, or the reason it was
/// merged into. The reasons found are locked with `lock` (`B::FOR_SHARE`
/// for a write that points rows at them, `B::FOR_UPDATE` for a merge), in id
/// order, so a merge under way is waited for and then followed. `NotFound`
/// for an id that never was a reason.
pub(super) async fn current_reasons<B: Backend>(
    conn: &mut Conn<B>,
    ids: &[i64],
    lock: &str,
) -> Result<HashMap<i64, i64>> {
    let mut current: HashMap<i64, i64> = ids.iter().map(|&id| (id, id)).collect();
    let mut pending = sorted(ids);
    for _ in 0..HOPS {
        let found = existing::<B>(conn, "reasons", &pending, lock).await?;
        let missing: Vec<i64> = pending.iter().copied().filter(|id| !found.contains(id)).collect();
        if missing.is_empty() {
            return Ok(current);
        }
        let moved = redirects::<B>(conn, &missing).await?;
        if let Some(gone) = missing.iter().find(|id| !moved.contains_key(id)) {
            let asked = current.iter().find(|(_, now)| *now == gone).map_or(*gone, |(asked, _)| *asked);
            return Err(StoreError::NotFound { what: "reason", id: asked.to_string() });
        }
        current.values_mut().for_each(|now| *now = moved.get(now).copied().unwrap_or(*now));
        pending = sorted(&moved.into_values().collect::<Vec<_>>());
    }
    Err(StoreError::contended())
}

/// `from → into` for those of `ids` that were merged away.
async fn redirects<B: Backend>(conn: &mut Conn<B>, ids: &[i64]) -> Result<HashMap<i64, i64>> {
    let mut moved = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT from_id, into_id FROM reason_redirects WHERE from_id IN ({})",
            list_placeholders::<B>(1, chunk.len())
        );
        let params: Vec<Param<'_>> = chunk.iter().map(|&id| Param::Int(id)).collect();
        for row in B::fetch(conn, &sql, &params).await? {
            moved.insert(row.int(0)?, row.int(1)?);
        }
    }
    Ok(moved)
}

/// Those of `ids` that are rows of `table`, read (and locked with `lock`) in id order.
async fn existing<B: Backend>(conn: &mut Conn<B>, table: &str, ids: &[i64], lock: &str) -> Result<HashSet<i64>> {
    let mut found = HashSet::new();
    for chunk in sorted(ids).chunks(CHUNK) {
        let sql = format!(
            "SELECT id FROM {table} WHERE id IN ({}) ORDER BY id{lock}",
            list_placeholders::<B>(1, chunk.len())
        );
        let params: Vec<Param<'_>> = chunk.iter().map(|&id| Param::Int(id)).collect();
        for row in B::fetch(conn, &sql, &params).await? {
            found.insert(row.int(0)?);
        }
    }
    Ok(found)
}

/// The reason with that label (locked against a merge), created when there
/// is none.
pub(super) async fn reason_by_label<B: Backend>(conn: &mut Conn<B>, label: &str, controllable: bool) -> Result<i64> {
    let select = format!("SELECT id FROM reasons WHERE label = $1{}", B::FOR_SHARE);
    // Between the two, a merge may take the labelled reason away: try again.
    for _ in 0..HOPS {
        if let Some(id) = insert_reason::<B>(conn, label, controllable).await? {
            return Ok(id);
        }
        if let Some(row) = fetch_optional::<B>(conn, &select, &args![label]).await? {
            return Ok(row.int(0)?);
        }
    }
    Err(StoreError::contended())
}

/// `ids` sorted, without repeats.
fn sorted(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}
