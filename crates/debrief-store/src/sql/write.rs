//! The store's single writes: reps, and logging, replacing and deleting one
//! contact with its client, new reasons, notes, ownership items and
//! follow-up changes, each in one transaction.

use std::collections::HashSet;

use debrief_core::model::{ContactId, RepId};

use super::followup::{self, Here};
use super::ownership;
use super::rows::Cols;
use super::vocab::{reason_by_label, remember_text};
use super::{Backend, Conn, Param, args, fetch_one, fetch_optional, list_placeholders};
use crate::{NewContact, ReasonRef, Result, StoreError};

pub(super) async fn rep<B: Backend>(store: &B, name: &str) -> Result<RepId> {
    // Nearly always the rep exists: a read then, not a write transaction.
    let mut conn = store.pool().acquire().await?;
    if let Some(row) = fetch_optional::<B>(&mut conn, "SELECT id FROM reps WHERE name = $1", &args![name]).await? {
        return Ok(RepId(row.int(0)?));
    }
    drop(conn);
    Ok(ensure_reps(store, &[name]).await?[0])
}

/// The reps of those names, in order, the new ones created in one transaction.
pub(super) async fn ensure_reps<B: Backend>(store: &B, names: &[&str]) -> Result<Vec<RepId>> {
    let mut tx = store.begin_write().await?;
    let mut ids = Vec::with_capacity(names.len());
    for &name in names {
        let id = get_or_create::<B>(
            &mut tx,
            "INSERT INTO reps (name) VALUES ($1) ON CONFLICT (name) DO NOTHING",
            "SELECT id FROM reps WHERE name = $1",
            &args![name],
        )
        .await?;
        ids.push(RepId(id));
    }
    tx.commit().await?;
    Ok(ids)
}

/// Runs `insert` (which must do nothing on conflict), then `select` for the id.
pub(super) async fn get_or_create<B: Backend>(
    conn: &mut Conn<B>,
    insert: &str,
    select: &str,
    params: &[Param<'_>],
) -> Result<i64> {
    B::execute(conn, insert, params).await?;
    Ok(fetch_one::<B>(conn, select, params).await?.int(0)?)
}

const INSERT_CONTACT: &str = "INSERT INTO contacts \
    (rep_id, client_id, at, channel, outcome, new_lead, better, note) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

const UPDATE_CONTACT: &str = "UPDATE contacts SET rep_id = $1, client_id = $2, at = $3, \
    channel = $4, outcome = $5, new_lead = $6, better = $7, note = $8 WHERE id = $9";

/// The values of `INSERT_CONTACT` and `UPDATE_CONTACT`, `$1` to `$8`.
fn contact_args(c: &NewContact, client: i64) -> Vec<Param<'_>> {
    args![
        c.rep.0,
        client,
        c.at.as_second(),
        c.channel.as_str(),
        c.outcome.as_str(),
        c.new_lead,
        c.better.as_deref(),
        c.note.as_deref(),
    ]
    .to_vec()
}

pub(super) async fn log_contact<B: Backend>(store: &B, c: &NewContact) -> Result<ContactId> {
    let mut tx = store.begin_write().await?;
    let (client, reasons) = prepare::<B>(&mut tx, c).await?;
    let id = fetch_one::<B>(&mut tx, INSERT_CONTACT, &contact_args(c, client)).await?.int(0)?;
    insert_notes::<B>(&mut tx, id, c, &reasons).await?;
    loop_items::<B>(&mut tx, id, c, client, &reasons).await?;
    tx.commit().await?;
    Ok(ContactId(id))
}

pub(super) async fn update_contact<B: Backend>(store: &B, id: ContactId, c: &NewContact) -> Result<()> {
    let mut tx = store.begin_write().await?;
    ensure_exists::<B>(&mut tx, "contacts", "contact", id.0).await?;
    let (client, reasons) = prepare::<B>(&mut tx, c).await?;
    let mut params = contact_args(c, client);
    params.push(Param::Int(id.0));
    B::execute(&mut tx, UPDATE_CONTACT, &params).await?;
    B::execute(&mut tx, "DELETE FROM contact_reasons WHERE contact_id = $1", &args![id.0]).await?;
    insert_notes::<B>(&mut tx, id.0, c, &reasons).await?;
    loop_items::<B>(&mut tx, id.0, c, client, &reasons).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn delete_contact<B: Backend>(store: &B, id: ContactId) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let deleted = B::execute(&mut tx, "DELETE FROM contacts WHERE id = $1", &args![id.0]).await?;
    if deleted == 0 {
        return Err(StoreError::NotFound { what: "contact", id: id.to_string() });
    }
    tx.commit().await?;
    Ok(())
}

/// Checks the rep, creates the client and new reasons: `(client id, reason id per note)`.
async fn prepare<B: Backend>(conn: &mut Conn<B>, c: &NewContact) -> Result<(i64, Vec<i64>)> {
    ensure_exists::<B>(conn, "reps", "rep", c.rep.0).await?;
    let existing: Vec<i64> = c
        .reasons
        .iter()
        .filter_map(|n| match n.reason {
            ReasonRef::Existing(id) => Some(id.0),
            ReasonRef::New { .. } => None,
        })
        .collect();
    ensure_all::<B>(conn, "reasons", "reason", &existing).await?;
    let mut reasons = Vec::with_capacity(c.reasons.len());
    for note in &c.reasons {
        reasons.push(match &note.reason {
            ReasonRef::Existing(id) => id.0,
            ReasonRef::New { label, controllable } => reason_by_label::<B>(conn, label, *controllable).await?,
        });
    }
    let client = get_or_create::<B>(
        conn,
        "INSERT INTO clients (rep_id, name) VALUES ($1, $2) ON CONFLICT (rep_id, name) DO NOTHING",
        "SELECT id FROM clients WHERE rep_id = $1 AND name = $2",
        &args![c.rep.0, c.client.as_str()],
    )
    .await?;
    Ok((client, reasons))
}

/// Inserts the contact's notes in order and remembers each text for its reason.
async fn insert_notes<B: Backend>(conn: &mut Conn<B>, contact: i64, c: &NewContact, reasons: &[i64]) -> Result<()> {
    let sql = "INSERT INTO contact_reasons \
        (contact_id, position, reason_id, text, controllable, do_differently) \
        VALUES ($1, $2, $3, $4, $5, $6)";
    for (position, (note, &reason)) in (0_i64..).zip(c.reasons.iter().zip(reasons)) {
        let params =
            args![contact, position, reason, note.text.as_str(), note.controllable, note.do_differently.as_deref(),];
        B::execute(conn, sql, &params).await?;
        remember_text::<B>(conn, reason, &note.text).await?;
    }
    Ok(())
}

/// The contact's ownership items and follow-up changes.
async fn loop_items<B: Backend>(
    conn: &mut Conn<B>,
    contact: i64,
    c: &NewContact,
    client: i64,
    reasons: &[i64],
) -> Result<()> {
    ownership::on_contact::<B>(conn, contact, c, client, reasons).await?;
    let here = Here { client: Some(client), recovery: None };
    followup::apply::<B>(conn, c.rep.0, &c.follow_ups, here).await?;
    Ok(())
}

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
    let mut wanted = ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    for chunk in wanted.chunks(1000) {
        let sql = format!("SELECT id FROM {table} WHERE id IN ({})", list_placeholders::<B>(1, chunk.len()));
        let params: Vec<Param<'_>> = chunk.iter().map(|&id| Param::Int(id)).collect();
        let found =
            B::fetch(conn, &sql, &params).await?.iter().map(|r| r.int(0)).collect::<sqlx::Result<HashSet<i64>>>()?;
        if let Some(missing) = chunk.iter().find(|id| !found.contains(id)) {
            return Err(StoreError::NotFound { what, id: missing.to_string() });
        }
    }
    Ok(())
}
