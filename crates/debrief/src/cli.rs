//! The command line as clap parses it: raw strings and flags, validated into
//! requests by `commands` before any work is done.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use debrief_core::IsoWeek;

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log a contact and debrief it.
    Log(LogArgs),
    /// Review a week: rates with intervals, reasons ranked, repeated mistakes, focus.
    Week {
        /// The week, like 2026-W47 (default: this week).
        #[arg(long)]
        week: Option<IsoWeek>,
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
        #[arg(long, default_value_t = 12)]
        weeks: u32,
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
    Own(OwnArgs),
    /// Recover from a mishap: open a recovery, record each step of the checklist.
    Mishap(MishapArgs),
    /// Check an apology or a plan for excuses before you send it (- reads stdin).
    Apology { text: String },
    /// The follow-up agenda: what is due, overdue first.
    Due {
        /// How many days ahead (0 = today).
        #[arg(long, default_value_t = 7)]
        days: u32,
    },
    /// Mark a follow-up done (a chase schedules the next one).
    Done { id: i64 },
    /// Move a follow-up later.
    Snooze {
        id: i64,
        #[arg(long, allow_negative_numbers = true)]
        days: i64,
    },
    /// Add a follow-up by hand.
    FollowUp {
        client: String,
        /// When: RFC 3339 or "YYYY-MM-DD HH:MM" in your time zone.
        #[arg(long)]
        at: String,
        #[arg(long)]
        note: String,
    },
    /// "What could I have done better today?": one entry a day, a streak, a habit strength.
    Today(TodayArgs),
    /// Export the open follow-ups as an iCalendar file.
    Export {
        /// Write the follow-ups as iCalendar events to FILE (- for stdout).
        #[arg(long, value_name = "FILE")]
        ics: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct OwnArgs {
    /// The ownership item (default: list the open ones).
    pub id: Option<i64>,
    /// Record that you owned the mistake with the client.
    #[arg(long, requires_all = ["how", "said"])]
    pub owned: bool,
    /// call, email or in-person.
    #[arg(long)]
    pub how: Option<String>,
    /// What you said.
    #[arg(long)]
    pub said: Option<String>,
    /// What will be different from now on.
    #[arg(long)]
    pub commit: Option<String>,
}

#[derive(Debug, Args)]
pub struct MishapArgs {
    /// The client (to open a recovery) or the recovery's id (with --step); none lists open recoveries.
    pub target: Option<String>,
    /// late, missed-meeting, system-failure or other.
    #[arg(long)]
    pub kind: Option<String>,
    /// What happened.
    #[arg(long)]
    pub what: Option<String>,
    /// told-ahead, apologized, plan, accepted, resolved or asked-advice.
    #[arg(long)]
    pub step: Option<String>,
    /// The apology, the plan, or a note on the step.
    #[arg(long)]
    pub text: Option<String>,
    /// What the client said.
    #[arg(long)]
    pub client_said: Option<String>,
    /// With no target: list resolved recoveries too.
    #[arg(long)]
    pub all: bool,
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
    pub outcome: String,
    /// When: RFC 3339 or "YYYY-MM-DD HH:MM" in your time zone (default: now).
    #[arg(long)]
    pub at: Option<String>,
    /// call, visit, meeting, online-meeting, email or message.
    #[arg(long, default_value = "call")]
    pub channel: String,
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
}

/// The reflection part shared by `log` and `edit`.
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
    /// How many weeks, ending this week, to rank over.
    #[arg(long, default_value_t = 4)]
    pub weeks: u32,
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
    #[arg(long)]
    pub week: Option<IsoWeek>,
    #[arg(long)]
    pub outcome: Option<String>,
    /// A reason label, a way to say it, or #id.
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub id: i64,
    #[arg(long)]
    pub client: Option<String>,
    #[arg(long)]
    pub outcome: Option<String>,
    #[arg(long)]
    pub at: Option<String>,
    #[arg(long)]
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
    #[arg(long)]
    pub better: Option<String>,
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
