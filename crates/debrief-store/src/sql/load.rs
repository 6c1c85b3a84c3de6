//! A [`crate::Loader`]'s transaction on a backend: batches of contacts
//! written by the same [`Writer`] as a single logged contact, reps, focuses
//! and the owning up of old mistakes (demo data), all committed at once.

use async_trait::async_trait;
use debrief_core::model::{ReasonId, RepId};
use jiff::{SignedDuration, Timestamp};
use sqlx::{Pool, Transaction};

use super::rows::Cols;
use super::write::{self, Writer};
use super::{Backend, focus, ownership, sourced};
use crate::load::LoadTx;
use crate::{NewContact, Resolution, Result, Sourced, SourcedCounts};

/// An open load transaction and what its writer learned so far.
pub(super) struct Load<B: Backend> {
    tx: Transaction<'static, B::Db>,
    writer: Writer,
    pool: Pool<B::Db>,
    /// Sources met, and whether each held no rows when first met.
    fresh: std::collections::HashMap<String, bool>,
    /// The statements that make again the indexes set aside for this load.
    indexes: Vec<String>,
}

impl<B: Backend> Load<B> {
    pub(super) async fn begin(store: &B) -> Result<Load<B>> {
        let pool = store.pool().clone();
        let mut tx = store.begin_load_write().await?;
        let indexes = set_indexes_aside::<B>(&mut tx).await?;
        Ok(Load { tx, writer: Writer::default(), pool, fresh: Default::default(), indexes })
    }
}

/// Where the backend builds an index faster from a whole table than row by
/// row ([`Backend::LOAD_INDEXES`]) and no contact is stored yet, drops
/// those indexes inside the load's transaction; the statements that make
/// them again, run before it commits. Others still read through them until
/// then, and a load undone keeps them as they were.
async fn set_indexes_aside<B: Backend>(tx: &mut super::Conn<B>) -> Result<Vec<String>> {
    let Some(listed) = B::LOAD_INDEXES else { return Ok(Vec::new()) };
    if !B::fetch(tx, "SELECT 1 FROM contacts LIMIT 1", &[]).await?.is_empty() {
        return Ok(Vec::new());
    }
    let mut again = Vec::new();
    for row in B::fetch(tx, listed, &[]).await? {
        let (name, sql) = (row.text(0)?, row.text(1)?);
        B::execute(tx, &format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")), &[]).await?;
        again.push(sql);
    }
    Ok(again)
}

#[async_trait]
impl<B: Backend> LoadTx for Load<B> {
    async fn reps(&mut self, names: &[&str]) -> Result<Vec<RepId>> {
        write::reps::<B>(&mut self.tx, names).await
    }

    async fn contacts(&mut self, contacts: &[NewContact]) -> Result<u64> {
        Ok(self.writer.write::<B>(&mut self.tx, contacts).await?.len() as u64)
    }

    async fn sourced(&mut self, source: &str, batch: Vec<Sourced>) -> Result<SourcedCounts> {
        let fresh = match self.fresh.get(source) {
            Some(fresh) => *fresh,
            None => {
                let fresh = sourced::is_empty::<B>(&mut self.tx, source).await?;
                self.fresh.insert(source.to_string(), fresh);
                fresh
            }
        };
        sourced::write::<B>(&mut self.tx, &mut self.writer, source, batch, fresh).await
    }

    async fn focus(&mut self, focuses: &[(RepId, ReasonId, Timestamp)]) -> Result<()> {
        let mut in_order = focuses.to_vec();
        in_order.sort_by_key(|&(rep, _, at)| (rep, at));
        for (rep, reason, at) in in_order {
            focus::set::<B>(&mut self.tx, rep, reason, at).await?;
        }
        Ok(())
    }

    async fn own_up_before(&mut self, before: Timestamp, after: SignedDuration, r: &Resolution) -> Result<u64> {
        ownership::own_up_before::<B>(&mut self.tx, before, after, r).await
    }

    async fn commit(mut self: Box<Self>) -> Result<()> {
        for sql in &self.indexes {
            B::execute(&mut self.tx, sql, &[]).await?;
        }
        self.tx.commit().await?;
        if let Some(sql) = B::AFTER_LOAD {
            B::fetch(&mut *self.pool.acquire().await?, sql, &[]).await?;
        }
        Ok(())
    }
}
