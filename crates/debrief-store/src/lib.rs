//! Storage for debrief: the [`Store`] trait and its SQLite and PostgreSQL
//! implementations. Every method is one use case and one transaction, so a
//! write happens whole or not at all. Many contacts at once (demo data,
//! imports) go through a [`Loader`], beside the store: one transaction
//! written the way [`Store::log_contact`] writes one contact.

mod error;
mod load;
mod postgres;
mod sql;
mod sqlite;

use async_trait::async_trait;
use debrief_core::daily::DailyEntry;
use debrief_core::followup::{Actions, ClientClosure, CloseReason, FollowUp, FollowUpId, FollowUpPlan};
use debrief_core::mishap::{MishapKind, Recovery, RecoveryId, StepRecord};
use debrief_core::model::{Channel, ClientId, Contact, ContactId, Outcome, Reason, ReasonId, RepId};
use debrief_core::ownership::{OwnershipId, OwnershipItem};
use jiff::Timestamp;
use jiff::civil::Date;

pub use error::StoreError;
pub use load::{Loader, Resolution, Restorer};
pub use postgres::PostgresStore;
pub use sqlite::{Restored, SqliteStore};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The newest schema version this build knows. A database at a higher
/// version was written by a newer debrief and is refused untouched.
pub const SCHEMA_VERSION: i64 = 8;

/// Which canonical reason a logged text counts under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReasonRef {
    /// An existing reason of the vocabulary; if it was merged meanwhile, the
    /// reason it was merged into.
    Existing(ReasonId),
    /// A reason new to the vocabulary, created in the same transaction.
    New { label: String, controllable: bool },
}

/// Whether a re-filed note's words become a way to say the reason it moves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Learn {
    /// They do: the next time the same words are written, they are filed there.
    Yes,
    /// They stay where they are (they are another reason's label).
    No,
    /// They are the label of the reason the note leaves: they follow the
    /// note only when no contact counts under that reason any more (a reason
    /// kept from a rep's words, then undone), so that a reason nobody uses
    /// no longer catches those words.
    IfLeftUnused,
}

/// What a re-file changed: the reason a note counted under before and now,
/// and whether an ownership item went with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refiled {
    pub from: ReasonId,
    pub to: ReasonId,
    pub controllable: bool,
    pub ownership_removed: bool,
}

/// A reason as written on a contact about to be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReasonNote {
    pub reason: ReasonRef,
    /// The text exactly as written (also remembered as a way to say the reason).
    pub text: String,
    pub controllable: bool,
    pub do_differently: Option<String>,
    /// The mistake affected the client: storing the contact opens an
    /// ownership item for this note's reason (one per reason and contact).
    pub affected_client: bool,
}

/// A contact about to be stored (or to replace a stored one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewContact {
    pub rep: RepId,
    /// The client's name; the client is created for this rep when new.
    pub client: String,
    pub at: Timestamp,
    pub channel: Channel,
    pub outcome: Outcome,
    pub new_lead: bool,
    pub reasons: Vec<NewReasonNote>,
    pub better: Option<String>,
    pub note: Option<String>,
    /// Follow-up changes written with the contact, in the same transaction;
    /// `ClientRef::This` in a plan or the closure is this contact's client.
    pub follow_ups: FollowUpChanges,
}

/// Changes to a rep's follow-ups, written whole with the write that carries
/// them (a contact, a mishap, a step) or on their own.
///
/// `ClientRef::This` in a plan or in `close` is the client of the contact or
/// mishap being written, `RecoveryRef::This` in a mishap update the mishap
/// being written. Done, cancelled and rescheduled follow-ups must be open and
/// the rep's; created ones must be for the rep's clients.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FollowUpChanges {
    pub create: Vec<FollowUpPlan>,
    /// Follow-ups to mark done, and when.
    pub complete: Vec<(FollowUpId, Timestamp)>,
    /// Follow-ups to cancel, and when.
    pub cancel: Vec<(FollowUpId, Timestamp)>,
    /// Follow-ups to move, and their new due time.
    pub reschedule: Vec<(FollowUpId, Timestamp)>,
    /// A client to close (after the last chase went unanswered).
    pub close: Option<ClientClosure>,
}

impl FollowUpChanges {
    /// What a rule of `debrief_core::followup` asks for, with done and
    /// cancelled ones marked at `at` (the event's time).
    pub fn from_actions(actions: Actions, at: Timestamp) -> FollowUpChanges {
        let Actions { create, complete, cancel, close } = actions;
        FollowUpChanges {
            create,
            complete: complete.into_iter().map(|id| (id, at)).collect(),
            cancel: cancel.into_iter().map(|id| (id, at)).collect(),
            reschedule: Vec::new(),
            close,
        }
    }

    pub fn is_empty(&self) -> bool {
        self == &FollowUpChanges::default()
    }
}

/// A client of a rep, and whether it was closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientInfo {
    pub id: ClientId,
    pub rep: RepId,
    pub name: String,
    /// When and why it was closed (see [`FollowUpChanges::close`]).
    pub closed: Option<(Timestamp, CloseReason)>,
}

/// A reason of the vocabulary with every way it has been written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonTexts {
    pub reason: Reason,
    pub texts: Vec<String>,
}

/// Which contacts to read. Every field narrows; `None` means "any".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactQuery {
    pub rep: Option<RepId>,
    /// Inclusive lower bound of `at`.
    pub from: Option<Timestamp>,
    /// Exclusive upper bound of `at`.
    pub to: Option<Timestamp>,
    pub outcome: Option<Outcome>,
    pub reason: Option<ReasonId>,
    pub client: Option<ClientId>,
    /// At most this many, newest first when set; all, oldest first, when `None`.
    pub limit: Option<u32>,
    pub offset: u32,
}

/// The reason a rep has chosen to work on, since when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Focus {
    pub rep: RepId,
    pub reason: Reason,
    pub set_at: Timestamp,
}

/// A rep's history to write into a database where the rep has no contacts:
/// debrief's own export, checked and resolved by the application. Reasons
/// are named by label (the contacts create the new ones); `contact` and
/// `recovery` are indices into this import's lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Import {
    pub rep: String,
    /// The rep's IANA zone.
    pub tz: Option<String>,
    /// Every way the vocabulary knows a reason: `(label, texts)`.
    pub reason_texts: Vec<(String, Vec<String>)>,
    /// The rep is filled in by the store; a reason that touched the client
    /// opens its ownership item, which `ownership` then sets.
    pub contacts: Vec<NewContact>,
    pub ownership: Vec<ImportedOwnership>,
    pub focus: Vec<ImportedFocus>,
    pub recoveries: Vec<ImportedRecovery>,
    pub follow_ups: Vec<ImportedFollowUp>,
    pub daily: Vec<DailyEntry>,
    /// Where imported contacts came from (a CRM's export).
    pub sources: Vec<ImportedSource>,
    /// Contacts waiting for triage, with the source's reason.
    pub triage: Vec<(usize, String)>,
    /// Meetings from the rep's calendar, each with the contact that debriefed it.
    pub meetings: Vec<(NewMeeting, Option<usize>)>,
}

/// Where a contact of an [`Import`] came from: its source and key there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportedSource {
    pub contact: usize,
    pub source: String,
    pub key: String,
    pub digest: String,
}

impl Import {
    /// How many of each it holds: what an import writes.
    pub fn counts(&self) -> ImportCounts {
        ImportCounts {
            contacts: self.contacts.len(),
            ownership: self.ownership.len(),
            focus: self.focus.len(),
            recoveries: self.recoveries.len(),
            follow_ups: self.follow_ups.len(),
            daily: self.daily.len(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedOwnership {
    pub contact: usize,
    pub reason: String,
    pub opened_at: Timestamp,
    pub owned: Option<debrief_core::ownership::Owned>,
    pub committed: Option<debrief_core::ownership::Commitment>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedFocus {
    pub reason: String,
    pub set_at: Timestamp,
    pub cleared_at: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedRecovery {
    pub client: String,
    pub kind: debrief_core::mishap::MishapKind,
    pub what: String,
    pub at: Timestamp,
    pub steps: Vec<debrief_core::mishap::StepRecord>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedFollowUp {
    pub client: String,
    /// `chase`, `check-in`, `mishap-update` or `manual`.
    pub kind: &'static str,
    pub n: Option<u8>,
    pub recovery: Option<usize>,
    pub anchor: Timestamp,
    pub due: Timestamp,
    pub note: Option<String>,
    /// `open`, `done` or `cancelled`.
    pub status: &'static str,
    /// When it was done or cancelled (the due time when the file does not say).
    pub status_at: Option<Timestamp>,
}

/// How many of each an import wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub contacts: usize,
    pub ownership: usize,
    pub focus: usize,
    pub recoveries: usize,
    pub follow_ups: usize,
    pub daily: usize,
}

impl std::ops::AddAssign for ImportCounts {
    fn add_assign(&mut self, other: ImportCounts) {
        self.contacts += other.contacts;
        self.ownership += other.ownership;
        self.focus += other.focus;
        self.recoveries += other.recoveries;
        self.follow_ups += other.follow_ups;
        self.daily += other.daily;
    }
}

/// A contact from another system (a CRM's export), known there by `key`
/// within its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sourced {
    pub key: String,
    /// What the source said of it: a changed digest updates the contact.
    pub digest: String,
    /// Written without reasons or follow-ups: history, not a new contact.
    pub contact: NewContact,
    /// A lost contact waits for triage, with the source's reason ("" for none).
    pub triage: Option<String>,
}

/// What writing sourced contacts did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SourcedCounts {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl std::ops::AddAssign for SourcedCounts {
    fn add_assign(&mut self, other: SourcedCounts) {
        self.added += other.added;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// A meeting from the rep's calendar, to save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMeeting {
    /// The event's UID and the instance's planned start.
    pub key: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub title: String,
    pub client: String,
    /// The outside attendees' addresses, comma-separated.
    pub attendees: String,
}

/// A saved meeting; `contact` is the contact that debriefed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meeting {
    pub id: i64,
    pub key: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub title: String,
    pub client: String,
    pub attendees: String,
    pub contact: Option<ContactId>,
}

/// What saving a calendar's meetings did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MeetingCounts {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Cancelled or moved out of the range, not debriefed: gone.
    pub removed: u64,
}

/// A lost contact waiting for its reason to be filed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriageItem {
    pub contact: Contact,
    /// The reason the source gave, in its words ("" when none).
    pub text: String,
}

/// One stretch of a rep's focus: set, and cleared (`None` while it runs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FocusSpan {
    pub reason: Reason,
    pub set_at: Timestamp,
    pub cleared_at: Option<Timestamp>,
}

/// A "what I'd do differently" line written earlier for a reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lesson {
    pub reason: ReasonId,
    pub contact: ContactId,
    pub at: Timestamp,
    pub text: String,
}

/// A rep of the database with how many contacts they logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepSummary {
    pub id: RepId,
    pub name: String,
    pub contacts: u64,
}

/// The storage interface. Implementations: [`SqliteStore`], [`PostgresStore`].
#[async_trait]
pub trait Store: Send + Sync {
    /// The rep of that name, created when new.
    async fn rep(&self, name: &str) -> Result<RepId>;
    /// The rep of that name, created in time zone `tz` (an IANA name) when new.
    async fn rep_in_zone(&self, name: &str, tz: &str) -> Result<RepId>;
    /// The rep of that name, if any.
    async fn find_rep(&self, name: &str) -> Result<Option<RepId>>;
    /// Every rep, by name.
    async fn reps(&self) -> Result<Vec<RepSummary>>;
    /// The rep's time zone (an IANA name); `None` for a rep of an earlier
    /// schema that has none yet. `NotFound` for a rep that is not there.
    async fn rep_zone(&self, rep: RepId) -> Result<Option<String>>;
    /// Sets the rep's time zone (an IANA name the caller checked).
    async fn set_rep_zone(&self, rep: RepId, tz: &str) -> Result<()>;

    /// The vocabulary with every text written for each reason, by label.
    async fn vocabulary(&self) -> Result<Vec<ReasonTexts>>;
    /// Adds reasons (with extra ways to say them) that are not there yet,
    /// matched by label. Returns how many were added.
    async fn add_reasons(&self, reasons: &[ReasonTexts]) -> Result<usize>;
    /// Counts every use of `from` under `into` and removes `from`; its label
    /// and texts become ways to say `into`. Texts on contacts stay as written.
    /// A write naming `from` afterwards counts under `into`.
    async fn merge_reasons(&self, from: ReasonId, into: ReasonId) -> Result<()>;
    /// Gives a reason a new label (the old one stays a way to say it).
    /// `Conflict` when another reason has that label.
    async fn rename_reason(&self, id: ReasonId, label: &str) -> Result<()>;

    /// Stores a contact, its client (when new), its reasons (new ones too),
    /// an ownership item (opened at the contact's time) for each reason
    /// that affected the client, and its follow-up changes. Each text is
    /// remembered as a way to say its reason.
    async fn log_contact(&self, contact: &NewContact) -> Result<ContactId>;
    /// Replaces every field and reason of a stored contact and applies its
    /// follow-up changes. Ownership items of reasons still on the contact
    /// stay as they are; those of reasons taken off go; a newly flagged
    /// reason opens one.
    async fn update_contact(&self, id: ContactId, contact: &NewContact) -> Result<()>;
    /// Counts the reason written at `position` of a contact under `to`
    /// instead; the text stays as written. An ownership item of the note
    /// follows it to a controllable reason and goes when it leaves for an
    /// external one. As `learn` says, the text becomes a way to say `to`
    /// (taken from the reason it said before). Returns what the note counted under
    /// before and counts under now; `NotFound` for a contact or position
    /// that is not there, `Conflict` when a new reason's label is taken by a
    /// reason of the other side.
    async fn refile_reason(&self, contact: ContactId, position: u32, to: &ReasonRef, learn: Learn) -> Result<Refiled>;
    async fn delete_contact(&self, id: ContactId) -> Result<()>;
    async fn contact(&self, id: ContactId) -> Result<Contact>;
    /// The digests stored under those keys of `source` (keys not stored are absent).
    async fn source_digests(&self, source: &str, keys: &[&str]) -> Result<std::collections::HashMap<String, String>>;
    /// How many of the rep's lost contacts wait for triage.
    async fn triage_count(&self, rep: RepId) -> Result<u64>;
    /// Where each of the rep's imported contacts came from: `(contact, source, key, digest)`.
    async fn contact_sources(&self, rep: RepId) -> Result<Vec<(ContactId, String, String, String)>>;
    /// The rep's contacts waiting for triage, with the source's reason.
    async fn triage_texts(&self, rep: RepId) -> Result<Vec<(ContactId, String)>>;
    /// Saves the rep's meetings of `[from, to)` as the calendar has them now:
    /// new ones added, moved or renamed ones updated, ones no longer there
    /// removed; a debriefed meeting is never changed.
    async fn save_meetings(
        &self,
        rep: RepId,
        from: Timestamp,
        to: Timestamp,
        meetings: &[NewMeeting],
    ) -> Result<MeetingCounts>;
    /// The rep's meetings starting in `[from, to)`, by start.
    async fn meetings(&self, rep: RepId, from: Timestamp, to: Timestamp) -> Result<Vec<Meeting>>;
    async fn meeting(&self, id: i64) -> Result<(RepId, Meeting)>;
    /// Marks a meeting debriefed by `contact`; `Conflict` when it already was.
    async fn meeting_debriefed(&self, id: i64, contact: ContactId) -> Result<()>;
    /// The source's reason of a contact waiting for triage ("" for none);
    /// `None` when it does not wait.
    async fn triage_text(&self, contact: ContactId) -> Result<Option<String>>;
    /// The rep's contacts waiting for triage, newest first, at most `limit`.
    async fn triage(&self, rep: RepId, limit: u32) -> Result<Vec<TriageItem>>;
    /// Files the reason of a contact waiting for triage (it then leaves
    /// triage); `NotFound` when it was not waiting.
    async fn file_triaged(&self, contact: ContactId, note: &NewReasonNote) -> Result<()>;
    async fn contacts(&self, query: &ContactQuery) -> Result<Vec<Contact>>;
    /// How many contacts match (ignoring limit and offset).
    async fn count_contacts(&self, query: &ContactQuery) -> Result<u64>;
    /// Of `clients`, those with a `won` contact before `until`.
    async fn clients_won(&self, clients: &[ClientId], until: Timestamp) -> Result<Vec<ClientId>>;
    /// The newest "what I'd do differently" lines of `rep` for `reasons`
    /// written before `before`, at most `per_reason` for each reason.
    async fn lessons(
        &self,
        rep: RepId,
        reasons: &[ReasonId],
        before: Timestamp,
        per_reason: u32,
    ) -> Result<Vec<Lesson>>;

    /// The rep's client of that name, if any.
    async fn find_client(&self, rep: RepId, name: &str) -> Result<Option<ClientId>>;
    /// The names of those of `ids` that exist, in the order asked.
    async fn client_names(&self, ids: &[ClientId]) -> Result<Vec<(ClientId, String)>>;
    async fn client(&self, id: ClientId) -> Result<ClientInfo>;

    /// The rep's ownership items, oldest first; with `unresolved_only`,
    /// those without a commitment yet.
    async fn ownership_items(&self, rep: RepId, unresolved_only: bool) -> Result<Vec<OwnershipItem>>;
    async fn ownership_item(&self, id: OwnershipId) -> Result<(RepId, OwnershipItem)>;
    /// Writes the owned and committed parts of a stored item.
    async fn save_ownership(&self, item: &OwnershipItem) -> Result<()>;
    /// The rep's committed items on any of `reasons`, by commitment time.
    async fn commitments(&self, rep: RepId, reasons: &[ReasonId]) -> Result<Vec<OwnershipItem>>;

    /// Opens a mishap with `client` (created for the rep when new) and
    /// applies `follow_ups`, in one transaction.
    async fn open_recovery(
        &self,
        rep: RepId,
        client: &str,
        kind: MishapKind,
        what: &str,
        at: Timestamp,
        follow_ups: &FollowUpChanges,
    ) -> Result<RecoveryId>;
    async fn recovery(&self, id: RecoveryId) -> Result<(RepId, Recovery)>;
    /// The rep's recoveries with their steps, oldest first; with
    /// `open_only`, those without a `resolved` step.
    async fn recoveries(&self, rep: RepId, open_only: bool) -> Result<Vec<Recovery>>;
    /// Records a step after the recovery's others and applies `follow_ups`
    /// (for the recovery's rep; `ClientRef::This` is its client), in one transaction.
    async fn add_recovery_step(&self, id: RecoveryId, step: &StepRecord, follow_ups: &FollowUpChanges) -> Result<()>;

    /// The rep's follow-ups by due time; with `open_only`, the open ones.
    async fn follow_ups(&self, rep: RepId, open_only: bool) -> Result<Vec<FollowUp>>;
    /// The client's follow-ups by due time; with `open_only`, the open ones.
    async fn client_follow_ups(&self, client: ClientId, open_only: bool) -> Result<Vec<FollowUp>>;
    async fn follow_up(&self, id: FollowUpId) -> Result<(RepId, FollowUp)>;
    /// Applies follow-up changes of the rep in one transaction; the ids of
    /// the created ones, in order. `ClientRef::This` is refused here.
    async fn apply_follow_ups(&self, rep: RepId, changes: &FollowUpChanges) -> Result<Vec<FollowUpId>>;

    /// The rep's daily entries and notes from `from` to `to` (inclusive), by date.
    async fn daily_entries(&self, rep: RepId, from: Date, to: Date) -> Result<Vec<DailyEntry>>;
    /// Stores the rep's entry for its date, replacing what was there.
    async fn save_daily(&self, rep: RepId, entry: &DailyEntry) -> Result<()>;

    async fn focus(&self, rep: RepId) -> Result<Option<Focus>>;
    async fn set_focus(&self, rep: RepId, reason: ReasonId, at: Timestamp) -> Result<()>;
    /// Ends the current focus; `NotFound` when there is none.
    async fn clear_focus(&self, rep: RepId, at: Timestamp) -> Result<()>;
    /// Every focus the rep has set, oldest first, the current one last.
    async fn focus_history(&self, rep: RepId) -> Result<Vec<FocusSpan>>;

    /// Writes a rep's history (see [`Import`]) in one transaction; refused
    /// with `Conflict` when the rep already has contacts here.
    async fn import(&self, doc: &Import) -> Result<ImportCounts>;

    /// Starts a [`Restorer`]: one write transaction that writes a backup
    /// archive's histories rep by rep. With `replace`, every history the
    /// database held is deleted first (the vocabulary stays); otherwise
    /// `Conflict` when it holds contacts.
    async fn begin_restore(&self, replace: bool) -> Result<Restorer>;

    /// Writes a consistent copy of the whole database into the new file
    /// `path` while others go on writing (SQLite: `VACUUM INTO`); `false`
    /// where the database is not a file (PostgreSQL: the app writes an
    /// archive of every rep's history instead).
    async fn backup_file(&self, path: &std::path::Path) -> Result<bool>;

    /// A read-only view of the database as it is now, for an archive of
    /// every rep read in many queries while others go on writing: every read
    /// through it sees the database at the one moment it was taken, and any
    /// write through it is refused. `None` where [`Store::backup_file`]
    /// copies the database whole instead (SQLite). It holds one connection
    /// until it is dropped.
    async fn snapshot(&self) -> Result<Option<std::sync::Arc<dyn Store>>>;

    /// Whether any contact is stored.
    async fn has_contacts(&self) -> Result<bool>;

    /// Starts a [`Loader`]: one write transaction for many contacts, taken
    /// until it commits or is dropped (which writes nothing). While it runs
    /// it holds a connection of its own, and on SQLite the write lock.
    async fn begin_load(&self) -> Result<Loader>;
}
