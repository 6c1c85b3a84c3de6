//! Loading many contacts in one transaction: the plan both backends share
//! (references checked once, missing clients created together, contacts put
//! in (rep, time) order and given ids up front so notes can point at them),
//! handed to each backend's set-based inserts.

use std::collections::HashMap;

use super::rows::Cols;
use super::write::ensure_all;
use super::{Backend, Conn, Param, placeholders};
use crate::{NewContact, NewReasonNote, ReasonRef, Result, StoreError};

/// How many contacts are planned and handed to the backend at a time.
const CHUNK: usize = 25_000;

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

pub(super) async fn bulk_log<B: Backend>(store: &B, contacts: &[NewContact]) -> Result<u64> {
    let reasons = existing_reasons(contacts)?;
    if contacts.is_empty() {
        return Ok(0);
    }
    let reps: Vec<i64> = contacts.iter().map(|c| c.rep.0).collect();
    // Ids follow (rep, at), so inserts into the (rep_id, at) index stay local.
    let mut in_order: Vec<&NewContact> = contacts.iter().collect();
    in_order.sort_by_key(|c| (c.rep, c.at));
    let mut conn = store.bulk_connection().await?;
    let mut tx = sqlx::Connection::begin_with(&mut *conn, B::BEGIN_WRITE).await?;
    ensure_all::<B>(&mut tx, "reps", "rep", &reps).await?;
    ensure_all::<B>(&mut tx, "reasons", "reason", &reasons).await?;
    let clients = client_ids::<B>(&mut tx, contacts).await?;
    for chunk in in_order.chunks(CHUNK) {
        load_chunk::<B>(&mut tx, chunk, &clients).await?;
    }
    tx.commit().await?;
    Ok(contacts.len() as u64)
}

/// Every reason id the contacts use; `Conflict` for a reason new to the vocabulary.
fn existing_reasons(contacts: &[NewContact]) -> Result<Vec<i64>> {
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

async fn load_chunk<B: Backend>(conn: &mut Conn<B>, chunk: &[&NewContact], clients: &Clients) -> Result<()> {
    let ids = B::reserve_contact_ids(conn, chunk.len()).await?;
    let mut rows = Vec::with_capacity(chunk.len());
    let mut notes = Vec::new();
    for (&c, &id) in chunk.iter().zip(&ids) {
        let client = clients.get(&c.rep.0).and_then(|names| names.get(c.client.as_str()));
        rows.push(contact_row(id, *client.ok_or(sqlx::Error::RowNotFound)?, c));
        push_notes(&mut notes, id, c)?;
    }
    B::bulk_contacts(conn, &rows).await?;
    if !notes.is_empty() {
        B::bulk_notes(conn, &notes).await?;
    }
    Ok(())
}

/// Client ids by rep, then name.
type Clients = HashMap<i64, HashMap<String, i64>>;

/// Creates the missing clients of `contacts`; the ids of all their reps' clients.
async fn client_ids<B: Backend>(conn: &mut Conn<B>, contacts: &[NewContact]) -> Result<Clients> {
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
    for part in missing.chunks(CHUNK) {
        B::bulk_clients(conn, part).await?;
    }
    clients_of::<B>(conn, &reps).await
}

/// Every client of `reps`.
async fn clients_of<B: Backend>(conn: &mut Conn<B>, reps: &[i64]) -> Result<Clients> {
    let mut clients = Clients::new();
    for part in reps.chunks(1000) {
        let sql = format!("SELECT id, rep_id, name FROM clients WHERE rep_id IN ({})", placeholders(1, part.len()));
        let params: Vec<Param<'_>> = part.iter().map(|&rep| Param::Int(rep)).collect();
        for row in B::fetch(conn, &sql, &params).await? {
            clients.entry(row.int(1)?).or_default().insert(row.text(2)?, row.int(0)?);
        }
    }
    Ok(clients)
}

fn contact_row(id: i64, client: i64, c: &NewContact) -> BulkContact<'_> {
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

fn push_notes<'a>(notes: &mut Vec<BulkNote<'a>>, contact: i64, c: &'a NewContact) -> Result<()> {
    for (position, n) in (0..).zip(&c.reasons) {
        notes.push(BulkNote {
            contact,
            position,
            reason: reason_id(n)?,
            text: &n.text,
            controllable: n.controllable,
            do_differently: n.do_differently.as_deref(),
        });
    }
    Ok(())
}
