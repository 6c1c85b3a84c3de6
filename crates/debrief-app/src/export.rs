//! `debrief export`: everything a rep owns — the reason vocabulary, contacts
//! with the reason texts as written and the reasons they count under, the
//! focus history, ownership items, recoveries with their steps, follow-ups
//! and daily entries — as one versioned JSON document, as CSV (one file per
//! kind) or as a Markdown journal by week. Read through the store, the same
//! on SQLite and PostgreSQL.
//!
//! The JSON schema is [`FORMAT`] version [`VERSION`]: times are RFC 3339 in
//! UTC, dates ISO 8601 in the rep's zone, ids the database's. A later
//! version adds keys and never renames one.

use std::collections::{BTreeMap, HashMap};

use debrief_core::daily::DailyContent;
use debrief_core::followup::{FollowUpKind, Status};
use debrief_core::model::ClientId;
use debrief_store::ContactQuery;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::input::RepName;
use crate::{App, Result};

/// What the document is, for a reader that meets it without its name.
pub const FORMAT: &str = "debrief-export";
/// The schema's version.
pub const VERSION: u32 = 2;

/// Everything one rep owns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub exported_at: String,
    pub rep: String,
    /// The IANA zone the rep's weeks and days are counted in.
    pub time_zone: String,
    pub reasons: Vec<ReasonOut>,
    pub contacts: Vec<ContactOut>,
    pub focus: Vec<FocusOut>,
    pub ownership: Vec<OwnershipOut>,
    pub recoveries: Vec<RecoveryOut>,
    pub follow_ups: Vec<FollowUpOut>,
    pub daily: Vec<DailyOut>,
    /// Meetings from the rep's calendar (absent in documents written before them).
    #[serde(default)]
    pub meetings: Vec<MeetingOut>,
}

/// A canonical reason and the texts it is known by.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonOut {
    pub id: i64,
    pub label: String,
    pub controllable: bool,
    pub texts: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactOut {
    pub id: i64,
    pub at: String,
    pub client: String,
    pub channel: String,
    pub outcome: String,
    pub new_lead: bool,
    pub reasons: Vec<ContactReasonOut>,
    pub better: Option<String>,
    pub note: Option<String>,
    /// Imported from a CRM: where from (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceOut>,
    /// A lost contact waiting for triage: the CRM's reason ("" for none) (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triage: Option<String>,
}

/// Where an imported contact came from: the export shape, the row's key
/// there, and a digest of what the row said (a later import of the same
/// CRM updates it instead of adding it again).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceOut {
    pub source: String,
    pub key: String,
    pub digest: String,
}

/// A reason of a contact: the text as written and what it counts under.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactReasonOut {
    pub text: String,
    pub reason_id: i64,
    pub reason: String,
    pub controllable: bool,
    pub do_differently: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FocusOut {
    pub reason_id: i64,
    pub reason: String,
    pub set_at: String,
    /// `None` for the focus that still runs.
    pub cleared_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnershipOut {
    pub id: i64,
    pub contact_id: i64,
    pub client: String,
    pub reason_id: i64,
    pub reason: String,
    pub opened_at: String,
    pub owned_at: Option<String>,
    /// How it was owned: "told", "call", …
    pub owned_how: Option<String>,
    pub owned_said: Option<String>,
    pub committed_at: Option<String>,
    pub commitment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryOut {
    pub id: i64,
    pub client: String,
    pub kind: String,
    pub what: String,
    pub at: String,
    pub steps: Vec<StepOut>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepOut {
    pub step: String,
    pub at: String,
    pub text: Option<String>,
    pub client_said: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpOut {
    pub id: i64,
    pub client: String,
    pub kind: String,
    /// The chase's or check-in's number, from 1.
    #[serde(default)]
    pub n: Option<u8>,
    /// The recovery a mishap update belongs to.
    #[serde(default)]
    pub recovery_id: Option<i64>,
    pub anchor: String,
    pub due: String,
    pub note: Option<String>,
    pub status: String,
    /// When it was done or cancelled.
    #[serde(default)]
    pub status_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyOut {
    pub date: String,
    /// What could have been done better that day.
    pub items: Vec<String>,
    pub nothing_to_improve: bool,
    /// Why a working day was missed (not an entry).
    pub missed_note: Option<String>,
}

/// A meeting from the rep's calendar, to debrief or debriefed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingOut {
    /// The calendar event's UID and the instance's planned start.
    pub key: String,
    pub start: String,
    pub end: String,
    pub title: String,
    pub client: String,
    /// The outside attendees' addresses, comma-separated.
    pub attendees: String,
    /// The contact that debriefed it (an `id` of `contacts`); none while it waits.
    pub contact_id: Option<i64>,
}

fn time(t: Timestamp) -> String {
    t.round(jiff::Unit::Second).map_or_else(|_| t.to_string(), |t| t.to_string())
}

impl App {
    /// Everything `rep_name` owns; an unknown rep exports empty lists.
    pub async fn export(&self, rep_name: &RepName) -> Result<Export> {
        let reasons = self.vocabulary_entries().await?;
        let labels: HashMap<i64, &str> = reasons.iter().map(|r| (r.reason.id.0, r.reason.label.as_str())).collect();
        let label = |id: i64| labels.get(&id).map_or_else(String::new, |l| (*l).to_string());
        let mut out = Export {
            format: FORMAT.to_string(),
            version: VERSION,
            exported_at: time(self.now()),
            rep: rep_name.as_str().to_string(),
            time_zone: self.tz().iana_name().unwrap_or("UTC").to_string(),
            reasons: reasons
                .iter()
                .map(|r| ReasonOut {
                    id: r.reason.id.0,
                    label: r.reason.label.clone(),
                    controllable: r.reason.controllable,
                    texts: r.texts.clone(),
                })
                .collect(),
            contacts: Vec::new(),
            focus: Vec::new(),
            ownership: Vec::new(),
            recoveries: Vec::new(),
            follow_ups: Vec::new(),
            daily: Vec::new(),
            meetings: Vec::new(),
        };
        let Some(rep) = self.existing_rep(rep_name).await? else { return Ok(out) };
        let store = self.store();
        let contacts = store.contacts(&ContactQuery { rep: Some(rep), ..ContactQuery::default() }).await?;
        let ownership = store.ownership_items(rep, false).await?;
        let recoveries = store.recoveries(rep, false).await?;
        let follow_ups = store.follow_ups(rep, false).await?;
        let clients = contacts
            .iter()
            .map(|c| c.client)
            .chain(ownership.iter().map(|o| o.client))
            .chain(recoveries.iter().map(|r| r.client))
            .chain(follow_ups.iter().map(|f| f.client));
        let names: HashMap<ClientId, String> = self.client_names(clients).await?;
        let name = |id: &ClientId| names.get(id).cloned().unwrap_or_default();
        let mut sources: HashMap<i64, SourceOut> = store
            .contact_sources(rep)
            .await?
            .into_iter()
            .map(|(id, source, key, digest)| (id.0, SourceOut { source, key, digest }))
            .collect();
        let mut waiting: HashMap<i64, String> =
            store.triage_texts(rep).await?.into_iter().map(|(id, text)| (id.0, text)).collect();
        out.contacts = contacts
            .iter()
            .map(|c| ContactOut {
                id: c.id.0,
                at: time(c.at),
                client: c.client_name.clone(),
                channel: c.channel.to_string(),
                outcome: c.outcome.as_str().to_string(),
                new_lead: c.new_lead,
                reasons: c
                    .reasons
                    .iter()
                    .map(|r| ContactReasonOut {
                        text: r.text.clone(),
                        reason_id: r.reason.0,
                        reason: label(r.reason.0),
                        controllable: r.controllable,
                        do_differently: r.do_differently.clone(),
                    })
                    .collect(),
                better: c.better.clone(),
                note: c.note.clone(),
                source: sources.remove(&c.id.0),
                triage: waiting.remove(&c.id.0),
            })
            .collect();
        out.focus = store
            .focus_history(rep)
            .await?
            .into_iter()
            .map(|f| FocusOut {
                reason_id: f.reason.id.0,
                reason: f.reason.label,
                set_at: time(f.set_at),
                cleared_at: f.cleared_at.map(time),
            })
            .collect();
        out.ownership = ownership
            .iter()
            .map(|o| OwnershipOut {
                id: o.id.0,
                contact_id: o.contact.0,
                client: name(&o.client),
                reason_id: o.reason.0,
                reason: label(o.reason.0),
                opened_at: time(o.opened_at),
                owned_at: o.owned.as_ref().map(|w| time(w.at)),
                owned_how: o.owned.as_ref().map(|w| w.how.as_str().to_string()),
                owned_said: o.owned.as_ref().map(|w| w.said.clone()),
                committed_at: o.committed.as_ref().map(|c| time(c.at)),
                commitment: o.committed.as_ref().map(|c| c.text.clone()),
            })
            .collect();
        out.recoveries = recoveries
            .iter()
            .map(|r| RecoveryOut {
                id: r.id.0,
                client: name(&r.client),
                kind: r.kind.as_str().to_string(),
                what: r.what.clone(),
                at: time(r.at),
                steps: r
                    .steps
                    .iter()
                    .map(|s| StepOut {
                        step: s.step.as_str().to_string(),
                        at: time(s.at),
                        text: s.text.clone(),
                        client_said: s.client_said.clone(),
                    })
                    .collect(),
            })
            .collect();
        out.follow_ups = follow_ups
            .iter()
            .map(|f| FollowUpOut {
                id: f.id.0,
                client: name(&f.client),
                kind: f.kind.as_str().to_string(),
                n: match f.kind {
                    FollowUpKind::Chase { n } | FollowUpKind::CheckIn { n } => Some(n),
                    _ => None,
                },
                recovery_id: match f.kind {
                    FollowUpKind::MishapUpdate { recovery } => Some(recovery.0),
                    _ => None,
                },
                anchor: time(f.anchor),
                due: time(f.due),
                note: f.note.clone(),
                status: f.status.as_str().to_string(),
                status_at: match f.status {
                    Status::Done { at } | Status::Cancelled { at } => Some(time(at)),
                    Status::Open => None,
                },
            })
            .collect();
        let (from, to) = (Date::constant(1900, 1, 1), Date::constant(2999, 12, 31));
        out.daily = store
            .daily_entries(rep, from, to)
            .await?
            .into_iter()
            .map(|d| {
                let (items, nothing, missed) = match d.content {
                    DailyContent::Items(items) => (items, false, None),
                    DailyContent::NothingToImprove => (Vec::new(), true, None),
                    DailyContent::MissedNote(note) => (Vec::new(), false, Some(note)),
                };
                DailyOut { date: d.date.to_string(), items, nothing_to_improve: nothing, missed_note: missed }
            })
            .collect();
        out.meetings = store
            .meetings(rep, Timestamp::MIN, Timestamp::MAX)
            .await?
            .into_iter()
            .map(|m| MeetingOut {
                key: m.key,
                start: time(m.start),
                end: time(m.end),
                title: m.title,
                client: m.client,
                attendees: m.attendees,
                contact_id: m.contact.map(|c| c.0),
            })
            .collect();
        Ok(out)
    }
}

impl Export {
    /// The CSV files of the export, one per kind: `(file name, contents)`.
    /// Lists inside a cell (a reason's texts) are joined by `; `.
    pub fn csv_files(&self) -> Result<Vec<(&'static str, String)>> {
        fn table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<String> {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(header).map_err(csv_error)?;
            for row in rows {
                w.write_record(&row).map_err(csv_error)?;
            }
            let bytes = w.into_inner().map_err(|e| csv_error(e.into_error().into()))?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        }
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        Ok(vec![
            (
                "reasons.csv",
                table(
                    &["id", "label", "controllable", "texts"],
                    self.reasons.iter().map(|r| {
                        vec![r.id.to_string(), r.label.clone(), r.controllable.to_string(), r.texts.join("; ")]
                    }),
                )?,
            ),
            (
                "contacts.csv",
                table(
                    &["id", "at", "client", "channel", "outcome", "new_lead", "better", "note"],
                    self.contacts.iter().map(|c| {
                        vec![
                            c.id.to_string(),
                            c.at.clone(),
                            c.client.clone(),
                            c.channel.clone(),
                            c.outcome.to_string(),
                            c.new_lead.to_string(),
                            opt(&c.better),
                            opt(&c.note),
                        ]
                    }),
                )?,
            ),
            (
                "contact_reasons.csv",
                table(
                    &["contact_id", "position", "text", "reason_id", "reason", "controllable", "do_differently"],
                    self.contacts.iter().flat_map(|c| {
                        c.reasons.iter().enumerate().map(|(i, r)| {
                            vec![
                                c.id.to_string(),
                                (i + 1).to_string(),
                                r.text.clone(),
                                r.reason_id.to_string(),
                                r.reason.clone(),
                                r.controllable.to_string(),
                                opt(&r.do_differently),
                            ]
                        })
                    }),
                )?,
            ),
            (
                "focus.csv",
                table(
                    &["reason_id", "reason", "set_at", "cleared_at"],
                    self.focus
                        .iter()
                        .map(|f| vec![f.reason_id.to_string(), f.reason.clone(), f.set_at.clone(), opt(&f.cleared_at)]),
                )?,
            ),
            (
                "ownership.csv",
                table(
                    &[
                        "id",
                        "contact_id",
                        "client",
                        "reason_id",
                        "reason",
                        "opened_at",
                        "owned_at",
                        "owned_how",
                        "owned_said",
                        "committed_at",
                        "commitment",
                    ],
                    self.ownership.iter().map(|o| {
                        vec![
                            o.id.to_string(),
                            o.contact_id.to_string(),
                            o.client.clone(),
                            o.reason_id.to_string(),
                            o.reason.clone(),
                            o.opened_at.clone(),
                            opt(&o.owned_at),
                            opt(&o.owned_how),
                            opt(&o.owned_said),
                            opt(&o.committed_at),
                            opt(&o.commitment),
                        ]
                    }),
                )?,
            ),
            (
                "recoveries.csv",
                table(
                    &["id", "client", "kind", "what", "at"],
                    self.recoveries.iter().map(|r| {
                        vec![r.id.to_string(), r.client.clone(), r.kind.to_string(), r.what.clone(), r.at.clone()]
                    }),
                )?,
            ),
            (
                "recovery_steps.csv",
                table(
                    &["recovery_id", "position", "step", "at", "text", "client_said"],
                    self.recoveries.iter().flat_map(|r| {
                        r.steps.iter().enumerate().map(|(i, s)| {
                            vec![
                                r.id.to_string(),
                                (i + 1).to_string(),
                                s.step.to_string(),
                                s.at.clone(),
                                opt(&s.text),
                                opt(&s.client_said),
                            ]
                        })
                    }),
                )?,
            ),
            (
                "follow_ups.csv",
                table(
                    &["id", "client", "kind", "anchor", "due", "note", "status"],
                    self.follow_ups.iter().map(|f| {
                        vec![
                            f.id.to_string(),
                            f.client.clone(),
                            f.kind.to_string(),
                            f.anchor.clone(),
                            f.due.clone(),
                            opt(&f.note),
                            f.status.to_string(),
                        ]
                    }),
                )?,
            ),
            (
                "daily.csv",
                table(
                    &["date", "items", "nothing_to_improve", "missed_note"],
                    self.daily.iter().map(|d| {
                        vec![d.date.clone(), d.items.join("; "), d.nothing_to_improve.to_string(), opt(&d.missed_note)]
                    }),
                )?,
            ),
            (
                "meetings.csv",
                table(
                    &["key", "start", "end", "title", "client", "attendees", "contact_id"],
                    self.meetings.iter().map(|m| {
                        vec![
                            m.key.clone(),
                            m.start.clone(),
                            m.end.clone(),
                            m.title.clone(),
                            m.client.clone(),
                            m.attendees.clone(),
                            m.contact_id.map_or_else(String::new, |id| id.to_string()),
                        ]
                    }),
                )?,
            ),
        ])
    }

    /// A readable journal: one section a week (in the rep's zone), newest
    /// first, with the week's contacts, their reasons and what would be done
    /// differently, the daily answers, then the recoveries and the focus.
    pub fn markdown(&self, tz: &jiff::tz::TimeZone) -> String {
        use std::fmt::Write as _;
        let mut weeks: BTreeMap<(i16, i8), Vec<String>> = BTreeMap::new();
        let week_of = |date: Date| {
            let w = date.iso_week_date();
            (w.year(), w.week())
        };
        let local = |at: &str| at.parse::<Timestamp>().ok().map(|t| t.to_zoned(tz.clone()));
        for c in &self.contacts {
            let Some(z) = local(&c.at) else { continue };
            let mut line = format!(
                "- **{}** {} — {} ({}){}",
                z.strftime("%a %-d %b, %H:%M"),
                md(&c.client),
                c.outcome,
                c.channel,
                if c.new_lead { ", new lead" } else { "" }
            );
            for r in &c.reasons {
                let whose = if r.controllable { "mine" } else { "theirs" };
                let _ = write!(line, "\n  - {} *({whose}: {})*", md(&r.text), md(&r.reason));
                if let Some(d) = &r.do_differently {
                    let _ = write!(line, " — next time: {}", md(d));
                }
            }
            if let Some(b) = &c.better {
                let _ = write!(line, "\n  - Better: {}", md(b));
            }
            weeks.entry(week_of(z.date())).or_default().push(line);
        }
        for d in &self.daily {
            let Ok(date) = d.date.parse::<Date>() else { continue };
            let text = match (&d.missed_note, d.nothing_to_improve) {
                (Some(note), _) => format!("missed: {}", md(note)),
                (None, true) => "nothing to improve".to_string(),
                (None, false) => d.items.iter().map(|i| md(i)).collect::<Vec<_>>().join("; "),
            };
            weeks
                .entry(week_of(date))
                .or_default()
                .push(format!("- *{}* today's question: {text}", date.strftime("%a %-d %b")));
        }
        let mut out =
            format!("# debrief journal: {}\n\nExported {} ({}).\n", md(&self.rep), self.exported_at, self.time_zone);
        for ((year, week), lines) in weeks.iter().rev() {
            let _ = write!(out, "\n## {year}-W{week:02}\n\n{}\n", lines.join("\n"));
        }
        if !self.focus.is_empty() {
            out.push_str("\n## Focus\n\n");
            for f in &self.focus {
                let until = f.cleared_at.as_deref().unwrap_or("now");
                let _ = writeln!(out, "- {} — from {} to {until}", md(&f.reason), f.set_at);
            }
        }
        if !self.recoveries.is_empty() {
            out.push_str("\n## Recoveries\n\n");
            for r in &self.recoveries {
                let _ = writeln!(out, "- {} — {} ({}, {})", md(&r.client), md(&r.what), r.kind, r.at);
                for s in &r.steps {
                    let said = s.text.as_deref().map(|t| format!(": {}", md(t))).unwrap_or_default();
                    let _ = writeln!(out, "  - {} {}{said}", s.at, s.step);
                }
            }
        }
        out
    }
}

/// Text as Markdown shows it literally: its markup characters escaped and
/// line breaks folded, so a note cannot open a heading or a list.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn csv_error(e: csv::Error) -> crate::AppError {
    crate::AppError::Failed(format!("cannot write CSV: {e}"))
}
