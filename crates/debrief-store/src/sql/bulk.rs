//! Loading many contacts in one transaction: the plan both backends share
//! (clients created per chunk, contact ids reserved up front so notes can
//! point at them), handed to each backend's set-based inserts.

use std::collections::HashMap;

use super::rows::Cols;
use super::write::ensure_all;
use super::{Backend, Conn};
use crate::{NewContact, NewReasonNote, ReasonRef, Result, StoreError};

/// How many contacts one set-based insert carries.
const CHUNK: usize = 20_000;

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
    let reps: Vec<i64> = contacts.iter().map(|c| c.rep.0).collect();
    let mut tx = store.begin_write().await?;
    ensure_all::<B>(&mut tx, "reps", "rep", &reps).await?;
    ensure_all::<B>(&mut tx, "reasons", "reason", &reasons).await?;
    for chunk in contacts.chunks(CHUNK) {
        load_chunk::<B>(&mut tx, chunk).await?;
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

async fn load_chunk<B: Backend>(conn: &mut Conn<B>, chunk: &[NewContact]) -> Result<()> {
    let t = std::time::Instant::now();
    let clients = client_ids::<B>(conn, chunk).await?;
    let t1 = t.elapsed();
    let ids = B::reserve_contact_ids(conn, chunk.len()).await?;
    let t2 = t.elapsed();
    let mut rows = Vec::with_capacity(chunk.len());
    let mut notes = Vec::new();
    for (c, &id) in chunk.iter().zip(&ids) {
        let client = clients.get(&c.rep.0).and_then(|names| names.get(c.client.as_str()));
        rows.push(contact_row(id, *client.ok_or(sqlx::Error::RowNotFound)?, c));
        push_notes(&mut notes, id, c)?;
    }
    let t3 = t.elapsed();
    B::bulk_contacts(conn, &rows).await?;
    let t4 = t.elapsed();
    if !notes.is_empty() {
        B::bulk_notes(conn, &notes).await?;
    }
    eprintln!("{} clients {t1:?} ids {:?} plan {:?} contacts {:?} notes {:?}", B::NAME, t2 - t1, t3 - t2, t4 - t3, t.elapsed() - t4);
    Ok(())
}

/// Creates the chunk's missing clients: the id of each client by rep, then name.
async fn client_ids<B: Backend>(
    conn: &mut Conn<B>,
    chunk: &[NewContact],
) -> Result<HashMap<i64, HashMap<String, i64>>> {
    let mut wanted: Vec<(i64, &str)> = chunk.iter().map(|c| (c.rep.0, c.client.as_str())).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut ids: HashMap<i64, HashMap<String, i64>> = HashMap::new();
    for row in B::bulk_clients(conn, &wanted).await? {
        ids.entry(row.int(1)?).or_default().insert(row.text(2)?, row.int(0)?);
    }
    Ok(ids)
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
