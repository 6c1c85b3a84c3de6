//! The PostgreSQL backend, for a team's server. A URL may pick a schema with
//! `?options=-c%20search_path%3Dname` (sqlx passes `options` to the server).

mod bulk;

use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions, PgRow};
use sqlx::{Connection, Pool, Postgres};

use tokio::sync::mpsc::Receiver;

use crate::sql::{self, Backend, BulkContact, BulkNote, Param, SetLoad};
use crate::{LoadBatch, NewContact, Result, StoreError};

/// The migrations, in order; the same numbered files as SQLite's.
const MIGRATIONS: &[sql::MigrationFile] = &[
    (1, "init", include_str!("../migrations/postgres/0001_init.sql")),
    (2, "loop", include_str!("../migrations/postgres/0002_loop.sql")),
];

/// A debrief database on a PostgreSQL server.
#[derive(Clone, Debug)]
pub struct PostgresStore {
    pool: Pool<Postgres>,
}

impl PostgresStore {
    /// Connects to the database at `url` and brings its schema up to date.
    /// A database from a newer debrief is refused untouched.
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
        sql::migrate(&store, MIGRATIONS).await?;
        Ok(store)
    }
}

#[async_trait]
impl Backend for PostgresStore {
    type Db = Postgres;
    type Row = PgRow;
    const NAME: &'static str = "postgres";
    const HAS_MIGRATIONS_TABLE: &'static str = "SELECT to_regclass('_sqlx_migrations') IS NOT NULL";
    const BEGIN_WRITE: &'static str = "BEGIN";

    fn pool(&self) -> &Pool<Postgres> {
        &self.pool
    }

    async fn bulk_log(&self, contacts: &[NewContact]) -> Result<u64> {
        sql::bulk::bulk_log(self, contacts).await
    }

    async fn bulk_load(&self, batches: Receiver<LoadBatch>) -> Result<u64> {
        sql::bulk::bulk_load(self, batches).await
    }

    async fn fetch(conn: &mut PgConnection, sql: &str, params: &[Param<'_>]) -> sqlx::Result<Vec<PgRow>> {
        sql::fetch_with::<Postgres>(conn, sql, params).await
    }

    async fn execute(conn: &mut PgConnection, sql: &str, params: &[Param<'_>]) -> sqlx::Result<u64> {
        Ok(sql::bind(sqlx::query(sql), params).execute(conn).await?.rows_affected())
    }
}

#[async_trait]
impl SetLoad for PostgresStore {
    async fn bulk_clients(conn: &mut PgConnection, clients: &[(i64, i64, &str)]) -> sqlx::Result<u64> {
        bulk::clients(conn, clients).await
    }

    async fn reserve_ids(conn: &mut PgConnection, table: &'static str, n: usize) -> sqlx::Result<Vec<i64>> {
        bulk::reserve_ids(conn, table, n).await
    }

    async fn bulk_contacts(conn: &mut PgConnection, rows: &[BulkContact<'_>]) -> sqlx::Result<()> {
        bulk::contacts(conn, rows).await
    }

    async fn bulk_notes(conn: &mut PgConnection, rows: &[BulkNote<'_>]) -> sqlx::Result<()> {
        bulk::notes(conn, rows).await
    }
}
