//! Storage for debrief: the [`Store`] trait and its SQLite and PostgreSQL
//! implementations. Every method is one use case and one transaction, so a
//! write happens whole or not at all.

mod error;
mod postgres;
mod sql;
mod sqlite;

use async_trait::async_trait;
use debrief_core::model::{
    Channel, ClientId, Contact, ContactId, Outcome, Reason, ReasonId, RepId,
};
use jiff::Timestamp;

pub use error::StoreError;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The newest schema version this build knows. A database at a higher
/// version was written by a newer debrief and is refused untouched.
pub const SCHEMA_VERSION: i64 = 1;

/// Which canonical reason a logged text counts under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReasonRef {
    /// An existing reason of the vocabulary.
    Existing(ReasonId),
    /// A reason new to the vocabulary, created in the same transaction.
    New { label: String, controllable: bool },
}

/// A reason as written on a contact about to be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReasonNote {
    pub reason: ReasonRef,
    /// The text exactly as written (also remembered as a way to say the reason).
    pub text: String,
    pub controllable: bool,
    pub do_differently: Option<String>,
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
    /// The rep of that name, if any.
    async fn find_rep(&self, name: &str) -> Result<Option<RepId>>;
    /// Every rep, by name.
    async fn reps(&self) -> Result<Vec<RepSummary>>;

    /// The vocabulary with every text written for each reason, by label.
    async fn vocabulary(&self) -> Result<Vec<ReasonTexts>>;
    /// Adds reasons (with extra ways to say them) that are not there yet,
    /// matched by label. Returns how many were added.
    async fn add_reasons(&self, reasons: &[ReasonTexts]) -> Result<usize>;
    /// Counts every use of `from` under `into` and removes `from`; its label
    /// and texts become ways to say `into`. Texts on contacts stay as written.
    async fn merge_reasons(&self, from: ReasonId, into: ReasonId) -> Result<()>;
    /// Gives a reason a new label (the old one stays a way to say it).
    /// `Conflict` when another reason has that label.
    async fn rename_reason(&self, id: ReasonId, label: &str) -> Result<()>;

    /// Stores a contact, its client (when new), its reasons (new ones too).
    async fn log_contact(&self, contact: &NewContact) -> Result<ContactId>;
    /// Replaces every field and reason of a stored contact.
    async fn update_contact(&self, id: ContactId, contact: &NewContact) -> Result<()>;
    async fn delete_contact(&self, id: ContactId) -> Result<()>;
    async fn contact(&self, id: ContactId) -> Result<Contact>;
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

    async fn focus(&self, rep: RepId) -> Result<Option<Focus>>;
    async fn set_focus(&self, rep: RepId, reason: ReasonId, at: Timestamp) -> Result<()>;
    /// Ends the current focus; `NotFound` when there is none.
    async fn clear_focus(&self, rep: RepId, at: Timestamp) -> Result<()>;

    /// Stores many contacts at once in one transaction (demo data, imports).
    /// Every reason must be `ReasonRef::Existing`.
    async fn bulk_log(&self, contacts: &[NewContact]) -> Result<u64>;
    /// Records focuses in bulk: `(rep, reason, set_at)`.
    async fn bulk_focus(&self, focuses: &[(RepId, ReasonId, Timestamp)]) -> Result<()>;
    /// Whether any contact is stored.
    async fn has_contacts(&self) -> Result<bool>;
    /// Which backend this is, for messages: "sqlite" or "postgres".
    fn backend(&self) -> &'static str;
}
