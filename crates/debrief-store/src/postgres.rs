//! The PostgreSQL backend, for a team's server. A URL may pick a schema with
//! `?options=-c%20search_path%3Dname` (sqlx passes `options` to the server).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgArguments, PgConnectOptions, PgConnection, PgPoolOptions, PgRow};
use sqlx::query::Query;
use sqlx::{Connection, Executor, Pool, Postgres, Row};

use crate::sql::{self, Backend, Found, Param};
use crate::{Result, Store, StoreError};

/// The migrations, in order; the same numbered files as SQLite's.
const MIGRATIONS: &[sql::MigrationFile] = &[
    (1, "init", include_str!("../migrations/postgres/0001_init.sql")),
    (2, "loop", include_str!("../migrations/postgres/0002_loop.sql")),
    (3, "marker", include_str!("../migrations/postgres/0003_marker.sql")),
    (4, "reason_redirects", include_str!("../migrations/postgres/0004_reason_redirects.sql")),
    (5, "rep_zone", include_str!("../migrations/postgres/0005_rep_zone.sql")),
    (6, "import", include_str!("../migrations/postgres/0006_import.sql")),
    (7, "meetings", include_str!("../migrations/postgres/0007_meetings.sql")),
    (8, "sources_by_key", include_str!("../migrations/postgres/0008_sources_by_key.sql")),
];

/// A debrief database on a PostgreSQL server.
#[derive(Clone, Debug)]
pub struct PostgresStore {
    pool: Pool<Postgres>,
}

impl PostgresStore {
    /// Connects to the database at `url` and brings its schema (the first of
    /// the URL's `search_path`) up to date. A schema of another program, or
    /// from a newer debrief, is refused untouched.
    pub async fn connect(url: &str) -> Result<PostgresStore> {
        let unreachable = |e: sqlx::Error| StoreError::Unreachable(e.to_string());
        let options: PgConnectOptions =
            url.parse().map_err(|e| StoreError::Unreachable(format!("invalid URL: {e}")))?;
        // One direct connection first: the pool would retry a refused
        // connection until its acquire timeout instead of failing at once.
        PgConnection::connect_with(&options).await.map_err(unreachable)?.close().await.map_err(unreachable)?;
        let pool =
            PgPoolOptions::new().max_connections(8).acquire_timeout(Duration::from_secs(10)).connect_lazy_with(options);
        let store = PostgresStore { pool };
        match sql::inspect(&store, MIGRATIONS).await? {
            Found::Foreign => return Err(StoreError::Foreign { place: store.place().await? }),
            Found::UpToDate => {}
            Found::Empty | Found::Behind => sql::migrate(&store, MIGRATIONS).await?,
        }
        Ok(store)
    }

    /// "the PostgreSQL schema "public" of database "sales"", for messages.
    async fn place(&self) -> Result<String> {
        let row = sqlx::query("SELECT current_schema(), current_database()").fetch_one(&self.pool).await?;
        let (schema, database): (Option<String>, String) = (row.try_get(0)?, row.try_get(1)?);
        let schema = schema.unwrap_or_default();
        Ok(format!("the PostgreSQL schema \"{schema}\" of database \"{database}\""))
    }
}

#[async_trait]
impl Backend for PostgresStore {
    type Db = Postgres;
    type Row = PgRow;
    const HAS_TABLE: &'static str = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables \
         WHERE schemaname = current_schema() AND tablename = $1)";
    const ANY_TABLE: &'static str = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'p', 'f'))";
    const BEGIN_WRITE: &'static str = "BEGIN";
    const FOR_SHARE: &'static str = " FOR SHARE";
    const FOR_UPDATE: &'static str = " FOR UPDATE";

    fn pool(&self) -> &Pool<Postgres> {
        &self.pool
    }

    /// A pool of one connection inside a read-only repeatable-read
    /// transaction, opened once: its snapshot is taken by the first read
    /// and kept until the pool is dropped. Should that connection be lost,
    /// no other is opened in its place (it would see another moment).
    async fn read_snapshot(&self) -> Result<Option<Arc<dyn Store>>> {
        let opened = Arc::new(AtomicBool::new(false));
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                let opened = opened.clone();
                Box::pin(async move {
                    if opened.swap(true, Ordering::SeqCst) {
                        return Err(sqlx::Error::Protocol("the snapshot's connection was lost".into()));
                    }
                    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
                    conn.execute("SELECT 1").await?;
                    Ok(())
                })
            })
            .connect_with(self.pool.connect_options().as_ref().clone())
            .await?;
        Ok(Some(Arc::new(PostgresStore { pool })))
    }

    /// Ids drawn from the table's sequence, so concurrent writers never collide.
    async fn reserve_ids(conn: &mut PgConnection, table: &'static str, n: usize) -> sqlx::Result<Vec<i64>> {
        let sql = format!("SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)");
        let rows = sqlx::query(&sql).bind(n as i64).fetch_all(conn).await?;
        rows.iter().map(|r| r.try_get(0)).collect()
    }

    async fn fetch(conn: &mut PgConnection, sql: &str, params: &[Param<'_>]) -> sqlx::Result<Vec<PgRow>> {
        sql::fetch_with::<Postgres>(conn, sql, params).await
    }

    type Bound<'q> = Query<'q, Postgres, PgArguments>;

    fn bound<'q>(sql: &'q str, params: &[Param<'q>]) -> Self::Bound<'q> {
        sql::bind(sql, params)
    }

    async fn run(conn: &mut PgConnection, statement: Self::Bound<'_>) -> sqlx::Result<u64> {
        Ok(statement.execute(conn).await?.rows_affected())
    }
}
