//! The loader: many contacts in one transaction, beside the [`Store`]
//! (demo data now, imports later). Each batch is checked and written exactly
//! as [`Store::log_contact`] checks and writes one contact (the same code:
//! `sql::write`), so a contact loaded and a contact logged are stored alike.
//! Nothing is visible to others until [`Loader::commit`]; dropping a loader,
//! a failed batch or a killed process leaves the database as it was.
//!
//! [`Store`]: crate::Store
//! [`Store::log_contact`]: crate::Store::log_contact

use async_trait::async_trait;
use debrief_core::model::{ReasonId, RepId};
use debrief_core::ownership::How;
use jiff::{SignedDuration, Timestamp};

use crate::{Import, ImportCounts, NewContact, Result, Sourced, SourcedCounts, StoreError};

/// How [`Loader::own_up_before`] resolves ownership items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub how: How,
    /// What was said when owning up.
    pub said: String,
    pub commitment: String,
}

/// What a backend's load transaction does; see [`Loader`].
#[async_trait]
pub(crate) trait LoadTx: Send {
    async fn reps(&mut self, names: &[&str]) -> Result<Vec<RepId>>;
    async fn contacts(&mut self, contacts: &[NewContact]) -> Result<u64>;
    async fn sourced(&mut self, source: &str, batch: Vec<Sourced>) -> Result<SourcedCounts>;
    async fn focus(&mut self, focuses: &[(RepId, ReasonId, Timestamp)]) -> Result<()>;
    async fn own_up_before(&mut self, before: Timestamp, after: SignedDuration, r: &Resolution) -> Result<u64>;
    async fn commit(self: Box<Self>) -> Result<()>;
}

/// One write transaction for many contacts, from [`crate::Store::begin_load`].
pub struct Loader {
    tx: Box<dyn LoadTx>,
    loaded: u64,
    failed: bool,
}

impl Loader {
    pub(crate) fn new(tx: Box<dyn LoadTx>) -> Loader {
        Loader { tx, loaded: 0, failed: false }
    }

    /// The reps of those names, in order, the new ones created.
    pub async fn reps(&mut self, names: &[&str]) -> Result<Vec<RepId>> {
        let result = self.usable()?.reps(names).await;
        self.note(result)
    }

    /// Writes a batch of contacts as [`crate::Store::log_contact`] writes
    /// one, with their clients, new reasons, ownership items and follow-up
    /// changes; how many. What a batch refers to is checked before any of it
    /// is written; a failed batch fails the whole load.
    pub async fn contacts(&mut self, batch: &[NewContact]) -> Result<u64> {
        let result = self.usable()?.contacts(batch).await;
        let n = self.note(result)?;
        self.loaded += n;
        Ok(n)
    }

    /// Writes a batch of contacts from `source`, each under its key: a key
    /// not stored yet becomes a contact (a lost one waiting for triage), a
    /// stored key whose digest changed updates its contact, the rest stay.
    /// The keys of one load must differ.
    pub async fn sourced(&mut self, source: &str, batch: Vec<Sourced>) -> Result<SourcedCounts> {
        let result = self.usable()?.sourced(source, batch).await;
        let counts = self.note(result)?;
        self.loaded += counts.added;
        Ok(counts)
    }

    /// Records focuses: `(rep, reason, set at)`, each closing the rep's one before.
    pub async fn focus(&mut self, focuses: &[(RepId, ReasonId, Timestamp)]) -> Result<()> {
        let result = self.usable()?.focus(focuses).await;
        self.note(result)
    }

    /// Owns up to and commits on every item opened before `before` and
    /// neither owned nor committed yet, `after` its opening; how many.
    pub async fn own_up_before(&mut self, before: Timestamp, after: SignedDuration, r: &Resolution) -> Result<u64> {
        let result = self.usable()?.own_up_before(before, after, r).await;
        self.note(result)
    }

    /// Makes everything loaded visible at once; how many contacts.
    pub async fn commit(self) -> Result<u64> {
        if self.failed {
            return Err(failed());
        }
        self.tx.commit().await?;
        Ok(self.loaded)
    }

    fn usable(&mut self) -> Result<&mut dyn LoadTx> {
        match self.failed {
            true => Err(failed()),
            false => Ok(self.tx.as_mut()),
        }
    }

    fn note<T>(&mut self, result: Result<T>) -> Result<T> {
        self.failed |= result.is_err();
        result
    }
}

/// What a backend's restore transaction does; see [`Restorer`].
#[async_trait]
pub(crate) trait RestoreTx: Send {
    async fn rep(&mut self, doc: &Import) -> Result<ImportCounts>;
    async fn commit(self: Box<Self>) -> Result<()>;
}

/// One write transaction that restores a backup archive rep by rep, from
/// [`crate::Store::begin_restore`]: an archive of any size is read and
/// written one rep's history at a time. Nothing is visible to others until
/// [`Restorer::commit`]; dropping it, or a failed rep, writes nothing.
pub struct Restorer {
    tx: Box<dyn RestoreTx>,
    total: ImportCounts,
    failed: bool,
}

impl Restorer {
    pub(crate) fn new(tx: Box<dyn RestoreTx>) -> Restorer {
        Restorer { tx, total: ImportCounts::default(), failed: false }
    }

    /// Writes one rep's history; refused with `Conflict` when the rep
    /// already has contacts (two histories of one rep in an archive).
    pub async fn rep(&mut self, doc: &Import) -> Result<ImportCounts> {
        if self.failed {
            return Err(failed());
        }
        let result = self.tx.rep(doc).await;
        self.failed |= result.is_err();
        let counts = result?;
        self.total += counts;
        Ok(counts)
    }

    /// Makes every history written visible at once; what was written.
    pub async fn commit(self) -> Result<ImportCounts> {
        if self.failed {
            return Err(failed());
        }
        self.tx.commit().await?;
        Ok(self.total)
    }
}

fn failed() -> StoreError {
    StoreError::Conflict("the load failed earlier and was rolled back: nothing of it was stored".into())
}
