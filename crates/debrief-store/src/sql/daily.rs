//! The daily question: one row per rep and civil date, its items kept as a
//! JSON array so that any text (a newline too) reads back as written.

use debrief_core::daily::{DailyContent, DailyEntry};
use debrief_core::model::RepId;
use jiff::civil::Date;

use super::refs::ensure_exists;
use super::rows::{Cols, undecodable};
use super::{Backend, args};
use crate::Result;

pub(super) async fn entries<B: Backend>(store: &B, rep: RepId, from: Date, to: Date) -> Result<Vec<DailyEntry>> {
    let sql = "SELECT date, kind, items, note FROM daily_entries \
               WHERE rep_id = $1 AND date >= $2 AND date <= $3 ORDER BY date";
    let (from, to) = (from.to_string(), to.to_string());
    let mut conn = store.pool().acquire().await?;
    let rows = B::fetch(&mut conn, sql, &args![rep.0, from.as_str(), to.as_str()]).await?;
    Ok(rows.iter().map(entry).collect::<sqlx::Result<_>>()?)
}

pub(super) async fn save<B: Backend>(store: &B, rep: RepId, e: &DailyEntry) -> Result<()> {
    let (kind, items, note) = match &e.content {
        DailyContent::Items(items) => ("items", Some(serde_json::to_string(items).expect("strings serialize")), None),
        DailyContent::NothingToImprove => ("nothing", None, None),
        DailyContent::MissedNote(note) => ("missed", None, Some(note.as_str())),
    };
    let sql = "INSERT INTO daily_entries (rep_id, date, kind, items, note) VALUES ($1, $2, $3, $4, $5) \
               ON CONFLICT (rep_id, date) DO UPDATE \
               SET kind = excluded.kind, items = excluded.items, note = excluded.note";
    let date = e.date.to_string();
    let mut tx = store.begin_write().await?;
    ensure_exists::<B>(&mut tx, "reps", "rep", rep.0).await?;
    B::execute(&mut tx, sql, &args![rep.0, date.as_str(), kind, items.as_deref(), note]).await?;
    tx.commit().await?;
    Ok(())
}

/// A row of `date, kind, items, note`.
fn entry(r: &impl Cols) -> sqlx::Result<DailyEntry> {
    let date = r.text(0)?;
    let date: Date = date.parse().map_err(|_| undecodable(format!("{date:?} is not a date")))?;
    let content = match r.text(1)?.as_str() {
        "items" => {
            let json = r.opt_text(2)?.unwrap_or_default();
            let items = serde_json::from_str(&json).map_err(|e| undecodable(format!("daily items {json:?}: {e}")))?;
            DailyContent::Items(items)
        }
        "nothing" => DailyContent::NothingToImprove,
        "missed" => DailyContent::MissedNote(r.opt_text(3)?.unwrap_or_default()),
        other => return Err(undecodable(format!("unknown daily entry kind {other:?}"))),
    };
    Ok(DailyEntry { date, content })
}
