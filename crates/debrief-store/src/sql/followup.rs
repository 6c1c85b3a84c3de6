//! Follow-ups: a rep's or a client's, by due time, and applying changes
//! (create, done, cancelled, rescheduled, client closed) inside the
//! transaction of the write that carries them.

use debrief_core::followup::{
    ClientClosure, ClientRef, CloseReason, FollowUp, FollowUpId, FollowUpKind, FollowUpPlan, PlannedKind, RecoveryRef,
    Status,
};
use debrief_core::mishap::RecoveryId;
use debrief_core::model::{ClientId, RepId};
use jiff::Timestamp;

use super::insert::insert_rows;
use super::refs::{ensure_exists, ensure_reps_own};
use super::rows::{Cols, undecodable};
use super::{Backend, Conn, Param, args, fetch_optional};
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

/// What `ClientRef::This` and `RecoveryRef::This` stand for in the changes
/// applied: the client and the mishap of the write that carries them, if any.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Here {
    pub client: Option<i64>,
    pub recovery: Option<i64>,
}

/// Applies `changes` for `rep` on `conn` (inside the caller's transaction):
/// done, cancelled and rescheduled first, then created, then the closure.
/// The ids of the created ones, in order.
pub(super) async fn apply<B: Backend>(
    conn: &mut Conn<B>,
    rep: i64,
    changes: &FollowUpChanges,
    here: Here,
) -> Result<Vec<FollowUpId>> {
    change_stored::<B>(conn, rep, changes).await?;
    let mut refs = Refs::default();
    refs.note(rep, changes);
    refs.check::<B>(conn).await?;
    let mut rows = Vec::new();
    for plan in &changes.create {
        plan_row(&mut rows, rep, plan, here)?;
    }
    let created = insert::<B>(conn, &rows).await?;
    if let Some(closure) = &changes.close {
        close::<B>(conn, &[closure_row(closure, here)?]).await?;
    }
    Ok(created)
}

/// Marks follow-ups done or cancelled and moves them, as `changes` asks.
pub(super) async fn change_stored<B: Backend>(conn: &mut Conn<B>, rep: i64, changes: &FollowUpChanges) -> Result<()> {
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
    Ok(())
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

/// The stored clients and recoveries that changes name by id, each with the
/// rep it must belong to; checked at once for a whole batch.
#[derive(Debug, Default)]
pub(super) struct Refs {
    clients: Vec<(i64, i64)>,
    recoveries: Vec<(i64, i64)>,
}

impl Refs {
    /// Notes what `changes` of `rep` name by id.
    pub(super) fn note(&mut self, rep: i64, changes: &FollowUpChanges) {
        let closed = changes.close.as_ref().map(|c| c.client);
        for client in changes.create.iter().map(|p| p.client).chain(closed) {
            if let ClientRef::Id(id) = client {
                self.clients.push((rep, id.0));
            }
        }
        for plan in &changes.create {
            if let FollowUpKind::MishapUpdate { recovery: RecoveryRef::Id(id) } = plan.kind {
                self.recoveries.push((rep, id.0));
            }
        }
    }

    /// `NotFound` for a client or recovery that is not its rep's.
    pub(super) async fn check<B: Backend>(&mut self, conn: &mut Conn<B>) -> Result<()> {
        ensure_reps_own::<B>(conn, "clients", "client", &std::mem::take(&mut self.clients)).await?;
        ensure_reps_own::<B>(conn, "recoveries", "recovery", &std::mem::take(&mut self.recoveries)).await
    }
}

/// The columns [`plan_row`] fills, after `id`.
const PLAN_WIDTH: usize = 8;

/// Adds the row of a follow-up to create for `rep`, without its id.
pub(super) fn plan_row<'a>(rows: &mut Vec<Param<'a>>, rep: i64, plan: &'a FollowUpPlan, here: Here) -> Result<()> {
    let client = this_client(plan.client, here)?;
    let (kind, n, recovery) = kind_columns(&plan.kind);
    let recovery = match recovery {
        Some(RecoveryRef::Id(id)) => Some(id.0),
        Some(RecoveryRef::This) => Some(here.recovery.ok_or_else(|| nothing_written("mishap"))?),
        None => None,
    };
    rows.extend(args![
        rep,
        client,
        kind,
        n,
        recovery,
        plan.anchor.as_second(),
        plan.due.as_second(),
        plan.note.as_deref()
    ]);
    Ok(())
}

/// Inserts follow-ups from rows of [`plan_row`]; their ids, in order.
pub(super) async fn insert<B: Backend>(conn: &mut Conn<B>, rows: &[Param<'_>]) -> Result<Vec<FollowUpId>> {
    let n = rows.len() / PLAN_WIDTH;
    if n == 0 {
        return Ok(Vec::new());
    }
    let ids = B::reserve_ids(conn, "follow_ups", n).await?;
    let mut values = Vec::with_capacity(n * (PLAN_WIDTH + 1));
    for (row, &id) in rows.chunks_exact(PLAN_WIDTH).zip(&ids) {
        values.push(Param::Int(id));
        values.extend_from_slice(row);
    }
    let head = "INSERT INTO follow_ups (id, rep_id, client_id, kind, n, recovery_id, anchor, due, note)";
    insert_rows::<B>(conn, head, "", PLAN_WIDTH + 1, values).await?;
    Ok(ids.into_iter().map(FollowUpId).collect())
}

/// A client to close: `(client, at, reason)`.
pub(super) type ClosureRow = (i64, i64, CloseReason);

pub(super) fn closure_row(closure: &ClientClosure, here: Here) -> Result<ClosureRow> {
    Ok((this_client(closure.client, here)?, closure.at.as_second(), closure.reason))
}

/// Closes the clients, in order (the last closure of a client is kept).
pub(super) async fn close<B: Backend>(conn: &mut Conn<B>, closures: &[ClosureRow]) -> Result<()> {
    let sql = "UPDATE clients SET closed_at = $2, closed_reason = $3 WHERE id = $1";
    for &(client, at, reason) in closures {
        B::execute(conn, sql, &args![client, at, reason.as_str()]).await?;
    }
    Ok(())
}

/// The client id `client` stands for (checked by [`Refs`] when stored).
fn this_client(client: ClientRef, here: Here) -> Result<i64> {
    match client {
        ClientRef::Id(id) => Ok(id.0),
        ClientRef::This => here.client.ok_or_else(|| nothing_written("client")),
    }
}

/// A follow-up naming "this client" or "this mishap" where none is written.
fn nothing_written(what: &str) -> StoreError {
    StoreError::Conflict(format!(
        "a follow-up names \"this {what}\", but no {what} is written with it: name a stored {what} instead"
    ))
}

/// `(kind, n, recovery)` as stored.
fn kind_columns(kind: &PlannedKind) -> (&'static str, Option<i64>, Option<RecoveryRef>) {
    match *kind {
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
            let recovery = r.opt_int(4)?.ok_or_else(|| undecodable("a mishap update without its mishap"))?;
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
