//! The reason vocabulary: reasons with every way they were written, adding,
//! merging and renaming reasons.

use std::collections::BTreeMap;

use debrief_core::matching;
use debrief_core::model::ReasonId;

use super::refs::current_reasons;
use super::rows::{self, Cols};
use super::{Backend, Conn, args, fetch_optional};
use crate::{ReasonTexts, Result, StoreError};

pub(super) async fn vocabulary<B: Backend>(store: &B) -> Result<Vec<ReasonTexts>> {
    let mut tx = store.pool().begin().await?;
    let reasons = B::fetch(&mut tx, "SELECT id, label, controllable FROM reasons", &[]).await?;
    let texts = B::fetch(&mut tx, "SELECT reason_id, text FROM reason_texts", &[]).await?;
    tx.commit().await?;
    let mut by_id = BTreeMap::new();
    for row in &reasons {
        let reason = rows::reason(row)?;
        by_id.insert(reason.id, ReasonTexts { reason, texts: Vec::new() });
    }
    for row in &texts {
        if let Some(entry) = by_id.get_mut(&ReasonId(row.int(0)?)) {
            entry.texts.push(row.text(1)?);
        }
    }
    // Sorted here, not in SQL: the two backends collate text differently.
    let mut vocabulary: Vec<ReasonTexts> = by_id.into_values().collect();
    vocabulary.iter_mut().for_each(|r| r.texts.sort());
    vocabulary.sort_by(|a, b| a.reason.label.cmp(&b.reason.label));
    Ok(vocabulary)
}

pub(super) async fn add_reasons<B: Backend>(store: &B, reasons: &[ReasonTexts]) -> Result<usize> {
    let mut tx = store.begin_write().await?;
    let mut added = 0;
    for r in reasons {
        let Some(id) = insert_reason::<B>(&mut tx, &r.reason.label, r.reason.controllable).await? else {
            continue;
        };
        added += 1;
        for text in &r.texts {
            remember_text::<B>(&mut tx, id, text).await?;
        }
    }
    tx.commit().await?;
    Ok(added)
}

/// Locks both reasons first (in id order, as every write locks the reasons
/// it uses), so that a write using `from` either commits before or waits and
/// then follows the redirect left here to `into`.
pub(super) async fn merge_reasons<B: Backend>(store: &B, from: ReasonId, into: ReasonId) -> Result<()> {
    let itself = || StoreError::Conflict(format!("cannot merge reason {from} into itself"));
    if from == into {
        return Err(itself());
    }
    let mut tx = store.begin_write().await?;
    let current = current_reasons::<B>(&mut tx, &[from.0, into.0], B::FOR_UPDATE).await?;
    let into = ReasonId(current.get(&into.0).copied().unwrap_or(into.0));
    if current.get(&from.0) != Some(&from.0) {
        return Err(StoreError::NotFound { what: "reason", id: from.to_string() });
    }
    if into == from {
        return Err(itself());
    }
    let from_label = label_of::<B>(&mut tx, from).await?;
    for table in ["contact_reasons", "reason_texts", "focus", "ownership"] {
        let sql = format!("UPDATE {table} SET reason_id = $2 WHERE reason_id = $1");
        B::execute(&mut tx, &sql, &args![from.0, into.0]).await?;
    }
    remember_text::<B>(&mut tx, into.0, &from_label).await?;
    // Writes that read `from` before this merge count under `into` (and so
    // do those that read a reason merged into `from` earlier).
    let sql = "UPDATE reason_redirects SET into_id = $2 WHERE into_id = $1";
    B::execute(&mut tx, sql, &args![from.0, into.0]).await?;
    let sql = "INSERT INTO reason_redirects (from_id, into_id) VALUES ($1, $2)";
    B::execute(&mut tx, sql, &args![from.0, into.0]).await?;
    B::execute(&mut tx, "DELETE FROM reasons WHERE id = $1", &args![from.0]).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn rename_reason<B: Backend>(store: &B, id: ReasonId, label: &str) -> Result<()> {
    let mut tx = store.begin_write().await?;
    current_reasons::<B>(&mut tx, &[id.0], B::FOR_UPDATE).await?;
    let old = label_of::<B>(&mut tx, id).await?;
    if old == label {
        return Ok(());
    }
    let taken = "SELECT id FROM reasons WHERE label = $1";
    if fetch_optional::<B>(&mut tx, taken, &args![label]).await?.is_some() {
        return Err(StoreError::Conflict(format!(
            "a reason labelled \"{label}\" already exists: merge into it instead"
        )));
    }
    B::execute(&mut tx, "UPDATE reasons SET label = $2 WHERE id = $1", &args![id.0, label]).await?;
    remember_text::<B>(&mut tx, id.0, &old).await?;
    tx.commit().await?;
    Ok(())
}

/// The label of a reason; `NotFound` when there is no such reason.
async fn label_of<B: Backend>(conn: &mut Conn<B>, id: ReasonId) -> Result<String> {
    let sql = "SELECT label FROM reasons WHERE id = $1";
    match fetch_optional::<B>(conn, sql, &args![id.0]).await? {
        Some(row) => Ok(row.text(0)?),
        None => Err(StoreError::NotFound { what: "reason", id: id.to_string() }),
    }
}

/// Creates a reason unless one has that label; the new id, if created.
pub(super) async fn insert_reason<B: Backend>(
    conn: &mut Conn<B>,
    label: &str,
    controllable: bool,
) -> Result<Option<i64>> {
    let sql = "INSERT INTO reasons (label, controllable) VALUES ($1, $2) \
               ON CONFLICT (label) DO NOTHING RETURNING id";
    let row = fetch_optional::<B>(conn, sql, &args![label, controllable]).await?;
    Ok(row.map(|r| r.int(0)).transpose()?)
}

/// Remembers `text` as a way to say `reason`, unless that way is already known.
pub(super) async fn remember_text<B: Backend>(conn: &mut Conn<B>, reason: i64, text: &str) -> Result<()> {
    let key = matching::key(text);
    if key.is_empty() {
        return Ok(());
    }
    let sql = "INSERT INTO reason_texts (reason_id, key, text) VALUES ($1, $2, $3) \
               ON CONFLICT (key) DO NOTHING";
    B::execute(conn, sql, &args![reason, key.as_str(), text]).await?;
    Ok(())
}
