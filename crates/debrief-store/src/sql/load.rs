//! A [`crate::Loader`]'s transaction on a backend: batches of contacts
//! written by the same [`Writer`] as a single logged contact, reps, focuses
//! and the owning up of old mistakes (demo data), all committed at once.

use async_trait::async_trait;
use debrief_core::model::{ReasonId, RepId};
use jiff::{SignedDuration, Timestamp};
use sqlx::{Pool, Transaction};

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
}

impl<B: Backend> Load<B> {
    pub(super) async fn begin(store: &B) -> Result<Load<B>> {
        let pool = store.pool().clone();
        Ok(Load { tx: store.begin_write().await?, writer: Writer::default(), pool, fresh: Default::default() })
    }
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

    async fn commit(self: Box<Self>) -> Result<()> {
        self.tx.commit().await?;
        if let Some(sql) = B::AFTER_LOAD {
            B::fetch(&mut *self.pool.acquire().await?, sql, &[]).await?;
        }
        Ok(())
    }
}
