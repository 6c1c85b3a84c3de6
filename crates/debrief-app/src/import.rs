//! `debrief import FILE.json`: debrief's own export (see [`crate::export`])
//! read back into a database where the rep has no contacts yet, all of it in
//! one transaction. A file that does not read as an export is refused with
//! the line, the column and the place in the document; nothing is written.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use debrief_core::daily::{DailyContent, DailyEntry};
use debrief_core::mishap::{MishapKind, Step, StepRecord};
use debrief_core::model::{Channel, Outcome, RepId};
use debrief_core::ownership::{Commitment, How, Owned};
use debrief_store::{
    FollowUpChanges, Import, ImportCounts, ImportedFocus, ImportedFollowUp, ImportedOwnership, ImportedRecovery,
    NewContact, NewReasonNote, ReasonRef,
};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::export::{Export, FORMAT, VERSION};
use crate::input::RepName;
use crate::{App, AppError, Result};

/// What an import wrote.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportView {
    pub rep: String,
    /// Checked and counted only: nothing was written.
    pub dry_run: bool,
    pub contacts: usize,
    pub ownership: usize,
    pub focus: usize,
    pub recoveries: usize,
    pub follow_ups: usize,
    pub daily: usize,
}

/// Refuses, before the file is read, what is not debrief's own JSON export.
pub fn check_file_name(file: &str) -> Result<()> {
    let json = file.rsplit_once('.').is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("json"));
    if json {
        return Ok(());
    }
    Err(AppError::Rejected(format!(
        "{file}: expected a .csv (a CRM's export, saved as CSV UTF-8), a .json (debrief's own export) or an .ics (a calendar)"
    )))
}

impl App {
    /// Reads `bytes` (the file `file`) as an export and writes it for
    /// `rep_name`, who must have no contacts in this database yet.
    /// With `dry_run`, everything is checked and counted and nothing is written.
    pub async fn import_json(&self, rep_name: &RepName, file: &str, bytes: &[u8], dry_run: bool) -> Result<ImportView> {
        check_file_name(file)?;
        let doc = parse(file, bytes)?;
        let vocabulary = self.vocabulary_entries().await?;
        let known: HashMap<&str, i64> = vocabulary.iter().map(|v| (v.reason.label.as_str(), v.reason.id.0)).collect();
        let import = resolve(&doc, rep_name, &known).map_err(|e| AppError::Rejected(format!("{file}: {e}")))?;
        let counts = if dry_run {
            if let Some(rep) = self.existing_rep(rep_name).await? {
                let query = debrief_store::ContactQuery { rep: Some(rep), ..Default::default() };
                let held = self.store().count_contacts(&query).await?;
                if held > 0 {
                    return Err(AppError::Conflict(format!(
                        "{rep_name} already has {held} contacts in this database: an export goes only where its rep has none (give a new --db, or import as another --rep)"
                    )));
                }
            }
            import.counts()
        } else {
            self.store().import(&import).await?
        };
        let ImportCounts { contacts, ownership, focus, recoveries, follow_ups, daily } = counts;
        Ok(ImportView {
            rep: rep_name.as_str().to_string(),
            dry_run,
            contacts,
            ownership,
            focus,
            recoveries,
            follow_ups,
            daily,
        })
    }
}

/// What a versioned debrief document is called and where it comes from,
/// for its errors.
pub(crate) struct Versioned {
    /// "export", "backup".
    pub kind: &'static str,
    pub format: &'static str,
    pub version: u32,
    /// What a file of another kind lacks, in brackets after "not a debrief …".
    pub lacks: &'static str,
    /// The command that writes one.
    pub written_by: &'static str,
}

impl Versioned {
    /// The document as JSON once it is known to be of this kind and of a
    /// version this build reads; otherwise where and why it is not.
    pub(crate) fn head(&self, file: &str, bytes: &[u8]) -> Result<serde_json::Value> {
        let refuse = |what: String| AppError::Rejected(format!("{file}: {what}"));
        let head: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| refuse(self.not_json(&e)))?;
        let found = head.get("format").and_then(|f| f.as_str());
        self.check(found, head.get("version").and_then(serde_json::Value::as_u64)).map_err(refuse)?;
        Ok(head)
    }

    /// Whether a document saying `format` and `version` is of this kind
    /// and of a version this build reads; otherwise why not.
    pub(crate) fn check(&self, format: Option<&str>, version: Option<u64>) -> std::result::Result<(), String> {
        let Versioned { kind, lacks, written_by, .. } = self;
        if format != Some(self.format) {
            return Err(format!("not a debrief {kind} ({lacks}): give a file written by `{written_by}`"));
        }
        match version {
            Some(v) if v <= u64::from(self.version) => Ok(()),
            Some(v) => Err(format!(
                "written by a newer debrief ({kind} version {v}; this one reads up to {}): update debrief first",
                self.version
            )),
            None => Err(format!("the {kind} has no version number")),
        }
    }

    /// Where and why a file that is not JSON is not of this kind.
    pub(crate) fn not_json(&self, e: &serde_json::Error) -> String {
        format!(
            "line {}, column {}: not JSON ({}): not a debrief {}; give a file written by `{}`",
            e.line(),
            e.column(),
            what_of(e),
            self.kind,
            self.written_by
        )
    }
}

/// What serde says is wrong, without the "at line L column C" its message
/// ends with (the place is said once, first).
pub(crate) fn what_of(e: &serde_json::Error) -> String {
    let what = e.to_string();
    what.rsplit_once(" at line ").map_or(what.as_str(), |(w, _)| w).to_string()
}

/// The document, or where and why it is not an export.
fn parse(file: &str, bytes: &[u8]) -> Result<Export> {
    let refuse = |what: String| AppError::Rejected(format!("{file}: {what}"));
    Versioned {
        kind: "export",
        format: FORMAT,
        version: VERSION,
        lacks: "no \"format\": \"debrief-export\"",
        written_by: "debrief export --format json",
    }
    .head(file, bytes)?;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize::<_, Export>(&mut de).map_err(|e| {
        let inner = e.inner();
        refuse(format!("line {}, column {}: at {}: {}", inner.line(), inner.column(), e.path(), what_of(inner)))
    })
}

/// The store's import: times, keywords and references checked, reasons
/// named by label, contacts and recoveries referred to by position.
pub(crate) fn resolve(doc: &Export, rep: &RepName, known: &HashMap<&str, i64>) -> std::result::Result<Import, String> {
    let time = |place: String, text: &str| {
        Timestamp::from_str(text)
            .map_err(|_| format!("at {place}: \"{text}\" is not a time (RFC 3339, like 2026-11-23T10:00:00Z)"))
    };
    let keyword = |place: String, e: debrief_core::ParseError| format!("at {place}: {e}");
    let controllable: HashMap<i64, (&str, bool)> =
        doc.reasons.iter().map(|r| (r.id, (r.label.as_str(), r.controllable))).collect();
    let affected: HashSet<(i64, i64)> = doc.ownership.iter().map(|o| (o.contact_id, o.reason_id)).collect();
    let mut contact_at: HashMap<i64, usize> = HashMap::new();
    let mut contacts = Vec::with_capacity(doc.contacts.len());
    for (i, c) in doc.contacts.iter().enumerate() {
        let place = |field: &str| format!("contacts[{i}].{field}");
        let mut reasons = Vec::with_capacity(c.reasons.len());
        for (k, r) in c.reasons.iter().enumerate() {
            let side = controllable.get(&r.reason_id).map_or(r.controllable, |(_, side)| *side);
            let reason = match known.get(r.reason.as_str()) {
                Some(id) => ReasonRef::Existing(debrief_core::model::ReasonId(*id)),
                None if r.reason.trim().is_empty() => {
                    return Err(format!("at contacts[{i}].reasons[{k}].reason: the reason has no label"));
                }
                None => ReasonRef::New { label: r.reason.clone(), controllable: side },
            };
            reasons.push(NewReasonNote {
                reason,
                text: r.text.clone(),
                controllable: r.controllable,
                do_differently: r.do_differently.clone(),
                affected_client: affected.contains(&(c.id, r.reason_id)),
            });
        }
        contact_at.insert(c.id, i);
        contacts.push(NewContact {
            rep: RepId(0),
            client: c.client.clone(),
            at: time(place("at"), &c.at)?,
            channel: Channel::from_str(&c.channel).map_err(|e| keyword(place("channel"), e))?,
            outcome: Outcome::from_str(&c.outcome).map_err(|e| keyword(place("outcome"), e))?,
            new_lead: c.new_lead,
            reasons,
            better: c.better.clone(),
            note: c.note.clone(),
            follow_ups: FollowUpChanges::default(),
        });
    }
    let mut ownership = Vec::with_capacity(doc.ownership.len());
    for (i, o) in doc.ownership.iter().enumerate() {
        let place = |field: &str| format!("ownership[{i}].{field}");
        let contact = *contact_at
            .get(&o.contact_id)
            .ok_or_else(|| format!("at {}: no contact {} in the file", place("contact_id"), o.contact_id))?;
        let owned = match (&o.owned_at, &o.owned_how, &o.owned_said) {
            (Some(at), Some(how), Some(said)) => Some(Owned {
                at: time(place("owned_at"), at)?,
                how: How::from_str(how).map_err(|e| keyword(place("owned_how"), e))?,
                said: said.clone(),
            }),
            (None, None, None) => None,
            _ => return Err(format!("at {}: owned_at, owned_how and owned_said go together", place("owned_at"))),
        };
        let committed = match (&o.committed_at, &o.commitment) {
            (Some(at), Some(text)) => Some(Commitment { at: time(place("committed_at"), at)?, text: text.clone() }),
            (None, None) => None,
            _ => return Err(format!("at {}: committed_at and commitment go together", place("committed_at"))),
        };
        ownership.push(ImportedOwnership {
            contact,
            reason: o.reason.clone(),
            opened_at: time(place("opened_at"), &o.opened_at)?,
            owned,
            committed,
        });
    }
    let focus = doc
        .focus
        .iter()
        .enumerate()
        .map(|(i, f)| {
            Ok(ImportedFocus {
                reason: f.reason.clone(),
                set_at: time(format!("focus[{i}].set_at"), &f.set_at)?,
                cleared_at: f.cleared_at.as_deref().map(|t| time(format!("focus[{i}].cleared_at"), t)).transpose()?,
            })
        })
        .collect::<std::result::Result<Vec<_>, String>>()?;
    let mut recovery_at: HashMap<i64, usize> = HashMap::new();
    let mut recoveries = Vec::with_capacity(doc.recoveries.len());
    for (i, r) in doc.recoveries.iter().enumerate() {
        let place = |field: &str| format!("recoveries[{i}].{field}");
        let steps = r
            .steps
            .iter()
            .enumerate()
            .map(|(k, s)| {
                Ok(StepRecord {
                    step: Step::from_str(&s.step)
                        .map_err(|e| keyword(format!("recoveries[{i}].steps[{k}].step"), e))?,
                    at: time(format!("recoveries[{i}].steps[{k}].at"), &s.at)?,
                    text: s.text.clone(),
                    client_said: s.client_said.clone(),
                })
            })
            .collect::<std::result::Result<Vec<_>, String>>()?;
        recovery_at.insert(r.id, i);
        recoveries.push(ImportedRecovery {
            client: r.client.clone(),
            kind: MishapKind::from_str(&r.kind).map_err(|e| keyword(place("kind"), e))?,
            what: r.what.clone(),
            at: time(place("at"), &r.at)?,
            steps,
        });
    }
    let mut follow_ups = Vec::with_capacity(doc.follow_ups.len());
    for (i, f) in doc.follow_ups.iter().enumerate() {
        let place = |field: &str| format!("follow_ups[{i}].{field}");
        let kind = match f.kind.as_str() {
            "chase" => "chase",
            "check-in" => "check-in",
            "mishap-update" => "mishap-update",
            "manual" => "manual",
            other => {
                return Err(format!(
                    "at {}: unknown kind \"{other}\": expected chase, check-in, mishap-update or manual",
                    place("kind")
                ));
            }
        };
        let status = match f.status.as_str() {
            "open" => "open",
            "done" => "done",
            "cancelled" => "cancelled",
            other => {
                return Err(format!(
                    "at {}: unknown status \"{other}\": expected open, done or cancelled",
                    place("status")
                ));
            }
        };
        let recovery = match f.recovery_id {
            Some(id) => Some(
                *recovery_at
                    .get(&id)
                    .ok_or_else(|| format!("at {}: no recovery {id} in the file", place("recovery_id")))?,
            ),
            None => None,
        };
        follow_ups.push(ImportedFollowUp {
            client: f.client.clone(),
            kind,
            n: f.n,
            recovery,
            anchor: time(place("anchor"), &f.anchor)?,
            due: time(place("due"), &f.due)?,
            note: f.note.clone(),
            status,
            status_at: f.status_at.as_deref().map(|t| time(place("status_at"), t)).transpose()?,
        });
    }
    let mut daily = Vec::with_capacity(doc.daily.len());
    for (i, d) in doc.daily.iter().enumerate() {
        let date = Date::from_str(&d.date)
            .map_err(|_| format!("at daily[{i}].date: \"{}\" is not a date (like 2026-11-23)", d.date))?;
        let content = match (&d.missed_note, d.nothing_to_improve) {
            (Some(note), _) => DailyContent::MissedNote(note.clone()),
            (None, true) => DailyContent::NothingToImprove,
            (None, false) => DailyContent::Items(d.items.clone()),
        };
        daily.push(DailyEntry { date, content });
    }
    let mut meetings = Vec::with_capacity(doc.meetings.len());
    for (i, m) in doc.meetings.iter().enumerate() {
        let place = |field: &str| format!("meetings[{i}].{field}");
        let contact = match m.contact_id {
            Some(id) => Some(
                *contact_at
                    .get(&id)
                    .ok_or_else(|| format!("at {}: no contact {id} in the file", place("contact_id")))?,
            ),
            None => None,
        };
        let meeting = debrief_store::NewMeeting {
            key: m.key.clone(),
            start: time(place("start"), &m.start)?,
            end: time(place("end"), &m.end)?,
            title: m.title.clone(),
            client: m.client.clone(),
            attendees: m.attendees.clone(),
        };
        meetings.push((meeting, contact));
    }
    Ok(Import {
        meetings,
        rep: rep.as_str().to_string(),
        tz: match doc.time_zone.as_str() {
            "" => None,
            zone => {
                crate::input::zone("time_zone", zone).map_err(|e| format!("at time_zone: {}", e.message))?;
                Some(zone.to_string())
            }
        },
        reason_texts: doc.reasons.iter().map(|r| (r.label.clone(), r.texts.clone())).collect(),
        sources: doc
            .contacts
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let s = c.source.as_ref()?;
                Some(debrief_store::ImportedSource {
                    contact: i,
                    source: s.source.clone(),
                    key: s.key.clone(),
                    digest: s.digest.clone(),
                })
            })
            .collect(),
        triage: doc.contacts.iter().enumerate().filter_map(|(i, c)| Some((i, c.triage.clone()?))).collect(),
        contacts,
        ownership,
        focus,
        recoveries,
        follow_ups,
        daily,
    })
}
