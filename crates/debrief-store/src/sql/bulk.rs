//! Loading many contacts in one transaction. What every backend shares: the
//! checks of a batch and the rows it becomes. The load itself as set-based
//! statements for a backend that takes a whole column in one parameter
//! ([`SetLoad`]: references checked once per batch, missing clients created
//! together, contacts put in (rep, time) order and given ids up front so
//! notes can point at them; their ownership items and follow-ups, far
//! fewer, in multi-row statements). SQLite has its own (`sqlite::load`).

use std::collections::HashMap;

use debrief_core::followup::FollowUpKind;
use debrief_core::model::ClientId;

use super::followup::kind_columns;
use super::ownership::flagged;
use super::read::any_contacts;
use super::rows::Cols;
use super::write::ensure_all;
use super::{Backend, Conn, Param, args, list_placeholders};
use async_trait::async_trait;
use tokio::sync::mpsc::Receiver;

use crate::{LoadBatch, NewContact, NewReasonNote, ReasonRef, Result, StoreError};

/// How many contacts are planned and handed to the backend at a time.
const CHUNK: usize = 25_000;
/// Bound parameters per multi-row statement (under SQLite's 32,766 and
/// PostgreSQL's 65,535).
const PARAMS: usize = 4_000;

/// A contact row ready to insert, its id already chosen.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BulkContact<'a> {
    pub id: i64,
    pub rep: i64,
    pub client: i64,
    pub at: i64,
    pub channel: &'static str,
    pub outcome: &'static str,
    pub new_lead: bool,
    pub better: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// A `contact_reasons` row ready to insert.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BulkNote<'a> {
    pub contact: i64,
    pub position: i32,
    pub reason: i64,
    pub text: &'a str,
    pub controllable: bool,
    pub do_differently: Option<&'a str>,
}

/// The inserts of a backend that loads a chunk of rows in one statement.
#[async_trait]
pub(crate) trait SetLoad: Backend {
    /// Creates the `(id, rep, name)` clients, skipping any `(rep, name)`
    /// that exists already; how many were created.
    async fn bulk_clients(conn: &mut Conn<Self>, clients: &[(i64, i64, &str)]) -> sqlx::Result<u64>;
    /// `n` fresh ids of `table` (`contacts` or `clients`), unused by anyone else.
    async fn reserve_ids(conn: &mut Conn<Self>, table: &'static str, n: usize) -> sqlx::Result<Vec<i64>>;
    async fn bulk_contacts(conn: &mut Conn<Self>, rows: &[BulkContact<'_>]) -> sqlx::Result<()>;
    async fn bulk_notes(conn: &mut Conn<Self>, rows: &[BulkNote<'_>]) -> sqlx::Result<()>;
}

/// [`crate::Store::bulk_log`] for a [`SetLoad`] backend.
pub(crate) async fn bulk_log<B: SetLoad>(store: &B, contacts: &[NewContact]) -> Result<u64> {
    if contacts.is_empty() {
        return Ok(0);
    }
    let mut conn = store.pool().acquire().await?;
    let mut tx = sqlx::Connection::begin_with(&mut *conn, B::BEGIN_WRITE).await?;
    let n = load::<B>(&mut tx, contacts).await?;
    tx.commit().await?;
    Ok(n)
}

/// [`crate::Store::bulk_load`] for a [`SetLoad`] backend: one transaction
/// around every batch.
pub(crate) async fn bulk_load<B: SetLoad>(store: &B, mut batches: Receiver<LoadBatch>) -> Result<u64> {
    let mut conn = store.pool().acquire().await?;
    let mut tx = sqlx::Connection::begin_with(&mut *conn, B::BEGIN_WRITE).await?;
    if any_contacts::<B>(&mut tx).await? {
        return Err(not_empty());
    }
    let mut total = 0;
    loop {
        match batches.recv().await {
            Some(LoadBatch::Contacts(contacts)) => total += load::<B>(&mut tx, &contacts).await?,
            Some(LoadBatch::End) => break,
            None => return Err(cut_short()),
        }
    }
    tx.commit().await?;
    Ok(total)
}

/// A bulk load into a database that holds contacts.
pub(crate) fn not_empty() -> StoreError {
    StoreError::Conflict("a bulk load goes only into a database without contacts".into())
}

/// Batches that stopped coming before [`LoadBatch::End`].
pub(crate) fn cut_short() -> StoreError {
    StoreError::Conflict("the bulk load ended without its last batch".into())
}

/// Loads `contacts` in the transaction `tx`; how many. What bulk loading
/// refuses is found before anything is written.
async fn load<B: SetLoad>(tx: &mut Conn<B>, contacts: &[NewContact]) -> Result<u64> {
    let reasons = existing_reasons(contacts)?;
    let named_clients = loop_clients(contacts)?;
    let reps: Vec<i64> = contacts.iter().map(|c| c.rep.0).collect();
    // Ids follow (rep, at), so inserts into the (rep_id, at) index stay local.
    let mut in_order: Vec<&NewContact> = contacts.iter().collect();
    in_order.sort_by_key(|c| (c.rep, c.at));
    ensure_all::<B>(tx, "reps", "rep", &reps).await?;
    ensure_all::<B>(tx, "reasons", "reason", &reasons).await?;
    ensure_clients_of::<B>(tx, &named_clients).await?;
    let clients = client_ids::<B>(tx, contacts).await?;
    let mut closures = Closures::new();
    for chunk in in_order.chunks(CHUNK) {
        load_chunk::<B>(tx, chunk, &clients, &mut closures).await?;
    }
    close_clients::<B>(tx, &closures).await?;
    Ok(contacts.len() as u64)
}

/// Every reason id the contacts use; `Conflict` for a reason new to the vocabulary.
pub(crate) fn existing_reasons(contacts: &[NewContact]) -> Result<Vec<i64>> {
    contacts.iter().flat_map(|c| &c.reasons).map(reason_id).collect()
}

fn reason_id(note: &NewReasonNote) -> Result<i64> {
    match &note.reason {
        ReasonRef::Existing(id) => Ok(id.0),
        ReasonRef::New { label, .. } => Err(StoreError::Conflict(format!(
            "bulk loading takes existing reasons only, not the new reason \"{label}\""
        ))),
    }
}

/// The clients to close: `client id → (at, reason)`.
pub(crate) type Closures = HashMap<i64, (i64, &'static str)>;

/// Notes the client `c` closes, if any (`client`: the contact's own); with
/// contacts in time order, a client's latest closure is the one kept.
pub(crate) fn note_closure(closures: &mut Closures, c: &NewContact, client: i64) {
    if let Some(close) = &c.follow_ups.close {
        closures.insert(or_own(close.client, client), (close.at.as_second(), close.reason));
    }
}

/// A follow-up as stored: `(client, kind, n, anchor, due, note)`.
pub(crate) type FollowUpRow<'a> = (i64, &'static str, Option<i64>, i64, i64, Option<&'a str>);

/// The follow-ups `c` creates (`client`: the contact's own).
pub(crate) fn follow_up_rows(c: &NewContact, client: i64) -> impl Iterator<Item = FollowUpRow<'_>> {
    c.follow_ups.create.iter().map(move |plan| {
        let (kind, n, _) = kind_columns(plan.kind);
        (or_own(plan.client, client), kind, n, plan.anchor.as_second(), plan.due.as_second(), plan.note.as_deref())
    })
}

async fn load_chunk<B: SetLoad>(
    conn: &mut Conn<B>,
    chunk: &[&NewContact],
    clients: &Clients,
    closures: &mut Closures,
) -> Result<()> {
    let ids = B::reserve_ids(conn, "contacts", chunk.len()).await?;
    let mut rows = Vec::with_capacity(chunk.len());
    let mut notes = Vec::new();
    let mut items = Vec::new();
    let mut follow_ups = Vec::new();
    for (&c, &id) in chunk.iter().zip(&ids) {
        let client = clients.get(&c.rep.0).and_then(|names| names.get(c.client.as_str()));
        let client = *client.ok_or(sqlx::Error::RowNotFound)?;
        rows.push(contact_row(id, client, c));
        let reasons = push_notes(&mut notes, id, c)?;
        for reason in flagged(c, &reasons) {
            items.extend(args![c.rep.0, id, client, reason, c.at.as_second()]);
        }
        for (client, kind, n, anchor, due, note) in follow_up_rows(c, client) {
            follow_ups.extend(args![c.rep.0, client, kind, n, None::<i64>, anchor, due, note]);
        }
        note_closure(closures, c, client);
    }
    B::bulk_contacts(conn, &rows).await?;
    if !notes.is_empty() {
        B::bulk_notes(conn, &notes).await?;
    }
    let head = "INSERT INTO ownership (rep_id, contact_id, client_id, reason_id, opened_at) VALUES";
    in_statements::<B>(conn, 5, &items, |values| format!("{head} {values}")).await?;
    let head = "INSERT INTO follow_ups (rep_id, client_id, kind, n, recovery_id, anchor, due, note) VALUES";
    in_statements::<B>(conn, 8, &follow_ups, |values| format!("{head} {values}")).await?;
    Ok(())
}

/// `client`, or the contact's own client for `ClientId(0)`.
pub(crate) fn or_own(client: ClientId, own: i64) -> i64 {
    if client == ClientId(0) { own } else { client.0 }
}

/// Closes the clients, each at its latest closure.
async fn close_clients<B: Backend>(conn: &mut Conn<B>, closures: &Closures) -> Result<()> {
    let params: Vec<Param<'_>> =
        closures.iter().flat_map(|(&client, &(at, reason))| args![client, at, reason]).collect();
    in_statements::<B>(conn, 3, &params, |values| {
        format!(
            "WITH v (id, closed_at, closed_reason) AS (VALUES {values}) \
             UPDATE clients SET closed_at = v.closed_at, closed_reason = v.closed_reason \
             FROM v WHERE clients.id = v.id"
        )
    })
    .await
}

/// The `(rep, client)` pairs the contacts' follow-ups name by id; `Conflict`
/// for a change bulk loading does not take.
pub(crate) fn loop_clients(contacts: &[NewContact]) -> Result<Vec<(i64, i64)>> {
    let mut named = Vec::new();
    for c in contacts {
        let f = &c.follow_ups;
        if !(f.complete.is_empty() && f.cancel.is_empty() && f.reschedule.is_empty()) {
            return Err(StoreError::Conflict(
                "bulk loading takes follow-ups to create and clients to close, not changes to stored follow-ups".into(),
            ));
        }
        if f.create.iter().any(|p| matches!(p.kind, FollowUpKind::MishapUpdate { .. })) {
            return Err(StoreError::Conflict("bulk loading takes no mishap updates: there are no mishaps".into()));
        }
        let clients = f.create.iter().map(|p| p.client).chain(f.close.as_ref().map(|x| x.client));
        named.extend(clients.filter(|&id| id != ClientId(0)).map(|id| (c.rep.0, id.0)));
    }
    named.sort_unstable();
    named.dedup();
    Ok(named)
}

/// `NotFound` for the first client of the `(rep, client)` pairs that is not that rep's.
async fn ensure_clients_of<B: Backend>(conn: &mut Conn<B>, pairs: &[(i64, i64)]) -> Result<()> {
    for chunk in pairs.chunks(1000) {
        let sql = format!("SELECT id, rep_id FROM clients WHERE id IN ({})", list_placeholders::<B>(1, chunk.len()));
        let params: Vec<Param<'_>> = chunk.iter().map(|&(_, id)| Param::Int(id)).collect();
        let mut found = Vec::new();
        for row in B::fetch(conn, &sql, &params).await? {
            found.push((row.int(1)?, row.int(0)?));
        }
        if let Some((_, missing)) = chunk.iter().find(|pair| !found.contains(pair)) {
            return Err(StoreError::NotFound { what: "client", id: missing.to_string() });
        }
    }
    Ok(())
}

/// Runs `statement(values)` for `params`, rows of `width` values, with as
/// many rows per statement as fit: `values` is `($1, $2), ($3, $4), …`.
pub(super) async fn in_statements<B: Backend>(
    conn: &mut Conn<B>,
    width: usize,
    params: &[Param<'_>],
    statement: impl Fn(&str) -> String,
) -> Result<()> {
    let per = PARAMS / width * width;
    for chunk in params.chunks(per) {
        let rows: Vec<String> =
            (0..chunk.len() / width).map(|r| format!("({})", list_placeholders::<B>(r * width + 1, width))).collect();
        B::execute(conn, &statement(&rows.join(", ")), chunk).await?;
    }
    Ok(())
}

/// Client ids by rep, then name.
type Clients = HashMap<i64, HashMap<String, i64>>;

/// Creates the missing clients of `contacts`; the ids of all their reps' clients.
async fn client_ids<B: SetLoad>(conn: &mut Conn<B>, contacts: &[NewContact]) -> Result<Clients> {
    let mut reps: Vec<i64> = contacts.iter().map(|c| c.rep.0).collect();
    reps.sort_unstable();
    reps.dedup();
    let known = clients_of::<B>(conn, &reps).await?;
    let is_known = |rep: i64, name: &str| known.get(&rep).is_some_and(|n| n.contains_key(name));
    let mut missing: Vec<(i64, &str)> =
        contacts.iter().map(|c| (c.rep.0, c.client.as_str())).filter(|&(rep, name)| !is_known(rep, name)).collect();
    if missing.is_empty() {
        return Ok(known);
    }
    missing.sort_unstable();
    missing.dedup();
    let ids = B::reserve_ids(conn, "clients", missing.len()).await?;
    let rows: Vec<(i64, i64, &str)> = ids.iter().zip(&missing).map(|(&id, &(rep, name))| (id, rep, name)).collect();
    let mut created = 0;
    for part in rows.chunks(CHUNK) {
        created += B::bulk_clients(conn, part).await?;
    }
    if created < rows.len() as u64 {
        // Another writer created some of them meanwhile: read them back.
        return clients_of::<B>(conn, &reps).await;
    }
    let mut clients = known;
    for (id, rep, name) in rows {
        clients.entry(rep).or_default().insert(name.to_string(), id);
    }
    Ok(clients)
}

/// Every client of `reps`.
async fn clients_of<B: Backend>(conn: &mut Conn<B>, reps: &[i64]) -> Result<Clients> {
    let mut clients = Clients::new();
    for part in reps.chunks(1000) {
        let sql =
            format!("SELECT id, rep_id, name FROM clients WHERE rep_id IN ({})", list_placeholders::<B>(1, part.len()));
        let params: Vec<Param<'_>> = part.iter().map(|&rep| Param::Int(rep)).collect();
        for row in B::fetch(conn, &sql, &params).await? {
            clients.entry(row.int(1)?).or_default().insert(row.text(2)?, row.int(0)?);
        }
    }
    Ok(clients)
}

pub(crate) fn contact_row(id: i64, client: i64, c: &NewContact) -> BulkContact<'_> {
    BulkContact {
        id,
        rep: c.rep.0,
        client,
        at: c.at.as_second(),
        channel: c.channel.as_str(),
        outcome: c.outcome.as_str(),
        new_lead: c.new_lead,
        better: c.better.as_deref(),
        note: c.note.as_deref(),
    }
}

/// Adds the contact's notes; the reason id of each.
pub(crate) fn push_notes<'a>(notes: &mut Vec<BulkNote<'a>>, contact: i64, c: &'a NewContact) -> Result<Vec<i64>> {
    let mut reasons = Vec::with_capacity(c.reasons.len());
    for (position, n) in (0..).zip(&c.reasons) {
        let reason = reason_id(n)?;
        reasons.push(reason);
        notes.push(BulkNote {
            contact,
            position,
            reason,
            text: &n.text,
            controllable: n.controllable,
            do_differently: n.do_differently.as_deref(),
        });
    }
    Ok(reasons)
}
