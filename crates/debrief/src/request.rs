//! The whole command line as one request, checked by the application's
//! constructors before any file or database is opened: a refused command
//! changes nothing and creates nothing.

use std::path::PathBuf;

use debrief_app::input::{
    AddFollowUpRequest, ApologyRequest, DailyRequest, DemoRequest, DueRequest, EditRequest, FocusSetRequest,
    ListRequest, LogCheck, LogRequest, MergeRequest, MishapStepRequest, OpenMishapRequest, OwnCommitRequest,
    OwnUpRequest, RawAddFollowUp, RawDaily, RawDemo, RawEdit, RawList, RawLog, RawMerge, RawMishapStep, RawOpenMishap,
    RawOwnCommit, RawOwnUp, RawReason, RawRefile, RawRename, RawSnooze, RawTrend, ReasonsRequest, RefileRequest,
    RenameRequest, SnoozeRequest, TrendRequest, WeekRequest,
};
use debrief_app::{Context, FieldError, Invalid};

pub use crate::cli::ExportFormat;
use crate::cli::{
    Command, DebriefArgs, EditArgs, FocusAction, ListArgs, LogArgs, MishapAction, OwnAction, ReasonsAction, ReviewArgs,
    ServeArgs, Shell, TodayArgs,
};

/// A command whose input has been checked.
pub enum Request {
    /// Needs no database.
    Offline(Offline),
    /// Runs against the store, opened only now.
    Online(Online),
}

/// What runs without a database.
pub enum Offline {
    Review(ReviewArgs),
    /// `-` reads the apology from stdin.
    Apology(Option<ApologyRequest>),
    Completions(Shell),
    Man,
    /// Checked before the database is opened: a SQLite backup takes the
    /// database file's place.
    Restore {
        file: PathBuf,
        replace: bool,
    },
}

/// What runs against the store.
pub enum Online {
    /// The contact, and the meeting it debriefs.
    Log(LogCheck, Option<i64>),
    /// `all`: everything, not only what the week is about.
    Week {
        week: WeekRequest,
        all: bool,
    },
    Reasons(ReasonsRequest),
    ReasonsList,
    Merge(MergeRequest),
    Rename(RenameRequest),
    Refile(RefileRequest),
    Focus,
    FocusSet(FocusSetRequest),
    FocusClear,
    Trend(TrendRequest),
    List(ListRequest),
    Show(i64),
    Edit(EditRequest),
    Delete {
        id: i64,
        yes: bool,
    },
    Demo(DemoRequest),
    Serve(ServeArgs),
    /// Show the rep's time zone, or set it.
    Zone(Option<debrief_app::input::ZoneRequest>),
    /// A later step of the loop (`steps`).
    Step(StepRequest),
}

/// The later steps of the loop: own up, recover, follow up, the daily question.
pub enum StepRequest {
    OwnList,
    OwnShow(i64),
    OwnUp(OwnUpRequest),
    OwnCommit(OwnCommitRequest),
    MishapList {
        all: bool,
    },
    MishapShow(i64),
    MishapOpen(OpenMishapRequest),
    MishapStep(MishapStepRequest),
    Due(DueRequest),
    Done(i64),
    Snooze(SnoozeRequest),
    FollowUp(AddFollowUpRequest),
    /// `None`: ask interactively, or show today's answer.
    Today(Option<DailyRequest>),
    Import(ImportRequest),
    /// `None`: list (and walk through on a terminal).
    Triage(Option<debrief_app::triage::TriageRequest>),
    Backup(PathBuf),
    /// `output` `None` is stdout.
    Export {
        format: ExportFormat,
        output: Option<PathBuf>,
    },
}

/// `debrief import`: the file and how to read it when it is a CSV.
#[derive(Debug)]
pub struct ImportRequest {
    pub file: PathBuf,
    pub dry_run: bool,
    /// Filled in with the rep when --rep was given.
    pub csv: debrief_app::crm::CsvOptions,
    pub reject_file: Option<PathBuf>,
    pub calendar: debrief_app::calendar::CalendarOptions,
}

/// Checks what `triage` was given: a contact and exactly one place to file it, or neither.
fn triage(args: crate::cli::TriageArgs) -> Result<Option<debrief_app::triage::TriageRequest>, CliError> {
    use debrief_app::triage::{TriageRequest, TriageTarget};
    let crate::cli::TriageArgs { contact_id, accept, as_reason, mine, theirs, text, differently } = args;
    let mut targets = Vec::new();
    if accept {
        targets.push(TriageTarget::Suggested);
    }
    if let Some(reason) = as_reason {
        targets.push(TriageTarget::As(reason));
    }
    if mine {
        targets.push(TriageTarget::Mine);
    }
    if theirs {
        targets.push(TriageTarget::Theirs);
    }
    let usage = |message: &str| CliError { flag: "CONTACT_ID".to_string(), message: message.to_string() };
    match (contact_id, targets.len()) {
        (None, 0) if text.is_none() && differently.is_none() => Ok(None),
        (None, _) => Err(usage(
            "name the contact to file: debrief triage CONTACT_ID --accept (see `debrief triage` for the list)",
        )),
        (Some(_), 0) => Err(usage("say where it goes: --accept, --as REASON, --mine or --theirs")),
        (Some(id), 1) => {
            let target = targets.pop().unwrap_or(TriageTarget::Suggested);
            let req = TriageRequest::new(id, target, text.as_deref(), differently.as_deref());
            Ok(Some(flags(req, &[("id", "CONTACT_ID")])?))
        }
        (Some(_), _) => Err(usage("give one of --accept, --as, --mine and --theirs, not several")),
    }
}

/// Checks what `import` was given before anything is opened.
fn import(args: crate::cli::ImportArgs) -> Result<ImportRequest, CliError> {
    let crate::cli::ImportArgs {
        file,
        dry_run,
        preset,
        maps,
        outcomes,
        owners,
        date_order,
        reject_file,
        from,
        to,
        domain,
    } = args;
    let day = |flag: &'static str, value: Option<String>| -> Result<Option<jiff::civil::Date>, CliError> {
        value
            .map(|v| {
                v.trim().parse::<jiff::civil::Date>().map_err(|_| CliError {
                    flag: flag.to_string(),
                    message: format!("\"{v}\" is not a date: write it like 2026-12-07"),
                })
            })
            .transpose()
    };
    let calendar =
        debrief_app::calendar::CalendarOptions { from: day("--from", from)?, to: day("--to", to)?, domain, dry_run };
    let date_order = match date_order {
        Some(order) => Some(flags(
            debrief_app::input::keyword::<debrief_app::input::DateOrder>("date_order", &order).map_err(Invalid::from),
            &[("date_order", "--date-order")],
        )?),
        None => None,
    };
    let csv = debrief_app::crm::CsvOptions { preset, maps, outcomes, rep: None, owners, date_order, dry_run };
    Ok(ImportRequest { file, dry_run, csv, reject_file, calendar })
}

impl Request {
    pub fn parse(command: Command, cx: &Context) -> Result<Request, CliError> {
        use Request::Online as On;
        Ok(match command {
            Command::Log(args) => {
                let meeting = args.meeting;
                On(Online::Log(flags(LogRequest::check(raw_log(args), cx), LOG)?, meeting))
            }
            Command::Week { week, all } => {
                On(Online::Week { week: flags(WeekRequest::new(week.as_deref()), &[])?, all })
            }
            Command::Reasons(args) => match args.action {
                None => On(Online::Reasons(flags(ReasonsRequest::new(args.weeks), &[])?)),
                Some(ReasonsAction::List) => On(Online::ReasonsList),
                Some(ReasonsAction::Merge { from, into }) => On(Online::Merge(flags(
                    MergeRequest::new(RawMerge { from, into }),
                    &[("from", "FROM"), ("into", "INTO")],
                )?)),
                Some(ReasonsAction::Rename { old, new }) => On(Online::Rename(flags(
                    RenameRequest::new(RawRename { reason: old, label: new }),
                    &[("reason", "OLD"), ("label", "NEW")],
                )?)),
                Some(ReasonsAction::Refile { contact_id, text, as_reason, new, external }) => {
                    On(Online::Refile(flags(
                        RefileRequest::new(RawRefile { contact: contact_id, text, as_reason, new, external }),
                        REFILE,
                    )?))
                }
            },
            Command::Focus { action } => match action {
                None => On(Online::Focus),
                Some(FocusAction::Set { reason }) => {
                    On(Online::FocusSet(flags(FocusSetRequest::new(&reason), &[("reason", "REASON")])?))
                }
                Some(FocusAction::Clear) => On(Online::FocusClear),
            },
            Command::Trend { weeks } => {
                On(Online::Trend(flags(TrendRequest::new(RawTrend { weeks, last: None }), &[])?))
            }
            Command::List(args) => On(Online::List(flags(ListRequest::new(raw_list(args)), &[])?)),
            Command::Show { id } => On(Online::Show(flags(checked_id(id), ID)?)),
            Command::Edit(args) => On(Online::Edit(flags(EditRequest::new(raw_edit(args), cx), EDIT)?)),
            Command::Delete { id, yes } => On(Online::Delete { id: flags(checked_id(id), ID)?, yes }),
            Command::Demo(args) => {
                let raw = RawDemo { reps: args.reps, weeks: args.weeks, per_week: args.per_week, seed: args.seed };
                On(Online::Demo(flags(DemoRequest::new(raw), &[])?))
            }
            Command::Review(args) => Request::Offline(Offline::Review(args)),
            Command::Serve(args) => On(Online::Serve(args)),
            Command::Own { action } => On(Online::Step(own(action)?)),
            Command::Mishap { action } => On(Online::Step(mishap(action)?)),
            Command::Apology { text } => match text.as_str() {
                "-" => Request::Offline(Offline::Apology(None)),
                t => Request::Offline(Offline::Apology(Some(flags(ApologyRequest::new(t), &[("text", "TEXT")])?))),
            },
            Command::Due { days } => On(Online::Step(StepRequest::Due(flags(DueRequest::new(days), &[])?))),
            Command::Done { id } => On(Online::Step(StepRequest::Done(flags(checked_id(id), ID)?))),
            Command::Snooze { id, days } => {
                On(Online::Step(StepRequest::Snooze(flags(SnoozeRequest::new(RawSnooze { id, days }), ID)?)))
            }
            Command::FollowUp { client, at, note } => On(Online::Step(StepRequest::FollowUp(flags(
                AddFollowUpRequest::new(RawAddFollowUp { client, at, note }, cx),
                &[("client", "CLIENT")],
            )?))),
            Command::Today(args) => On(Online::Step(StepRequest::Today(today(args)?))),
            Command::Import(args) => On(Online::Step(StepRequest::Import(import(args)?))),
            Command::Triage(args) => On(Online::Step(StepRequest::Triage(triage(args)?))),
            Command::Export { format, output, ics } => On(Online::Step(export(format, output, ics)?)),
            Command::Completions { shell } => Request::Offline(Offline::Completions(flags(
                debrief_app::input::keyword::<Shell>("shell", &shell).map_err(Invalid::from),
                &[("shell", "SHELL")],
            )?)),
            Command::Man => Request::Offline(Offline::Man),
            Command::Backup { file } => On(Online::Step(StepRequest::Backup(file))),
            Command::Restore { file, replace } => Request::Offline(Offline::Restore { file, replace }),
            Command::Zone { zone } => On(Online::Zone(
                zone.map(|tz| flags(debrief_app::input::ZoneRequest::new(&tz), &[("tz", "TZ")])).transpose()?,
            )),
        })
    }
}

/// `--ics FILE` is `--format ics --output FILE`; CSV needs a folder.
fn export(format: Option<String>, output: Option<PathBuf>, ics: Option<PathBuf>) -> Result<StepRequest, CliError> {
    let refuse = |flag: &str, message: &str| CliError { flag: flag.to_string(), message: message.to_string() };
    let (format, output) = match (ics, format) {
        (Some(file), _) => (ExportFormat::Ics, Some(file)),
        (None, Some(format)) => {
            let format = format.parse::<ExportFormat>().map_err(|e| refuse("--format", &e.to_string()))?;
            (format, output)
        }
        (None, None) => return Err(refuse("--format", "say what to export: --format json, csv, markdown or ics")),
    };
    let to_stdout = output.as_ref().is_none_or(|o| o.as_os_str() == "-");
    if format == ExportFormat::Csv && to_stdout {
        return Err(refuse(
            "--output",
            "CSV is one file per kind: give a folder to write them in, e.g. --output export/",
        ));
    }
    Ok(StepRequest::Export { format, output: if to_stdout { None } else { output } })
}

fn own(action: Option<OwnAction>) -> Result<StepRequest, CliError> {
    Ok(match action.unwrap_or(OwnAction::List) {
        OwnAction::List => StepRequest::OwnList,
        OwnAction::Show { id } => StepRequest::OwnShow(flags(checked_id(id), ID)?),
        OwnAction::Owned { id, how, said } => {
            StepRequest::OwnUp(flags(OwnUpRequest::new(RawOwnUp { id, how, said }), ID)?)
        }
        OwnAction::Commit { id, text } => StepRequest::OwnCommit(flags(
            OwnCommitRequest::new(RawOwnCommit { id, text }),
            &[("id", "ID"), ("commitment", "TEXT")],
        )?),
    })
}

fn mishap(action: Option<MishapAction>) -> Result<StepRequest, CliError> {
    Ok(match action.unwrap_or(MishapAction::List { all: false }) {
        MishapAction::List { all } => StepRequest::MishapList { all },
        MishapAction::Show { id } => StepRequest::MishapShow(flags(checked_id(id), ID)?),
        MishapAction::Open { client, kind, what } => StepRequest::MishapOpen(flags(
            OpenMishapRequest::new(RawOpenMishap { client, kind, what }),
            &[("client", "CLIENT")],
        )?),
        MishapAction::Step { id, step, text, client_said } => StepRequest::MishapStep(flags(
            MishapStepRequest::new(RawMishapStep { id, step, text, client_said }),
            &[("id", "ID"), ("step", "STEP")],
        )?),
    })
}

fn today(args: TodayArgs) -> Result<Option<DailyRequest>, CliError> {
    if args.items.is_empty() && !args.nothing && args.missed.is_none() {
        return Ok(None);
    }
    let raw = RawDaily { items: args.items, nothing: args.nothing, missed: args.missed, note: args.note };
    Ok(Some(flags(DailyRequest::new(raw), &[("items", "--item")])?))
}

fn checked_id(id: i64) -> Result<i64, Invalid> {
    debrief_app::input::check_id("id", id).map_err(Invalid::from)
}

/// The positional arguments of a command by field; other fields are `--field`.
type Positionals = &'static [(&'static str, &'static str)];

const ID: Positionals = &[("id", "ID")];
const LOG: Positionals = &[
    ("client", "CLIENT"),
    ("outcome", "OUTCOME"),
    ("reasons", "--reason"),
    ("do_differently", "--do"),
    ("reason_id", "--reason"),
];
const EDIT: Positionals =
    &[("id", "ID"), ("reasons", "--reason"), ("do_differently", "--do"), ("reason_id", "--reason")];

/// A refused command line: the flag or argument at fault and the
/// application's own message for it.
#[derive(Debug)]
pub struct CliError {
    pub flag: String,
    pub message: String,
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.flag, self.message)
    }
}

impl std::error::Error for CliError {}

/// The flag (`--at`) or argument (`CLIENT`) a field of a request is given by.
pub fn flag(field: &str, positionals: Positionals) -> String {
    positionals
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, flag)| flag.to_string())
        .unwrap_or_else(|| format!("--{}", field.replace('_', "-")))
}

/// A refusal said with the command line's flags.
pub fn flags<T>(result: Result<T, Invalid>, positionals: Positionals) -> Result<T, CliError> {
    result.map_err(|invalid| in_flags(invalid.first(), positionals))
}

pub fn in_flags(e: &FieldError, positionals: Positionals) -> CliError {
    CliError { flag: flag(e.field, positionals), message: e.message.clone() }
}

/// How clap names an argument in a message: `--at`, or `CLIENT`.
pub fn arg_name(arg: &clap::Arg) -> String {
    match arg.get_long() {
        Some(long) => format!("--{long}"),
        None => arg.get_id().as_str().to_ascii_uppercase(),
    }
}

const REFILE: Positionals = &[("contact", "CONTACT_ID"), ("text", "TEXT")];

/// A refused re-file with its field named as the flag or argument.
pub fn refile_flags(e: debrief_app::AppError) -> anyhow::Error {
    match e.field() {
        Some(f) => in_flags(f, REFILE).into(),
        None => e.into(),
    }
}

/// The log's fields named as its flags, for errors found after prompting.
pub fn log_flags(e: &FieldError) -> CliError {
    in_flags(e, LOG)
}

fn raw_log(args: LogArgs) -> RawLog {
    let LogArgs { client, outcome, at, channel, new_lead, affected_client, debrief, note, meeting } = args;
    let (reasons, external) = raw_reasons(&debrief);
    let channel = channel.or_else(|| meeting.map(|_| "meeting".to_string()));
    RawLog { client, outcome, at, channel, new_lead, reasons, external, better: debrief.better, note, affected_client }
}

/// Each `--do` goes with the `--reason` in the same position; a `--do`
/// beyond the reasons becomes a reason without text, which the rules refuse.
fn raw_reasons(args: &DebriefArgs) -> (Vec<RawReason>, Vec<RawReason>) {
    let count = args.reasons.len().max(args.dos.len());
    let reasons = (0..count)
        .map(|i| RawReason {
            text: args.reasons.get(i).cloned().unwrap_or_default(),
            do_differently: args.dos.get(i).cloned(),
            ..RawReason::default()
        })
        .collect();
    let external = args.external.iter().map(RawReason::text).collect();
    (reasons, external)
}

fn raw_list(args: ListArgs) -> RawList {
    RawList { week: args.week, outcome: args.outcome, reason: args.reason, limit: args.limit, offset: args.offset }
}

fn raw_edit(args: EditArgs) -> RawEdit {
    let debrief = DebriefArgs { reasons: args.reasons, dos: args.dos, external: args.external, better: None };
    let (reasons, external) = raw_reasons(&debrief);
    RawEdit {
        id: args.id,
        client: args.client,
        outcome: args.outcome,
        at: args.at,
        channel: args.channel,
        new_lead: args.new_lead,
        reasons: (!reasons.is_empty()).then_some(reasons),
        external: (!external.is_empty()).then_some(external),
        clear_reasons: args.clear_reasons,
        better: args.better.map(Some),
        note: args.note.map(Some),
        affected_client: args.affected_client,
    }
}
