//! The store's reads: contacts by query (one statement for the contacts, one
//! per thousand contacts for their notes), counts, wins, lessons and reps.

use debrief_core::model::{ClientId, Contact, ContactId, Outcome, ReasonId, RepId};
use jiff::Timestamp;

use super::rows::{self, CONTACT_COLUMNS, Cols, NOTE_COLUMNS};
use super::{Backend, Conn, Param, args, fetch_one, fetch_optional, list_placeholders, placeholders};
use crate::{ContactQuery, Lesson, RepSummary, Result, StoreError};

/// A `WHERE` clause over `contacts c`, its parameters, and the page to read.
struct Filter<'a> {
    conditions: Vec<String>,
    params: Vec<Param<'a>>,
    page: String,
}

impl<'a> Filter<'a> {
    fn new() -> Self {
        Filter { conditions: Vec::new(), params: Vec::new(), page: String::new() }
    }

    /// Binds `value` to the next placeholder; returns the placeholder.
    fn bind(&mut self, value: impl Into<Param<'a>>) -> String {
        self.params.push(value.into());
        format!("${}", self.params.len())
    }

    /// Adds a condition; `{}` in it stands for `value`'s placeholder.
    fn and(&mut self, condition: &str, value: impl Into<Param<'a>>) {
        let placeholder = self.bind(value);
        self.conditions.push(condition.replace("{}", &placeholder));
    }

    /// Every narrowing of `query`, and its page (order, limit, offset).
    fn of(query: &ContactQuery) -> Filter<'static> {
        let mut f = Filter::new();
        if let Some(rep) = query.rep {
            f.and("c.rep_id = {}", rep.0);
        }
        if let Some(from) = query.from {
            f.and("c.at >= {}", from.as_second());
        }
        if let Some(to) = query.to {
            f.and("c.at < {}", to.as_second());
        }
        if let Some(outcome) = query.outcome {
            f.and("c.outcome = {}", outcome.as_str());
        }
        if let Some(client) = query.client {
            f.and("c.client_id = {}", client.0);
        }
        if let Some(reason) = query.reason {
            f.and("EXISTS (SELECT 1 FROM contact_reasons f WHERE f.contact_id = c.id AND f.reason_id = {})", reason.0);
        }
        f.page = f.page_of(query);
        f
    }

    fn page_of(&mut self, query: &ContactQuery) -> String {
        let (order, limit) = match query.limit {
            Some(n) => ("c.at DESC, c.id DESC", i64::from(n)),
            None => ("c.at, c.id", i64::MAX),
        };
        if query.limit.is_none() && query.offset == 0 {
            return format!(" ORDER BY {order}");
        }
        let limit = self.bind(limit);
        let offset = self.bind(i64::from(query.offset));
        format!(" ORDER BY {order} LIMIT {limit} OFFSET {offset}")
    }

    fn where_sql(&self) -> String {
        match self.conditions.is_empty() {
            true => String::new(),
            false => format!(" WHERE {}", self.conditions.join(" AND ")),
        }
    }
}

pub(super) async fn contact<B: Backend>(store: &B, id: ContactId) -> Result<Contact> {
    let mut f = Filter::new();
    f.and("c.id = {}", id.0);
    let found = select(store, &f).await?.pop();
    found.ok_or_else(|| StoreError::NotFound { what: "contact", id: id.to_string() })
}

pub(super) async fn contacts<B: Backend>(store: &B, query: &ContactQuery) -> Result<Vec<Contact>> {
    select(store, &Filter::of(query)).await
}

/// The contacts `f` selects, then their notes by contact id (an explicit
/// list keeps both backends on the primary key, whatever their statistics).
async fn select<B: Backend>(store: &B, f: &Filter<'_>) -> Result<Vec<Contact>> {
    let sql = format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts c JOIN clients cl ON cl.id = c.client_id{}{}",
        f.where_sql(),
        f.page
    );
    let mut tx = store.pool().begin().await?;
    let rows = B::fetch(&mut tx, &sql, &f.params).await?;
    let mut contacts = rows.iter().map(rows::contact).collect::<sqlx::Result<Vec<_>>>()?;
    for part in contacts.chunks_mut(IN_CHUNK) {
        let sql = format!(
            "SELECT {NOTE_COLUMNS} FROM contact_reasons r WHERE r.contact_id IN ({}) \
             ORDER BY r.contact_id, r.position",
            list_placeholders::<B>(1, part.len())
        );
        let ids: Vec<Param<'_>> = part.iter().map(|c| Param::Int(c.id.0)).collect();
        rows::attach(part, &B::fetch(&mut tx, &sql, &ids).await?)?;
    }
    tx.commit().await?;
    Ok(contacts)
}

pub(super) async fn count_contacts<B: Backend>(store: &B, query: &ContactQuery) -> Result<u64> {
    let f = Filter::of(&ContactQuery { limit: None, offset: 0, ..query.clone() });
    let sql = format!("SELECT COUNT(*) FROM contacts c{}", f.where_sql());
    let mut conn = store.pool().acquire().await?;
    let n = fetch_one::<B>(&mut conn, &sql, &f.params).await?.int(0)?;
    Ok(n.max(0) as u64)
}

/// How many clients one `IN (…)` list holds (well under every backend's limit).
const IN_CHUNK: usize = 1000;

pub(super) async fn clients_won<B: Backend>(
    store: &B,
    clients: &[ClientId],
    until: Timestamp,
) -> Result<Vec<ClientId>> {
    let mut won = std::collections::HashSet::new();
    let mut tx = store.pool().begin().await?;
    for chunk in clients.chunks(IN_CHUNK) {
        let sql = format!(
            "SELECT DISTINCT client_id FROM contacts \
             WHERE outcome = $1 AND at < $2 AND client_id IN ({})",
            placeholders(3, chunk.len())
        );
        let mut params = args![Outcome::Won.as_str(), until.as_second()].to_vec();
        params.extend(chunk.iter().map(|c| Param::Int(c.0)));
        for row in B::fetch(&mut tx, &sql, &params).await? {
            won.insert(ClientId(row.int(0)?));
        }
    }
    tx.commit().await?;
    Ok(clients.iter().copied().filter(|c| won.remove(c)).collect())
}

pub(super) async fn lessons<B: Backend>(
    store: &B,
    rep: RepId,
    reasons: &[ReasonId],
    before: Timestamp,
    per_reason: u32,
) -> Result<Vec<Lesson>> {
    if reasons.is_empty() || per_reason == 0 {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT reason_id, contact_id, at, do_differently FROM ( \
           SELECT r.reason_id, c.id AS contact_id, c.at, r.do_differently, \
             ROW_NUMBER() OVER (PARTITION BY r.reason_id ORDER BY c.at DESC, c.id DESC) AS n \
           FROM contacts c JOIN contact_reasons r ON r.contact_id = c.id \
           WHERE c.rep_id = $1 AND c.at < $2 AND r.reason_id IN ({}) \
             AND r.do_differently IS NOT NULL AND TRIM(r.do_differently) <> '' \
         ) t WHERE n <= $3 ORDER BY at DESC, contact_id DESC",
        placeholders(4, reasons.len())
    );
    let mut params = args![rep.0, before.as_second(), i64::from(per_reason)].to_vec();
    params.extend(reasons.iter().map(|r| Param::Int(r.0)));
    let mut conn = store.pool().acquire().await?;
    let mut lessons = B::fetch(&mut conn, &sql, &params).await?.iter().map(lesson).collect::<sqlx::Result<Vec<_>>>()?;
    // In the order the reasons were asked for, newest first within each.
    lessons.sort_by_key(|l| reasons.iter().position(|r| *r == l.reason));
    Ok(lessons)
}

fn lesson(r: &impl Cols) -> sqlx::Result<Lesson> {
    Ok(Lesson { reason: ReasonId(r.int(0)?), contact: ContactId(r.int(1)?), at: r.time(2)?, text: r.text(3)? })
}

pub(super) async fn find_rep<B: Backend>(store: &B, name: &str) -> Result<Option<RepId>> {
    let mut conn = store.pool().acquire().await?;
    let row = fetch_optional::<B>(&mut conn, "SELECT id FROM reps WHERE name = $1", &args![name]).await?;
    Ok(row.map(|r| r.int(0)).transpose()?.map(RepId))
}

pub(super) async fn reps<B: Backend>(store: &B) -> Result<Vec<RepSummary>> {
    let sql = "SELECT r.id, r.name, (SELECT COUNT(*) FROM contacts c WHERE c.rep_id = r.id) FROM reps r";
    let mut conn = store.pool().acquire().await?;
    let mut reps = B::fetch(&mut conn, sql, &[])
        .await?
        .iter()
        .map(|r| {
            let contacts = r.int(2)?.max(0) as u64;
            Ok(RepSummary { id: RepId(r.int(0)?), name: r.text(1)?, contacts })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    // Sorted here, not in SQL: the two backends collate text differently.
    reps.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(reps)
}

pub(super) async fn has_contacts<B: Backend>(store: &B) -> Result<bool> {
    let mut conn = store.pool().acquire().await?;
    any_contacts::<B>(&mut conn).await
}

/// One row, one boolean column: whether any contact is stored.
pub(crate) const ANY_CONTACTS: &str = "SELECT EXISTS (SELECT 1 FROM contacts)";

/// Whether any contact is stored, as `conn` sees it (inside its transaction).
pub(super) async fn any_contacts<B: Backend>(conn: &mut Conn<B>) -> Result<bool> {
    Ok(fetch_one::<B>(conn, ANY_CONTACTS, &[]).await?.flag(0)?)
}
