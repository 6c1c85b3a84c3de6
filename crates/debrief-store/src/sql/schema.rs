//! Schema versions: the migrations compiled into the binary, and refusing a
//! database written by a newer debrief before anything touches it.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migrate, Migration, MigrationSource, MigrationType, Migrator};

use super::rows::Cols;
use super::{Backend, Conn, fetch_one};
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

/// Brings the schema up to date with the embedded migrations. A database
/// with a migration newer than this build knows is refused untouched
/// (`NewerSchema`); one already up to date is only read (the common case:
/// every command opens the database).
pub(crate) async fn migrate<B: Backend>(store: &B, files: &'static [MigrationFile]) -> Result<()>
where
    Conn<B>: Migrate,
{
    let migrator = Migrator::new(Embedded(files)).await.map_err(sqlx::Error::from)?;
    let mut conn = store.pool().acquire().await?;
    if fetch_one::<B>(&mut conn, B::HAS_MIGRATIONS_TABLE, &[]).await?.flag(0)? {
        let sql = "SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version";
        let mut applied = Vec::new();
        for row in B::fetch(&mut conn, sql, &[]).await? {
            applied.push((row.int(0)?, row.bytes(1)?));
        }
        if let Some(&(found, _)) = applied.iter().find(|(version, _)| *version > SCHEMA_VERSION) {
            return Err(StoreError::NewerSchema { found, known: SCHEMA_VERSION });
        }
        let compiled = migrator.iter().map(|m| (m.version, m.checksum.to_vec()));
        if applied.iter().cloned().eq(compiled) {
            return Ok(());
        }
    }
    drop(conn);
    migrator.run(store.pool()).await.map_err(sqlx::Error::from)?;
    Ok(())
}
