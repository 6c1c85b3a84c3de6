//! Schema versions: the migrations compiled into the binary, and refusing a
//! database written by a newer debrief before anything touches it.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};

use super::rows::Cols;
use super::{Backend, fetch_one};
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

/// The migrator for a backend's embedded migrations.
pub(crate) async fn embedded(files: &'static [MigrationFile]) -> sqlx::Result<Migrator> {
    Ok(Migrator::new(Embedded(files)).await?)
}

/// `NewerSchema` when the database has a migration newer than this build knows.
pub(crate) async fn refuse_newer_schema<B: Backend>(store: &B) -> Result<()> {
    let mut conn = store.pool().acquire().await?;
    if !fetch_one::<B>(&mut conn, B::HAS_MIGRATIONS_TABLE, &[]).await?.flag(0)? {
        return Ok(());
    }
    let sql = "SELECT MAX(version) FROM _sqlx_migrations";
    match fetch_one::<B>(&mut conn, sql, &[]).await?.opt_int(0)? {
        Some(found) if found > SCHEMA_VERSION => Err(StoreError::NewerSchema { found, known: SCHEMA_VERSION }),
        _ => Ok(()),
    }
}
