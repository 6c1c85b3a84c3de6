//! Meetings from the rep's calendar, to debrief: saved by their key (the
//! event's UID and the instance's planned start), so importing a calendar
//! again updates what moved and removes what was cancelled, never touching
//! a meeting already debriefed.

use std::collections::HashMap;

use debrief_core::model::{ContactId, RepId};
use jiff::Timestamp;

use super::rows::Cols;
use super::{Backend, Conn, Param, args, fetch_optional};
use crate::{Meeting, MeetingCounts, NewMeeting, Result, StoreError};

const COLUMNS: &str = "id, key, starts_at, ends_at, title, client, attendees, contact_id";

/// A meeting's columns after its id, as `$1`…`$7`: rep, key, start, end,
/// title, client, attendees.
pub(super) fn values(rep: RepId, m: &NewMeeting) -> [Param<'_>; 7] {
    args![
        rep.0,
        m.key.as_str(),
        m.start.as_second(),
        m.end.as_second(),
        m.title.as_str(),
        m.client.as_str(),
        m.attendees.as_str()
    ]
}

fn meeting(row: &impl Cols) -> Result<Meeting> {
    Ok(Meeting {
        id: row.int(0)?,
        key: row.text(1)?,
        start: row.time(2)?,
        end: row.time(3)?,
        title: row.text(4)?,
        client: row.text(5)?,
        attendees: row.text(6)?,
        contact: row.opt_int(7)?.map(ContactId),
    })
}

/// Saves the meetings of `[from, to)` as the calendar has them now.
pub(super) async fn save<B: Backend>(
    store: &B,
    rep: RepId,
    from: Timestamp,
    to: Timestamp,
    meetings: &[NewMeeting],
) -> Result<MeetingCounts> {
    let mut tx = store.begin_write().await?;
    let counts = save_in::<B>(&mut tx, rep, from, to, meetings).await?;
    tx.commit().await?;
    Ok(counts)
}

async fn save_in<B: Backend>(
    conn: &mut Conn<B>,
    rep: RepId,
    from: Timestamp,
    to: Timestamp,
    meetings: &[NewMeeting],
) -> Result<MeetingCounts> {
    let sql = format!("SELECT {COLUMNS} FROM meetings WHERE rep_id = $1 AND starts_at >= $2 AND starts_at < $3");
    let rows = B::fetch(conn, &sql, &args![rep.0, from.as_second(), to.as_second()]).await?;
    let mut stored: HashMap<String, Meeting> = HashMap::new();
    for row in &rows {
        let m = meeting(row)?;
        stored.insert(m.key.clone(), m);
    }
    let mut counts = MeetingCounts::default();
    for m in meetings {
        let values = values(rep, m);
        match stored.remove(&m.key) {
            Some(old) if old.contact.is_some() || same(&old, m) => counts.unchanged += 1,
            Some(_) => {
                let sql = "UPDATE meetings SET starts_at = $3, ends_at = $4, title = $5, client = $6, attendees = $7 \
                           WHERE rep_id = $1 AND key = $2";
                B::execute(conn, sql, &values).await?;
                counts.updated += 1;
            }
            None => {
                // Moved into the range from outside it: updated where it is.
                let sql = "INSERT INTO meetings (rep_id, key, starts_at, ends_at, title, client, attendees) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (rep_id, key) DO UPDATE SET \
                           starts_at = excluded.starts_at, ends_at = excluded.ends_at, title = excluded.title, \
                           client = excluded.client, attendees = excluded.attendees WHERE meetings.contact_id IS NULL";
                B::execute(conn, sql, &values).await?;
                counts.added += 1;
            }
        }
    }
    // What the calendar no longer has in the range (cancelled, moved out) and was not debriefed.
    for gone in stored.values().filter(|m| m.contact.is_none()) {
        B::execute(conn, "DELETE FROM meetings WHERE id = $1", &args![gone.id]).await?;
        counts.removed += 1;
    }
    Ok(counts)
}

fn same(old: &Meeting, new: &NewMeeting) -> bool {
    old.start == new.start
        && old.end == new.end
        && old.title == new.title
        && old.client == new.client
        && old.attendees == new.attendees
}

/// The rep's meetings of `[from, to)`, by start.
pub(super) async fn list<B: Backend>(store: &B, rep: RepId, from: Timestamp, to: Timestamp) -> Result<Vec<Meeting>> {
    let mut conn = store.pool().acquire().await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM meetings WHERE rep_id = $1 AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at, id"
    );
    let rows = B::fetch(&mut conn, &sql, &args![rep.0, from.as_second(), to.as_second()]).await?;
    rows.iter().map(meeting).collect()
}

/// One meeting and whose it is.
pub(super) async fn one<B: Backend>(store: &B, id: i64) -> Result<(RepId, Meeting)> {
    let mut conn = store.pool().acquire().await?;
    let sql = format!("SELECT {COLUMNS}, rep_id FROM meetings WHERE id = $1");
    let row = fetch_optional::<B>(&mut conn, &sql, &args![id])
        .await?
        .ok_or_else(|| StoreError::NotFound { what: "meeting", id: id.to_string() })?;
    Ok((RepId(row.int(8)?), meeting(&row)?))
}

/// Marks a meeting debriefed by `contact`; `Conflict` when it already was.
pub(super) async fn debriefed<B: Backend>(store: &B, id: i64, contact: ContactId) -> Result<()> {
    let mut conn = store.pool().acquire().await?;
    let sql = "UPDATE meetings SET contact_id = $2 WHERE id = $1 AND contact_id IS NULL";
    match B::execute(&mut conn, sql, &args![id, contact.0]).await? {
        1 => Ok(()),
        _ => Err(StoreError::Conflict(format!("meeting {id} is debriefed already (or gone)"))),
    }
}
