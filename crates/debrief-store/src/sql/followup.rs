//! Follow-ups: a rep's or a client's, by due time, and applying changes
//! (create, done, cancelled, rescheduled, client closed) inside the
//! transaction of the write that carries them.

use debrief_core::followup::{ClientClosure, FollowUp, FollowUpId, FollowUpKind, FollowUpPlan, Status};
use debrief_core::mishap::RecoveryId;
use debrief_core::model::{ClientId, RepId};
use jiff::Timestamp;

use super::rows::{Cols, undecodable};
use super::write::ensure_exists;
use super::{Backend, Conn, Param, args, fetch_one, fetch_optional};
use crate::{FollowUpChanges, Result, StoreError};

/// The columns [`follow_up`] reads, in order, then `rep_id`.
const COLUMNS: &str = "id, client_id, kind, n, recovery_id, anchor, due, note, status, status_at, rep_id";

pub(super) async fn of_rep<B: Backend>(store: &B, rep: RepId, open_only: bool) -> Result<Vec<FollowUp>> {
    select(store, "rep_id", rep.0, open_only).await
}

pub(super) async fn of_client<B: Backend>(store: &B, client: ClientId, open_only: bool) -> Result<Vec<FollowUp>> {
    select(store, "client_id", client.0, open_only).await
}

/// The follow-ups whose `column` is `id`, by due time.
async fn select<B: Backend>(store: &B, column: &str, id: i64, open_only: bool) -> Result<Vec<FollowUp>> {
    // The literal 'open' (not a parameter) lets a prepared plan use the index.
    let open = if open_only { " AND status = 'open'" } else { "" };
    let sql = format!("SELECT {COLUMNS} FROM follow_ups WHERE {column} = $1{open} ORDER BY due, id");
    let mut conn = store.pool().acquire().await?;
    let rows = B::fetch(&mut conn, &sql, &args![id]).await?;
    Ok(rows.iter().map(follow_up).collect::<sqlx::Result<_>>()?)
}

pub(super) async fn one<B: Backend>(store: &B, id: FollowUpId) -> Result<(RepId, FollowUp)> {
    let sql = format!("SELECT {COLUMNS} FROM follow_ups WHERE id = $1");
    let mut conn = store.pool().acquire().await?;
    let row = fetch_optional::<B>(&mut conn, &sql, &args![id.0]).await?;
    let row = row.ok_or_else(|| not_found(id))?;
    Ok((RepId(row.int(10)?), follow_up(&row)?))
}

/// `apply_follow_ups`: the changes on their own, in one transaction.
pub(super) async fn apply_alone<B: Backend>(
    store: &B,
    rep: RepId,
    changes: &FollowUpChanges,
) -> Result<Vec<FollowUpId>> {
    let mut tx = store.begin_write().await?;
    ensure_exists::<B>(&mut tx, "reps", "rep", rep.0).await?;
    let created = apply::<B>(&mut tx, rep.0, changes, Here::default()).await?;
    tx.commit().await?;
    Ok(created)
}

/// What `ClientId(0)` and `RecoveryId(0)` stand for in the changes applied:
/// the client and the mishap of the write that carries them, if any.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Here {
    pub client: Option<i64>,
    pub recovery: Option<i64>,
}

/// Applies `changes` for `rep` on `conn` (inside the caller's transaction):
/// done, cancelled and rescheduled first, then created, then the closure.
pub(super) async fn apply<B: Backend>(
    conn: &mut Conn<B>,
    rep: i64,
    changes: &FollowUpChanges,
    here: Here,
) -> Result<Vec<FollowUpId>> {
    let set_status = "UPDATE follow_ups SET status = $3, status_at = $4 \
                      WHERE id = $1 AND rep_id = $2 AND status = 'open'";
    for (status, list) in [("done", &changes.complete), ("cancelled", &changes.cancel)] {
        for &(id, at) in list {
            change_open::<B>(conn, rep, id, set_status, &args![id.0, rep, status, at.as_second()]).await?;
        }
    }
    let reschedule = "UPDATE follow_ups SET due = $3 WHERE id = $1 AND rep_id = $2 AND status = 'open'";
    for &(id, due) in &changes.reschedule {
        change_open::<B>(conn, rep, id, reschedule, &args![id.0, rep, due.as_second()]).await?;
    }
    let mut created = Vec::with_capacity(changes.create.len());
    for plan in &changes.create {
        created.push(create::<B>(conn, rep, plan, here).await?);
    }
    if let Some(closure) = &changes.close {
        close_client::<B>(conn, rep, closure, here).await?;
    }
    Ok(created)
}

/// Runs `sql`, which changes follow-up `id` if it is open and the rep's;
/// `NotFound` or `Conflict` (saying its status) when it changed nothing.
async fn change_open<B: Backend>(
    conn: &mut Conn<B>,
    rep: i64,
    id: FollowUpId,
    sql: &str,
    params: &[Param<'_>],
) -> Result<()> {
    if B::execute(conn, sql, params).await? == 1 {
        return Ok(());
    }
    let row = fetch_optional::<B>(conn, "SELECT rep_id, status FROM follow_ups WHERE id = $1", &args![id.0]).await?;
    match row {
        Some(row) if row.int(0)? == rep => Err(StoreError::Conflict(format!(
            "follow-up {id} is already {}: only an open follow-up can be done, cancelled or moved",
            row.text(1)?
        ))),
        _ => Err(not_found(id)),
    }
}

async fn create<B: Backend>(conn: &mut Conn<B>, rep: i64, plan: &FollowUpPlan, here: Here) -> Result<FollowUpId> {
    let client = client_of::<B>(conn, rep, plan.client, here).await?;
    let (kind, n, recovery) = kind_columns(plan.kind);
    let recovery = match recovery {
        Some(id) => Some(recovery_of::<B>(conn, rep, id, here).await?),
        None => None,
    };
    let sql = "INSERT INTO follow_ups (rep_id, client_id, kind, n, recovery_id, anchor, due, note) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    let params =
        args![rep, client, kind, n, recovery, plan.anchor.as_second(), plan.due.as_second(), plan.note.as_deref()];
    Ok(FollowUpId(fetch_one::<B>(conn, sql, &params).await?.int(0)?))
}

async fn close_client<B: Backend>(conn: &mut Conn<B>, rep: i64, closure: &ClientClosure, here: Here) -> Result<()> {
    let client = client_of::<B>(conn, rep, closure.client, here).await?;
    let sql = "UPDATE clients SET closed_at = $2, closed_reason = $3 WHERE id = $1";
    B::execute(conn, sql, &args![client, closure.at.as_second(), closure.reason]).await?;
    Ok(())
}

/// The client id `client` stands for: the write's own for `ClientId(0)`,
/// else one of the rep's clients.
async fn client_of<B: Backend>(conn: &mut Conn<B>, rep: i64, client: ClientId, here: Here) -> Result<i64> {
    let sql = "SELECT 1 FROM clients WHERE id = $1 AND rep_id = $2";
    match (client, here.client) {
        (ClientId(0), Some(own)) => Ok(own),
        (ClientId(id), Some(own)) if id == own => Ok(own),
        (ClientId(id), _) if id != 0 && fetch_optional::<B>(conn, sql, &args![id, rep]).await?.is_some() => Ok(id),
        _ => Err(StoreError::NotFound { what: "client", id: client.to_string() }),
    }
}

/// The recovery id `recovery` stands for: the write's own for
/// `RecoveryId(0)`, else one of the rep's recoveries.
async fn recovery_of<B: Backend>(conn: &mut Conn<B>, rep: i64, recovery: RecoveryId, here: Here) -> Result<i64> {
    let sql = "SELECT 1 FROM recoveries WHERE id = $1 AND rep_id = $2";
    match (recovery, here.recovery) {
        (RecoveryId(0), Some(own)) => Ok(own),
        (RecoveryId(id), Some(own)) if id == own => Ok(own),
        (RecoveryId(id), _) if id != 0 && fetch_optional::<B>(conn, sql, &args![id, rep]).await?.is_some() => Ok(id),
        _ => Err(StoreError::NotFound { what: "recovery", id: recovery.to_string() }),
    }
}

/// `(kind, n, recovery)` as stored.
pub(super) fn kind_columns(kind: FollowUpKind) -> (&'static str, Option<i64>, Option<RecoveryId>) {
    match kind {
        FollowUpKind::Chase { n } | FollowUpKind::CheckIn { n } => (kind.as_str(), Some(n.into()), None),
        FollowUpKind::MishapUpdate { recovery } => (kind.as_str(), None, Some(recovery)),
        FollowUpKind::Manual => (kind.as_str(), None, None),
    }
}

pub(super) fn not_found(id: FollowUpId) -> StoreError {
    StoreError::NotFound { what: "follow-up", id: id.to_string() }
}

/// A row selected with [`COLUMNS`].
fn follow_up(r: &impl Cols) -> sqlx::Result<FollowUp> {
    Ok(FollowUp {
        id: FollowUpId(r.int(0)?),
        client: ClientId(r.int(1)?),
        kind: kind(r)?,
        anchor: r.time(5)?,
        due: r.time(6)?,
        note: r.opt_text(7)?,
        status: status(r.text(8)?, r.opt_time(9)?)?,
    })
}

fn kind(r: &impl Cols) -> sqlx::Result<FollowUpKind> {
    let n = || {
        let n = r.opt_int(3)?.unwrap_or_default();
        u8::try_from(n).map_err(|_| undecodable(format!("follow-up number {n} is out of range")))
    };
    Ok(match r.text(2)?.as_str() {
        "chase" => FollowUpKind::Chase { n: n()? },
        "check-in" => FollowUpKind::CheckIn { n: n()? },
        "mishap-update" => {
            let recovery = r.opt_int(4)?.ok_or_else(|| undecodable("a mishap update without its mishap".into()))?;
            FollowUpKind::MishapUpdate { recovery: RecoveryId(recovery) }
        }
        "manual" => FollowUpKind::Manual,
        other => return Err(undecodable(format!("unknown follow-up kind {other:?}"))),
    })
}

fn status(status: String, at: Option<Timestamp>) -> sqlx::Result<Status> {
    match (status.as_str(), at) {
        ("open", _) => Ok(Status::Open),
        ("done", Some(at)) => Ok(Status::Done { at }),
        ("cancelled", Some(at)) => Ok(Status::Cancelled { at }),
        _ => Err(undecodable(format!("follow-up status {status:?} without its time"))),
    }
}
