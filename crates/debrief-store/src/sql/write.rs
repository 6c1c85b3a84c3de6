//! The one way a contact is written, whether one (`log_contact`) or a batch
//! of a load ([`Writer`]): what it refers to checked and resolved for the
//! whole batch at once, then its rows (contact, notes, the texts remembered,
//! ownership items, follow-ups, closed clients) in multi-row statements.
//! Also replacing and deleting a contact, and reps.

use std::collections::{BTreeMap, HashMap, HashSet};

use debrief_core::matching;
use debrief_core::model::{ContactId, ReasonId, RepId};

use super::followup::{self, Here, Refs};
use super::insert::insert_rows;
use super::ownership;
use super::refs::{current_reasons, ensure_all, ensure_exists, reason_by_label};
use super::rows::{CONTACT_FIELDS, Cols, contact_values};
use super::{Backend, Conn, Param, args, fetch_one, fetch_optional, list_placeholders};
use crate::{Learn, NewContact, NewReasonNote, ReasonRef, Refiled, Result, StoreError};

/// Up to how many new names of a rep's clients a batch looks up by name;
/// with more, it reads all the rep's clients once.
const FEW_CLIENTS: usize = 32;

pub(super) async fn rep<B: Backend>(store: &B, name: &str, tz: Option<&str>) -> Result<RepId> {
    // Nearly always the rep exists: a read then, not a write transaction.
    let mut conn = store.pool().acquire().await?;
    if let Some(row) = fetch_optional::<B>(&mut conn, "SELECT id FROM reps WHERE name = $1", &args![name]).await? {
        return Ok(RepId(row.int(0)?));
    }
    drop(conn);
    let mut tx = store.begin_write().await?;
    let insert = "INSERT INTO reps (name, tz) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
    B::execute(&mut tx, insert, &args![name, tz]).await?;
    let id = fetch_one::<B>(&mut tx, "SELECT id FROM reps WHERE name = $1", &args![name]).await?.int(0)?;
    tx.commit().await?;
    Ok(RepId(id))
}

pub(super) async fn rep_zone<B: Backend>(store: &B, rep: RepId) -> Result<Option<String>> {
    let mut conn = store.pool().acquire().await?;
    match fetch_optional::<B>(&mut conn, "SELECT tz FROM reps WHERE id = $1", &args![rep.0]).await? {
        Some(row) => Ok(row.opt_text(0)?),
        None => Err(StoreError::NotFound { what: "rep", id: rep.to_string() }),
    }
}

pub(super) async fn set_rep_zone<B: Backend>(store: &B, rep: RepId, tz: &str) -> Result<()> {
    let mut tx = store.begin_write().await?;
    if B::execute(&mut tx, "UPDATE reps SET tz = $2 WHERE id = $1", &args![rep.0, tz]).await? == 0 {
        return Err(StoreError::NotFound { what: "rep", id: rep.to_string() });
    }
    tx.commit().await?;
    Ok(())
}

/// The reps of those names, in order, the new ones created.
pub(super) async fn reps<B: Backend>(conn: &mut Conn<B>, names: &[&str]) -> Result<Vec<RepId>> {
    let mut ids = Vec::with_capacity(names.len());
    for &name in names {
        let id = get_or_create::<B>(
            conn,
            "INSERT INTO reps (name) VALUES ($1) ON CONFLICT (name) DO NOTHING",
            "SELECT id FROM reps WHERE name = $1",
            &args![name],
        )
        .await?;
        ids.push(RepId(id));
    }
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

pub(super) async fn log_contact<B: Backend>(store: &B, c: &NewContact) -> Result<ContactId> {
    let mut tx = store.begin_write().await?;
    let ids = Writer::default().write::<B>(&mut tx, std::slice::from_ref(c)).await?;
    tx.commit().await?;
    Ok(ids[0])
}

pub(super) async fn update_contact<B: Backend>(store: &B, id: ContactId, c: &NewContact) -> Result<()> {
    let mut tx = store.begin_write().await?;
    ensure_exists::<B>(&mut tx, "contacts", "contact", id.0).await?;
    let mut writer = Writer::default();
    let [found] = writer.resolve::<B>(&mut tx, std::slice::from_ref(c)).await?.try_into().map_err(|_| one_row())?;
    let set: Vec<String> = CONTACT_FIELDS.iter().zip(1..).map(|(column, i)| format!("{column} = ${i}")).collect();
    let sql = format!("UPDATE contacts SET {} WHERE id = ${}", set.join(", "), CONTACT_FIELDS.len() + 1);
    let mut params = contact_values(c, found.client).to_vec();
    params.push(Param::Int(id.0));
    B::execute(&mut tx, &sql, &params).await?;
    B::execute(&mut tx, "DELETE FROM contact_reasons WHERE contact_id = $1", &args![id.0]).await?;
    insert_notes::<B>(&mut tx, &[Ready { id: id.0, contact: c, found: &found }]).await?;
    writer.remember::<B>(&mut tx, c.reasons.iter().zip(&found.reasons)).await?;
    ownership::on_contact::<B>(&mut tx, id.0, c, found.client, &found.reasons).await?;
    followup::apply::<B>(&mut tx, c.rep.0, &c.follow_ups, Here { client: Some(found.client), recovery: None }).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn refile_reason<B: Backend>(
    store: &B,
    contact: ContactId,
    position: u32,
    to: &ReasonRef,
    learn: Learn,
) -> Result<Refiled> {
    let mut tx = store.begin_write().await?;
    ensure_exists::<B>(&mut tx, "contacts", "contact", contact.0).await?;
    let select = "SELECT reason_id, text FROM contact_reasons WHERE contact_id = $1 AND position = $2";
    let params = args![contact.0, i64::from(position)];
    let Some(row) = fetch_optional::<B>(&mut tx, select, &params).await? else {
        return Err(StoreError::NotFound { what: "reason of the contact", id: format!("{contact} #{position}") });
    };
    let (from, text) = (row.int(0)?, row.text(1)?);
    let to = match to {
        ReasonRef::Existing(id) => {
            let current = current_reasons::<B>(&mut tx, &[id.0], B::FOR_SHARE).await?;
            current.get(&id.0).copied().unwrap_or(id.0)
        }
        ReasonRef::New { label, controllable } => {
            let id = reason_by_label::<B>(&mut tx, label, *controllable).await?;
            let row = fetch_one::<B>(&mut tx, "SELECT controllable FROM reasons WHERE id = $1", &args![id]).await?;
            if row.flag(0)? != *controllable {
                let side = if *controllable { "outside your control" } else { "within your control" };
                return Err(StoreError::Conflict(format!(
                    "a reason labelled \"{label}\" already counts as {side}: file it under that reason or another"
                )));
            }
            id
        }
    };
    let controllable = fetch_one::<B>(&mut tx, "SELECT controllable FROM reasons WHERE id = $1", &args![to]).await?;
    let controllable = controllable.flag(0)?;
    let update = "UPDATE contact_reasons SET reason_id = $3, controllable = $4 WHERE contact_id = $1 AND position = $2";
    B::execute(&mut tx, update, &args![contact.0, i64::from(position), to, controllable]).await?;
    let ownership_removed = if controllable {
        let sql = "UPDATE ownership SET reason_id = $3 WHERE contact_id = $1 AND reason_id = $2";
        B::execute(&mut tx, sql, &args![contact.0, from, to]).await?;
        false
    } else {
        let sql = "DELETE FROM ownership WHERE contact_id = $1 AND reason_id = $2";
        B::execute(&mut tx, sql, &args![contact.0, from]).await? > 0
    };
    let key = matching::key(&text);
    let learn = match learn {
        Learn::Yes => true,
        Learn::No => false,
        Learn::IfLeftUnused => {
            let sql = "SELECT 1 FROM contact_reasons WHERE reason_id = $1 LIMIT 1";
            fetch_optional::<B>(&mut tx, sql, &args![from]).await?.is_none()
        }
    };
    if learn && !key.is_empty() {
        let sql = "INSERT INTO reason_texts (reason_id, key, text) VALUES ($1, $2, $3) \
                   ON CONFLICT (key) DO UPDATE SET reason_id = excluded.reason_id";
        B::execute(&mut tx, sql, &args![to, key.as_str(), text.as_str()]).await?;
    }
    tx.commit().await?;
    Ok(Refiled { from: ReasonId(from), to: ReasonId(to), controllable, ownership_removed })
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

/// Whether `changes` touch stored follow-ups (done, cancelled, moved).
fn changes_stored(changes: &crate::FollowUpChanges) -> bool {
    !(changes.complete.is_empty() && changes.cancel.is_empty() && changes.reschedule.is_empty())
}

fn one_row() -> StoreError {
    StoreError::Conflict("a contact to replace resolved to more or fewer than one row".into())
}

/// What a contact refers to, as stored: its client and the reason each note
/// counts under.
#[derive(Debug)]
pub(super) struct Resolved {
    pub client: i64,
    pub reasons: Vec<i64>,
}

/// Writes contacts inside one transaction, remembering across batches what
/// it already checked, created or resolved there (valid while the
/// transaction lasts: the reasons it uses are locked, clients never go).
#[derive(Debug, Default)]
pub(super) struct Writer {
    reps: HashSet<i64>,
    /// Asked reason id → the reason it counts under now.
    reasons: HashMap<i64, i64>,
    /// New reasons by label.
    labels: HashMap<String, i64>,
    /// Client ids by rep, then name.
    clients: HashMap<i64, HashMap<String, i64>>,
    /// Reps all of whose clients were read (or created) here.
    all_clients: HashSet<i64>,
    /// Texts already remembered as a way to say their reason.
    remembered: HashSet<String>,
}

impl Writer {
    /// Writes `contacts` as new contacts; their ids, in the order given.
    /// Ids follow (rep, time), so the `(rep_id, at)` index grows at its end.
    pub(super) async fn write<B: Backend>(
        &mut self,
        conn: &mut Conn<B>,
        contacts: &[NewContact],
    ) -> Result<Vec<ContactId>> {
        let resolved = self.resolve::<B>(conn, contacts).await?;
        let mut order: Vec<usize> = (0..contacts.len()).collect();
        order.sort_by_key(|&i| (contacts[i].rep, contacts[i].at));
        let reserved = B::reserve_ids(conn, "contacts", contacts.len()).await?;
        for c in contacts.iter().filter(|c| changes_stored(&c.follow_ups)) {
            followup::change_stored::<B>(conn, c.rep.0, &c.follow_ups).await?;
        }
        let mut ids = vec![ContactId(0); contacts.len()];
        let mut ready = Vec::with_capacity(contacts.len());
        for (&i, &id) in order.iter().zip(&reserved) {
            ids[i] = ContactId(id);
            ready.push(Ready { id, contact: &contacts[i], found: &resolved[i] });
        }
        self.insert::<B>(conn, &ready).await?;
        Ok(ids)
    }

    /// Inserts contacts ready to write and what they bring along: notes, the
    /// texts to remember, ownership items, follow-ups, closed clients.
    async fn insert<B: Backend>(&mut self, conn: &mut Conn<B>, ready: &[Ready<'_>]) -> Result<()> {
        let head = format!("INSERT INTO contacts (id, {})", CONTACT_FIELDS.join(", "));
        insert_rows::<B>(conn, &head, "", CONTACT_FIELDS.len() + 1, contact_rows(ready)).await?;
        insert_notes::<B>(conn, ready).await?;
        self.remember::<B>(conn, noted(ready)).await?;
        let head = "INSERT INTO ownership (rep_id, contact_id, client_id, reason_id, opened_at)";
        insert_rows::<B>(conn, head, "", 5, item_rows(ready)).await?;
        let (mut follow_ups, mut closures) = (Vec::new(), Vec::new());
        for r in ready {
            let (c, here) = (r.contact, Here { client: Some(r.found.client), recovery: None });
            for plan in &c.follow_ups.create {
                followup::plan_row(&mut follow_ups, c.rep.0, plan, here)?;
            }
            if let Some(closure) = &c.follow_ups.close {
                closures.push(followup::closure_row(closure, here)?);
            }
        }
        followup::insert::<B>(conn, &follow_ups).await?;
        followup::close::<B>(conn, &closures).await
    }

    /// Remembers each text not yet known as a way to say its reason.
    async fn remember<'c, B: Backend>(
        &mut self,
        conn: &mut Conn<B>,
        notes: impl Iterator<Item = (&'c NewReasonNote, &'c i64)>,
    ) -> Result<()> {
        let mut keys = HashSet::new();
        let mut texts = Vec::new();
        for (note, &reason) in notes {
            if self.remembered.contains(&note.text) {
                continue;
            }
            self.remembered.insert(note.text.clone());
            let key = matching::key(&note.text);
            if !key.is_empty() && keys.insert(key.clone()) {
                texts.push((reason, key, note.text.as_str()));
            }
        }
        let values: Vec<Param<'_>> =
            texts.iter().flat_map(|(reason, key, text)| args![*reason, key.as_str(), *text]).collect();
        let head = "INSERT INTO reason_texts (reason_id, key, text)";
        insert_rows::<B>(conn, head, " ON CONFLICT (key) DO NOTHING", 3, values).await?;
        Ok(())
    }

    /// Checks what `contacts` refer to (reps, reasons, clients and recoveries
    /// named by their follow-ups) and creates their new clients and reasons;
    /// for each contact, in order, its client and reasons.
    pub(super) async fn resolve<B: Backend>(
        &mut self,
        conn: &mut Conn<B>,
        contacts: &[NewContact],
    ) -> Result<Vec<Resolved>> {
        let reps: Vec<i64> = contacts.iter().map(|c| c.rep.0).filter(|rep| !self.reps.contains(rep)).collect();
        ensure_all::<B>(conn, "reps", "rep", &reps).await?;
        self.reps.extend(reps);
        self.resolve_reasons::<B>(conn, contacts).await?;
        self.resolve_clients::<B>(conn, contacts).await?;
        let mut refs = Refs::default();
        contacts.iter().for_each(|c| refs.note(c.rep.0, &c.follow_ups));
        refs.check::<B>(conn).await?;
        contacts.iter().map(|c| self.resolved(c)).collect()
    }

    fn resolved(&self, c: &NewContact) -> Result<Resolved> {
        let client = self.clients.get(&c.rep.0).and_then(|names| names.get(&c.client));
        let reasons = c.reasons.iter().map(|n| match &n.reason {
            ReasonRef::Existing(id) => self.reasons.get(&id.0).copied(),
            ReasonRef::New { label, .. } => self.labels.get(label).copied(),
        });
        Ok(Resolved {
            client: *client.ok_or(sqlx::Error::RowNotFound)?,
            reasons: reasons.collect::<Option<Vec<i64>>>().ok_or(sqlx::Error::RowNotFound)?,
        })
    }

    async fn resolve_reasons<B: Backend>(&mut self, conn: &mut Conn<B>, contacts: &[NewContact]) -> Result<()> {
        let mut asked = Vec::new();
        let mut new = Vec::new();
        for note in contacts.iter().flat_map(|c| &c.reasons) {
            match &note.reason {
                ReasonRef::Existing(id) if !self.reasons.contains_key(&id.0) => asked.push(id.0),
                ReasonRef::New { label, controllable } if !self.labels.contains_key(label) => {
                    new.push((label.as_str(), *controllable))
                }
                _ => {}
            }
        }
        if !asked.is_empty() {
            self.reasons.extend(current_reasons::<B>(conn, &asked, B::FOR_SHARE).await?);
        }
        for (label, controllable) in new {
            if !self.labels.contains_key(label) {
                let id = reason_by_label::<B>(conn, label, controllable).await?;
                self.labels.insert(label.to_string(), id);
            }
        }
        Ok(())
    }

    /// Finds the clients of `contacts` not met before, and creates those that are new.
    async fn resolve_clients<B: Backend>(&mut self, conn: &mut Conn<B>, contacts: &[NewContact]) -> Result<()> {
        // Each rep's names not met before.
        let mut missing: BTreeMap<i64, Vec<&str>> = BTreeMap::new();
        let mut seen = HashSet::new();
        for c in contacts {
            let known = self.clients.get(&c.rep.0).is_some_and(|names| names.contains_key(&c.client));
            if !known && seen.insert((c.rep.0, c.client.as_str())) {
                missing.entry(c.rep.0).or_default().push(c.client.as_str());
            }
        }
        let mut new = Vec::new();
        for (rep, mut names) in missing {
            // In name order, so that ids and the (rep, name) index both grow at their end.
            names.sort_unstable();
            if names.len() > FEW_CLIENTS && self.all_clients.insert(rep) {
                self.read_all_clients::<B>(conn, rep).await?;
            } else if !self.all_clients.contains(&rep) {
                self.read_clients::<B>(conn, rep, &names).await?;
            }
            let known = self.clients.entry(rep).or_default();
            new.extend(names.into_iter().filter(|name| !known.contains_key(*name)).map(|name| (rep, name)));
        }
        if new.is_empty() {
            return Ok(());
        }
        let ids = B::reserve_ids(conn, "clients", new.len()).await?;
        let values: Vec<Param<'_>> =
            new.iter().zip(&ids).flat_map(|(&(rep, name), &id)| args![id, rep, name]).collect();
        let head = "INSERT INTO clients (id, rep_id, name)";
        let created = insert_rows::<B>(conn, head, " ON CONFLICT (rep_id, name) DO NOTHING", 3, values).await?;
        if created == new.len() as u64 {
            for (&(rep, name), id) in new.iter().zip(ids) {
                self.clients.entry(rep).or_default().insert(name.to_string(), id);
            }
            return Ok(());
        }
        // Another writer created some of them meanwhile: read them all back.
        for (rep, name) in new {
            self.read_clients::<B>(conn, rep, &[name]).await?;
        }
        Ok(())
    }

    /// Reads the ids of the rep's clients of those names that exist.
    async fn read_clients<B: Backend>(&mut self, conn: &mut Conn<B>, rep: i64, names: &[&str]) -> Result<()> {
        let known = self.clients.entry(rep).or_default();
        for chunk in names.chunks(FEW_CLIENTS) {
            // A list padded to a power of two (with its last name again), so
            // that a few statements serve every length and stay prepared.
            let padded = chunk.len().next_power_of_two();
            let sql = format!(
                "SELECT id, name FROM clients WHERE rep_id = {} AND name IN ({})",
                list_placeholders::<B>(1, 1),
                list_placeholders::<B>(2, padded)
            );
            let mut params = vec![Param::Int(rep)];
            let last = chunk.last().copied().unwrap_or_default();
            params.extend(chunk.iter().chain(std::iter::repeat(&last)).take(padded).map(|&name| Param::Text(name)));
            for row in B::fetch(conn, &sql, &params).await? {
                known.insert(row.text(1)?, row.int(0)?);
            }
        }
        Ok(())
    }

    /// Reads the ids of every client of the rep.
    async fn read_all_clients<B: Backend>(&mut self, conn: &mut Conn<B>, rep: i64) -> Result<()> {
        let known = self.clients.entry(rep).or_default();
        for row in B::fetch(conn, "SELECT id, name FROM clients WHERE rep_id = $1", &args![rep]).await? {
            known.insert(row.text(1)?, row.int(0)?);
        }
        Ok(())
    }
}

/// A contact ready to write: its id and what it refers to.
#[derive(Clone, Copy, Debug)]
struct Ready<'c> {
    id: i64,
    contact: &'c NewContact,
    found: &'c Resolved,
}

/// Inserts the notes of contacts ready to write.
async fn insert_notes<B: Backend>(conn: &mut Conn<B>, ready: &[Ready<'_>]) -> Result<u64> {
    let head = "INSERT INTO contact_reasons (contact_id, position, reason_id, text, controllable, do_differently)";
    insert_rows::<B>(conn, head, "", 6, note_rows(ready)).await
}

/// The values of each contact's row: `id`, then [`CONTACT_FIELDS`].
fn contact_rows<'a>(ready: &'a [Ready<'a>]) -> impl Iterator<Item = Param<'a>> + Send + 'a {
    ready.iter().flat_map(|r| std::iter::once(Param::Int(r.id)).chain(contact_values(r.contact, r.found.client)))
}

/// Each note with the reason it counts under.
fn noted<'a>(ready: &'a [Ready<'a>]) -> impl Iterator<Item = (&'a NewReasonNote, &'a i64)> + Send + 'a {
    ready.iter().flat_map(|r| r.contact.reasons.iter().zip(&r.found.reasons))
}

/// The values of each note's row in `contact_reasons`.
fn note_rows<'a>(ready: &'a [Ready<'a>]) -> impl Iterator<Item = Param<'a>> + Send + 'a {
    ready.iter().flat_map(|r| {
        let notes = r.contact.reasons.iter().zip(&r.found.reasons).zip(0_i64..);
        notes.flat_map(move |((note, &reason), position)| {
            args![r.id, position, reason, note.text.as_str(), note.controllable, note.do_differently.as_deref()]
        })
    })
}

/// The values of the ownership item of each reason that affected the client.
fn item_rows<'a>(ready: &'a [Ready<'a>]) -> impl Iterator<Item = Param<'a>> + Send + 'a {
    ready.iter().flat_map(|r| {
        let (c, client) = (r.contact, r.found.client);
        let flagged = ownership::flagged(c, &r.found.reasons).into_iter();
        flagged.flat_map(move |reason| args![c.rep.0, r.id, client, reason, c.at.as_second()])
    })
}
