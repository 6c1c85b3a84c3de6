//! A rep's history from debrief's own export, written into a database where
//! the rep has no contacts yet: every table in one write transaction, so a
//! failure leaves nothing behind.

use async_trait::async_trait;
use debrief_core::model::RepId;
use sqlx::Transaction;

use super::rows::Cols;
use super::write::{self, Writer, get_or_create};
use super::{Backend, Conn, Param, args, fetch_one, fetch_optional, vocab};
use crate::load::RestoreTx;
use crate::{Import, ImportCounts, NewContact, Result, StoreError};

pub(super) async fn import<B: Backend>(store: &B, doc: &Import) -> Result<ImportCounts> {
    let mut tx = store.begin_write().await?;
    let counts = import_in::<B>(&mut tx, doc).await?;
    tx.commit().await?;
    Ok(counts)
}

/// The tables of the reps' histories, each after those that refer to it:
/// what `restore --replace` empties (the vocabulary stays).
const HISTORY_TABLES: [&str; 13] = [
    "meetings",
    "triage",
    "contact_sources",
    "follow_ups",
    "recovery_steps",
    "recoveries",
    "ownership",
    "contact_reasons",
    "contacts",
    "focus",
    "daily_entries",
    "clients",
    "reps",
];

/// A restore's transaction: every history the database held deleted first
/// when `replace` is set; then the archive's histories, one rep at a time.
pub(super) struct Restore<B: Backend> {
    tx: Transaction<'static, B::Db>,
}

impl<B: Backend> Restore<B> {
    /// `Conflict` when the database holds contacts and `replace` is not set.
    pub(super) async fn begin(store: &B, replace: bool) -> Result<Restore<B>> {
        let mut tx = store.begin_write().await?;
        if replace {
            for table in HISTORY_TABLES {
                B::execute(&mut tx, &format!("DELETE FROM {table}"), &[]).await?;
            }
        } else {
            let held = fetch_one::<B>(&mut tx, "SELECT COUNT(*) FROM contacts", &[]).await?.int(0)?;
            if held > 0 {
                return Err(StoreError::Conflict(format!(
                    "this database holds {held} contacts: a backup is restored only into an empty one, or with --replace (which deletes them)"
                )));
            }
        }
        Ok(Restore { tx })
    }
}

#[async_trait]
impl<B: Backend> RestoreTx for Restore<B> {
    async fn rep(&mut self, doc: &Import) -> Result<ImportCounts> {
        import_in::<B>(&mut self.tx, doc).await
    }

    async fn commit(self: Box<Self>) -> Result<()> {
        Ok(self.tx.commit().await?)
    }
}

/// One rep's history, inside the caller's transaction.
async fn import_in<B: Backend>(tx: &mut Conn<B>, doc: &Import) -> Result<ImportCounts> {
    let rep = write::reps::<B>(tx, &[doc.rep.as_str()]).await?[0];
    let sql = "SELECT COUNT(*) FROM contacts WHERE rep_id = $1";
    let held = fetch_one::<B>(tx, sql, &args![rep.0]).await?.int(0)?;
    if held > 0 {
        return Err(StoreError::Conflict(format!(
            "{} already has {held} contacts in this database: an export goes only where its rep has none (give a new --db, or import as another --rep)",
            doc.rep
        )));
    }
    if let Some(tz) = &doc.tz {
        B::execute(tx, "UPDATE reps SET tz = $2 WHERE id = $1", &args![rep.0, tz.as_str()]).await?;
    }
    let contacts: Vec<NewContact> = doc.contacts.iter().map(|c| NewContact { rep, ..c.clone() }).collect();
    let ids = Writer::default().write::<B>(tx, &contacts).await?;
    super::sourced::import_marks::<B>(tx, &ids, &doc.sources, &doc.triage).await?;
    for (label, texts) in &doc.reason_texts {
        let id = reason_id::<B>(tx, label).await?;
        for text in texts {
            vocab::remember_text::<B>(tx, id, text).await?;
        }
    }
    for o in &doc.ownership {
        let contact =
            ids.get(o.contact).ok_or_else(|| bad(format!("ownership of contact {} of the file", o.contact)))?;
        let reason = reason_id::<B>(tx, &o.reason).await?;
        let sql = "UPDATE ownership SET opened_at = $3, owned_at = $4, owned_how = $5, owned_said = $6, \
                   committed_at = $7, commitment = $8 WHERE contact_id = $1 AND reason_id = $2";
        let owned = o.owned.as_ref();
        let committed = o.committed.as_ref();
        let params = args![
            contact.0,
            reason,
            o.opened_at.as_second(),
            owned.map(|w| w.at.as_second()),
            owned.map(|w| w.how.as_str()),
            owned.map(|w| w.said.as_str()),
            committed.map(|c| c.at.as_second()),
            committed.map(|c| c.text.as_str())
        ];
        B::execute(tx, sql, &params).await?;
    }
    for f in &doc.focus {
        let reason = reason_id::<B>(tx, &f.reason).await?;
        let sql = "INSERT INTO focus (rep_id, reason_id, set_at, cleared_at) VALUES ($1, $2, $3, $4)";
        let params = args![rep.0, reason, f.set_at.as_second(), f.cleared_at.map(|t| t.as_second())];
        B::execute(tx, sql, &params).await?;
    }
    let mut recoveries = Vec::with_capacity(doc.recoveries.len());
    for r in &doc.recoveries {
        let client = client_id::<B>(tx, rep, &r.client).await?;
        let resolved =
            r.steps.iter().find(|s| s.step == debrief_core::mishap::Step::Resolved).map(|s| s.at.as_second());
        let sql = "INSERT INTO recoveries (rep_id, client_id, kind, what, at, resolved_at) \
                   VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        let params = args![rep.0, client, r.kind.as_str(), r.what.as_str(), r.at.as_second(), resolved];
        let id = fetch_one::<B>(tx, sql, &params).await?.int(0)?;
        for (seq, s) in r.steps.iter().enumerate() {
            let sql = "INSERT INTO recovery_steps (recovery_id, seq, step, at, text, client_said) \
                       VALUES ($1, $2, $3, $4, $5, $6)";
            let params = args![
                id,
                seq as i64 + 1,
                s.step.as_str(),
                s.at.as_second(),
                s.text.as_deref(),
                s.client_said.as_deref()
            ];
            B::execute(tx, sql, &params).await?;
        }
        recoveries.push(id);
    }
    for f in &doc.follow_ups {
        let client = client_id::<B>(tx, rep, &f.client).await?;
        let recovery = match f.recovery {
            Some(i) => Some(*recoveries.get(i).ok_or_else(|| bad(format!("follow-up of recovery {i} of the file")))?),
            None => None,
        };
        let open = f.status == "open";
        let sql = "INSERT INTO follow_ups (rep_id, client_id, kind, n, recovery_id, anchor, due, note, status, status_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
        let params = args![
            rep.0,
            client,
            f.kind,
            f.n.map(i64::from),
            recovery,
            f.anchor.as_second(),
            f.due.as_second(),
            f.note.as_deref(),
            f.status,
            (!open).then(|| f.status_at.unwrap_or(f.due).as_second())
        ];
        B::execute(tx, sql, &params).await?;
    }
    for e in &doc.daily {
        let (kind, items, note) = match &e.content {
            debrief_core::daily::DailyContent::Items(items) => {
                ("items", Some(serde_json::to_string(items).map_err(|e| bad(e.to_string()))?), None)
            }
            debrief_core::daily::DailyContent::NothingToImprove => ("nothing", None, None),
            debrief_core::daily::DailyContent::MissedNote(note) => ("missed", None, Some(note.as_str())),
        };
        let sql = "INSERT INTO daily_entries (rep_id, date, kind, items, note) VALUES ($1, $2, $3, $4, $5)";
        let date = e.date.to_string();
        B::execute(tx, sql, &args![rep.0, date.as_str(), kind, items.as_deref(), note]).await?;
    }
    for (m, contact) in &doc.meetings {
        let contact = match contact {
            Some(i) => Some(ids.get(*i).ok_or_else(|| bad(format!("meeting of contact {i} of the file")))?.0),
            None => None,
        };
        let sql = "INSERT INTO meetings (rep_id, key, starts_at, ends_at, title, client, attendees, contact_id) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        let mut params = super::meetings::values(rep, m).to_vec();
        params.push(Param::from(contact));
        B::execute(tx, sql, &params).await?;
    }
    Ok(ImportCounts { contacts: ids.len(), ..doc.counts() })
}

/// The reason of `label` (created by the contacts if it was new).
async fn reason_id<B: Backend>(conn: &mut Conn<B>, label: &str) -> Result<i64> {
    let row = fetch_optional::<B>(conn, "SELECT id FROM reasons WHERE label = $1", &args![label]).await?;
    match row {
        Some(row) => Ok(row.int(0)?),
        None => Err(bad(format!("the reason \"{label}\" is in no contact and not in the vocabulary"))),
    }
}

async fn client_id<B: Backend>(conn: &mut Conn<B>, rep: RepId, name: &str) -> Result<i64> {
    get_or_create::<B>(
        conn,
        "INSERT INTO clients (rep_id, name) VALUES ($1, $2) ON CONFLICT (rep_id, name) DO NOTHING",
        "SELECT id FROM clients WHERE rep_id = $1 AND name = $2",
        &args![rep.0, name],
    )
    .await
}

fn bad(what: String) -> StoreError {
    StoreError::Conflict(format!("the export does not hold together: {what}"))
}
