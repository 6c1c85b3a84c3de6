//! Ownership items: opened with a contact whose reason affected the client,
//! owned and committed later; read by rep, by id, and as the commitments on
//! given reasons.

use debrief_core::model::{ClientId, ContactId, ReasonId, RepId};
use debrief_core::ownership::{Commitment, Owned, OwnershipId, OwnershipItem};

use jiff::{SignedDuration, Timestamp};

use super::rows::Cols;
use super::{Backend, Conn, Param, args, fetch_optional, placeholders};
use crate::{NewContact, Resolution, Result, StoreError};

/// The columns [`item_row`] reads, in order, then `rep_id`.
const COLUMNS: &str = "id, contact_id, client_id, reason_id, opened_at, \
    owned_at, owned_how, owned_said, committed_at, commitment, rep_id";

pub(super) async fn items<B: Backend>(store: &B, rep: RepId, unresolved_only: bool) -> Result<Vec<OwnershipItem>> {
    // A literal condition, so that it matches the partial index `ownership_open`.
    let unresolved = if unresolved_only { " AND committed_at IS NULL" } else { "" };
    let sql = format!("SELECT {COLUMNS} FROM ownership WHERE rep_id = $1{unresolved} ORDER BY opened_at, id");
    let mut conn = store.pool().acquire().await?;
    let rows = B::fetch(&mut conn, &sql, &args![rep.0]).await?;
    Ok(rows.iter().map(item_row).collect::<sqlx::Result<_>>()?)
}

pub(super) async fn item<B: Backend>(store: &B, id: OwnershipId) -> Result<(RepId, OwnershipItem)> {
    let sql = format!("SELECT {COLUMNS} FROM ownership WHERE id = $1");
    let mut conn = store.pool().acquire().await?;
    let row = fetch_optional::<B>(&mut conn, &sql, &args![id.0]).await?;
    let row = row.ok_or_else(|| not_found(id.0))?;
    Ok((RepId(row.int(10)?), item_row(&row)?))
}

pub(super) async fn commitments<B: Backend>(store: &B, rep: RepId, reasons: &[ReasonId]) -> Result<Vec<OwnershipItem>> {
    if reasons.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM ownership WHERE rep_id = $1 AND committed_at IS NOT NULL \
         AND reason_id IN ({}) ORDER BY committed_at, id",
        placeholders(2, reasons.len())
    );
    let mut params = vec![Param::Int(rep.0)];
    params.extend(reasons.iter().map(|r| Param::Int(r.0)));
    let mut conn = store.pool().acquire().await?;
    let rows = B::fetch(&mut conn, &sql, &params).await?;
    Ok(rows.iter().map(item_row).collect::<sqlx::Result<_>>()?)
}

const SAVE: &str = "UPDATE ownership SET owned_at = $2, owned_how = $3, owned_said = $4, \
    committed_at = $5, commitment = $6 WHERE id = $1";

pub(super) async fn save<B: Backend>(store: &B, item: &OwnershipItem) -> Result<()> {
    let mut tx = store.begin_write().await?;
    if B::execute(&mut tx, SAVE, &state(item)).await? == 0 {
        return Err(not_found(item.id.0));
    }
    tx.commit().await?;
    Ok(())
}

/// The values of [`SAVE`], `$1` to `$6`: the id, then the owned and committed parts.
fn state(item: &OwnershipItem) -> [Param<'_>; 6] {
    let owned = item.owned.as_ref();
    let committed = item.committed.as_ref();
    args![
        item.id.0,
        owned.map(|o| o.at.as_second()),
        owned.map(|o| o.how.as_str()),
        owned.map(|o| o.said.as_str()),
        committed.map(|c| c.at.as_second()),
        committed.map(|c| c.text.as_str()),
    ]
}

/// Owns up to and commits on every item opened before `before` and neither
/// owned nor committed yet, `after` its opening (demo data); how many.
pub(super) async fn own_up_before<B: Backend>(
    conn: &mut Conn<B>,
    before: Timestamp,
    after: SignedDuration,
    r: &Resolution,
) -> Result<u64> {
    let sql = "UPDATE ownership SET owned_at = opened_at + $1, owned_how = $2, owned_said = $3, \
         committed_at = opened_at + $1, commitment = $4 \
         WHERE committed_at IS NULL AND owned_at IS NULL AND opened_at < $5";
    let params = args![after.as_secs(), r.how.as_str(), r.said.as_str(), r.commitment.as_str(), before.as_second()];
    Ok(B::execute(conn, sql, &params).await?)
}

/// The distinct reasons of `c`'s notes that affected the client, in order
/// (`reasons` holds the reason id of each note).
pub(super) fn flagged(c: &NewContact, reasons: &[i64]) -> Vec<i64> {
    let mut out = Vec::new();
    for (note, &reason) in c.reasons.iter().zip(reasons) {
        if note.affected_client && !out.contains(&reason) {
            out.push(reason);
        }
    }
    out
}

/// Brings the items of a contact just written in line with it: items of
/// reasons no longer on it go, the rest follow its rep and client, and each
/// flagged reason without an item opens one at the contact's time.
pub(super) async fn on_contact<B: Backend>(
    conn: &mut Conn<B>,
    contact: i64,
    c: &NewContact,
    client: i64,
    reasons: &[i64],
) -> Result<()> {
    let mut have = Vec::new();
    for row in B::fetch(conn, "SELECT id, reason_id FROM ownership WHERE contact_id = $1", &args![contact]).await? {
        let (id, reason) = (row.int(0)?, row.int(1)?);
        if reasons.contains(&reason) {
            have.push(reason);
        } else {
            B::execute(conn, "DELETE FROM ownership WHERE id = $1", &args![id]).await?;
        }
    }
    if !have.is_empty() {
        let sql = "UPDATE ownership SET rep_id = $2, client_id = $3 WHERE contact_id = $1";
        B::execute(conn, sql, &args![contact, c.rep.0, client]).await?;
    }
    let sql = "INSERT INTO ownership (rep_id, contact_id, client_id, reason_id, opened_at) \
               VALUES ($1, $2, $3, $4, $5)";
    for reason in flagged(c, reasons).into_iter().filter(|r| !have.contains(r)) {
        B::execute(conn, sql, &args![c.rep.0, contact, client, reason, c.at.as_second()]).await?;
    }
    Ok(())
}

fn not_found(id: i64) -> StoreError {
    StoreError::NotFound { what: "ownership item", id: id.to_string() }
}

/// A row selected with [`COLUMNS`].
fn item_row(r: &impl Cols) -> sqlx::Result<OwnershipItem> {
    let owned = match r.opt_time(5)? {
        Some(at) => Some(Owned { at, how: r.keyword(6)?, said: r.text(7)? }),
        None => None,
    };
    let committed = match r.opt_time(8)? {
        Some(at) => Some(Commitment { at, text: r.text(9)? }),
        None => None,
    };
    Ok(OwnershipItem {
        id: OwnershipId(r.int(0)?),
        contact: ContactId(r.int(1)?),
        client: ClientId(r.int(2)?),
        reason: ReasonId(r.int(3)?),
        opened_at: r.time(4)?,
        owned,
        committed,
    })
}
