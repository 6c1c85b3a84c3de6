//! Recoveries from mishaps: opened with their client and first follow-ups,
//! steps recorded in order (a `resolved` one closes the recovery), read one
//! at a time or by rep with their steps.

use std::collections::HashMap;

use debrief_core::mishap::{MishapKind, Recovery, RecoveryId, Step, StepRecord};
use debrief_core::model::{ClientId, RepId};
use jiff::Timestamp;

use super::followup::{self, Here};
use super::refs::ensure_exists;
use super::rows::Cols;
use super::write::get_or_create;
use super::{Backend, Conn, args, fetch_one, fetch_optional};
use crate::{FollowUpChanges, Result, StoreError};

/// A mishap about to be opened.
pub(super) struct NewMishap<'a> {
    pub rep: RepId,
    pub client: &'a str,
    pub kind: MishapKind,
    pub what: &'a str,
    pub at: Timestamp,
}

pub(super) async fn open<B: Backend>(store: &B, m: &NewMishap<'_>, follow_ups: &FollowUpChanges) -> Result<RecoveryId> {
    let mut tx = store.begin_write().await?;
    ensure_exists::<B>(&mut tx, "reps", "rep", m.rep.0).await?;
    let client = get_or_create::<B>(
        &mut tx,
        "INSERT INTO clients (rep_id, name) VALUES ($1, $2) ON CONFLICT (rep_id, name) DO NOTHING",
        "SELECT id FROM clients WHERE rep_id = $1 AND name = $2",
        &args![m.rep.0, m.client],
    )
    .await?;
    let sql = "INSERT INTO recoveries (rep_id, client_id, kind, what, at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
    let params = args![m.rep.0, client, m.kind.as_str(), m.what, m.at.as_second()];
    let id = fetch_one::<B>(&mut tx, sql, &params).await?.int(0)?;
    let here = Here { client: Some(client), recovery: Some(id) };
    followup::apply::<B>(&mut tx, m.rep.0, follow_ups, here).await?;
    tx.commit().await?;
    Ok(RecoveryId(id))
}

pub(super) async fn add_step<B: Backend>(
    store: &B,
    id: RecoveryId,
    step: &StepRecord,
    follow_ups: &FollowUpChanges,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let (rep, client) = owner::<B>(&mut tx, id).await?;
    let sql = "INSERT INTO recovery_steps (recovery_id, seq, step, at, text, client_said) \
               SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5 FROM recovery_steps WHERE recovery_id = $1";
    let params =
        args![id.0, step.step.as_str(), step.at.as_second(), step.text.as_deref(), step.client_said.as_deref()];
    B::execute(&mut tx, sql, &params).await?;
    if step.step == Step::Resolved {
        let sql = "UPDATE recoveries SET resolved_at = $2 WHERE id = $1 AND resolved_at IS NULL";
        B::execute(&mut tx, sql, &args![id.0, step.at.as_second()]).await?;
    }
    let here = Here { client: Some(client), recovery: Some(id.0) };
    followup::apply::<B>(&mut tx, rep, follow_ups, here).await?;
    tx.commit().await?;
    Ok(())
}

/// `(rep, client)` of a recovery; `NotFound` when there is none.
async fn owner<B: Backend>(conn: &mut Conn<B>, id: RecoveryId) -> Result<(i64, i64)> {
    let sql = "SELECT rep_id, client_id FROM recoveries WHERE id = $1";
    let row = fetch_optional::<B>(conn, sql, &args![id.0]).await?.ok_or_else(|| not_found(id))?;
    Ok((row.int(0)?, row.int(1)?))
}

/// The columns [`recovery_row`] reads, in order, then `rep_id`.
const COLUMNS: &str = "id, client_id, kind, what, at, rep_id";
const STEP_COLUMNS: &str = "s.recovery_id, s.step, s.at, s.text, s.client_said";

pub(super) async fn recovery<B: Backend>(store: &B, id: RecoveryId) -> Result<(RepId, Recovery)> {
    let mut tx = store.pool().begin().await?;
    let sql = format!("SELECT {COLUMNS} FROM recoveries WHERE id = $1");
    let row = fetch_optional::<B>(&mut tx, &sql, &args![id.0]).await?.ok_or_else(|| not_found(id))?;
    let mut found = vec![recovery_row(&row)?];
    let sql = format!("SELECT {STEP_COLUMNS} FROM recovery_steps s WHERE s.recovery_id = $1 ORDER BY s.seq");
    attach_steps(&mut found, &B::fetch(&mut tx, &sql, &args![id.0]).await?)?;
    tx.commit().await?;
    Ok((RepId(row.int(5)?), found.remove(0)))
}

pub(super) async fn recoveries<B: Backend>(store: &B, rep: RepId, open_only: bool) -> Result<Vec<Recovery>> {
    // A literal condition, so that it matches the partial index `recoveries_open`.
    let open = if open_only { " AND resolved_at IS NULL" } else { "" };
    let mut tx = store.pool().begin().await?;
    let sql = format!("SELECT {COLUMNS} FROM recoveries WHERE rep_id = $1{open} ORDER BY at, id");
    let rows = B::fetch(&mut tx, &sql, &args![rep.0]).await?;
    let mut found = rows.iter().map(recovery_row).collect::<sqlx::Result<Vec<_>>>()?;
    let sql = format!(
        "SELECT {STEP_COLUMNS} FROM recovery_steps s JOIN recoveries r ON r.id = s.recovery_id \
         WHERE r.rep_id = $1{open} ORDER BY s.recovery_id, s.seq"
    );
    attach_steps(&mut found, &B::fetch(&mut tx, &sql, &args![rep.0]).await?)?;
    tx.commit().await?;
    Ok(found)
}

fn not_found(id: RecoveryId) -> StoreError {
    StoreError::NotFound { what: "recovery", id: id.to_string() }
}

/// A row selected with [`COLUMNS`], without its steps.
fn recovery_row(r: &impl Cols) -> sqlx::Result<Recovery> {
    Ok(Recovery {
        id: RecoveryId(r.int(0)?),
        client: ClientId(r.int(1)?),
        kind: r.keyword(2)?,
        what: r.text(3)?,
        at: r.time(4)?,
        steps: Vec::new(),
    })
}

/// Attaches step rows (selected with [`STEP_COLUMNS`], in order) to their recoveries.
fn attach_steps(recoveries: &mut [Recovery], steps: &[impl Cols]) -> sqlx::Result<()> {
    let index: HashMap<i64, usize> = recoveries.iter().enumerate().map(|(i, r)| (r.id.0, i)).collect();
    for row in steps {
        let record = StepRecord {
            step: row.keyword(1)?,
            at: row.time(2)?,
            text: row.opt_text(3)?,
            client_said: row.opt_text(4)?,
        };
        if let Some(&i) = index.get(&row.int(0)?) {
            recoveries[i].steps.push(record);
        }
    }
    Ok(())
}
