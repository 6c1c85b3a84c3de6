//! A rep's focus: the one open focus row (`cleared_at IS NULL`) and its history.

use debrief_core::model::{ReasonId, RepId};
use jiff::Timestamp;

use super::refs::{current_reasons, ensure_exists};
use super::rows::{self, Cols};
use super::{Backend, Conn, args, fetch_optional};
use crate::{Focus, FocusSpan, Result, StoreError};

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

pub(super) async fn history<B: Backend>(store: &B, rep: RepId) -> Result<Vec<FocusSpan>> {
    let sql = "SELECT r.id, r.label, r.controllable, f.set_at, f.cleared_at \
               FROM focus f JOIN reasons r ON r.id = f.reason_id \
               WHERE f.rep_id = $1 ORDER BY f.set_at, f.id";
    let mut conn = store.pool().acquire().await?;
    B::fetch(&mut conn, sql, &args![rep.0])
        .await?
        .iter()
        .map(|row| Ok(FocusSpan { reason: rows::reason(row)?, set_at: row.time(3)?, cleared_at: row.opt_time(4)? }))
        .collect()
}

pub(super) async fn set_focus<B: Backend>(store: &B, rep: RepId, reason: ReasonId, at: Timestamp) -> Result<()> {
    let mut tx = store.begin_write().await?;
    set::<B>(&mut tx, rep, reason, at).await?;
    tx.commit().await?;
    Ok(())
}

/// Focuses `rep` on `reason` (or on the reason it was merged into) from `at`.
pub(super) async fn set<B: Backend>(conn: &mut Conn<B>, rep: RepId, reason: ReasonId, at: Timestamp) -> Result<()> {
    ensure_exists::<B>(conn, "reps", "rep", rep.0).await?;
    let current = current_reasons::<B>(conn, &[reason.0], B::FOR_SHARE).await?;
    open::<B>(conn, rep, ReasonId(current.get(&reason.0).copied().unwrap_or(reason.0)), at).await
}

pub(super) async fn clear_focus<B: Backend>(store: &B, rep: RepId, at: Timestamp) -> Result<()> {
    let mut tx = store.begin_write().await?;
    if close::<B>(&mut tx, rep, at).await? == 0 {
        return Err(StoreError::NotFound { what: "focus", id: rep.to_string() });
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
