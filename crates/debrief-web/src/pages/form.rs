//! The contact form shared by the log and edit pages: every value kept as
//! typed, read into a request, and each error placed next to its field.

use debrief_app::views::ContactView;
use debrief_app::{AppError, ContactPatch, LogRequest, ReasonEntry};
use debrief_core::model::{Channel, Outcome, ReasonId};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Deserialize;

use super::PageError;
use crate::error::ApiError;
use crate::input::{self, FieldError, MAX_NAME, MAX_TEXT};

/// The form as submitted: every field a string, so it can be shown again as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct LogForm {
    pub client: String,
    pub outcome: String,
    pub channel: String,
    pub at: String,
    pub new_lead: String,
    pub reason1: String,
    pub do1: String,
    pub reason2: String,
    pub do2: String,
    pub external1: String,
    pub external2: String,
    pub better: String,
    pub note: String,
}

/// Messages by field, shown next to each field and in a summary.
#[derive(Clone, Debug, Default)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn get(&self, field: impl AsRef<str>) -> Option<&str> {
        self.0.iter().find(|e| e.field == field.as_ref()).map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn all(&self) -> &[FieldError] {
        &self.0
    }

    pub(super) fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }

    /// An application error placed on the form field it is about (the first
    /// of `fields` when it names none of them); faults of the system stay errors.
    pub fn from_app(e: AppError, fields: &[&str]) -> Result<FieldErrors, PageError> {
        let e = ApiError::from(e);
        if e.status.is_server_error() {
            return Err(e.into());
        }
        let field = match e.field.as_deref() {
            Some("reasons") if fields.contains(&"reason1") => "reason1",
            Some("external") if fields.contains(&"external1") => "external1",
            Some(f) if fields.contains(&f) => f,
            _ => fields[0],
        };
        Ok(FieldErrors(vec![FieldError::new(field, e.message)]))
    }
}

/// The fields of the contact form, in page order.
pub const FIELDS: &[&str] = &[
    "outcome",
    "client",
    "reason1",
    "do1",
    "reason2",
    "do2",
    "external1",
    "external2",
    "better",
    "channel",
    "at",
    "note",
];

/// A reason field of the form with its "what I'd do differently" field.
pub struct PairField {
    pub n: u8,
    pub name: &'static str,
    pub value: String,
    pub do_name: &'static str,
    pub do_value: String,
}

/// An external reason field.
pub struct TextField {
    pub n: u8,
    pub name: &'static str,
    pub value: String,
}

/// What the form says, read and checked.
struct Parsed {
    client: String,
    outcome: Outcome,
    channel: Channel,
    at: Option<Timestamp>,
    new_lead: bool,
    reasons: Vec<ReasonEntry>,
    external: Vec<ReasonEntry>,
    better: Option<String>,
    note: Option<String>,
}

impl LogForm {
    pub fn is_outcome(&self, o: &str) -> bool {
        self.outcome == o
    }

    pub fn is_channel(&self, c: &str) -> bool {
        self.channel == c || (self.channel.is_empty() && c == "call")
    }

    pub fn is_new_lead(&self) -> bool {
        !self.new_lead.is_empty()
    }

    pub fn reason_fields(&self) -> [PairField; 2] {
        let pair = |n, name, value: &String, do_name, do_value: &String| PairField {
            n,
            name,
            value: value.clone(),
            do_name,
            do_value: do_value.clone(),
        };
        [pair(1, "reason1", &self.reason1, "do1", &self.do1), pair(2, "reason2", &self.reason2, "do2", &self.do2)]
    }

    pub fn external_fields(&self) -> [TextField; 2] {
        [
            TextField { n: 1, name: "external1", value: self.external1.clone() },
            TextField { n: 2, name: "external2", value: self.external2.clone() },
        ]
    }

    /// The request to log this contact for `rep`.
    pub fn request(&self, rep: &str, tz: &TimeZone) -> Result<LogRequest, FieldErrors> {
        let p = self.parse(tz)?;
        Ok(LogRequest {
            rep: rep.to_string(),
            client: p.client,
            outcome: p.outcome,
            at: p.at,
            channel: p.channel,
            new_lead: p.new_lead,
            reasons: p.reasons,
            external: p.external,
            better: p.better,
            note: p.note,
        })
    }

    /// The correction of `stored`: every field replaced, reasons whose text is
    /// unchanged stay counted under the reason they were.
    pub fn patch(&self, stored: &ContactView, tz: &TimeZone) -> Result<ContactPatch, FieldErrors> {
        let p = self.parse(tz)?;
        let unchanged_at = self.at.trim() == at_field(&stored.at);
        Ok(ContactPatch {
            client: Some(p.client),
            outcome: Some(p.outcome),
            at: if unchanged_at { None } else { p.at },
            channel: Some(p.channel),
            new_lead: Some(p.new_lead),
            reasons: Some(pin(p.reasons, stored, true)),
            external: Some(pin(p.external, stored, false)),
            better: Some(p.better),
            note: Some(p.note),
        })
    }

    /// The form filled with a stored contact, for editing.
    pub fn from_contact(c: &ContactView) -> LogForm {
        let texts = |controllable: bool| c.reasons.iter().filter(move |r| r.controllable == controllable);
        let mut mine = texts(true);
        let (r1, r2) = (mine.next(), mine.next());
        let mut theirs = texts(false);
        let (e1, e2) = (theirs.next(), theirs.next());
        let text = |r: Option<&debrief_app::views::ContactReasonView>| r.map(|r| r.text.clone()).unwrap_or_default();
        let dd = |r: Option<&debrief_app::views::ContactReasonView>| {
            r.and_then(|r| r.do_differently.clone()).unwrap_or_default()
        };
        LogForm {
            client: c.client.clone(),
            outcome: c.outcome.to_string(),
            channel: c.channel.to_string(),
            at: at_field(&c.at).to_string(),
            new_lead: if c.new_lead { "on".into() } else { String::new() },
            reason1: text(r1),
            do1: dd(r1),
            reason2: text(r2),
            do2: dd(r2),
            external1: text(e1),
            external2: text(e2),
            better: c.better.clone().unwrap_or_default(),
            note: c.note.clone().unwrap_or_default(),
        }
    }

    fn parse(&self, tz: &TimeZone) -> Result<Parsed, FieldErrors> {
        let mut errors = FieldErrors::default();
        let outcome = errors.take(input::outcome("outcome", &self.outcome));
        let client = errors.take(input::text("client", self.client.trim(), MAX_NAME).and_then(|c| required_client(&c)));
        let channel = match self.channel.trim() {
            "" => Some(Channel::Call),
            c => errors.take(input::channel("channel", c)),
        };
        let at = match self.at.trim() {
            "" => Some(None),
            t => errors.take(input::at("at", t, tz).map(Some)),
        };
        let reasons = self.reasons(&mut errors);
        let external = self.external(&mut errors);
        let better = errors.take(input::optional_text("better", &self.better, MAX_TEXT));
        let note = errors.take(input::optional_text("note", &self.note, MAX_TEXT));
        match (outcome, client, channel, at, better, note) {
            (Some(outcome), Some(client), Some(channel), Some(at), Some(better), Some(note)) if errors.is_empty() => {
                Ok(Parsed {
                    client,
                    outcome,
                    channel,
                    at,
                    new_lead: self.is_new_lead(),
                    reasons,
                    external,
                    better,
                    note,
                })
            }
            _ => Err(errors),
        }
    }

    fn reasons(&self, errors: &mut FieldErrors) -> Vec<ReasonEntry> {
        let pairs = [("reason1", &self.reason1, "do1", &self.do1), ("reason2", &self.reason2, "do2", &self.do2)];
        let mut out = Vec::new();
        for (field, text, do_field, dd) in pairs {
            if text.trim().is_empty() {
                if !dd.trim().is_empty() {
                    errors.0.push(FieldError::new(do_field, "write the reason this goes with in the field above"));
                }
                continue;
            }
            let text = errors.take(input::text(field, text.trim(), MAX_NAME));
            let dd = errors.take(input::optional_text(do_field, dd, MAX_TEXT));
            if let (Some(text), Some(do_differently)) = (text, dd) {
                out.push(ReasonEntry { text, do_differently, ..ReasonEntry::default() });
            }
        }
        out
    }

    fn external(&self, errors: &mut FieldErrors) -> Vec<ReasonEntry> {
        [("external1", &self.external1), ("external2", &self.external2)]
            .into_iter()
            .filter(|(_, t)| !t.trim().is_empty())
            .filter_map(|(field, t)| errors.take(input::text(field, t.trim(), MAX_NAME)))
            .map(ReasonEntry::text)
            .collect()
    }
}

fn required_client(client: &str) -> Result<String, FieldError> {
    if client.is_empty() {
        return Err(FieldError::new("client", "who was the contact with? Give the client's name"));
    }
    Ok(client.to_string())
}

/// `2026-11-27T18:00` from a view's `2026-11-27T18:00:00+00:00`, as `datetime-local` wants it.
fn at_field(at: &str) -> &str {
    at.get(..16).unwrap_or(at)
}

fn pin(entries: Vec<ReasonEntry>, stored: &ContactView, controllable: bool) -> Vec<ReasonEntry> {
    entries
        .into_iter()
        .map(|mut e| {
            e.reason = stored
                .reasons
                .iter()
                .find(|r| r.controllable == controllable && r.text == e.text)
                .map(|r| ReasonId(r.reason_id));
            e
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> LogForm {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        serde_urlencoded::from_str(&body).unwrap()
    }

    #[test]
    fn a_good_form_becomes_a_request() {
        let f = form(&[
            ("client", " Acme "),
            ("outcome", "lost"),
            ("reason1", "no budget talk"),
            ("do1", "ask early"),
            ("external1", "competitor"),
        ]);
        let req = f.request("me", &TimeZone::UTC).unwrap();
        assert_eq!((req.client.as_str(), req.outcome, req.channel), ("Acme", Outcome::Lost, Channel::Call));
        assert_eq!(req.reasons[0].do_differently.as_deref(), Some("ask early"));
        assert_eq!(req.external.len(), 1);
        assert_eq!(req.at, None);
    }

    #[test]
    fn every_wrong_field_gets_its_own_message() {
        let f = form(&[("client", ""), ("outcome", "maybe"), ("at", "yesterday"), ("do2", "call back")]);
        let errors = f.request("me", &TimeZone::UTC).unwrap_err();
        for field in ["client", "outcome", "at", "do2"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        assert!(errors.get("outcome").unwrap().contains("expected one of"));
    }
}
