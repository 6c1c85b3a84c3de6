//! The command line as clap parses it: strings and numbers as typed, with
//! the keywords (outcome, channel, kind, step, how, shell) checked by the
//! application's own rules so that clap lists the valid values and refuses
//! a wrong one with the same words as the web app and the API. `request`
//! turns the result into the application's requests before anything is opened.

use std::ffi::OsStr;
use std::path::PathBuf;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand};
use debrief_core::mishap::{MishapKind, Step};
use debrief_core::model::{Channel, Outcome};
use debrief_core::ownership::How;

#[derive(Debug, Parser)]
#[command(
    name = "debrief",
    version,
    about = "Debrief every sales contact: log what you could have controlled, see your week honestly, fix the mistake that costs the most deals.",
    max_term_width = 100
)]
pub struct Cli {
    /// SQLite database file (default: debrief.db in your data directory).
    #[arg(long, global = true, env = "DEBRIEF_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// PostgreSQL URL; used instead of the SQLite file when given.
    #[arg(long, global = true, env = "DEBRIEF_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Time zone for weeks and times, like Europe/Berlin (default: the system's).
    #[arg(long, global = true, env = "DEBRIEF_TZ", value_name = "ZONE")]
    pub tz: Option<String>,
    /// Whose contacts (default: `rep` in the config file, else "me").
    #[arg(long, global = true, env = "DEBRIEF_REP", value_name = "NAME")]
    pub rep: Option<String>,
    /// Print a stable JSON document instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Config file (default: config.toml in your config directory).
    #[arg(long, global = true, env = "DEBRIEF_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct TriageArgs {
    /// The contact whose reason to file (see `debrief triage`).
    #[arg(value_name = "CONTACT_ID")]
    pub contact_id: Option<i64>,
    /// File it under what the words read as.
    #[arg(long)]
    pub accept: bool,
    /// File it under this reason: a label, a way to say it, or #id.
    #[arg(long = "as", value_name = "REASON")]
    pub as_reason: Option<String>,
    /// Keep the words as a reason of your own (it was within your control).
    #[arg(long)]
    pub mine: bool,
    /// Keep the words as a reason outside your control.
    #[arg(long)]
    pub theirs: bool,
    /// Your own words for the reason, instead of the CRM's.
    #[arg(long)]
    pub text: Option<String>,
    /// What you would do differently (for a reason of your own).
    #[arg(long, value_name = "TEXT")]
    pub differently: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file: .csv (a CRM export) or .json (debrief's own export).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Check the file and say what it would import, without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// The export's shape, when the header does not tell it: hubspot-deals,
    /// hubspot-calls, hubspot-meetings, salesforce-opportunities,
    /// salesforce-tasks, salesforce-events, pipedrive-deals,
    /// pipedrive-activities, odoo-leads.
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// Which column holds what, like "Company=client" or "#3=at" (fields:
    /// id, client, title, owner, at, time, created, outcome, won, closed,
    /// active, probability, reason, channel, new-lead, note, no-show, done).
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub maps: Vec<String>,
    /// What a stage or disposition means, like "Awaiting procurement=open"
    /// (won, lost, open, advanced, pending, no-answer, no-show, skip).
    #[arg(long = "outcome", value_name = "VALUE=OUTCOME")]
    pub outcomes: Vec<String>,
    /// Whose contacts a CRM owner's rows become, like "Ann Lee=ann" (without
    /// it, each owner is a rep of that name; with --rep, every row is that rep's).
    #[arg(long = "owner", value_name = "CRM_NAME=REP")]
    pub owners: Vec<String>,
    /// How dates like 03/04/2026 are written: dmy or mdy (default: date_order in the config file).
    #[arg(long, value_name = "ORDER")]
    pub date_order: Option<String>,
    /// Import the good rows and write the bad ones, each with its error, to FILE.
    #[arg(long, value_name = "FILE")]
    pub reject_file: Option<PathBuf>,
    /// A calendar (.ics): the first day whose meetings to take, like 2026-12-07 (default: today).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// A calendar (.ics): the last day, included (default: the first).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// A calendar (.ics): your own e-mail domain, like ourco.example (default:
    /// the calendar owner's, or the one in most meetings); meetings with only
    /// your colleagues are not client meetings.
    #[arg(long, value_name = "DOMAIN")]
    pub domain: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log a contact and debrief it.
    Log(LogArgs),
    /// Review a week in thirty seconds: how it went, your focus, the mistakes you could control.
    Week {
        /// The week, like 2026-W47 (default: this week).
        #[arg(long)]
        week: Option<String>,
        /// Everything: every reason ranked, earlier lessons, open recoveries, the tests' p-values.
        #[arg(long)]
        all: bool,
    },
    /// Reasons ranked by the lost contacts they appear in; merge and rename them.
    Reasons(ReasonsArgs),
    /// Your focus and whether its reason is becoming rarer.
    Focus {
        #[command(subcommand)]
        action: Option<FocusAction>,
    },
    /// Success rate and new-lead conversion per week.
    Trend {
        /// How many weeks, 1 to 104 (default 12).
        #[arg(long)]
        weeks: Option<u32>,
    },
    /// List contacts, newest first.
    List(ListArgs),
    /// Show one contact with its debrief.
    Show { id: i64 },
    /// Correct a contact; the debrief is checked again.
    Edit(EditArgs),
    /// Delete a contact (asks first unless --yes).
    Delete {
        id: i64,
        #[arg(long, short)]
        yes: bool,
    },
    /// Fill an empty database with a realistic history.
    Demo(DemoArgs),
    /// Review e-mails and call transcripts like a linter: findings, sentence classes, a score.
    Review(ReviewArgs),
    /// Serve the web app and the JSON API (loopback only by default).
    Serve(ServeArgs),
    /// Mistakes that touched a client: list them, record owning up and what will change.
    Own {
        #[command(subcommand)]
        action: Option<OwnAction>,
    },
    /// Recover from a mishap: open a recovery, record each step of the checklist.
    Mishap {
        #[command(subcommand)]
        action: Option<MishapAction>,
    },
    /// Check an apology or a plan for excuses before you send it (- reads stdin).
    Apology { text: String },
    /// The follow-up agenda: what is due, overdue first.
    Due {
        /// How many days ahead (0 = today; default 7).
        #[arg(long)]
        days: Option<u32>,
    },
    /// Mark a follow-up done (a chase schedules the next one).
    Done { id: i64 },
    /// Move a follow-up later.
    Snooze {
        id: i64,
        /// How many days later.
        #[arg(long, allow_negative_numbers = true)]
        days: i64,
    },
    /// Add a follow-up by hand.
    FollowUp {
        client: String,
        /// When: "tomorrow 9:00", "fri 10:00", "2026-12-01 09:00".
        #[arg(long)]
        at: String,
        #[arg(long)]
        note: String,
    },
    /// "What could I have done better today?": one entry a day, a streak, a habit strength.
    Today(TodayArgs),
    /// Import your history: a CRM's CSV export (HubSpot, Salesforce,
    /// Pipedrive, Odoo, or any CSV with --map), or debrief's own JSON export
    /// (`export --format json`). A CSV with a bad row imports nothing unless
    /// --reject-file is given; importing the same rows again adds nothing.
    Import(ImportArgs),
    /// File the reasons of lost contacts imported from a CRM: a CRM's lost
    /// reason says nothing of whose control it was in, so each waits for
    /// your word. Without CONTACT_ID, lists them (and on a terminal, walks
    /// you through them).
    Triage(TriageArgs),
    /// Back up the whole database to FILE (a new file), with FILE.sha256
    /// beside it: a copy of the SQLite database, or on PostgreSQL a JSON
    /// archive of every rep's history. Safe while a server writes.
    Backup {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Restore a backup written by `debrief backup` (checked against its
    /// FILE.sha256 first). A database holding contacts is replaced only with
    /// --replace.
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Delete what the database holds and put the backup in its place.
        #[arg(long)]
        replace: bool,
    },
    /// Export everything you own: JSON (one versioned document), CSV (one
    /// file per kind, in a folder), a Markdown journal by week, or the open
    /// follow-ups as iCalendar.
    Export {
        /// json, csv, markdown or ics.
        #[arg(long, value_name = "FORMAT", value_parser = keyword_parser::<ExportFormat>("format"))]
        format: Option<String>,
        /// Where to write: a file (- for stdout, the default), or a folder for csv.
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
        /// The open follow-ups as iCalendar to FILE (- for stdout): --format ics --output FILE.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["format", "output"])]
        ics: Option<PathBuf>,
    },
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    Completions {
        #[arg(value_parser = keyword_parser::<Shell>("shell"))]
        shell: String,
    },
    /// Print the manual page (roff) to stdout.
    Man,
    /// Show your time zone, or set it: your weeks and days are counted in it,
    /// whoever looks and from where.
    Zone {
        /// An IANA name like Europe/Berlin or UTC.
        #[arg(value_name = "TZ")]
        zone: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OwnAction {
    /// The mistakes not yet owned and committed (the default).
    List,
    /// One item.
    Show { id: i64 },
    /// Record that you owned the mistake with the client: how, and what you said.
    Owned {
        id: i64,
        /// call, email or in-person.
        #[arg(long, value_parser = keyword_parser::<How>("how"))]
        how: String,
        /// What you said.
        #[arg(long)]
        said: String,
    },
    /// Record what will be different from now on.
    Commit {
        id: i64,
        /// What will be different.
        text: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MishapAction {
    /// The open recoveries (the default); --all lists resolved ones too.
    List {
        #[arg(long)]
        all: bool,
    },
    /// One recovery with its checklist.
    Show { id: i64 },
    /// Open a recovery for a mishap with a client.
    Open {
        client: String,
        /// late, missed-meeting, system-failure or other.
        #[arg(long, value_parser = keyword_parser::<MishapKind>("kind"))]
        kind: String,
        /// What happened.
        #[arg(long)]
        what: String,
    },
    /// Record a step of a recovery's checklist.
    Step {
        id: i64,
        /// told-ahead, apologized, plan, accepted, resolved or asked-advice.
        #[arg(value_parser = keyword_parser::<Step>("step"))]
        step: String,
        /// The apology, the plan, or a note on the step.
        #[arg(long)]
        text: Option<String>,
        /// What the client said.
        #[arg(long)]
        client_said: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct TodayArgs {
    /// One thing you could have done better (repeatable).
    #[arg(long = "item", value_name = "TEXT")]
    pub items: Vec<String>,
    /// Nothing to improve today (an entry, not a missed day).
    #[arg(long, conflicts_with = "items")]
    pub nothing: bool,
    /// Note why a past working day was missed: --missed 2026-11-20 --note "offsite".
    #[arg(long, value_name = "DATE", requires = "note", conflicts_with_all = ["items", "nothing"])]
    pub missed: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:7878")]
    pub addr: std::net::SocketAddr,
    /// Fill an empty database with 12 weeks of demo data first.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// E-mails (plain text or .eml) and transcripts (WebVTT, SRT, "Speaker: text"); - reads stdin.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Which transcript speaker is you (default: guessed).
    #[arg(long, value_name = "NAME")]
    pub me: Option<String>,
    /// Treat every file as a message or as a transcript instead of detecting it.
    #[arg(long, value_parser = ["message", "transcript"])]
    pub kind: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The client's name.
    pub client: String,
    /// won, lost, advanced, no-answer, no-show or pending.
    #[arg(value_parser = keyword_parser::<Outcome>("outcome"))]
    pub outcome: String,
    /// When it happened: "yesterday 14:00", "mon 10:00", "2 hours ago", "2026-11-30 10:00" (default: now).
    #[arg(long)]
    pub at: Option<String>,
    /// call, visit, meeting, online-meeting, email or message (default: call).
    #[arg(long, value_parser = keyword_parser::<Channel>("channel"))]
    pub channel: Option<String>,
    /// The client is a new lead (first contact).
    #[arg(long)]
    pub new_lead: bool,
    /// The controllable reasons touched the client: open an ownership item to own up.
    #[arg(long)]
    pub affected_client: bool,
    #[command(flatten)]
    pub debrief: DebriefArgs,
    /// A note about the contact.
    #[arg(long)]
    pub note: Option<String>,
    /// The meeting this debriefs (see `debrief today`): its start is the
    /// time and the channel is meeting unless given, and it is marked debriefed.
    #[arg(long, value_name = "ID")]
    pub meeting: Option<i64>,
}

/// The reflection part of `log`.
#[derive(Debug, Args, Default)]
pub struct DebriefArgs {
    /// A reason you could have controlled (at most two).
    #[arg(long = "reason", value_name = "TEXT")]
    pub reasons: Vec<String>,
    /// What you'd do differently, for the --reason in the same position.
    #[arg(long = "do", value_name = "TEXT")]
    pub dos: Vec<String>,
    /// A reason you could not control (repeatable).
    #[arg(long = "external", value_name = "TEXT")]
    pub external: Vec<String>,
    /// What could I have done better?
    #[arg(long)]
    pub better: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReasonsArgs {
    /// How many weeks, ending this week, to rank over (1 to 104, default 4).
    #[arg(long)]
    pub weeks: Option<u32>,
    #[command(subcommand)]
    pub action: Option<ReasonsAction>,
}

#[derive(Debug, Subcommand)]
pub enum ReasonsAction {
    /// Every reason of the vocabulary with its id and the ways it was written.
    List,
    /// Count every use of FROM under INTO (texts stay as written).
    Merge { from: String, into: String },
    /// Give a reason a clearer label (the old one still matches).
    Rename { old: String, new: String },
    /// Count a reason written on a contact elsewhere; the text stays as written.
    ///
    /// Give exactly one of --as, --new or --external. It prints how to undo it.
    Refile {
        /// The contact's number (see `debrief list`).
        contact_id: i64,
        /// The reason as written on the contact.
        text: String,
        /// The reason it should count under: a label, a way to say it, or #id.
        #[arg(long = "as", value_name = "REASON")]
        as_reason: Option<String>,
        /// Keep the words as a reason of their own.
        #[arg(long)]
        new: bool,
        /// It was outside your control.
        #[arg(long)]
        external: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum FocusAction {
    /// Make a reason your focus (a label, a way to say it, or #id).
    Set { reason: String },
    /// End the current focus.
    Clear,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The week, like 2026-W47.
    #[arg(long)]
    pub week: Option<String>,
    #[arg(long, value_parser = keyword_parser::<Outcome>("outcome"))]
    pub outcome: Option<String>,
    /// A reason label, a way to say it, or #id.
    #[arg(long)]
    pub reason: Option<String>,
    /// Contacts per page, 1 to 500 (default 50).
    #[arg(long)]
    pub limit: Option<u32>,
    /// Contacts to skip (default 0).
    #[arg(long)]
    pub offset: Option<u32>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub id: i64,
    #[arg(long)]
    pub client: Option<String>,
    #[arg(long, value_parser = keyword_parser::<Outcome>("outcome"))]
    pub outcome: Option<String>,
    #[arg(long)]
    pub at: Option<String>,
    #[arg(long, value_parser = keyword_parser::<Channel>("channel"))]
    pub channel: Option<String>,
    /// true or false.
    #[arg(long)]
    pub new_lead: Option<bool>,
    /// Replace the controllable reasons (with their --do).
    #[arg(long = "reason", value_name = "TEXT")]
    pub reasons: Vec<String>,
    #[arg(long = "do", value_name = "TEXT")]
    pub dos: Vec<String>,
    /// Replace the external reasons.
    #[arg(long = "external", value_name = "TEXT")]
    pub external: Vec<String>,
    /// Remove every reason, controllable and external.
    #[arg(long)]
    pub clear_reasons: bool,
    /// The replaced controllable reasons touched the client.
    #[arg(long)]
    pub affected_client: bool,
    /// Replace "what could I have done better" ("" clears it).
    #[arg(long)]
    pub better: Option<String>,
    /// Replace the note ("" clears it).
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[arg(long, default_value_t = 1)]
    pub reps: u32,
    #[arg(long, default_value_t = 12)]
    pub weeks: u32,
    /// Average contacts per rep per week.
    #[arg(long, default_value_t = 48)]
    pub per_week: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// What `debrief export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Csv,
    Markdown,
    Ics,
}

impl ExportFormat {
    const ALL: [ExportFormat; 4] = [ExportFormat::Json, ExportFormat::Csv, ExportFormat::Markdown, ExportFormat::Ics];

    fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::Markdown => "markdown",
            ExportFormat::Ics => "ics",
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = debrief_core::ParseError;

    fn from_str(s: &str) -> Result<ExportFormat, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        let s = if s == "md" { "markdown".to_string() } else { s };
        ExportFormat::ALL.into_iter().find(|f| f.as_str() == s).ok_or_else(|| debrief_core::ParseError::Keyword {
            what: "format",
            got: s.to_string(),
            valid: ExportFormat::ALL.map(ExportFormat::as_str).join(", "),
        })
    }
}

/// A shell a completion script is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

impl Shell {
    const ALL: [Shell; 5] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Powershell, Shell::Elvish];

    fn as_str(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
            Shell::Powershell => "powershell",
            Shell::Elvish => "elvish",
        }
    }

    pub fn generator(self) -> clap_complete::Shell {
        match self {
            Shell::Bash => clap_complete::Shell::Bash,
            Shell::Zsh => clap_complete::Shell::Zsh,
            Shell::Fish => clap_complete::Shell::Fish,
            Shell::Powershell => clap_complete::Shell::PowerShell,
            Shell::Elvish => clap_complete::Shell::Elvish,
        }
    }
}

impl std::str::FromStr for Shell {
    type Err = debrief_core::ParseError;

    fn from_str(s: &str) -> Result<Shell, Self::Err> {
        Shell::ALL.into_iter().find(|sh| sh.as_str() == s.trim().to_ascii_lowercase()).ok_or_else(|| {
            debrief_core::ParseError::Keyword {
                what: "shell",
                got: s.to_string(),
                valid: Shell::ALL.map(Shell::as_str).join(", "),
            }
        })
    }
}

/// The keywords of a type, as its command-line values.
pub trait Keywords: std::str::FromStr<Err = debrief_core::ParseError> + Send + Sync + 'static {
    fn values() -> Vec<&'static str>;
}

macro_rules! keywords {
    ($($t:ty),*) => {
        $(impl Keywords for $t {
            fn values() -> Vec<&'static str> {
                <$t>::ALL.iter().map(|v| v.as_str()).collect()
            }
        })*
    };
}

keywords!(Outcome, Channel, How, MishapKind, Step, Shell, ExportFormat);

/// Parses a keyword with the application's check (its words, its list of
/// valid values) and lists the values for help and completions.
pub struct KeywordParser<T> {
    field: &'static str,
    kind: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for KeywordParser<T> {
    fn clone(&self) -> Self {
        KeywordParser { field: self.field, kind: std::marker::PhantomData }
    }
}

pub fn keyword_parser<T: Keywords>(field: &'static str) -> KeywordParser<T> {
    KeywordParser { field, kind: std::marker::PhantomData }
}

impl<T: Keywords> TypedValueParser for KeywordParser<T> {
    type Value = String;

    fn parse_ref(&self, _cmd: &clap::Command, arg: Option<&clap::Arg>, value: &OsStr) -> Result<String, clap::Error> {
        let flag = arg.map(crate::request::arg_name).unwrap_or_else(|| self.field.to_string());
        let Some(text) = value.to_str() else {
            return Err(clap::Error::raw(ErrorKind::InvalidUtf8, format!("{flag}: the value is not valid UTF-8\n")));
        };
        debrief_app::input::keyword::<T>(self.field, text)
            .map(|_| text.to_string())
            .map_err(|e| clap::Error::raw(ErrorKind::ValueValidation, format!("{flag}: {}\n", e.message)))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::values().into_iter().map(PossibleValue::new)))
    }
}
