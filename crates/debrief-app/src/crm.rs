//! `debrief import FILE.csv`: a CRM's export read row by row (never whole
//! into memory), each row checked and turned into the contacts it stands
//! for by `debrief_core::crm`, and written in batches inside one
//! transaction. A file with a bad row imports nothing, unless the caller
//! keeps going: then the good rows are imported and the bad ones handed to
//! the caller's reject writer with their errors. Rows are kept under their
//! source id, so importing the file again, or a later export of the same
//! CRM, adds nothing twice and updates what changed.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Read, Write};

use debrief_core::crm::{self, Layout, Mapping, Planned, Preset, Read as RowRead, Rules};
use debrief_core::model::{Outcome, RepId};
use debrief_core::when::DateOrder;
use debrief_store::{FollowUpChanges, Loader, NewContact, Sourced, SourcedCounts};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::input::RepName;
use crate::{App, AppError, Result};

/// Rows written per batch.
const BATCH: usize = 2_000;
/// Problems listed; the rest are counted.
const LISTED: usize = 50;
/// Contacts shown as a sample in the report.
const SAMPLE: usize = 5;
/// Distinct stage or outcome values listed in the report.
const VALUES: usize = 40;
/// Bytes looked at to tell the delimiter and the encoding.
const PEEK: usize = 256 * 1024;

/// How to read a CRM export.
#[derive(Clone, Debug, Default)]
pub struct CsvOptions {
    /// `--preset`: the export shape, instead of telling it from the header.
    pub preset: Option<String>,
    /// `--map COLUMN=FIELD`.
    pub maps: Vec<String>,
    /// `--outcome VALUE=OUTCOME`.
    pub outcomes: Vec<String>,
    /// Every row to this rep, whoever owns it in the CRM.
    pub rep: Option<RepName>,
    /// `--owner "CRM NAME=REP"`: whose contacts a CRM owner's rows become.
    pub owners: Vec<String>,
    /// Day-first or month-first, over the config file's.
    pub date_order: Option<DateOrder>,
    /// Check and count only.
    pub dry_run: bool,
}

/// A number of something, named.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counted {
    pub what: String,
    pub n: u64,
}

/// Which columns a field was read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ColumnUse {
    pub field: String,
    pub columns: Vec<String>,
}

/// A stage, status or disposition value and what it was read as.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValueUse {
    pub value: String,
    /// won, lost, open, advanced, pending, no-answer, no-show or skip.
    pub read_as: String,
    pub rows: u64,
}

/// A contact as the import would store it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SampleContact {
    pub line: u64,
    pub rep: String,
    pub client: String,
    /// RFC 3339.
    pub at: String,
    pub channel: String,
    pub outcome: String,
    pub new_lead: bool,
}

/// What a CSV import did, or would do with `dry_run`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CsvImportView {
    pub file: String,
    /// Where the rows' ids are kept: the preset's name, or `csv`.
    pub source: String,
    /// The export shape, for people ("HubSpot deals"); empty without a preset.
    pub preset: String,
    pub dry_run: bool,
    /// Whether anything was written (false on a dry run, or when a bad row stopped it).
    pub written: bool,
    /// Data rows read.
    pub rows: u64,
    /// Contacts the good rows stand for.
    pub contacts: u64,
    /// New contacts, contacts changed since the last import, contacts as they were.
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub outcomes: Vec<Counted>,
    pub reps: Vec<Counted>,
    /// Rows that are not contacts, by why.
    pub skipped: Vec<Counted>,
    pub columns: Vec<ColumnUse>,
    pub values: Vec<ValueUse>,
    pub sample: Vec<SampleContact>,
    /// Lost contacts waiting for triage (their reason to be filed): after an
    /// import, all of the reps' that wait; on a dry run, the file's lost contacts.
    pub triage: u64,
    /// `file:line:column: what is wrong, what would be right`, the first few.
    pub problems: Vec<String>,
    /// Bad rows in all.
    pub bad_rows: u64,
}

/// Refuses, before a CSV is read, what is not one.
pub fn is_csv(file: &str) -> bool {
    file.rsplit_once('.').is_some_and(|(_, ext)| ["csv", "tsv", "txt"].iter().any(|e| ext.eq_ignore_ascii_case(e)))
}

impl App {
    /// Imports the CSV export read from `input` (the file `file`) for `rep`
    /// (the rep in effect; every row goes to `options.rep` when given, else
    /// to the rep each CRM owner maps to). When a row is bad, nothing is
    /// written, unless `reject` is given: then it gets the bad rows (the
    /// header, then each row with its error) and the good ones are imported.
    /// `progress` is told the bytes read so far.
    pub async fn import_csv(
        &self,
        rep: &RepName,
        file: &str,
        input: impl Read,
        options: &CsvOptions,
        reject: Option<&mut (dyn Write + Send)>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<CsvImportView> {
        let refuse = |what: String| AppError::Rejected(format!("{file}: {what}"));
        let mut input = BufReader::with_capacity(PEEK, input);
        let head = input.fill_buf().map_err(|e| refuse(format!("cannot be read: {e}")))?;
        let delimiter = sniff(head).map_err(&refuse)?;
        // Lines end in CRLF: the reader counts a record's line from the LF
        // before it, one short.
        let crlf = u64::from(head.iter().position(|&b| b == b'\n').is_some_and(|i| i > 0 && head[i - 1] == b'\r'));
        let mut reader =
            csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(input);
        let mut record = csv::ByteRecord::new();
        let header = match reader.read_byte_record(&mut record) {
            Ok(true) => header_of(&record).map_err(|e| refuse(format!("1:{e}")))?,
            Ok(false) => {
                return Err(refuse("the file is empty: expected a header line, then a row per contact".into()));
            }
            Err(e) => return Err(refuse(format!("1: {e}"))),
        };
        if header.len() < 2 {
            return Err(refuse(format!(
                "1: the header is one column (\"{}\"): expected columns separated by commas, semicolons or tabs",
                header.first().map_or("", |h| h.as_str()).chars().take(60).collect::<String>()
            )));
        }
        let preset = match &options.preset {
            Some(name) => Some(Preset::named(name).ok_or_else(|| {
                AppError::Rejected(format!("--preset \"{name}\" is not one this build knows: {}", Preset::names()))
            })?),
            None => None,
        };
        let maps: Vec<Mapping> = options
            .maps
            .iter()
            .map(|m| m.parse::<Mapping>().map_err(|e| AppError::Rejected(format!("--map {e}"))))
            .collect::<Result<_>>()?;
        let layout = Layout::new(&header, preset, &maps).map_err(|e| refuse(format!("1: {e}")))?;
        let mut rules = Rules {
            date_order: options.date_order.or(self.settings.date_order),
            tz: self.tz().clone(),
            now: self.now(),
            outcomes: HashMap::new(),
        };
        for o in &options.outcomes {
            rules.add_outcome(o).map_err(|e| AppError::Rejected(format!("--outcome {e}")))?;
        }
        let owners = owner_map(&options.owners)?;
        let mut rejects = match reject {
            Some(w) => {
                let mut out = csv::WriterBuilder::new().flexible(true).from_writer(w);
                let mut head = csv::ByteRecord::new();
                header.iter().for_each(|h| head.push_field(h.as_bytes()));
                head.push_field(b"debrief error");
                out.write_byte_record(&head)
                    .map_err(|e| AppError::Failed(format!("cannot write the reject file: {e}")))?;
                Some(out)
            }
            None => None,
        };
        let keep_going = rejects.is_some();
        let mut run = Run::new(self, file, &layout, rep, options, owners);
        if !options.dry_run {
            run.loader = Some(Background::start(self.store().begin_load().await?, layout.source.clone()));
        }
        let mut batch: Vec<(u64, Planned)> = Vec::with_capacity(BATCH);
        loop {
            let start = reader.position().clone();
            let more = match reader.read_byte_record(&mut record) {
                Ok(more) => more,
                Err(e) => {
                    let line = e.position().map_or(start.line(), |p| p.line());
                    run.problem(line, None, format!("cannot be read as CSV: {e}"), None);
                    break;
                }
            };
            if !more {
                break;
            }
            // Where the record starts (the reader's own position lags a CRLF behind).
            let line = record.position().map_or(start.line(), csv::Position::line) + crlf;
            if record.len() == 1 && record.get(0).is_some_and(|c| c.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            if record.len() == 1 && header.len() > 1 && is_footer(&record) {
                *run.skipped.entry("a report's footer").or_default() += 1;
                continue;
            }
            run.view.rows += 1;
            match run.row(&layout, &rules, &header, &record, line, reader.position().line() + crlf) {
                Ok(planned) => batch.extend(planned.into_iter().map(|p| (line, p))),
                Err((column, message)) => {
                    let row_text = rejects.is_some().then(|| record.clone());
                    run.problem(line, column, message.clone(), Some(&layout));
                    if let (Some(out), Some(row)) = (rejects.as_mut(), row_text) {
                        let mut bad = row;
                        bad.push_field(format!("line {line}: {message}").as_bytes());
                        out.write_byte_record(&bad)
                            .map_err(|e| AppError::Failed(format!("cannot write the reject file: {e}")))?;
                    }
                }
            }
            if batch.len() >= BATCH {
                run.flush(&mut batch, keep_going).await?;
                progress(reader.position().byte());
            }
        }
        run.flush(&mut batch, keep_going).await?;
        progress(reader.position().byte());
        if let Some(mut out) = rejects {
            out.flush().map_err(|e| AppError::Failed(format!("cannot write the reject file: {e}")))?;
        }
        run.finish(keep_going).await
    }
}

/// One import under way: what it has read, counted and written.
struct Run<'a> {
    app: &'a App,
    file: &'a str,
    source: String,
    rep: &'a RepName,
    options: &'a CsvOptions,
    owners: HashMap<String, RepName>,
    reps: HashMap<String, Option<RepId>>,
    /// Each CRM owner's rep, or why the owner cannot be one.
    owner_reps: HashMap<String, std::result::Result<RepName, String>>,
    loader: Option<Background>,
    /// Keys met so far (hashed), with their line.
    seen: HashMap<u64, u64>,
    outcomes: BTreeMap<&'static str, u64>,
    by_rep: BTreeMap<String, u64>,
    skipped: BTreeMap<&'static str, u64>,
    values: BTreeMap<(String, &'static str), u64>,
    view: CsvImportView,
}

impl<'a> Run<'a> {
    fn new(
        app: &'a App,
        file: &'a str,
        layout: &Layout,
        rep: &'a RepName,
        options: &'a CsvOptions,
        owners: HashMap<String, RepName>,
    ) -> Run<'a> {
        let columns = layout
            .described()
            .into_iter()
            .map(|(field, columns)| ColumnUse { field: field.as_str().to_string(), columns })
            .collect();
        Run {
            app,
            file,
            source: layout.source.clone(),
            rep,
            options,
            owners,
            reps: HashMap::new(),
            owner_reps: HashMap::new(),
            loader: None,
            seen: HashMap::new(),
            outcomes: BTreeMap::new(),
            by_rep: BTreeMap::new(),
            skipped: BTreeMap::new(),
            values: BTreeMap::new(),
            view: CsvImportView {
                file: file.to_string(),
                source: layout.source.clone(),
                preset: layout.preset.map_or(String::new(), |p| p.title.to_string()),
                dry_run: options.dry_run,
                written: false,
                rows: 0,
                contacts: 0,
                added: 0,
                updated: 0,
                unchanged: 0,
                outcomes: Vec::new(),
                reps: Vec::new(),
                skipped: Vec::new(),
                columns,
                values: Vec::new(),
                sample: Vec::new(),
                triage: 0,
                problems: Vec::new(),
                bad_rows: 0,
            },
        }
    }

    /// Notes a bad row: listed while few, counted always.
    fn problem(&mut self, line: u64, column: Option<usize>, message: String, layout: Option<&Layout>) {
        self.view.bad_rows += 1;
        if self.view.problems.len() < LISTED {
            let text = match (column, layout) {
                (Some(c), Some(l)) => format!("{}:{line}:{}: {}: {message}", self.file, c + 1, l.column_name(c)),
                (Some(c), None) => format!("{}:{line}:{}: {message}", self.file, c + 1),
                _ => format!("{}:{line}: {message}", self.file),
            };
            self.view.problems.push(text);
        }
    }

    /// The contacts of one row, checked; or the column at fault and why.
    fn row(
        &mut self,
        layout: &Layout,
        rules: &Rules,
        header: &[String],
        record: &csv::ByteRecord,
        line: u64,
        next_line: u64,
    ) -> std::result::Result<Vec<Planned>, (Option<usize>, String)> {
        if record.len() != header.len() {
            let spans = next_line > line + 1;
            let message = if spans {
                format!(
                    "a quote opened in this row runs on to line {}: close it (a quote inside a cell is written \"\")",
                    next_line.saturating_sub(1).max(line + 1)
                )
            } else {
                format!(
                    "{} cells where the header has {}: a cut line, or a delimiter inside a cell without quotes",
                    record.len(),
                    header.len()
                )
            };
            return Err((None, message));
        }
        let mut cells: Vec<&str> = Vec::with_capacity(record.len());
        for (i, raw) in record.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(text) => cells.push(text),
                Err(e) => {
                    let byte = raw.get(e.valid_up_to()).copied().unwrap_or(0);
                    return Err((
                        Some(i),
                        format!(
                            "byte 0x{byte:02X} is not UTF-8 (the file may be Windows-1252 or Latin-1): save it as UTF-8 and import it again"
                        ),
                    ));
                }
            }
        }
        let read = crm::read_row(layout, rules, |i| cells.get(i).copied().unwrap_or(""), line)
            .map_err(|e| (Some(e.column), e.message))?;
        let planned = match read {
            RowRead::Skipped(why) => {
                *self.skipped.entry(why).or_default() += 1;
                return Ok(Vec::new());
            }
            RowRead::Contacts(planned) => planned,
        };
        for p in &planned {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            p.key.hash(&mut h);
            if let Some(first) = self.seen.insert(h.finish(), line) {
                let id_column = layout.columns(crm::Field::Id).first().copied();
                let key = p.key.split('#').next().unwrap_or(&p.key);
                return Err((
                    id_column,
                    format!("the id \"{key}\" is on line {first} too: each row of an export needs its own id"),
                ));
            }
        }
        if let Some(p) = planned.last()
            && let Some((value, verdict)) = &p.by
            && (self.values.len() < VALUES || self.values.contains_key(&(value.clone(), verdict.as_str())))
        {
            *self.values.entry((value.clone(), verdict.as_str())).or_default() += 1;
        }
        Ok(planned)
    }

    /// The rep a row's contacts go to (worked out once per owner).
    fn rep_of(&mut self, owner: Option<&str>) -> std::result::Result<RepName, String> {
        if let Some(rep) = &self.options.rep {
            return Ok(rep.clone());
        }
        let key = owner.unwrap_or_default();
        if let Some(found) = self.owner_reps.get(key) {
            return found.clone();
        }
        let found = self.owner_rep(owner);
        self.owner_reps.insert(key.to_string(), found.clone());
        found
    }

    fn owner_rep(&self, owner: Option<&str>) -> std::result::Result<RepName, String> {
        match owner {
            None => Ok(self.rep.clone()),
            Some(owner) => match self.owners.get(&owner.to_lowercase()) {
                Some(rep) => Ok(rep.clone()),
                None => RepName::new(owner).map_err(|e| {
                    format!(
                        "the owner \"{owner}\" cannot be a rep's name ({}): map it with --owner \"{owner}=NAME\"",
                        e.message
                    )
                }),
            },
        }
    }

    /// Writes (or on a dry run, looks up) a batch; empties it.
    async fn flush(&mut self, batch: &mut Vec<(u64, Planned)>, keep_going: bool) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        // Once a row is bad and nothing is to be written, the rest is only checked.
        if self.view.bad_rows > 0 && !keep_going {
            self.loader = None;
        }
        let mut sourced = Vec::with_capacity(batch.len());
        let mut bad = Vec::new();
        for (line, p) in batch.drain(..) {
            let rep = match self.rep_of(p.owner.as_deref()) {
                Ok(rep) => rep,
                Err(message) => {
                    bad.push((line, message));
                    continue;
                }
            };
            let id = self.rep_id(&rep).await?;
            *self.outcomes.entry(p.outcome.as_str()).or_default() += 1;
            match self.by_rep.get_mut(rep.as_str()) {
                Some(n) => *n += 1,
                None => {
                    self.by_rep.insert(rep.as_str().to_string(), 1);
                }
            }
            self.view.contacts += 1;
            if p.reason.is_some() {
                self.view.triage += 1;
            }
            if self.view.sample.len() < SAMPLE {
                self.view.sample.push(SampleContact {
                    line,
                    rep: rep.as_str().to_string(),
                    client: p.client.clone(),
                    at: p.at.to_string(),
                    channel: p.channel.as_str().to_string(),
                    outcome: p.outcome.as_str().to_string(),
                    new_lead: p.new_lead,
                });
            }
            sourced.push(Sourced {
                digest: digest(&rep, &p),
                key: p.key,
                triage: if p.outcome == Outcome::Lost { Some(p.reason.unwrap_or_default()) } else { None },
                contact: NewContact {
                    rep: id.unwrap_or(RepId(0)),
                    client: p.client,
                    at: p.at,
                    channel: p.channel,
                    outcome: p.outcome,
                    new_lead: p.new_lead,
                    reasons: Vec::new(),
                    better: None,
                    note: p.note,
                    follow_ups: FollowUpChanges::default(),
                },
            });
        }
        for (line, message) in bad {
            self.problem(line, None, message, None);
        }
        match self.loader.as_mut() {
            Some(load) if self.view.bad_rows == 0 || keep_going => load.write(sourced).await?,
            _ => {
                let counts = compare(self.app, &self.source, &sourced).await?;
                self.view.added += counts.added;
                self.view.updated += counts.updated;
                self.view.unchanged += counts.unchanged;
            }
        }
        Ok(())
    }

    /// The rep's id: created inside the load when writing, looked up on a dry run.
    async fn rep_id(&mut self, rep: &RepName) -> Result<Option<RepId>> {
        if let Some(id) = self.reps.get(rep.as_str()) {
            return Ok(*id);
        }
        let id = match self.loader.as_mut() {
            Some(load) => Some(load.rep(rep.as_str()).await?),
            None => self.app.store().find_rep(rep.as_str()).await?,
        };
        self.reps.insert(rep.as_str().to_string(), id);
        Ok(id)
    }

    /// Commits (when there is something to and nothing stops it) and says what was done.
    async fn finish(mut self, keep_going: bool) -> Result<CsvImportView> {
        let stopped = self.view.bad_rows > 0 && !keep_going;
        match self.loader.take() {
            Some(load) if !stopped => {
                let (loader, counts) = load.finish().await?;
                loader.commit().await?;
                self.view.added += counts.added;
                self.view.updated += counts.updated;
                self.view.unchanged += counts.unchanged;
                self.view.written = true;
            }
            _ => {}
        }
        let counted = |m: BTreeMap<&'static str, u64>| {
            let mut v: Vec<Counted> = m.into_iter().map(|(what, n)| Counted { what: what.to_string(), n }).collect();
            v.sort_by(|a, b| b.n.cmp(&a.n).then(a.what.cmp(&b.what)));
            v
        };
        self.view.outcomes = counted(std::mem::take(&mut self.outcomes));
        self.view.skipped = counted(std::mem::take(&mut self.skipped));
        let mut reps: Vec<Counted> =
            std::mem::take(&mut self.by_rep).into_iter().map(|(what, n)| Counted { what, n }).collect();
        reps.sort_by(|a, b| b.n.cmp(&a.n).then(a.what.cmp(&b.what)));
        self.view.reps = reps;
        let mut values: Vec<ValueUse> = std::mem::take(&mut self.values)
            .into_iter()
            .map(|((value, read_as), rows)| ValueUse { value, read_as: read_as.to_string(), rows })
            .collect();
        values.sort_by(|a, b| b.rows.cmp(&a.rows).then(a.value.cmp(&b.value)));
        self.view.values = values;
        if stopped && !self.options.dry_run {
            let problems = &self.view.problems;
            if let [one] = problems.as_slice() {
                return Err(AppError::Rejected(format!(
                    "{one}; nothing was imported: fix the row, or give --reject-file FILE to import the others and set it aside"
                )));
            }
            let shown: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
            let more = match self.view.bad_rows.saturating_sub(shown.len() as u64) {
                0 => String::new(),
                n => format!(" (and {n} more: --dry-run lists them)"),
            };
            return Err(AppError::Rejected(format!(
                "{}{more}; nothing was imported: {} of {} rows are bad; fix them, or give --reject-file FILE to import the good rows and set the bad ones aside",
                shown.join(" · "),
                self.view.bad_rows,
                self.view.rows
            )));
        }
        if self.view.written {
            let mut waiting = 0;
            for id in self.reps.values().flatten() {
                waiting += self.app.store().triage_count(*id).await?;
            }
            self.view.triage = waiting;
        }
        Ok(self.view)
    }
}

/// The load, written by a task of its own: the next rows are read and
/// checked while a batch is written. Dropped, it stops the task, which drops
/// the load: nothing of it is stored.
struct Background {
    jobs: Option<tokio::sync::mpsc::Sender<Job>>,
    task: Option<tokio::task::JoinHandle<Result<(Loader, SourcedCounts)>>>,
}

enum Job {
    /// A rep's id, created in the load when new.
    Rep(String, tokio::sync::oneshot::Sender<Result<RepId>>),
    Batch(Vec<Sourced>),
}

impl Background {
    fn start(mut loader: Loader, source: String) -> Background {
        // Two batches waiting at most: reading never runs far ahead of writing.
        let (jobs, mut rx) = tokio::sync::mpsc::channel::<Job>(2);
        let task = tokio::spawn(async move {
            let mut counts = SourcedCounts::default();
            while let Some(job) = rx.recv().await {
                match job {
                    Job::Rep(name, reply) => {
                        let id = loader.reps(&[name.as_str()]).await.map(|ids| ids[0]).map_err(AppError::from);
                        let _ = reply.send(id);
                    }
                    Job::Batch(batch) => counts += loader.sourced(&source, batch).await?,
                }
            }
            Ok((loader, counts))
        });
        Background { jobs: Some(jobs), task: Some(task) }
    }

    async fn send(&mut self, job: Job) -> Result<()> {
        let sent = match &self.jobs {
            Some(jobs) => jobs.send(job).await.is_ok(),
            None => false,
        };
        match sent {
            true => Ok(()),
            // The task ended early: its error says why.
            false => Err(self.join().await.err().unwrap_or_else(|| AppError::Failed("the import stopped".into()))),
        }
    }

    async fn write(&mut self, batch: Vec<Sourced>) -> Result<()> {
        self.send(Job::Batch(batch)).await
    }

    async fn rep(&mut self, name: &str) -> Result<RepId> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send(Job::Rep(name.to_string(), reply)).await?;
        answer.await.map_err(|_| AppError::Failed("the import stopped".into()))?
    }

    /// Waits for every batch sent to be written.
    async fn finish(mut self) -> Result<(Loader, SourcedCounts)> {
        self.jobs = None;
        self.join().await
    }

    async fn join(&mut self) -> Result<(Loader, SourcedCounts)> {
        self.jobs = None;
        match self.task.take() {
            Some(task) => task.await.map_err(|e| AppError::Failed(format!("the import stopped: {e}")))?,
            None => Err(AppError::Failed("the import stopped".into())),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// What writing `sourced` would do, read without writing.
async fn compare(app: &App, source: &str, sourced: &[Sourced]) -> Result<SourcedCounts> {
    let keys: Vec<&str> = sourced.iter().map(|s| s.key.as_str()).collect();
    let stored = app.store().source_digests(source, &keys).await?;
    let mut counts = SourcedCounts::default();
    for s in sourced {
        match stored.get(&s.key) {
            None => counts.added += 1,
            Some(d) if *d == s.digest => counts.unchanged += 1,
            Some(_) => counts.updated += 1,
        }
    }
    Ok(counts)
}

/// The lines a Salesforce report ends with, after its rows.
fn is_footer(record: &csv::ByteRecord) -> bool {
    let cell = String::from_utf8_lossy(record.get(0).unwrap_or_default()).to_lowercase();
    let cell = cell.trim();
    ["confidential information", "copyright", "generated by"].iter().any(|p| cell.starts_with(p))
}

/// `--owner "CRM NAME=REP"` arguments, by the CRM name in lower case.
fn owner_map(args: &[String]) -> Result<HashMap<String, RepName>> {
    let mut map = HashMap::new();
    for arg in args {
        let (owner, rep) =
            arg.rsplit_once('=').filter(|(o, r)| !o.trim().is_empty() && !r.trim().is_empty()).ok_or_else(|| {
                AppError::Rejected(format!("--owner \"{arg}\" is not CRM_NAME=REP, like \"Ann Lee=ann\""))
            })?;
        let rep = RepName::new(rep).map_err(|e| AppError::Rejected(format!("--owner \"{arg}\": {}", e.message)))?;
        map.insert(owner.trim().to_lowercase(), rep);
    }
    Ok(map)
}

/// What a contact's row said, short: a changed digest updates the contact.
fn digest(rep: &RepName, p: &Planned) -> String {
    let mut h = Sha256::new();
    let at = p.at.as_second().to_le_bytes();
    h.update(at);
    for part in [
        rep.as_str(),
        &p.client,
        p.channel.as_str(),
        p.outcome.as_str(),
        if p.new_lead { "1" } else { "0" },
        p.note.as_deref().unwrap_or(""),
        p.reason.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(24);
    for b in h.finalize().iter().take(12) {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

/// The header's names; a byte-order mark before the first is dropped.
fn header_of(record: &csv::ByteRecord) -> std::result::Result<Vec<String>, String> {
    record
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let raw = if i == 0 { raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw) } else { raw };
            std::str::from_utf8(raw).map(|s| s.trim().to_string()).map_err(|_| {
                format!(
                    "{}: the header is not UTF-8 (the file may be Windows-1252 or Latin-1): save it as UTF-8",
                    i + 1
                )
            })
        })
        .collect()
}

/// The delimiter of the first line (comma, semicolon, tab or pipe, the most
/// frequent outside quotes); refuses UTF-16 and binary files.
fn sniff(head: &[u8]) -> std::result::Result<u8, String> {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err("1: the file is UTF-16: save it as UTF-8 (CSV UTF-8) and import it again".into());
    }
    if head.iter().take(4096).any(|&b| b == 0) {
        return Err("1: the file holds zero bytes: not a CSV text file (a spreadsheet? save it as CSV UTF-8)".into());
    }
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            b'|' if !quoted => counts[3] += 1,
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    Ok([b',', b';', b'\t', b'|'][best])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_most_frequent_outside_quotes() {
        assert_eq!(sniff(b"a,b,c\n1;2;3").unwrap(), b',');
        assert_eq!(sniff(b"\"a;x\",b;c;d\n").unwrap(), b';');
        assert_eq!(sniff(b"a\tb\tc\n").unwrap(), b'\t');
        assert!(sniff(b"\xFF\xFEa\0b").unwrap_err().contains("UTF-16"));
    }

    #[test]
    fn owners_map_to_reps_and_a_bad_mapping_says_the_form() {
        let map = owner_map(&["Ann Lee=ann".to_string()]).unwrap();
        assert_eq!(map["ann lee"].as_str(), "ann");
        assert!(owner_map(&["Ann Lee".to_string()]).unwrap_err().to_string().contains("CRM_NAME=REP"));
    }

    #[test]
    fn a_digest_changes_with_what_the_row_says() {
        let rep = RepName::new("ann").unwrap();
        let p = Planned {
            key: "1".into(),
            owner: None,
            client: "Acme".into(),
            at: jiff::Timestamp::UNIX_EPOCH,
            channel: debrief_core::model::Channel::Call,
            outcome: Outcome::Lost,
            new_lead: false,
            note: None,
            reason: Some("price".into()),
            by: None,
        };
        let mut q = p.clone();
        assert_eq!(digest(&rep, &p), digest(&rep, &q));
        q.reason = Some("timing".into());
        assert_ne!(digest(&rep, &p), digest(&rep, &q));
    }
}
