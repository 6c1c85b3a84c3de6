//! Schema versions: the migrations compiled into the binary, and refusing a
//! database that is another program's, or was written by a newer debrief,
//! before anything touches it.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migrate, Migration, MigrationSource, MigrationType, Migrator};

use super::rows::Cols;
use super::{Backend, Conn, args, fetch_one};
use crate::{Result, SCHEMA_VERSION, StoreError};

/// A migration compiled in: `(version, description, sql)`.
pub(crate) type MigrationFile = (i64, &'static str, &'static str);

/// Migrations embedded with `include_str!`, as a source for [`Migrator::new`].
#[derive(Debug)]
struct Embedded(&'static [MigrationFile]);

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 'static>> {
        let migrations = self
            .0
            .iter()
            .map(|&(version, description, sql)| {
                let (description, sql) = (Cow::Borrowed(description), Cow::Borrowed(sql));
                Migration::new(version, description, MigrationType::Simple, sql, false)
            })
            .collect();
        Box::pin(std::future::ready(Ok(migrations)))
    }
}

/// What [`inspect`] found in a database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// No tables at all: ours to initialise.
    Empty,
    /// A debrief database missing some of this build's migrations.
    Behind,
    /// A debrief database at this build's schema.
    UpToDate,
    /// Tables, but neither debrief's mark nor its first migration.
    Foreign,
}

/// Reads (and writes nothing) what the database is: empty, debrief's
/// (marked by `debrief_marker`, or, before schema 3, by the checksum of
/// debrief's first migration in `_sqlx_migrations`) or another program's.
/// A debrief database with a migration newer than this build knows is
/// refused (`NewerSchema`).
pub(crate) async fn inspect<B: Backend>(store: &B, files: &'static [MigrationFile]) -> Result<Found> {
    let migrator = migrator(files).await?;
    let mut conn = store.pool().acquire().await?;
    if !fetch_one::<B>(&mut conn, B::ANY_TABLE, &[]).await?.flag(0)? {
        return Ok(Found::Empty);
    }
    let has = |table| args![table];
    let marked = fetch_one::<B>(&mut conn, B::HAS_TABLE, &has("debrief_marker")).await?.flag(0)?;
    let mut applied = Vec::new();
    if fetch_one::<B>(&mut conn, B::HAS_TABLE, &has("_sqlx_migrations")).await?.flag(0)? {
        let sql = "SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version";
        for row in B::fetch(&mut conn, sql, &[]).await? {
            applied.push((row.int(0)?, row.bytes(1)?));
        }
    }
    let compiled: Vec<(i64, Vec<u8>)> = migrator.iter().map(|m| (m.version, m.checksum.to_vec())).collect();
    if !marked && applied.first() != compiled.first() {
        return Ok(Found::Foreign);
    }
    if let Some(&(found, _)) = applied.iter().find(|(version, _)| *version > SCHEMA_VERSION) {
        return Err(StoreError::NewerSchema { found, known: SCHEMA_VERSION });
    }
    Ok(if applied == compiled { Found::UpToDate } else { Found::Behind })
}

/// Brings a database [`inspect`] found empty or behind up to date with the
/// embedded migrations.
pub(crate) async fn migrate<B: Backend>(store: &B, files: &'static [MigrationFile]) -> Result<()>
where
    Conn<B>: Migrate,
{
    migrator(files).await?.run(store.pool()).await?;
    Ok(())
}

async fn migrator(files: &'static [MigrationFile]) -> Result<Migrator> {
    Ok(Migrator::new(Embedded(files)).await?)
}
