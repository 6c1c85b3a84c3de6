//! Rows and the domain: the column getters both backends' rows share
//! ([`Cols`]), the private row shapes of the store's queries, and the columns
//! a contact is written to and read from, together, so that a new contact
//! column is added here (and in the migrations and `NewContact`) only.

use std::collections::HashMap;
use std::str::FromStr;

use debrief_core::model::{ClientId, Contact, ContactId, Reason, ReasonId, ReasonNote, RepId};
use jiff::Timestamp;
use sqlx::{ColumnIndex, Database, Decode, Row, Type};

use super::{Param, args};
use crate::NewContact;

/// Typed column getters by position, the same on every backend.
pub(crate) trait Cols {
    fn int(&self, i: usize) -> sqlx::Result<i64>;
    fn opt_int(&self, i: usize) -> sqlx::Result<Option<i64>>;
    fn text(&self, i: usize) -> sqlx::Result<String>;
    fn opt_text(&self, i: usize) -> sqlx::Result<Option<String>>;
    fn flag(&self, i: usize) -> sqlx::Result<bool>;
    fn bytes(&self, i: usize) -> sqlx::Result<Vec<u8>>;

    /// A unix-seconds column as a timestamp.
    fn time(&self, i: usize) -> sqlx::Result<Timestamp> {
        Timestamp::from_second(self.int(i)?).map_err(|e| sqlx::Error::Decode(e.into()))
    }

    /// A nullable unix-seconds column as a timestamp.
    fn opt_time(&self, i: usize) -> sqlx::Result<Option<Timestamp>> {
        let seconds = self.opt_int(i)?;
        seconds.map(|s| Timestamp::from_second(s).map_err(|e| sqlx::Error::Decode(e.into()))).transpose()
    }

    /// A keyword column (outcome, channel) parsed back.
    fn keyword<T>(&self, i: usize) -> sqlx::Result<T>
    where
        T: FromStr,
        T::Err: std::error::Error + Send + Sync + 'static,
    {
        self.text(i)?.parse().map_err(|e: T::Err| sqlx::Error::Decode(e.into()))
    }
}

impl<R> Cols for R
where
    R: Row,
    usize: ColumnIndex<R>,
    i64: Type<R::Database> + for<'r> Decode<'r, R::Database>,
    bool: Type<R::Database> + for<'r> Decode<'r, R::Database>,
    String: Type<R::Database> + for<'r> Decode<'r, R::Database>,
    Vec<u8>: Type<R::Database> + for<'r> Decode<'r, R::Database>,
    R::Database: Database,
{
    fn int(&self, i: usize) -> sqlx::Result<i64> {
        self.try_get(i)
    }
    fn opt_int(&self, i: usize) -> sqlx::Result<Option<i64>> {
        self.try_get(i)
    }
    fn text(&self, i: usize) -> sqlx::Result<String> {
        self.try_get(i)
    }
    fn opt_text(&self, i: usize) -> sqlx::Result<Option<String>> {
        self.try_get(i)
    }
    fn flag(&self, i: usize) -> sqlx::Result<bool> {
        self.try_get(i)
    }
    fn bytes(&self, i: usize) -> sqlx::Result<Vec<u8>> {
        self.try_get(i)
    }
}

/// A column value that cannot be read back into the domain.
pub(super) fn undecodable(message: impl ToString) -> sqlx::Error {
    sqlx::Error::Decode(message.to_string().into())
}

/// The columns a contact is written to, in the order of [`contact_values`]
/// (an insert puts `id` first).
pub(super) const CONTACT_FIELDS: [&str; 8] =
    ["rep_id", "client_id", "at", "channel", "outcome", "new_lead", "better", "note"];

/// The values of [`CONTACT_FIELDS`] for `c`, whose client has the id `client`.
pub(super) fn contact_values(c: &NewContact, client: i64) -> [Param<'_>; 8] {
    args![
        c.rep.0,
        client,
        c.at.as_second(),
        c.channel.as_str(),
        c.outcome.as_str(),
        c.new_lead,
        c.better.as_deref(),
        c.note.as_deref(),
    ]
}

/// The columns [`contact`] reads, in order.
pub(super) const CONTACT_COLUMNS: &str = "c.id, c.rep_id, c.client_id, cl.name, c.at, \
     c.channel, c.outcome, c.new_lead, c.better, c.note";

/// A contact row (without its reasons) selected with [`CONTACT_COLUMNS`].
pub(super) fn contact(r: &impl Cols) -> sqlx::Result<Contact> {
    Ok(Contact {
        id: ContactId(r.int(0)?),
        rep: RepId(r.int(1)?),
        client: ClientId(r.int(2)?),
        client_name: r.text(3)?,
        at: r.time(4)?,
        channel: r.keyword(5)?,
        outcome: r.keyword(6)?,
        new_lead: r.flag(7)?,
        reasons: Vec::new(),
        better: r.opt_text(8)?,
        note: r.opt_text(9)?,
    })
}

/// The columns [`note`] reads, in order, `contact_id` first.
pub(super) const NOTE_COLUMNS: &str = "r.contact_id, r.reason_id, r.text, r.controllable, r.do_differently";

/// A `contact_reasons` row selected with [`NOTE_COLUMNS`]: `(contact, note)`.
fn note(r: &impl Cols) -> sqlx::Result<(i64, ReasonNote)> {
    let note = ReasonNote {
        reason: ReasonId(r.int(1)?),
        text: r.text(2)?,
        controllable: r.flag(3)?,
        do_differently: r.opt_text(4)?,
    };
    Ok((r.int(0)?, note))
}

/// Attaches `notes` (in position order) to their contacts.
pub(super) fn attach(contacts: &mut [Contact], notes: &[impl Cols]) -> sqlx::Result<()> {
    let index: HashMap<i64, usize> = contacts.iter().enumerate().map(|(i, c)| (c.id.0, i)).collect();
    for row in notes {
        let (contact, note) = note(row)?;
        if let Some(&i) = index.get(&contact) {
            contacts[i].reasons.push(note);
        }
    }
    Ok(())
}

/// A `reasons` row: `id, label, controllable`.
pub(super) fn reason(r: &impl Cols) -> sqlx::Result<Reason> {
    Ok(Reason { id: ReasonId(r.int(0)?), label: r.text(1)?, controllable: r.flag(2)? })
}
