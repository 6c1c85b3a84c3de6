//! A rep's focus: the one open focus row (`cleared_at IS NULL`) and its history.

use debrief_core::model::{ReasonId, RepId};
use jiff::Timestamp;

use super::rows::{self, Cols};
use super::write::{ensure_all, ensure_exists};
use super::{Backend, Conn, args, fetch_optional};
use crate::{Focus, Result, StoreError};

pub(super) async fn focus<B: Backend>(store: &B, rep: RepId) -> Result<Option<Focus>> {
    let sql = "SELECT r.id, r.label, r.controllable, f.set_at \
               FROM focus f JOIN reasons r ON r.id = f.reason_id \
               WHERE f.rep_id = $1 AND f.cleared_at IS NULL";
    let mut conn = store.pool().acquire().await?;
    let Some(row) = fetch_optional::<B>(&mut conn, sql, &args![rep.0]).await? else {
        return Ok(None);
    };
    Ok(Some(Focus { rep, reason: rows::reason(&row)?, set_at: row.time(3)? }))
}

pub(super) async fn set_focus<B: Backend>(store: &B, rep: RepId, reason: ReasonId, at: Timestamp) -> Result<()> {
    let mut tx = store.begin_write().await?;
    ensure_exists::<B>(&mut tx, "reps", "rep", rep.0).await?;
    ensure_exists::<B>(&mut tx, "reasons", "reason", reason.0).await?;
    open::<B>(&mut tx, rep, reason, at).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn clear_focus<B: Backend>(store: &B, rep: RepId, at: Timestamp) -> Result<()> {
    let mut tx = store.begin_write().await?;
    if close::<B>(&mut tx, rep, at).await? == 0 {
        return Err(StoreError::NotFound { what: "focus", id: rep.to_string() });
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn bulk_focus<B: Backend>(store: &B, focuses: &[(RepId, ReasonId, Timestamp)]) -> Result<()> {
    let mut in_order = focuses.to_vec();
    in_order.sort_by_key(|&(rep, _, at)| (rep, at));
    let mut tx = store.begin_write().await?;
    let reps: Vec<i64> = in_order.iter().map(|(rep, _, _)| rep.0).collect();
    ensure_all::<B>(&mut tx, "reps", "rep", &reps).await?;
    let reasons: Vec<i64> = in_order.iter().map(|(_, reason, _)| reason.0).collect();
    ensure_all::<B>(&mut tx, "reasons", "reason", &reasons).await?;
    for (rep, reason, at) in in_order {
        open::<B>(&mut tx, rep, reason, at).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Closes the rep's open focus at `at`, then opens one on `reason`.
async fn open<B: Backend>(conn: &mut Conn<B>, rep: RepId, reason: ReasonId, at: Timestamp) -> Result<()> {
    close::<B>(conn, rep, at).await?;
    let sql = "INSERT INTO focus (rep_id, reason_id, set_at) VALUES ($1, $2, $3)";
    B::execute(conn, sql, &args![rep.0, reason.0, at.as_second()]).await?;
    Ok(())
}

/// Closes the rep's open focus at `at`; how many were open (0 or 1).
async fn close<B: Backend>(conn: &mut Conn<B>, rep: RepId, at: Timestamp) -> Result<u64> {
    let sql = "UPDATE focus SET cleared_at = $2 WHERE rep_id = $1 AND cleared_at IS NULL";
    Ok(B::execute(conn, sql, &args![rep.0, at.as_second()]).await?)
}
