//! Contacts from a CRM's CSV export: which column holds what (a preset per
//! CRM export shape, or the user's `--map`), and what each row stands for.
//!
//! A deal stands for its first contact (when it was created; a new lead when
//! the CRM says so) and, once closed, the win or loss at its close time; an
//! activity (a call, a meeting, a task done) for one contact. A lost contact
//! carries the CRM's lost reason, if any, to triage: a CRM's reason says
//! nothing about whose control it was in, so it is never filed unasked.
//!
//! Pure: the caller reads the file and hands over each row's cells.

mod presets;
pub mod values;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::model::{Channel, Outcome};
use crate::when::DateOrder;

pub use presets::{PRESETS, Preset};
pub use values::{DateError, Verdict};

/// What a column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The row's id in the CRM: importing it again updates, never adds.
    Id,
    /// The client (company or person).
    Client,
    /// The deal's or activity's name: the client when no client is given.
    Title,
    /// Whose row it is in the CRM.
    Owner,
    /// When the activity happened, or the deal closed.
    At,
    /// The time of day, when the CRM writes it in a column of its own.
    Time,
    /// When the deal was created.
    Created,
    /// The stage, status or disposition.
    Outcome,
    Won,
    Closed,
    /// Odoo: an inactive lead is a lost one.
    Active,
    /// 100 is won.
    Probability,
    /// Why it was lost, in the CRM's words.
    Reason,
    /// The activity's type: call, meeting, e-mail…
    Channel,
    /// The deal type: new business or existing.
    NewLead,
    Note,
    NoShow,
    /// Whether the activity was done (not yet done: not a contact yet).
    Done,
}

impl Field {
    pub const ALL: [Field; 18] = [
        Field::Id,
        Field::Client,
        Field::Title,
        Field::Owner,
        Field::At,
        Field::Time,
        Field::Created,
        Field::Outcome,
        Field::Won,
        Field::Closed,
        Field::Active,
        Field::Probability,
        Field::Reason,
        Field::Channel,
        Field::NewLead,
        Field::Note,
        Field::NoShow,
        Field::Done,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Client => "client",
            Field::Title => "title",
            Field::Owner => "owner",
            Field::At => "at",
            Field::Time => "time",
            Field::Created => "created",
            Field::Outcome => "outcome",
            Field::Won => "won",
            Field::Closed => "closed",
            Field::Active => "active",
            Field::Probability => "probability",
            Field::Reason => "reason",
            Field::Channel => "channel",
            Field::NewLead => "new-lead",
            Field::Note => "note",
            Field::NoShow => "no-show",
            Field::Done => "done",
        }
    }

    /// Fields where a later column fills in for an empty earlier one, so a
    /// header name written twice (HubSpot's "Associated Company") is fine.
    fn fills_in(self) -> bool {
        matches!(self, Field::Client | Field::Title | Field::Note | Field::Owner)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Field {
    type Err = crate::ParseError;

    fn from_str(s: &str) -> Result<Field, Self::Err> {
        let wanted = values::squash(s);
        let alias = match wanted.as_str() {
            "stage" | "status" | "disposition" | "result" => "outcome",
            "date" | "time" | "when" | "closedate" | "closed at" => "at",
            "company" | "account" | "organization" | "organisation" | "customer" => "client",
            "name" | "subject" | "deal" => "title",
            "rep" | "user" | "salesperson" => "owner",
            "lostreason" => "reason",
            "type" => "channel",
            "newlead" | "dealtype" => "newlead",
            other => other,
        };
        let alias = if wanted == "time" { "time" } else { alias };
        Field::ALL.into_iter().find(|f| values::squash(f.as_str()) == alias).ok_or_else(|| crate::ParseError::Keyword {
            what: "field",
            got: s.to_string(),
            valid: Field::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", "),
        })
    }
}

/// What a row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Opened, then won or lost (or still open).
    Deal,
    /// One contact: a call, a meeting, an e-mail.
    Activity,
}

/// A `--map` given by the user: a header name, or `#N` for the Nth column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub column: String,
    pub field: Field,
}

impl FromStr for Mapping {
    type Err = String;

    fn from_str(s: &str) -> Result<Mapping, String> {
        let (column, field) = s
            .rsplit_once('=')
            .ok_or_else(|| format!("\"{s}\" is not a mapping: write COLUMN=FIELD, like \"Company=client\""))?;
        let field = Field::from_str(field).map_err(|e| format!("in \"{s}\": {e}"))?;
        if column.trim().is_empty() {
            return Err(format!("\"{s}\" names no column: write COLUMN=FIELD, like \"Company=client\""));
        }
        Ok(Mapping { column: column.trim().to_string(), field })
    }
}

/// A header that cannot be imported as asked, and why (one line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayoutError(pub String);

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which columns feed which field, for one file.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The preset used, if any.
    pub preset: Option<&'static Preset>,
    pub kind: Kind,
    pub channel: Channel,
    /// Where the rows' ids are kept: the preset's name, or "csv".
    pub source: String,
    columns: HashMap<Field, Vec<usize>>,
    header: Vec<String>,
}

impl Layout {
    /// The layout of a file with this header: `preset` when named, else the
    /// preset the header matches best, with `maps` replacing what they name.
    pub fn new(header: &[String], preset: Option<&'static Preset>, maps: &[Mapping]) -> Result<Layout, LayoutError> {
        let squashed: Vec<String> = header.iter().map(|h| values::squash(h)).collect();
        let preset = match preset {
            Some(p) => Some(p),
            None => detect(&squashed),
        };
        if preset.is_none() && maps.is_empty() {
            let shown: Vec<&str> = header.iter().take(6).map(String::as_str).collect();
            return Err(LayoutError(format!(
                "no preset knows this header (it starts \"{}\"): name one with --preset ({}), or say which column holds what with --map COLUMN=FIELD",
                shown.join("\", \""),
                Preset::names()
            )));
        }
        let mut columns: HashMap<Field, Vec<usize>> = HashMap::new();
        if let Some(p) = preset {
            for &(field, names) in p.columns {
                let mut found = Vec::new();
                for name in names {
                    let key = values::squash(name);
                    let at: Vec<usize> = (0..squashed.len()).filter(|&i| squashed[i] == key).collect();
                    if at.len() > 1 && !field.fills_in() {
                        return Err(duplicate(header, &at, field));
                    }
                    for i in at {
                        if !found.contains(&i) {
                            found.push(i);
                        }
                    }
                }
                if !found.is_empty() {
                    columns.insert(field, found);
                }
            }
        }
        for m in maps {
            let index = column_index(header, &squashed, &m.column)?;
            columns.insert(m.field, vec![index]);
        }
        let kind = match preset {
            Some(p) => p.kind,
            None if [Field::Won, Field::Closed, Field::Created, Field::Probability, Field::Active]
                .iter()
                .any(|f| columns.contains_key(f)) =>
            {
                Kind::Deal
            }
            None => Kind::Activity,
        };
        let layout = Layout {
            preset,
            kind,
            channel: preset.map_or(Channel::Call, |p| p.channel),
            source: preset.map_or("csv", |p| p.name).to_string(),
            columns,
            header: header.to_vec(),
        };
        layout.check_needed(&squashed)?;
        Ok(layout)
    }

    /// The columns feeding `field`, in the order they are tried.
    pub fn columns(&self, field: Field) -> &[usize] {
        self.columns.get(&field).map_or(&[], Vec::as_slice)
    }

    /// Each field read and the header names of its columns, for the dry run.
    pub fn described(&self) -> Vec<(Field, Vec<String>)> {
        Field::ALL
            .into_iter()
            .filter_map(|f| {
                let cols = self.columns.get(&f)?;
                Some((f, cols.iter().map(|&i| self.column_name(i)).collect()))
            })
            .collect()
    }

    /// A column's header name (its number when the header cell is blank).
    pub fn column_name(&self, index: usize) -> String {
        match self.header.get(index).map(|h| h.trim()) {
            Some(h) if !h.is_empty() => h.to_string(),
            _ => format!("#{}", index + 1),
        }
    }

    fn check_needed(&self, squashed: &[String]) -> Result<(), LayoutError> {
        let mut missing: Vec<String> = Vec::new();
        let mut want = |ok: bool, what: &str, fields: &[Field]| {
            if ok {
                return;
            }
            let names: Vec<&str> =
                fields.iter().flat_map(|f| self.preset.map_or(&[][..], |p| p.columns_of(*f))).copied().collect();
            let used: Vec<usize> = self.columns.values().flatten().copied().collect();
            let close: Vec<String> = closest(&self.header, squashed, &names, fields)
                .into_iter()
                .filter(|name| !used.iter().any(|&i| self.header[i].trim() == name))
                .collect();
            let expected = match names.as_slice() {
                [] => String::new(),
                n => format!(" (a column like \"{}\")", n.iter().take(3).copied().collect::<Vec<_>>().join("\", \"")),
            };
            let close = match close.as_slice() {
                [] => String::new(),
                c => format!("; closest in the file: \"{}\"", c.join("\", \"")),
            };
            missing.push(format!("{what}{expected}{close}"));
        };
        let has = |f: Field| self.columns.contains_key(&f);
        want(has(Field::Client) || has(Field::Title), "the client", &[Field::Client, Field::Title]);
        match self.kind {
            Kind::Activity => want(has(Field::At), "the date", &[Field::At]),
            Kind::Deal => {
                want(has(Field::At) || has(Field::Created), "the date", &[Field::At, Field::Created]);
                want(
                    [Field::Outcome, Field::Won, Field::Closed, Field::Probability, Field::Active]
                        .iter()
                        .any(|f| has(*f)),
                    "the stage",
                    &[Field::Outcome, Field::Won, Field::Closed],
                );
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        Err(LayoutError(format!(
            "the header lacks {}: name the columns with --map COLUMN={}",
            missing.join(", and "),
            if has(Field::Client) || has(Field::Title) { "at" } else { "client" }
        )))
    }
}

fn duplicate(header: &[String], at: &[usize], field: Field) -> LayoutError {
    let numbers: Vec<String> = at.iter().map(|i| (i + 1).to_string()).collect();
    LayoutError(format!(
        "the header names \"{}\" twice (columns {}): which one is the {field} cannot be told; rename one, or pick it with --map \"#{}={field}\"",
        header[at[0]].trim(),
        numbers.join(" and "),
        at[0] + 1
    ))
}

/// The preset whose best detection set matches most headers.
fn detect(squashed: &[String]) -> Option<&'static Preset> {
    let mut best: Option<(&'static Preset, usize)> = None;
    for p in PRESETS {
        for set in p.detect {
            let all = set.iter().all(|h| squashed.contains(&values::squash(h)));
            if all && best.is_none_or(|(_, n)| set.len() > n) {
                best = Some((p, set.len()));
            }
        }
    }
    best.map(|(p, _)| p)
}

/// The column `--map` names: a header name (any case) or `#N`.
fn column_index(header: &[String], squashed: &[String], column: &str) -> Result<usize, LayoutError> {
    if let Some(n) = column.strip_prefix('#').and_then(|n| n.trim().parse::<usize>().ok()) {
        if (1..=header.len()).contains(&n) {
            return Ok(n - 1);
        }
        return Err(LayoutError(format!("--map names column #{n}, but the file has {} columns", header.len())));
    }
    let exact: Vec<usize> = (0..header.len()).filter(|&i| header[i].trim() == column).collect();
    let key = values::squash(column);
    let loose: Vec<usize> = (0..squashed.len()).filter(|&i| squashed[i] == key).collect();
    let at = if exact.is_empty() { loose } else { exact };
    match at.as_slice() {
        [one] => Ok(*one),
        [] => {
            let close = closest(header, squashed, &[column], &[]);
            let hint = match close.as_slice() {
                [] => String::new(),
                c => format!("; closest: \"{}\"", c.join("\", \"")),
            };
            Err(LayoutError(format!("--map names a column \"{column}\" that the header does not have{hint}")))
        }
        many => {
            let numbers: Vec<String> = many.iter().map(|i| format!("#{}", i + 1)).collect();
            Err(LayoutError(format!(
                "--map names \"{column}\", which the header has {} times (columns {}): name it by number, like --map \"{}=…\"",
                many.len(),
                numbers.join(", "),
                numbers[0]
            )))
        }
    }
}

/// Up to three header names closest to any of `names` (or to the fields' own names).
fn closest(header: &[String], squashed: &[String], names: &[&str], fields: &[Field]) -> Vec<String> {
    let wanted: Vec<String> =
        names.iter().map(|n| values::squash(n)).chain(fields.iter().map(|f| values::squash(f.as_str()))).collect();
    let mut scored: Vec<(f64, usize)> = squashed
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.is_empty())
        .map(|(i, h)| {
            let best = wanted.iter().map(|w| strsim::jaro_winkler(w, h)).fold(0.0, f64::max);
            (best, i)
        })
        .filter(|(s, _)| *s >= 0.66)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, i) in scored {
        let name = header[i].trim().to_string();
        if !out.contains(&name) {
            out.push(name);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// How values are read: the user's date order and zone, the time now, and
/// the user's own `--outcome VALUE=…` choices.
#[derive(Clone, Debug)]
pub struct Rules {
    pub date_order: Option<DateOrder>,
    pub tz: TimeZone,
    pub now: Timestamp,
    /// Values (squashed) the user said the meaning of.
    pub outcomes: HashMap<String, Verdict>,
}

impl Rules {
    /// Adds `VALUE=OUTCOME` (a `--outcome` argument).
    pub fn add_outcome(&mut self, arg: &str) -> Result<(), String> {
        let (value, verdict) = arg
            .rsplit_once('=')
            .ok_or_else(|| format!("\"{arg}\" is not VALUE=OUTCOME, like \"Awaiting procurement=open\""))?;
        let verdict = Verdict::parse(verdict)
            .ok_or_else(|| format!("in \"{arg}\": \"{}\" is not one of {}", verdict.trim(), Verdict::NAMES))?;
        self.outcomes.insert(values::squash(values::readable(value)), verdict);
        Ok(())
    }
}

/// What a row stands for.
#[derive(Clone, Debug, PartialEq)]
pub enum Read {
    /// One or two contacts (a deal's opening and its close), in time order.
    Contacts(Vec<Planned>),
    /// Not a contact (yet), and why in a few words.
    Skipped(&'static str),
}

/// A contact a row stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    /// The row's id with the part of it this contact is, unique in the source.
    pub key: String,
    /// The CRM's owner, if the file names one.
    pub owner: Option<String>,
    pub client: String,
    pub at: Timestamp,
    pub channel: Channel,
    pub outcome: Outcome,
    pub new_lead: bool,
    pub note: Option<String>,
    /// For a lost contact: the CRM's lost reason, to triage ("" when none).
    pub reason: Option<String>,
    /// The value that set the outcome and what it was read as, for the dry run.
    pub by: Option<(String, Verdict)>,
}

/// A cell that could not be read: its column and what is wrong and what would be right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellError {
    pub column: usize,
    pub message: String,
}

/// How far ahead of now a contact's time may be (a clock or a zone set wrong).
pub const AHEAD: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// Longest note kept from a CRM cell, in characters.
pub const NOTE_CHARS: usize = 2_000;
/// Longest client name, in characters.
pub const CLIENT_CHARS: usize = 200;

/// Reads one row. `cell(i)` is the row's i-th cell ("" past its end);
/// `line` numbers rows without an id.
pub fn read_row<'r>(
    layout: &Layout,
    rules: &Rules,
    cell: impl Fn(usize) -> &'r str,
    line: u64,
) -> Result<Read, CellError> {
    let first = |field: Field| -> Option<(usize, &'r str)> {
        layout.columns(field).iter().map(|&i| (i, cell(i).trim())).find(|(_, v)| !v.is_empty())
    };
    let err = |column: usize, message: String| CellError { column, message };
    let first_column = |field: Field| layout.columns(field).first().copied().unwrap_or(0);

    let client = match first(Field::Client).or_else(|| first(Field::Title)) {
        Some((i, v)) if v.chars().count() > CLIENT_CHARS => {
            return Err(err(
                i,
                format!("the client name is {} characters long: at most {CLIENT_CHARS}", v.chars().count()),
            ));
        }
        Some((_, v)) => v.to_string(),
        None => {
            let i = first_column(Field::Client);
            return Err(err(i, "no client: the row names neither a client nor a title".to_string()));
        }
    };
    let owner = first(Field::Owner).map(|(_, v)| v.to_string());
    let note = first(Field::Note).map(|(_, v)| v.chars().take(NOTE_CHARS).collect::<String>());
    let id = match first(Field::Id) {
        Some((_, v)) => v.to_string(),
        None if layout.columns(Field::Id).is_empty() => format!("line {line}"),
        None => return Err(err(first_column(Field::Id), "the row has no id: every row of this file needs one".into())),
    };
    let date = |field: Field| -> Result<Option<(usize, Timestamp)>, CellError> {
        let Some((i, v)) = first(field) else { return Ok(None) };
        let mut text = v.to_string();
        if field == Field::At
            && !v.contains(':')
            && let Some((_, t)) = first(Field::Time)
        {
            text = format!("{v} {t}");
        }
        match values::date_time(&text, rules.date_order, &rules.tz) {
            Ok(t) => Ok(Some((i, t))),
            Err(e) => Err(err(i, date_message(&text, &e))),
        }
    };
    let flag = |field: Field| -> Result<Option<(usize, bool)>, CellError> {
        let Some((i, v)) = first(field) else { return Ok(None) };
        match values::flag(v) {
            Some(b) => Ok(Some((i, b))),
            None => Err(err(i, format!("\"{v}\" is not yes or no: write true or false"))),
        }
    };
    let ahead = |i: usize, t: Timestamp| -> Result<Timestamp, CellError> {
        if t > rules.now + AHEAD {
            let shown = t.to_zoned(rules.tz.clone()).strftime("%Y-%m-%d %H:%M").to_string();
            return Err(err(i, format!("{shown} is in the future: only contacts that happened are imported")));
        }
        Ok(t)
    };
    let user = |v: &str| rules.outcomes.get(&values::squash(values::readable(v))).copied();

    match layout.kind {
        Kind::Activity => {
            let Some((_, at)) = date(Field::At)? else {
                return Err(err(
                    first_column(Field::At),
                    "no date: the row needs the date the contact happened".into(),
                ));
            };
            let channel = match first(Field::Channel) {
                None => layout.channel,
                Some((_, v)) => match values::channel(v) {
                    Err(()) => return Ok(Read::Skipped("a task or reminder, not a contact")),
                    Ok(c) => c.unwrap_or(layout.channel),
                },
            };
            if let Some((_, false)) = flag(Field::Done)? {
                return Ok(Read::Skipped("not done yet"));
            }
            let mut by = None;
            let mut outcome = Outcome::Pending;
            if let Some((i, v)) = first(Field::Outcome) {
                let verdict = user(v).or_else(|| values::activity_outcome(v)).ok_or_else(|| {
                    err(
                        i,
                        format!(
                            "\"{v}\" is not an outcome this import knows: say what it means with --outcome \"{}=…\" ({})",
                            values::readable(v),
                            Verdict::NAMES
                        ),
                    )
                })?;
                by = Some((values::readable(v).to_string(), verdict));
                match verdict {
                    Verdict::Skip => return Ok(Read::Skipped("scheduled, cancelled or not held")),
                    Verdict::Open => outcome = Outcome::Advanced,
                    Verdict::Outcome(o) => outcome = o,
                }
            }
            if let Some((_, true)) = flag(Field::NoShow)? {
                outcome = Outcome::NoShow;
                by = Some(("no-show".to_string(), Verdict::Outcome(Outcome::NoShow)));
            }
            // A meeting planned in the CRM is not a contact yet.
            if at > rules.now + AHEAD {
                return Ok(Read::Skipped("in the future: not held yet"));
            }
            let new_lead = match first(Field::NewLead) {
                Some((_, v)) => values::new_lead(v).unwrap_or(false),
                None => false,
            };
            let reason =
                (outcome == Outcome::Lost).then(|| first(Field::Reason).map_or(String::new(), |(_, v)| v.to_string()));
            Ok(Read::Contacts(vec![Planned {
                key: id,
                owner,
                client,
                at,
                channel,
                outcome,
                new_lead,
                note,
                reason,
                by,
            }]))
        }
        Kind::Deal => {
            let (verdict, by) = deal_verdict(layout, &first, &flag, &user)?;
            let created = date(Field::Created)?;
            let closed_at = date(Field::At)?;
            let new_lead = first(Field::NewLead).and_then(|(_, v)| values::new_lead(v)).unwrap_or(true);
            let base = Planned {
                key: String::new(),
                owner,
                client,
                at: Timestamp::UNIX_EPOCH,
                channel: layout.channel,
                outcome: Outcome::Advanced,
                new_lead,
                note,
                reason: None,
                by,
            };
            let opened = |at: Timestamp| Planned { key: format!("{id}#opened"), at, ..base.clone() };
            match verdict {
                Verdict::Open | Verdict::Skip | Verdict::Outcome(Outcome::Advanced | Outcome::Pending) => {
                    let Some((i, at)) = created.or(closed_at) else {
                        let c = first_column(Field::Created);
                        return Err(err(c, "no date: an open deal needs the date it was created".into()));
                    };
                    // An open deal's close date is the date expected: not a contact.
                    let at = match created {
                        Some(_) => ahead(i, at)?,
                        None => return Ok(Read::Skipped("an open deal without a creation date")),
                    };
                    Ok(Read::Contacts(vec![opened(at)]))
                }
                Verdict::Outcome(outcome) => {
                    let Some((i, at)) = closed_at.or(created) else {
                        let c = first_column(Field::At);
                        return Err(err(c, "no date: a closed deal needs its close date".into()));
                    };
                    let at = ahead(i, at)?;
                    let reason = (outcome == Outcome::Lost)
                        .then(|| first(Field::Reason).map_or(String::new(), |(_, v)| v.to_string()));
                    let close = |new_lead: bool| Planned {
                        key: format!("{id}#closed"),
                        at,
                        outcome,
                        new_lead,
                        reason: reason.clone(),
                        ..base.clone()
                    };
                    match created {
                        Some((_, start)) if start < at => Ok(Read::Contacts(vec![opened(start), close(false)])),
                        _ => Ok(Read::Contacts(vec![close(new_lead)])),
                    }
                }
            }
        }
    }
}

type Flag<'a> = dyn Fn(Field) -> Result<Option<(usize, bool)>, CellError> + 'a;

/// Whether a deal was won, lost or is open, and the value that said so.
fn deal_verdict<'r>(
    layout: &Layout,
    first: &dyn Fn(Field) -> Option<(usize, &'r str)>,
    flag: &Flag<'_>,
    user: &dyn Fn(&str) -> Option<Verdict>,
) -> Result<(Verdict, Option<(String, Verdict)>), CellError> {
    let stage = first(Field::Outcome);
    if let Some((_, v)) = stage
        && let Some(verdict) = user(v)
    {
        return Ok((verdict, Some((v.to_string(), verdict))));
    }
    let said = |what: &str, verdict: Verdict| Ok((verdict, Some((what.to_string(), verdict))));
    // A verdict a flag gave, shown with the stage and the flag when the stage alone says otherwise.
    let flagged = |flag: &str, verdict: Verdict| match stage {
        Some((_, v)) if values::deal_stage(v) == Some(verdict) => said(v, verdict),
        Some((_, v)) => said(&format!("{v} ({flag})"), verdict),
        None => said(flag, verdict),
    };
    if let Some((_, true)) = flag(Field::Won)? {
        return flagged("won", Verdict::Outcome(Outcome::Won));
    }
    if let Some((i, v)) = first(Field::Probability) {
        match values::percent(v) {
            Some(p) if p >= 100.0 => return flagged("probability 100", Verdict::Outcome(Outcome::Won)),
            Some(_) => {}
            None => {
                return Err(CellError {
                    column: i,
                    message: format!("\"{v}\" is not a probability: write a number from 0 to 100"),
                });
            }
        }
    }
    let by_words = stage.and_then(|(_, v)| values::deal_stage(v));
    if let Some(Verdict::Outcome(Outcome::Won)) = by_words {
        return said(stage.map_or("", |(_, v)| v), Verdict::Outcome(Outcome::Won));
    }
    let closed = flag(Field::Closed)?;
    if let Some((_, true)) = closed {
        return flagged("closed", Verdict::Outcome(Outcome::Lost));
    }
    // Odoo writes an archived (lost) lead's `active` as an empty cell.
    let active = match (layout.columns(Field::Active).first(), flag(Field::Active)?) {
        (Some(&column), None) => Some((column, false)),
        (_, found) => found,
    };
    if let Some((_, false)) = active {
        return flagged("archived", Verdict::Outcome(Outcome::Lost));
    }
    if let Some(verdict) = by_words {
        return said(stage.map_or("", |(_, v)| v), verdict);
    }
    match stage {
        // Told open by a flag the file has: any custom stage is an open one.
        Some((_, v)) if closed.is_some() || active.is_some() => said(&format!("{v} (not closed)"), Verdict::Open),
        Some((i, v)) => Err(CellError {
            column: i,
            message: format!(
                "stage \"{v}\" is not one this import knows as won, lost or open: say which with --outcome \"{v}=won\" (or lost, open)"
            ),
        }),
        None if layout.columns(Field::Outcome).is_empty() => said("", Verdict::Open),
        None => Err(CellError {
            column: layout.columns(Field::Outcome)[0],
            message: "no stage: the row needs its deal's stage or status".into(),
        }),
    }
}

/// One line for a date that could not be read.
fn date_message(text: &str, e: &DateError) -> String {
    match e {
        DateError::Ambiguous => format!(
            "\"{text}\" could be day-first or month-first: give --date-order dmy or mdy (or date_order in the config file)"
        ),
        DateError::OutOfRange => format!("\"{text}\" is not a date the calendar has"),
        DateError::NotADate => format!(
            "\"{text}\" is not a date: expected a form like 2026-03-04 09:12, 04/03/2026, 2026-03-04T09:12:00Z or a spreadsheet date number"
        ),
    }
}

#[cfg(test)]
mod tests;
