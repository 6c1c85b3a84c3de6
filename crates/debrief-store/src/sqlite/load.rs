//! Loading many contacts into SQLite: one transaction on a connection of its
//! own, rows bound straight into multi-row statements prepared once. A load
//! runs on two threads beside the one making the contacts: one plans each
//! batch (checks, client and contact ids) from what the database held at
//! the start, the other writes the batch planned before.
//!
//! The rows go through rusqlite rather than sqlx: sqlx copies every bound
//! value into a boxed argument and hands each statement to its worker
//! thread, which cost as much as SQLite's own inserts.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::types::ToSql;
use rusqlite::{Connection, OpenFlags, Statement, Transaction, TransactionBehavior};
use tokio::sync::mpsc::Receiver;

use super::BUSY;
use crate::sql::bulk::{
    BulkContact, BulkNote, Closures, contact_row, cut_short, existing_reasons, follow_up_rows, loop_clients, not_empty,
    note_closure, push_notes,
};
use crate::sql::{ANY_CONTACTS, flagged};
use crate::{LoadBatch, NewContact, Result, StoreError};

/// Rows per multi-row `INSERT`: large enough that SQLite keeps its cursors
/// open across many rows, small enough to prepare in no time.
const ROWS: usize = 500;

/// [`crate::Store::bulk_load`] on the file at `path`: everything in one
/// transaction that commits at [`LoadBatch::End`]. The file leaves the
/// write-ahead log for the load when no other connection has it open.
pub(super) fn load(path: &Path, mut batches: Receiver<LoadBatch>) -> Result<u64> {
    let mut conn = open(path)?;
    let left_the_log = leave_the_log(&conn);
    let loaded = load_in(&mut conn, &mut batches);
    if left_the_log {
        conn.pragma_update(None, "journal_mode", "WAL")?;
    }
    loaded
}

fn load_in(conn: &mut Connection, batches: &mut Receiver<LoadBatch>) -> Result<u64> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if tx.query_row(ANY_CONTACTS, [], |r| r.get(0))? {
        return Err(not_empty());
    }
    let mut planner = Planner::read(&tx, None)?;
    let (planned, plans) = mpsc::sync_channel::<Result<Plan>>(2);
    let mut writer = Writer::new(&tx);
    let total = std::thread::scope(|scope| {
        scope.spawn(move || {
            loop {
                let plan = match batches.blocking_recv() {
                    Some(LoadBatch::Contacts(contacts)) => planner.plan(contacts),
                    Some(LoadBatch::End) => break,
                    None => Err(cut_short()),
                };
                let failed = plan.is_err();
                if planned.send(plan).is_err() || failed {
                    return;
                }
            }
        });
        // Ends when the planner is done (or failed, or the writer did).
        plans.into_iter().try_fold(0, |total, plan| Ok::<_, StoreError>(total + writer.write(&plan?)?))
    })?;
    writer.finish()?;
    tx.commit()?;
    Ok(total)
}

/// [`crate::Store::bulk_log`] on the file at `path`, in one transaction.
pub(super) fn log(path: &Path, contacts: Vec<NewContact>) -> Result<u64> {
    let mut conn = open(path)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut reps: Vec<i64> = contacts.iter().map(|c| c.rep.0).collect();
    reps.sort_unstable();
    reps.dedup();
    let plan = Planner::read(&tx, Some(&reps))?.plan(contacts)?;
    let mut writer = Writer::new(&tx);
    let n = writer.write(&plan)?;
    writer.finish()?;
    tx.commit()?;
    Ok(n)
}

fn open(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.set_prepared_statement_cache_capacity(32);
    conn.busy_timeout(BUSY)?;
    // The load checks reps, reasons and clients itself, once per batch
    // instead of once per row.
    conn.pragma_update(None, "foreign_keys", false)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // As the pool's connections: 64 MiB, allocated as used.
    conn.pragma_update(None, "cache_size", -65_536)?;
    Ok(conn)
}

/// A rollback journal instead of the write-ahead log while a database is
/// loaded from empty: the new pages are written once instead of to the log
/// and then again into the file, and rolling back still works. Refused at
/// once (the load then goes through the log) while another connection has
/// the file open; whether it was left.
fn leave_the_log(conn: &Connection) -> bool {
    let switched = conn
        .busy_timeout(Duration::ZERO)
        .and_then(|()| conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0)));
    let _ = conn.busy_timeout(BUSY);
    match switched {
        Ok(mode) if mode.eq_ignore_ascii_case("delete") => true,
        Ok(mode) => {
            tracing::debug!("the load goes through the {mode} journal");
            false
        }
        Err(e) => {
            tracing::debug!("the load goes through the write-ahead log: {e}");
            false
        }
    }
}

/// What the database held when the load started, and the ids handed out
/// since. The load's transaction holds the write lock, so nobody else
/// changes any of it meanwhile.
struct Planner {
    reps: HashSet<i64>,
    reasons: HashSet<i64>,
    /// Client ids by rep and name.
    clients: HashMap<i64, HashMap<String, i64>>,
    /// The rep of each client.
    client_reps: HashMap<i64, i64>,
    next_contact: i64,
    next_client: i64,
}

/// A batch ready to write: contacts in (rep, time) order, so that the
/// `(rep_id, at)` index grows at its end.
struct Plan {
    contacts: Vec<NewContact>,
    /// The id of `contacts[0]`; the others follow on.
    first: i64,
    /// The client of each contact.
    clients: Vec<i64>,
    /// `(id, index of the first contact naming it)` of each new client.
    new_clients: Vec<(i64, usize)>,
}

impl Planner {
    /// Reads the reps, reasons, the clients of `reps` (of every rep for
    /// `None`) and the largest ids.
    fn read(tx: &Transaction<'_>, reps: Option<&[i64]>) -> Result<Planner> {
        let ids =
            |sql: &str| -> rusqlite::Result<HashSet<i64>> { tx.prepare(sql)?.query_map([], |r| r.get(0))?.collect() };
        let mut planner = Planner {
            reps: ids("SELECT id FROM reps")?,
            reasons: ids("SELECT id FROM reasons")?,
            clients: HashMap::new(),
            client_reps: HashMap::new(),
            next_contact: tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM contacts", [], |r| r.get(0))?,
            next_client: tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM clients", [], |r| r.get(0))?,
        };
        let mut add = |(id, rep, name): (i64, i64, String)| {
            planner.client_reps.insert(id, rep);
            planner.clients.entry(rep).or_default().insert(name, id);
        };
        let row = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get(1)?, r.get(2)?));
        match reps {
            None => {
                let mut all = tx.prepare("SELECT id, rep_id, name FROM clients")?;
                for client in all.query_map([], row)? {
                    add(client?);
                }
            }
            Some(reps) => {
                let mut of_rep = tx.prepare("SELECT id, rep_id, name FROM clients WHERE rep_id = ?1")?;
                for &rep in reps {
                    for client in of_rep.query_map([rep], row)? {
                        add(client?);
                    }
                }
            }
        }
        Ok(planner)
    }

    /// Checks `contacts` against what is stored and gives them ids; what a
    /// bulk load refuses is found here, before anything of the batch is written.
    fn plan(&mut self, mut contacts: Vec<NewContact>) -> Result<Plan> {
        for reason in existing_reasons(&contacts)? {
            if !self.reasons.contains(&reason) {
                return Err(StoreError::NotFound { what: "reason", id: reason.to_string() });
            }
        }
        for (rep, client) in loop_clients(&contacts)? {
            if self.client_reps.get(&client) != Some(&rep) {
                return Err(StoreError::NotFound { what: "client", id: client.to_string() });
            }
        }
        if let Some(c) = contacts.iter().find(|c| !self.reps.contains(&c.rep.0)) {
            return Err(StoreError::NotFound { what: "rep", id: c.rep.0.to_string() });
        }
        contacts.sort_by_key(|c| (c.rep, c.at));
        let mut clients = Vec::with_capacity(contacts.len());
        let mut new_clients = Vec::new();
        for (i, c) in contacts.iter().enumerate() {
            let names = self.clients.entry(c.rep.0).or_default();
            let id = match names.get(c.client.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.next_client;
                    self.next_client += 1;
                    names.insert(c.client.clone(), id);
                    self.client_reps.insert(id, c.rep.0);
                    new_clients.push((id, i));
                    id
                }
            };
            clients.push(id);
        }
        let first = self.next_contact;
        self.next_contact += contacts.len() as i64;
        Ok(Plan { contacts, first, clients, new_clients })
    }
}

/// Writes planned batches into the load's transaction, keeping the clients
/// to close for the end.
struct Writer<'t> {
    tx: &'t Transaction<'t>,
    closures: Closures,
}

impl<'t> Writer<'t> {
    fn new(tx: &'t Transaction<'t>) -> Writer<'t> {
        Writer { tx, closures: Closures::new() }
    }

    /// Writes `plan`; how many contacts. The clients to close are closed
    /// by [`Writer::finish`].
    fn write(&mut self, plan: &Plan) -> Result<u64> {
        let Plan { contacts, first, clients, new_clients } = plan;
        let new: Vec<(i64, i64, &str)> =
            new_clients.iter().map(|&(id, i)| (id, contacts[i].rep.0, contacts[i].client.as_str())).collect();
        insert(self.tx, "INSERT OR FAIL INTO clients (id, rep_id, name)", 3, &new, |s, i, (id, rep, name)| {
            bind(s, i, &[id, rep, name])
        })?;
        let mut rows = Vec::with_capacity(contacts.len());
        let mut notes = Vec::with_capacity(contacts.len() * 2);
        let mut items = Vec::new();
        let mut follow_ups = Vec::new();
        for ((c, &client), id) in contacts.iter().zip(clients).zip(*first..) {
            rows.push(contact_row(id, client, c));
            let reasons = push_notes(&mut notes, id, c)?;
            items
                .extend(flagged(c, &reasons).into_iter().map(|reason| [c.rep.0, id, client, reason, c.at.as_second()]));
            follow_ups.extend(follow_up_rows(c, client).map(|row| (c.rep.0, row)));
            note_closure(&mut self.closures, c, client);
        }
        insert_contacts(self.tx, &rows)?;
        insert_notes(self.tx, &notes)?;
        let head = "INSERT OR FAIL INTO ownership (rep_id, contact_id, client_id, reason_id, opened_at)";
        insert(self.tx, head, 5, &items, |s, i, [rep, contact, client, reason, at]| {
            bind(s, i, &[rep, contact, client, reason, at])
        })?;
        let head = "INSERT OR FAIL INTO follow_ups (rep_id, client_id, kind, n, anchor, due, note, recovery_id)";
        insert(self.tx, head, 8, &follow_ups, |s, i, (rep, (client, kind, n, anchor, due, note))| {
            bind(s, i, &[rep, client, kind, n, anchor, due, note, &None::<i64>])
        })?;
        Ok(contacts.len() as u64)
    }

    /// Closes the clients, each at its latest closure.
    fn finish(self) -> Result<()> {
        let mut close =
            self.tx.prepare_cached("UPDATE clients SET closed_at = ?1, closed_reason = ?2 WHERE id = ?3")?;
        for (client, (at, reason)) in self.closures {
            close.execute(rusqlite::params![at, reason, client])?;
        }
        Ok(())
    }
}

fn insert_contacts(tx: &Transaction<'_>, rows: &[BulkContact<'_>]) -> rusqlite::Result<()> {
    let head = "INSERT OR FAIL INTO contacts (id, rep_id, client_id, at, channel, outcome, new_lead, better, note)";
    insert(tx, head, 9, rows, |s, i, r| {
        bind(s, i, &[&r.id, &r.rep, &r.client, &r.at, &r.channel, &r.outcome, &r.new_lead, &r.better, &r.note])
    })
}

fn insert_notes(tx: &Transaction<'_>, rows: &[BulkNote<'_>]) -> rusqlite::Result<()> {
    let head =
        "INSERT OR FAIL INTO contact_reasons (contact_id, position, reason_id, text, controllable, do_differently)";
    insert(tx, head, 6, rows, |s, i, r| {
        bind(s, i, &[&r.contact, &r.position, &r.reason, &r.text, &r.controllable, &r.do_differently])
    })
}

/// Inserts `rows` with `head VALUES (?, …), …`: [`ROWS`] rows a statement,
/// the rest one by one; `bind` binds a row from parameter `i` on. Heads say
/// `INSERT OR FAIL`: a failing row fails the load, which is then rolled back
/// whole, so SQLite need not journal each statement to undo its own rows.
fn insert<T>(
    tx: &Transaction<'_>,
    head: &str,
    width: usize,
    rows: &[T],
    bind: impl Fn(&mut Statement<'_>, usize, &T) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let mut chunks = rows.chunks_exact(ROWS);
    if chunks.len() > 0 {
        let mut full = tx.prepare_cached(&values(head, width, ROWS))?;
        for chunk in &mut chunks {
            for (k, row) in chunk.iter().enumerate() {
                bind(&mut full, k * width + 1, row)?;
            }
            full.raw_execute()?;
        }
    }
    if !chunks.remainder().is_empty() {
        let mut one = tx.prepare_cached(&values(head, width, 1))?;
        for row in chunks.remainder() {
            bind(&mut one, 1, row)?;
            one.raw_execute()?;
        }
    }
    Ok(())
}

/// Binds `values` to the parameters from `i` on.
fn bind(s: &mut Statement<'_>, i: usize, values: &[&dyn ToSql]) -> rusqlite::Result<()> {
    values.iter().zip(i..).try_for_each(|(value, at)| s.raw_bind_parameter(at, value))
}

/// `head VALUES (?, ?), (?, ?)` for `rows` rows of `width` values.
fn values(head: &str, width: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; width].join(", "));
    format!("{head} VALUES {}", vec![row.as_str(); rows].join(", "))
}
