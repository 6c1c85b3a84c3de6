//! Contacts from another system (a CRM's export), each known there by a
//! key: written once, updated when what the source says of it changed, and
//! lost ones waiting in triage until the rep files their reason.

use std::collections::HashMap;

use debrief_core::model::{ContactId, Outcome, RepId};

use super::insert::insert_rows;
use super::read;
use super::refs::{current_reasons, reason_by_label};
use super::rows::{CONTACT_FIELDS, Cols, contact_values};
use super::write::Writer;
use super::{Backend, Conn, Param, args, fetch_one, fetch_optional, list_placeholders};
use crate::{NewReasonNote, ReasonRef, Result, Sourced, SourcedCounts, StoreError, TriageItem};

/// Keys looked up per statement.
const KEYS: usize = 512;

/// For each key, the contact and digest stored under it in `source`.
pub(super) async fn stored<B: Backend>(
    conn: &mut Conn<B>,
    source: &str,
    keys: &[&str],
) -> Result<HashMap<String, (i64, String)>> {
    let mut found = HashMap::new();
    for chunk in keys.chunks(KEYS) {
        // Padded to a power of two (the last key again), so a few statements serve every length.
        let padded = chunk.len().next_power_of_two();
        let sql = format!(
            "SELECT source_id, contact_id, digest FROM contact_sources WHERE source = {} AND source_id IN ({})",
            list_placeholders::<B>(1, 1),
            list_placeholders::<B>(2, padded)
        );
        let mut params = vec![Param::Text(source)];
        let last = chunk.last().copied().unwrap_or_default();
        params.extend(chunk.iter().chain(std::iter::repeat(&last)).take(padded).map(|&k| Param::Text(k)));
        for row in B::fetch(conn, &sql, &params).await? {
            found.insert(row.text(0)?, (row.int(1)?, row.text(2)?));
        }
    }
    Ok(found)
}

/// Whether `source` holds no rows.
pub(super) async fn is_empty<B: Backend>(conn: &mut Conn<B>, source: &str) -> Result<bool> {
    let sql = "SELECT 1 FROM contact_sources WHERE source = $1 LIMIT 1";
    Ok(fetch_optional::<B>(conn, sql, &args![source]).await?.is_none())
}

/// Writes a batch: new keys become contacts, changed ones are updated
/// (their filed reasons kept while they stay lost), the rest left alone.
/// `fresh`: the source had no rows when the load began, so every key of a
/// load (whose keys differ) is new and none is looked up.
pub(super) async fn write<B: Backend>(
    conn: &mut Conn<B>,
    writer: &mut Writer,
    source: &str,
    batch: Vec<Sourced>,
    fresh: bool,
) -> Result<SourcedCounts> {
    let known = match fresh {
        true => HashMap::new(),
        false => {
            let keys: Vec<&str> = batch.iter().map(|s| s.key.as_str()).collect();
            stored::<B>(conn, source, &keys).await?
        }
    };
    let mut counts = SourcedCounts::default();
    let (mut new, mut new_marks, mut changed) = (Vec::new(), Vec::new(), Vec::new());
    for s in batch {
        match known.get(&s.key) {
            None => {
                new_marks.push((s.key, s.digest, s.triage));
                new.push(s.contact);
            }
            Some((_, digest)) if *digest == s.digest => counts.unchanged += 1,
            Some(&(id, _)) => changed.push((id, s)),
        }
    }
    if !new.is_empty() {
        let ids = writer.write::<B>(conn, &new).await?;
        let mut rows: Vec<Param<'_>> = Vec::with_capacity(new.len() * 4);
        let mut waiting: Vec<Param<'_>> = Vec::new();
        for ((key, digest, triage), id) in new_marks.iter().zip(&ids) {
            rows.extend(args![source, key.as_str(), id.0, digest.as_str()]);
            if let Some(text) = triage {
                waiting.extend(args![id.0, text.as_str()]);
            }
        }
        insert_rows::<B>(conn, "INSERT INTO contact_sources (source, source_id, contact_id, digest)", "", 4, rows)
            .await?;
        insert_rows::<B>(conn, "INSERT INTO triage (contact_id, text)", "", 2, waiting).await?;
        counts.added += ids.len() as u64;
    }
    if !changed.is_empty() {
        let contacts: Vec<_> = changed.iter().map(|(_, s)| s.contact.clone()).collect();
        let resolved = writer.resolve::<B>(conn, &contacts).await?;
        let set: Vec<String> = CONTACT_FIELDS.iter().zip(1..).map(|(column, i)| format!("{column} = ${i}")).collect();
        let update = format!("UPDATE contacts SET {} WHERE id = ${}", set.join(", "), CONTACT_FIELDS.len() + 1);
        for ((id, s), found) in changed.iter().zip(&resolved) {
            let mut params = contact_values(&s.contact, found.client).to_vec();
            params.push(Param::Int(*id));
            B::execute(conn, &update, &params).await?;
            let sql = "UPDATE contact_sources SET digest = $1 WHERE contact_id = $2";
            B::execute(conn, sql, &args![s.digest.as_str(), *id]).await?;
            match (&s.triage, s.contact.outcome) {
                (Some(text), _) => {
                    let filed = "SELECT 1 FROM contact_reasons WHERE contact_id = $1";
                    if fetch_optional::<B>(conn, filed, &args![*id]).await?.is_none() {
                        let sql = "INSERT INTO triage (contact_id, text) VALUES ($1, $2) \
                                   ON CONFLICT (contact_id) DO UPDATE SET text = excluded.text";
                        B::execute(conn, sql, &args![*id, text.as_str()]).await?;
                    }
                }
                (None, outcome) => {
                    B::execute(conn, "DELETE FROM triage WHERE contact_id = $1", &args![*id]).await?;
                    if outcome != Outcome::Lost {
                        B::execute(conn, "DELETE FROM ownership WHERE contact_id = $1", &args![*id]).await?;
                        B::execute(conn, "DELETE FROM contact_reasons WHERE contact_id = $1", &args![*id]).await?;
                    }
                }
            }
            counts.updated += 1;
        }
    }
    Ok(counts)
}

/// How many of the rep's contacts wait for triage.
pub(super) async fn triage_count<B: Backend>(store: &B, rep: RepId) -> Result<u64> {
    let mut conn = store.pool().acquire().await?;
    let sql = "SELECT COUNT(*) FROM triage t JOIN contacts c ON c.id = t.contact_id WHERE c.rep_id = $1";
    Ok(fetch_one::<B>(&mut conn, sql, &args![rep.0]).await?.int(0)? as u64)
}

/// The source's reason of a contact waiting for triage; `None` when it does not wait.
pub(super) async fn triage_text<B: Backend>(store: &B, contact: ContactId) -> Result<Option<String>> {
    let mut conn = store.pool().acquire().await?;
    let row =
        fetch_optional::<B>(&mut conn, "SELECT text FROM triage WHERE contact_id = $1", &args![contact.0]).await?;
    row.map(|r| r.text(0)).transpose().map_err(Into::into)
}

/// The rep's contacts waiting for triage, newest first.
pub(super) async fn triage<B: Backend>(store: &B, rep: RepId, limit: u32) -> Result<Vec<TriageItem>> {
    let rows = {
        let mut conn = store.pool().acquire().await?;
        let sql = "SELECT t.contact_id, t.text FROM triage t JOIN contacts c ON c.id = t.contact_id \
                   WHERE c.rep_id = $1 ORDER BY c.at DESC, c.id DESC LIMIT $2";
        B::fetch(&mut conn, sql, &args![rep.0, i64::from(limit)]).await?
    };
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let contact = read::contact(store, ContactId(row.int(0)?)).await?;
        items.push(TriageItem { contact, text: row.text(1)? });
    }
    Ok(items)
}

/// Files the reason of a contact waiting for triage: the note becomes its
/// first reason and the contact leaves triage. `NotFound` when it was not waiting.
pub(super) async fn file<B: Backend>(store: &B, contact: ContactId, note: &NewReasonNote) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let waiting = "SELECT 1 FROM triage WHERE contact_id = $1";
    if fetch_optional::<B>(&mut tx, &format!("{waiting}{}", B::FOR_UPDATE), &args![contact.0]).await?.is_none() {
        return Err(StoreError::NotFound { what: "contact waiting for triage", id: contact.to_string() });
    }
    let reason = match &note.reason {
        ReasonRef::Existing(id) => {
            let now = current_reasons::<B>(&mut tx, &[id.0], B::FOR_SHARE).await?;
            *now.get(&id.0).ok_or_else(|| StoreError::NotFound { what: "reason", id: id.to_string() })?
        }
        ReasonRef::New { label, controllable } => reason_by_label::<B>(&mut tx, label, *controllable).await?,
    };
    let next = "SELECT CAST(COALESCE(MAX(position) + 1, 0) AS BIGINT) FROM contact_reasons WHERE contact_id = $1";
    let position = fetch_one::<B>(&mut tx, next, &args![contact.0]).await?.int(0)?;
    let sql = "INSERT INTO contact_reasons (contact_id, position, reason_id, text, controllable, do_differently) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    let values =
        args![contact.0, position, reason, note.text.as_str(), note.controllable, note.do_differently.as_deref()];
    B::execute(&mut tx, sql, &values).await?;
    let key = debrief_core::matching::key(&note.text);
    if !key.is_empty() {
        let sql = "INSERT INTO reason_texts (reason_id, key, text) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING";
        B::execute(&mut tx, sql, &args![reason, key.as_str(), note.text.as_str()]).await?;
    }
    B::execute(&mut tx, "DELETE FROM triage WHERE contact_id = $1", &args![contact.0]).await?;
    tx.commit().await?;
    Ok(())
}

/// Where each of the rep's imported contacts came from: `(contact, source, key, digest)`.
pub(super) async fn sources<B: Backend>(store: &B, rep: RepId) -> Result<Vec<(ContactId, String, String, String)>> {
    let mut conn = store.pool().acquire().await?;
    let sql = "SELECT s.contact_id, s.source, s.source_id, s.digest FROM contact_sources s \
               JOIN contacts c ON c.id = s.contact_id WHERE c.rep_id = $1 ORDER BY s.contact_id";
    let rows = B::fetch(&mut conn, sql, &args![rep.0]).await?;
    rows.iter().map(|r| Ok((ContactId(r.int(0)?), r.text(1)?, r.text(2)?, r.text(3)?))).collect()
}

/// The rep's contacts waiting for triage with the source's reason: `(contact, text)`.
pub(super) async fn triage_texts<B: Backend>(store: &B, rep: RepId) -> Result<Vec<(ContactId, String)>> {
    let mut conn = store.pool().acquire().await?;
    let sql = "SELECT t.contact_id, t.text FROM triage t JOIN contacts c ON c.id = t.contact_id \
               WHERE c.rep_id = $1 ORDER BY t.contact_id";
    let rows = B::fetch(&mut conn, sql, &args![rep.0]).await?;
    rows.iter().map(|r| Ok((ContactId(r.int(0)?), r.text(1)?))).collect()
}

/// Records, inside an import's transaction, where imported contacts came
/// from and which wait for triage (`ids` are the contacts written, in order).
pub(super) async fn import_marks<B: Backend>(
    conn: &mut Conn<B>,
    ids: &[ContactId],
    sources: &[crate::ImportedSource],
    triage: &[(usize, String)],
) -> Result<()> {
    let contact = |i: usize| {
        ids.get(i)
            .map(|id| id.0)
            .ok_or_else(|| StoreError::Conflict(format!("the file names contact {i}, which it does not hold")))
    };
    let mut rows: Vec<Param<'_>> = Vec::with_capacity(sources.len() * 4);
    for s in sources {
        rows.extend(args![s.source.as_str(), s.key.as_str(), contact(s.contact)?, s.digest.as_str()]);
    }
    insert_rows::<B>(conn, "INSERT INTO contact_sources (source, source_id, contact_id, digest)", "", 4, rows).await?;
    let mut rows: Vec<Param<'_>> = Vec::with_capacity(triage.len() * 2);
    for (i, text) in triage {
        rows.extend(args![contact(*i)?, text.as_str()]);
    }
    insert_rows::<B>(conn, "INSERT INTO triage (contact_id, text)", "", 2, rows).await?;
    Ok(())
}
