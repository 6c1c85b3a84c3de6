//! Clients: found by name, named by id, and whether they were closed.

use debrief_core::followup::CloseReason;
use debrief_core::model::{ClientId, RepId};

use super::rows::{Cols, undecodable};
use super::{Backend, Param, args, fetch_optional, list_placeholders};
use crate::{ClientInfo, Result, StoreError};

pub(super) async fn find_client<B: Backend>(store: &B, rep: RepId, name: &str) -> Result<Option<ClientId>> {
    let sql = "SELECT id FROM clients WHERE rep_id = $1 AND name = $2";
    let mut conn = store.pool().acquire().await?;
    let row = fetch_optional::<B>(&mut conn, sql, &args![rep.0, name]).await?;
    Ok(row.map(|r| r.int(0)).transpose()?.map(ClientId))
}

pub(super) async fn client_names<B: Backend>(store: &B, ids: &[ClientId]) -> Result<Vec<(ClientId, String)>> {
    let mut names = std::collections::HashMap::new();
    let mut tx = store.pool().begin().await?;
    for chunk in ids.chunks(1000) {
        let sql = format!("SELECT id, name FROM clients WHERE id IN ({})", list_placeholders::<B>(1, chunk.len()));
        let params: Vec<Param<'_>> = chunk.iter().map(|c| Param::Int(c.0)).collect();
        for row in B::fetch(&mut tx, &sql, &params).await? {
            names.insert(ClientId(row.int(0)?), row.text(1)?);
        }
    }
    tx.commit().await?;
    Ok(ids.iter().filter_map(|id| Some((*id, names.remove(id)?))).collect())
}

pub(super) async fn client<B: Backend>(store: &B, id: ClientId) -> Result<ClientInfo> {
    let sql = "SELECT id, rep_id, name, closed_at, closed_reason FROM clients WHERE id = $1";
    let mut conn = store.pool().acquire().await?;
    let row = fetch_optional::<B>(&mut conn, sql, &args![id.0]).await?;
    let row = row.ok_or_else(|| StoreError::NotFound { what: "client", id: id.to_string() })?;
    let closed = match row.opt_time(3)? {
        // Rows closed before the reason was stored say nothing: they moved on.
        Some(at) => Some((at, row.opt_text(4)?.map_or(Ok(CloseReason::MovedOn), |r| r.parse()).map_err(undecodable)?)),
        None => None,
    };
    Ok(ClientInfo { id: ClientId(row.int(0)?), rep: RepId(row.int(1)?), name: row.text(2)?, closed })
}
