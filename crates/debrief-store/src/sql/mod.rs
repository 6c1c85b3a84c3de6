//! The store logic both backends share: every [`Store`] use case written once
//! against a few primitives ([`Backend`]) that each backend provides.
//!
//! The SQL here is the dialect SQLite and PostgreSQL have in common (`$n`
//! placeholders, `RETURNING`, `ON CONFLICT`, window functions); what differs
//! (opening, migrations, bulk loading) lives in `sqlite` and `postgres`.

pub(crate) mod bulk;
mod clients;
mod daily;
mod focus;
mod followup;
mod ownership;
mod read;
mod recovery;
mod rows;
mod schema;
mod vocab;
mod write;

use async_trait::async_trait;
use debrief_core::daily::DailyEntry;
use debrief_core::followup::{FollowUp, FollowUpId};
use debrief_core::mishap::{MishapKind, Recovery, RecoveryId, StepRecord};
use debrief_core::model::{ClientId, Contact, ContactId, ReasonId, RepId};
use debrief_core::ownership::{OwnershipId, OwnershipItem};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use sqlx::{Database, Encode, Executor, IntoArguments, Pool, Transaction, Type};

use crate::{
    ClientInfo, ContactQuery, Focus, FollowUpChanges, Lesson, LoadBatch, NewContact, ReasonTexts, RepSummary,
    Resolution, Result, Store,
};

pub(crate) use bulk::{BulkContact, BulkNote, SetLoad};
pub(crate) use ownership::flagged;
pub(crate) use read::ANY_CONTACTS;
pub(crate) use rows::Cols;
pub(crate) use schema::{MigrationFile, migrate};

/// The connection type of a backend.
pub(crate) type Conn<B> = <<B as Backend>::Db as Database>::Connection;

/// A value bound to a `$n` placeholder.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Param<'a> {
    Int(i64),
    OptInt(Option<i64>),
    Text(&'a str),
    OptText(Option<&'a str>),
    Bool(bool),
}

impl From<i64> for Param<'_> {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<Option<i64>> for Param<'_> {
    fn from(v: Option<i64>) -> Self {
        Param::OptInt(v)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(v)
    }
}

impl<'a> From<Option<&'a str>> for Param<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Param::OptText(v)
    }
}

impl From<bool> for Param<'_> {
    fn from(v: bool) -> Self {
        Param::Bool(v)
    }
}

/// `args![a, b]` is `[Param::from(a), Param::from(b)]`.
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        [$($crate::sql::Param::from($value)),*]
    };
}
pub(crate) use args;

/// What a backend provides so that the shared use cases can run on it.
/// Implemented by [`crate::SqliteStore`] and [`crate::PostgresStore`].
#[async_trait]
pub(crate) trait Backend: Send + Sync + 'static {
    type Db: Database;
    type Row: Cols + Send;
    /// "sqlite" or "postgres".
    const NAME: &'static str;
    /// One row, one boolean column: whether `_sqlx_migrations` exists.
    const HAS_MIGRATIONS_TABLE: &'static str;
    /// The statement that starts a transaction that will write.
    const BEGIN_WRITE: &'static str;
    /// Whether a statement made only of a long list of values is better
    /// written with anonymous `?` placeholders than with `$1, $2, …`: SQLite
    /// looks each numbered one up by name, quadratic in a list of thousands.
    const ANONYMOUS_LISTS: bool = false;

    fn pool(&self) -> &Pool<Self::Db>;

    /// Starts a transaction that will write.
    async fn begin_write(&self) -> sqlx::Result<Transaction<'static, Self::Db>> {
        self.pool().begin_with(Self::BEGIN_WRITE).await
    }

    /// [`Store::bulk_log`]: each backend loads in its own way.
    async fn bulk_log(&self, contacts: &[NewContact]) -> Result<u64>;
    /// [`Store::bulk_load`].
    async fn bulk_load(&self, batches: tokio::sync::mpsc::Receiver<LoadBatch>) -> Result<u64>;

    async fn fetch(conn: &mut Conn<Self>, sql: &str, params: &[Param<'_>]) -> sqlx::Result<Vec<Self::Row>>;
    /// Runs a statement; returns how many rows it touched.
    async fn execute(conn: &mut Conn<Self>, sql: &str, params: &[Param<'_>]) -> sqlx::Result<u64>;
}

/// Binds `params` to `$1`, `$2`, … of `sql` (for backends' `fetch`/`execute`).
pub(crate) fn bind<'q, DB>(
    query: sqlx::query::Query<'q, DB, DB::Arguments<'q>>,
    params: &[Param<'q>],
) -> sqlx::query::Query<'q, DB, DB::Arguments<'q>>
where
    DB: Database,
    i64: Encode<'q, DB> + Type<DB>,
    Option<i64>: Encode<'q, DB> + Type<DB>,
    bool: Encode<'q, DB> + Type<DB>,
    &'q str: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
{
    params.iter().fold(query, |q, p| match *p {
        Param::Int(v) => q.bind(v),
        Param::OptInt(v) => q.bind(v),
        Param::Text(v) => q.bind(v),
        Param::OptText(v) => q.bind(v),
        Param::Bool(v) => q.bind(v),
    })
}

/// `fetch` for any backend whose types bind and decode like ours.
pub(crate) async fn fetch_with<'q, DB>(
    conn: &mut DB::Connection,
    sql: &'q str,
    params: &[Param<'q>],
) -> sqlx::Result<Vec<DB::Row>>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments<'q>: IntoArguments<'q, DB>,
    i64: Encode<'q, DB> + Type<DB>,
    Option<i64>: Encode<'q, DB> + Type<DB>,
    bool: Encode<'q, DB> + Type<DB>,
    &'q str: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
{
    bind(sqlx::query(sql), params).fetch_all(conn).await
}

/// The first row, or `RowNotFound`.
async fn fetch_one<B: Backend>(conn: &mut Conn<B>, sql: &str, params: &[Param<'_>]) -> Result<B::Row> {
    fetch_optional::<B>(conn, sql, params).await?.ok_or_else(|| sqlx::Error::RowNotFound.into())
}

/// The first row, if any.
async fn fetch_optional<B: Backend>(conn: &mut Conn<B>, sql: &str, params: &[Param<'_>]) -> Result<Option<B::Row>> {
    Ok(B::fetch(conn, sql, params).await?.into_iter().next())
}

#[async_trait]
impl<B: Backend> Store for B {
    async fn rep(&self, name: &str) -> Result<RepId> {
        write::rep(self, name).await
    }
    async fn ensure_reps(&self, names: &[&str]) -> Result<Vec<RepId>> {
        write::ensure_reps(self, names).await
    }
    async fn find_rep(&self, name: &str) -> Result<Option<RepId>> {
        read::find_rep(self, name).await
    }
    async fn reps(&self) -> Result<Vec<RepSummary>> {
        read::reps(self).await
    }

    async fn vocabulary(&self) -> Result<Vec<ReasonTexts>> {
        vocab::vocabulary(self).await
    }
    async fn add_reasons(&self, reasons: &[ReasonTexts]) -> Result<usize> {
        vocab::add_reasons(self, reasons).await
    }
    async fn merge_reasons(&self, from: ReasonId, into: ReasonId) -> Result<()> {
        vocab::merge_reasons(self, from, into).await
    }
    async fn rename_reason(&self, id: ReasonId, label: &str) -> Result<()> {
        vocab::rename_reason(self, id, label).await
    }

    async fn log_contact(&self, contact: &NewContact) -> Result<ContactId> {
        write::log_contact(self, contact).await
    }
    async fn update_contact(&self, id: ContactId, contact: &NewContact) -> Result<()> {
        write::update_contact(self, id, contact).await
    }
    async fn delete_contact(&self, id: ContactId) -> Result<()> {
        write::delete_contact(self, id).await
    }
    async fn contact(&self, id: ContactId) -> Result<Contact> {
        read::contact(self, id).await
    }
    async fn contacts(&self, query: &ContactQuery) -> Result<Vec<Contact>> {
        read::contacts(self, query).await
    }
    async fn count_contacts(&self, query: &ContactQuery) -> Result<u64> {
        read::count_contacts(self, query).await
    }
    async fn clients_won(&self, clients: &[ClientId], until: Timestamp) -> Result<Vec<ClientId>> {
        read::clients_won(self, clients, until).await
    }
    async fn lessons(
        &self,
        rep: RepId,
        reasons: &[ReasonId],
        before: Timestamp,
        per_reason: u32,
    ) -> Result<Vec<Lesson>> {
        read::lessons(self, rep, reasons, before, per_reason).await
    }

    async fn find_client(&self, rep: RepId, name: &str) -> Result<Option<ClientId>> {
        clients::find_client(self, rep, name).await
    }
    async fn client_names(&self, ids: &[ClientId]) -> Result<Vec<(ClientId, String)>> {
        clients::client_names(self, ids).await
    }
    async fn client(&self, id: ClientId) -> Result<ClientInfo> {
        clients::client(self, id).await
    }

    async fn ownership_items(&self, rep: RepId, unresolved_only: bool) -> Result<Vec<OwnershipItem>> {
        ownership::items(self, rep, unresolved_only).await
    }
    async fn ownership_item(&self, id: OwnershipId) -> Result<(RepId, OwnershipItem)> {
        ownership::item(self, id).await
    }
    async fn save_ownership(&self, item: &OwnershipItem) -> Result<()> {
        ownership::save(self, item).await
    }
    async fn commitments(&self, rep: RepId, reasons: &[ReasonId]) -> Result<Vec<OwnershipItem>> {
        ownership::commitments(self, rep, reasons).await
    }

    async fn open_recovery(
        &self,
        rep: RepId,
        client: &str,
        kind: MishapKind,
        what: &str,
        at: Timestamp,
        follow_ups: &FollowUpChanges,
    ) -> Result<RecoveryId> {
        let mishap = recovery::NewMishap { rep, client, kind, what, at };
        recovery::open(self, &mishap, follow_ups).await
    }
    async fn recovery(&self, id: RecoveryId) -> Result<(RepId, Recovery)> {
        recovery::recovery(self, id).await
    }
    async fn recoveries(&self, rep: RepId, open_only: bool) -> Result<Vec<Recovery>> {
        recovery::recoveries(self, rep, open_only).await
    }
    async fn add_recovery_step(&self, id: RecoveryId, step: &StepRecord, follow_ups: &FollowUpChanges) -> Result<()> {
        recovery::add_step(self, id, step, follow_ups).await
    }

    async fn follow_ups(&self, rep: RepId, open_only: bool) -> Result<Vec<FollowUp>> {
        followup::of_rep(self, rep, open_only).await
    }
    async fn client_follow_ups(&self, client: ClientId, open_only: bool) -> Result<Vec<FollowUp>> {
        followup::of_client(self, client, open_only).await
    }
    async fn follow_up(&self, id: FollowUpId) -> Result<(RepId, FollowUp)> {
        followup::one(self, id).await
    }
    async fn apply_follow_ups(&self, rep: RepId, changes: &FollowUpChanges) -> Result<Vec<FollowUpId>> {
        followup::apply_alone(self, rep, changes).await
    }

    async fn daily_entries(&self, rep: RepId, from: Date, to: Date) -> Result<Vec<DailyEntry>> {
        daily::entries(self, rep, from, to).await
    }
    async fn save_daily(&self, rep: RepId, entry: &DailyEntry) -> Result<()> {
        daily::save(self, rep, entry).await
    }

    async fn focus(&self, rep: RepId) -> Result<Option<Focus>> {
        focus::focus(self, rep).await
    }
    async fn set_focus(&self, rep: RepId, reason: ReasonId, at: Timestamp) -> Result<()> {
        focus::set_focus(self, rep, reason, at).await
    }
    async fn clear_focus(&self, rep: RepId, at: Timestamp) -> Result<()> {
        focus::clear_focus(self, rep, at).await
    }

    async fn bulk_log(&self, contacts: &[NewContact]) -> Result<u64> {
        B::bulk_log(self, contacts).await
    }
    async fn bulk_load(&self, batches: tokio::sync::mpsc::Receiver<LoadBatch>) -> Result<u64> {
        B::bulk_load(self, batches).await
    }
    async fn bulk_ownership(&self, items: &[OwnershipItem]) -> Result<u64> {
        ownership::bulk_save(self, items).await
    }
    async fn bulk_resolve_ownership(
        &self,
        before: Timestamp,
        after: SignedDuration,
        resolution: &Resolution,
    ) -> Result<u64> {
        ownership::bulk_resolve(self, before, after, resolution).await
    }
    async fn bulk_focus(&self, focuses: &[(RepId, ReasonId, Timestamp)]) -> Result<()> {
        focus::bulk_focus(self, focuses).await
    }
    async fn has_contacts(&self) -> Result<bool> {
        read::has_contacts(self).await
    }
    fn backend(&self) -> &'static str {
        B::NAME
    }
}

/// `$first, $first+1, …` for `n` values: the inside of an `IN (…)` list.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// [`placeholders`] for a statement whose only parameters are this list, in
/// order: `?, ?, …` where the backend prefers it ([`Backend::ANONYMOUS_LISTS`]).
fn list_placeholders<B: Backend>(first: usize, n: usize) -> String {
    match B::ANONYMOUS_LISTS {
        true => vec!["?"; n].join(", "),
        false => placeholders(first, n),
    }
}
