//! The store logic both backends share: every [`Store`] use case written once
//! against a few primitives ([`Backend`]) that each backend provides.
//!
//! The SQL here is the dialect SQLite and PostgreSQL have in common (`$n`
//! placeholders, `RETURNING`, `ON CONFLICT`, window functions); what differs
//! (opening, migrations, row locks, handing out ids) lives in `sqlite` and
//! `postgres`.
//!
//! Concurrency: a write locks the reasons it uses before it writes rows that
//! point at them (`FOR SHARE`), and a merge or rename locks its reasons first
//! (`FOR UPDATE`), each in id order, so a log racing a merge waits for it and
//! then finds the merged reason's new home (`reason_redirects`). What
//! ordering cannot rule out (a deadlock between texts remembered and texts
//! moved) is retried whole ([`retrying`]). SQLite has one writer at a time.

mod clients;
mod daily;
mod focus;
mod followup;
mod import;
mod insert;
mod load;
mod meetings;
mod ownership;
mod read;
mod recovery;
mod refs;
mod rows;
mod schema;
mod sourced;
mod vocab;
mod write;

use std::collections::HashMap;

use async_trait::async_trait;
use debrief_core::daily::DailyEntry;
use debrief_core::followup::{FollowUp, FollowUpId};
use debrief_core::mishap::{MishapKind, Recovery, RecoveryId, StepRecord};
use debrief_core::model::{ClientId, Contact, ContactId, ReasonId, RepId};
use debrief_core::ownership::{OwnershipId, OwnershipItem};
use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::query::Query;
use sqlx::{Arguments, Database, Encode, Executor, IntoArguments, Pool, Transaction, Type};

use crate::{
    ClientInfo, ContactQuery, Focus, FocusSpan, FollowUpChanges, Import, ImportCounts, Learn, Lesson, Loader, Meeting,
    MeetingCounts, NewContact, NewMeeting, NewReasonNote, ReasonRef, ReasonTexts, Refiled, RepSummary, Restorer,
    Result, Store, StoreError, TriageItem,
};

pub(crate) use rows::Cols;
pub(crate) use schema::{Found, MigrationFile, inspect, migrate};

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
    /// One row, one boolean column: whether the table named `$1` exists.
    const HAS_TABLE: &'static str;
    /// One row, one boolean column: whether the database holds any table.
    const ANY_TABLE: &'static str;
    /// The statement that starts a transaction that will write.
    const BEGIN_WRITE: &'static str;
    /// What a `SELECT` ends with to keep the rows it reads from being
    /// deleted until the transaction ends; empty where one writer runs at a time.
    const FOR_SHARE: &'static str;
    /// What a `SELECT` ends with to change or delete the rows it reads.
    const FOR_UPDATE: &'static str;
    /// Run after a load commits: SQLite empties its write-ahead log, which a
    /// load leaves as large as the data it wrote (the next process to open
    /// the file would read it all through).
    const AFTER_LOAD: Option<&'static str> = None;
    /// Whether a statement made only of a long list of values is better
    /// written with anonymous `?` placeholders than with `$1, $2, …`: SQLite
    /// looks each numbered one up by name, quadratic in a list of thousands.
    const ANONYMOUS_LISTS: bool = false;
    /// The indexes a load into an empty database drops and makes again
    /// before it commits, as rows of (name, statement that makes it): SQLite
    /// builds an index from a whole table several times faster than it
    /// keeps it row by row. PostgreSQL would lock the table against readers.
    const LOAD_INDEXES: Option<&'static str> = None;
    /// How a many-row insert begins. Every write that fails is rolled back
    /// whole, so a row that breaks a key may as well stop the statement
    /// where it is: SQLite then keeps no statement journal for it (see
    /// `SqliteStore`'s load connection).
    const INSERT_MANY: &'static str = "INSERT INTO";
    /// The statement that writes a consistent copy of the database into the
    /// new file `$1`, where the database is a file.
    const BACKUP_INTO: Option<&'static str> = None;

    fn pool(&self) -> &Pool<Self::Db>;

    /// Starts a transaction that will write.
    async fn begin_write(&self) -> sqlx::Result<Transaction<'static, Self::Db>> {
        self.pool().begin_with(Self::BEGIN_WRITE).await
    }

    /// Starts a load's transaction ([`crate::Loader`]): many-row inserts
    /// whose references were checked before they are written, undone whole
    /// on any failure.
    async fn begin_load_write(&self) -> sqlx::Result<Transaction<'static, Self::Db>> {
        self.begin_write().await
    }

    /// See [`Store::snapshot`].
    async fn read_snapshot(&self) -> Result<Option<std::sync::Arc<dyn Store>>> {
        Ok(None)
    }

    /// `n` fresh ids of `table` (`contacts`, `clients`, `follow_ups`) that no
    /// other writer will use, for rows inserted by this transaction.
    async fn reserve_ids(conn: &mut Conn<Self>, table: &'static str, n: usize) -> sqlx::Result<Vec<i64>>;

    async fn fetch(conn: &mut Conn<Self>, sql: &str, params: &[Param<'_>]) -> sqlx::Result<Vec<Self::Row>>;

    /// A statement with its values bound, ready to [`Backend::run`]: binding
    /// is apart from running so that the next statement of a long insert is
    /// bound while the last one runs (`insert::insert_rows`).
    type Bound<'q>: Send;
    fn bound<'q>(sql: &'q str, params: &[Param<'q>]) -> Self::Bound<'q>;
    /// Runs a bound statement; returns how many rows it touched.
    async fn run(conn: &mut Conn<Self>, statement: Self::Bound<'_>) -> sqlx::Result<u64>;

    /// Runs a statement; returns how many rows it touched.
    async fn execute(conn: &mut Conn<Self>, sql: &str, params: &[Param<'_>]) -> sqlx::Result<u64> {
        Self::run(conn, Self::bound(sql, params)).await
    }
}

/// `sql` with `params` bound to `$1`, `$2`, … (for backends' `fetch` and
/// `bound`), in one argument list made at its full size at once.
pub(crate) fn bind<'q, DB>(sql: &'q str, params: &[Param<'q>]) -> Query<'q, DB, DB::Arguments<'q>>
where
    DB: Database,
    DB::Arguments<'q>: IntoArguments<'q, DB>,
    i64: Encode<'q, DB> + Type<DB>,
    Option<i64>: Encode<'q, DB> + Type<DB>,
    bool: Encode<'q, DB> + Type<DB>,
    &'q str: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
{
    let mut arguments = DB::Arguments::<'q>::default();
    arguments.reserve(params.len(), params.len() * 8);
    let added = params.iter().try_for_each(|p| match *p {
        Param::Int(v) => arguments.add(v),
        Param::OptInt(v) => arguments.add(v),
        Param::Text(v) => arguments.add(v),
        Param::OptText(v) => arguments.add(v),
        Param::Bool(v) => arguments.add(v),
    });
    match added {
        Ok(()) => sqlx::query_with(sql, arguments),
        // Never for these types; bound one by one, the query says why when run.
        Err(_) => params.iter().fold(sqlx::query(sql), |q, p| match *p {
            Param::Int(v) => q.bind(v),
            Param::OptInt(v) => q.bind(v),
            Param::Text(v) => q.bind(v),
            Param::OptText(v) => q.bind(v),
            Param::Bool(v) => q.bind(v),
        }),
    }
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
    bind(sql, params).fetch_all(conn).await
}

/// The first row, or `RowNotFound`.
async fn fetch_one<B: Backend>(conn: &mut Conn<B>, sql: &str, params: &[Param<'_>]) -> Result<B::Row> {
    fetch_optional::<B>(conn, sql, params).await?.ok_or_else(|| sqlx::Error::RowNotFound.into())
}

/// The first row, if any.
async fn fetch_optional<B: Backend>(conn: &mut Conn<B>, sql: &str, params: &[Param<'_>]) -> Result<Option<B::Row>> {
    Ok(B::fetch(conn, sql, params).await?.into_iter().next())
}

/// How many times a write that lost a race is run again.
const RETRIES: usize = 5;

/// Runs `write` until it does not lose a race ([`StoreError::is_transient`]),
/// at most [`RETRIES`] more times; then says it kept conflicting.
async fn retrying<T, F, Fut>(mut write: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    for _ in 0..=RETRIES {
        match write().await {
            Err(e) if e.is_transient() => tracing::debug!("retrying a write that lost a race: {e}"),
            result => return result,
        }
    }
    Err(StoreError::contended())
}

#[async_trait]
impl<B: Backend> Store for B {
    async fn rep(&self, name: &str) -> Result<RepId> {
        retrying(move || write::rep(self, name, None)).await
    }
    async fn rep_in_zone(&self, name: &str, tz: &str) -> Result<RepId> {
        retrying(move || write::rep(self, name, Some(tz))).await
    }
    async fn find_rep(&self, name: &str) -> Result<Option<RepId>> {
        read::find_rep(self, name).await
    }
    async fn reps(&self) -> Result<Vec<RepSummary>> {
        read::reps(self).await
    }

    async fn rep_zone(&self, rep: RepId) -> Result<Option<String>> {
        write::rep_zone(self, rep).await
    }
    async fn set_rep_zone(&self, rep: RepId, tz: &str) -> Result<()> {
        retrying(move || write::set_rep_zone(self, rep, tz)).await
    }
    async fn vocabulary(&self) -> Result<Vec<ReasonTexts>> {
        vocab::vocabulary(self).await
    }
    async fn add_reasons(&self, reasons: &[ReasonTexts]) -> Result<usize> {
        retrying(move || vocab::add_reasons(self, reasons)).await
    }
    async fn merge_reasons(&self, from: ReasonId, into: ReasonId) -> Result<()> {
        retrying(move || vocab::merge_reasons(self, from, into)).await
    }
    async fn rename_reason(&self, id: ReasonId, label: &str) -> Result<()> {
        retrying(move || vocab::rename_reason(self, id, label)).await
    }

    async fn log_contact(&self, contact: &NewContact) -> Result<ContactId> {
        retrying(move || write::log_contact(self, contact)).await
    }
    async fn update_contact(&self, id: ContactId, contact: &NewContact) -> Result<()> {
        retrying(move || write::update_contact(self, id, contact)).await
    }
    async fn refile_reason(&self, contact: ContactId, position: u32, to: &ReasonRef, learn: Learn) -> Result<Refiled> {
        retrying(move || write::refile_reason(self, contact, position, to, learn)).await
    }
    async fn delete_contact(&self, id: ContactId) -> Result<()> {
        write::delete_contact(self, id).await
    }
    async fn contact(&self, id: ContactId) -> Result<Contact> {
        read::contact(self, id).await
    }
    async fn source_digests(&self, source: &str, keys: &[&str]) -> Result<HashMap<String, String>> {
        let mut conn = self.pool().acquire().await?;
        let found = sourced::stored::<Self>(&mut conn, source, keys).await?;
        Ok(found.into_iter().map(|(key, (_, digest))| (key, digest)).collect())
    }
    async fn triage_count(&self, rep: RepId) -> Result<u64> {
        sourced::triage_count(self, rep).await
    }
    async fn contact_sources(&self, rep: RepId) -> Result<Vec<(ContactId, String, String, String)>> {
        sourced::sources(self, rep).await
    }
    async fn triage_texts(&self, rep: RepId) -> Result<Vec<(ContactId, String)>> {
        sourced::triage_texts(self, rep).await
    }
    async fn save_meetings(
        &self,
        rep: RepId,
        from: Timestamp,
        to: Timestamp,
        meetings: &[NewMeeting],
    ) -> Result<MeetingCounts> {
        retrying(|| meetings::save(self, rep, from, to, meetings)).await
    }
    async fn meetings(&self, rep: RepId, from: Timestamp, to: Timestamp) -> Result<Vec<Meeting>> {
        meetings::list(self, rep, from, to).await
    }
    async fn meeting(&self, id: i64) -> Result<(RepId, Meeting)> {
        meetings::one(self, id).await
    }
    async fn meeting_debriefed(&self, id: i64, contact: ContactId) -> Result<()> {
        meetings::debriefed(self, id, contact).await
    }
    async fn triage_text(&self, contact: ContactId) -> Result<Option<String>> {
        sourced::triage_text(self, contact).await
    }
    async fn triage(&self, rep: RepId, limit: u32) -> Result<Vec<TriageItem>> {
        sourced::triage(self, rep, limit).await
    }
    async fn file_triaged(&self, contact: ContactId, note: &NewReasonNote) -> Result<()> {
        retrying(|| sourced::file(self, contact, note)).await
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
        retrying(move || focus::set_focus(self, rep, reason, at)).await
    }
    async fn clear_focus(&self, rep: RepId, at: Timestamp) -> Result<()> {
        focus::clear_focus(self, rep, at).await
    }
    async fn focus_history(&self, rep: RepId) -> Result<Vec<FocusSpan>> {
        focus::history(self, rep).await
    }
    async fn import(&self, doc: &Import) -> Result<ImportCounts> {
        import::import(self, doc).await
    }

    async fn begin_restore(&self, replace: bool) -> Result<Restorer> {
        Ok(Restorer::new(Box::new(import::Restore::<B>::begin(self, replace).await?)))
    }

    async fn backup_file(&self, path: &std::path::Path) -> Result<bool> {
        let Some(sql) = B::BACKUP_INTO else { return Ok(false) };
        let target = path.to_str().ok_or_else(|| StoreError::Unwritable {
            path: path.display().to_string(),
            reason: "the path is not UTF-8".into(),
        })?;
        let mut conn = self.pool().acquire().await?;
        B::execute(&mut *conn, sql, &args![target])
            .await
            .map_err(|e| StoreError::Unwritable { path: path.display().to_string(), reason: e.to_string() })?;
        Ok(true)
    }

    async fn snapshot(&self) -> Result<Option<std::sync::Arc<dyn Store>>> {
        self.read_snapshot().await
    }

    async fn has_contacts(&self) -> Result<bool> {
        read::has_contacts(self).await
    }

    async fn begin_load(&self) -> Result<Loader> {
        Ok(Loader::new(Box::new(load::Load::<B>::begin(self).await?)))
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
