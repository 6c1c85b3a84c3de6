//! The contact form shared by the log and edit pages: every value kept as
//! typed, turned into the application's raw request, and each error of its
//! refusal placed next to the form field it is about.

use debrief_app::FieldError;
use debrief_app::input::{RawEdit, RawLog, RawReason};
use debrief_app::views::ContactView;
use serde::Deserialize;

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

/// Where an error goes when it is about no field of the form: the first one.
pub const FIRST_FIELD: &str = "outcome";

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

/// Which pair of reason fields (1 or 2) each reason of a request came from,
/// so that an error about the request's reason `i` goes next to its field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Slots {
    reasons: Vec<u8>,
    external: Vec<u8>,
}

impl Slots {
    /// The form field an error of the request is about.
    pub fn place(&self, e: &FieldError) -> String {
        let slot = |slots: &[u8]| e.index.and_then(|i| slots.get(i)).copied().unwrap_or(1);
        match e.field {
            "reasons" | "reason_id" => format!("reason{}", slot(&self.reasons)),
            "do_differently" => format!("do{}", slot(&self.reasons)),
            "external" => format!("external{}", slot(&self.external)),
            field => field.to_string(),
        }
    }
}

impl LogForm {
    pub fn is_outcome(&self, o: &str) -> bool {
        self.outcome == o
    }

    /// Whether `c` is the channel chosen (none on a blank form: the select shows its first choice).
    pub fn is_channel(&self, c: &str) -> bool {
        self.channel == c
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

    /// The contact as the application reads it; `affected_client` when
    /// the "It affected the client" box is ticked.
    pub fn raw_log(&self, affected_client: bool) -> (RawLog, Slots) {
        let (reasons, external, slots) = self.reasons();
        let raw = RawLog {
            client: self.client.clone(),
            outcome: self.outcome.clone(),
            at: Some(self.at.clone()),
            channel: Some(self.channel.clone()),
            new_lead: self.is_new_lead(),
            reasons,
            external,
            better: Some(self.better.clone()),
            note: Some(self.note.clone()),
            affected_client,
        };
        (raw, slots)
    }

    /// The correction of contact `id`: every field replaced (a blank time
    /// keeps the stored one).
    pub fn raw_edit(&self, id: i64) -> (RawEdit, Slots) {
        let (reasons, external, slots) = self.reasons();
        let raw = RawEdit {
            id,
            client: Some(self.client.clone()),
            outcome: Some(self.outcome.clone()),
            at: Some(self.at.clone()),
            channel: Some(self.channel.clone()),
            new_lead: Some(self.is_new_lead()),
            reasons: Some(reasons),
            external: Some(external),
            clear_reasons: false,
            better: Some(Some(self.better.clone())),
            note: Some(Some(self.note.clone())),
            affected_client: false,
        };
        (raw, slots)
    }

    /// The reasons typed, each pair of fields that holds anything, with the pair it came from.
    fn reasons(&self) -> (Vec<RawReason>, Vec<RawReason>, Slots) {
        let mut slots = Slots::default();
        let mut mine = Vec::new();
        for (slot, text, dd) in [(1, &self.reason1, &self.do1), (2, &self.reason2, &self.do2)] {
            if !text.trim().is_empty() || !dd.trim().is_empty() {
                mine.push(RawReason { text: text.clone(), do_differently: Some(dd.clone()), ..RawReason::default() });
                slots.reasons.push(slot);
            }
        }
        let mut theirs = Vec::new();
        for (slot, text) in [(1, &self.external1), (2, &self.external2)] {
            if !text.trim().is_empty() {
                theirs.push(RawReason::text(text.clone()));
                slots.external.push(slot);
            }
        }
        (mine, theirs, slots)
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
}

/// `2026-11-27T18:00` from a view's `2026-11-27T18:00:00+00:00`, as `datetime-local` wants it.
fn at_field(at: &str) -> &str {
    at.get(..16).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> LogForm {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        serde_urlencoded::from_str(&body).unwrap()
    }

    #[test]
    fn a_form_becomes_the_raw_request() {
        let f = form(&[
            ("client", " Acme "),
            ("outcome", "lost"),
            ("reason1", "no budget talk"),
            ("do1", "ask early"),
            ("external2", "competitor"),
        ]);
        let (raw, slots) = f.raw_log(true);
        assert_eq!((raw.client.as_str(), raw.outcome.as_str(), raw.affected_client), (" Acme ", "lost", true));
        assert_eq!(raw.reasons.len(), 1, "a pair left blank is no reason");
        assert_eq!(raw.reasons[0].do_differently.as_deref(), Some("ask early"));
        assert_eq!(raw.external, [RawReason::text("competitor")]);
        let mut e = FieldError::new("external", "too long");
        e.index = Some(0);
        assert_eq!(slots.place(&e), "external2");
    }

    #[test]
    fn errors_about_a_reason_go_next_to_its_pair() {
        let f = form(&[("outcome", "lost"), ("do2", "call back")]);
        let (raw, slots) = f.raw_edit(7);
        assert_eq!((raw.id, raw.reasons.as_ref().map(Vec::len)), (7, Some(1)));
        let mut e = FieldError::new("do_differently", "no reason to go with");
        e.index = Some(0);
        assert_eq!(slots.place(&e), "do2");
        assert_eq!(slots.place(&FieldError::new("reasons", "a lost contact needs a reason")), "reason1");
        assert_eq!(slots.place(&FieldError::new("at", "not a time")), "at");
    }
}
