//! Settings: flags and environment first, then the config file, then defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use debrief_app::{LoopSettings, RepName};
use debrief_core::critique::ReviewConfig;
use debrief_core::followup;
use directories::ProjectDirs;
use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::cli::Cli;

/// The config file (`config.toml`). Unknown keys are an error, so a typo is
/// never silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub rep: Option<String>,
    pub tz: Option<String>,
    pub db: Option<PathBuf>,
    pub database_url: Option<String>,
    /// Working days for streaks and mishap updates, like "mon-fri" or "mon,tue,thu".
    pub working_days: Option<toml::Spanned<String>>,
    /// When rule-made follow-ups may fall on a working day, like "09:00-17:00".
    pub working_hours: Option<toml::Spanned<String>>,
    /// How numeric dates like 30/11/2026 are written: "dmy", "mdy" or "ymd".
    pub date_order: Option<toml::Spanned<String>>,
    /// Follow-up cadences.
    #[serde(default)]
    pub follow_up: FollowUpConfig,
    /// Review rules: `"rule/id" = "off"` or a threshold such as `max_words = 150`.
    #[serde(default)]
    pub review: BTreeMap<String, toml::Spanned<toml::Value>>,
    /// Backups while `serve` runs.
    pub backup: Option<BackupConfig>,
}

/// `[backup]`: `every = "1d"`, `keep = 14`, `folder = "/var/backups/debrief"`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupConfig {
    pub every: toml::Spanned<String>,
    pub keep: Option<usize>,
    pub folder: PathBuf,
}

/// `[follow_up]`: when to chase, check in and update; durations like "2d" or "1w".
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpConfig {
    pub no_answer: Option<toml::Spanned<Vec<String>>>,
    pub won: Option<toml::Spanned<Vec<String>>>,
    pub mishap_updates: Option<bool>,
    pub mishap_update_at: Option<toml::Spanned<String>>,
}

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

#[derive(Debug)]
pub struct Settings {
    pub database: Database,
    pub tz: TimeZone,
    pub rep: RepName,
    /// Whether the rep was named by --rep or DEBRIEF_REP (not the config file's default).
    pub rep_given: bool,
    /// `DEBRIEF_NOW` pins the clock (RFC 3339), for reproducible scripts and tests.
    pub now: Option<jiff::Timestamp>,
    pub review: ReviewConfig,
    pub loop_settings: LoopSettings,
    /// Backups while `serve` runs.
    pub backup: Option<debrief_app::backup::Schedule>,
}

/// The config file as read, with its review rules and loop settings already checked.
#[derive(Debug)]
pub struct Loaded {
    pub file: FileConfig,
    pub review: ReviewConfig,
    pub loop_settings: LoopSettings,
    pub backup: Option<debrief_app::backup::Schedule>,
}

impl Loaded {
    fn defaults() -> Loaded {
        Loaded {
            file: FileConfig::default(),
            review: ReviewConfig::default(),
            loop_settings: LoopSettings::default(),
            backup: None,
        }
    }
}

fn dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "debrief")
}

/// Reads the config file: the given path (which must exist) or the default one (which may not).
pub fn load_file(explicit: Option<&Path>) -> Result<Loaded> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match dirs() {
            Some(d) => d.config_dir().join("config.toml"),
            None => return Ok(Loaded::defaults()),
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
            return Ok(Loaded::defaults());
        }
        Err(e) => bail!("cannot read the config file {}: {e}", path.display()),
    };
    parse_file(&text).with_context(|| format!("in {}", path.display()))
}

fn parse_file(text: &str) -> Result<Loaded> {
    let file: FileConfig = toml::from_str(text).map_err(|e| {
        let at = e.span().map(|s| line_col(text, s.start));
        let msg = e.message().replace('\n', " ");
        match at {
            Some((line, col)) => anyhow!("line {line}, column {col}: {msg} (valid keys: rep, tz, db, database_url, working_days, working_hours, date_order, [follow_up], [review], [backup])"),
            None => anyhow!("{msg}"),
        }
    })?;
    let mut review = ReviewConfig::default();
    for (key, value) in &file.review {
        let text_value = match value.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            _ => {
                let (line, col) = line_col(text, value.span().start);
                bail!("line {line}, column {col}: [review] {key} takes a number, on/off or true/false");
            }
        };
        review.set(key, &text_value).map_err(|e| {
            let (line, col) = line_col(text, value.span().start);
            anyhow!("line {line}, column {col}: [review] {e}")
        })?;
    }
    let loop_settings = loop_settings(&file, text)?;
    let backup = match &file.backup {
        Some(c) => {
            let every = debrief_app::backup::Schedule::every(c.every.get_ref()).map_err(|e| {
                let (line, col) = line_col(text, c.every.span().start);
                anyhow!("line {line}, column {col}: [backup] every: {e}")
            })?;
            Some(debrief_app::backup::Schedule { every, keep: c.keep.unwrap_or(14), folder: c.folder.clone() })
        }
        None => None,
    };
    Ok(Loaded { file, review, loop_settings, backup })
}

/// Cadences and working days from the file, each error naming its line and column.
fn loop_settings(file: &FileConfig, text: &str) -> Result<LoopSettings> {
    let at = |span: std::ops::Range<usize>, e: &dyn std::fmt::Display| {
        let (line, col) = line_col(text, span.start);
        anyhow!("line {line}, column {col}: {e}")
    };
    let mut settings = LoopSettings::default();
    if let Some(days) = &file.working_days {
        settings.working_days = days.get_ref().parse().map_err(|e| at(days.span(), &e))?;
    }
    if let Some(hours) = &file.working_hours {
        settings.working_hours = hours.get_ref().parse().map_err(|e| at(hours.span(), &e))?;
    }
    if let Some(order) = &file.date_order {
        settings.date_order = Some(order.get_ref().parse().map_err(|e| at(order.span(), &e))?);
    }
    let f = &file.follow_up;
    if let Some(list) = &f.no_answer {
        settings.cadences.no_answer = followup::parse_cadence(list.get_ref()).map_err(|e| at(list.span(), &e))?;
    }
    if let Some(list) = &f.won {
        settings.cadences.won = followup::parse_cadence(list.get_ref()).map_err(|e| at(list.span(), &e))?;
    }
    if let Some(on) = f.mishap_updates {
        settings.cadences.mishap_updates = on;
    }
    if let Some(time) = &f.mishap_update_at {
        settings.cadences.mishap_update_at =
            followup::parse_time_of_day(time.get_ref()).map_err(|e| at(time.span(), &e))?;
    }
    settings.cadences.validate().map_err(|e| anyhow!("[follow_up] {e}"))?;
    Ok(settings)
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

impl Settings {
    pub fn resolve(cli: &Cli) -> Result<Settings> {
        let Loaded { file, review, loop_settings, backup } = load_file(cli.config.as_deref())?;
        // `review` reads no time: it is spared reading the system's zone database.
        let needs_zone = !matches!(cli.command, crate::cli::Command::Review(_));
        let tz = match cli.tz.as_deref().or(file.tz.as_deref()) {
            Some(name) => debrief_app::input::zone("tz", name).map_err(|e| anyhow!("{}", e.message))?,
            None if needs_zone => TimeZone::try_system().unwrap_or(TimeZone::UTC),
            None => TimeZone::UTC,
        };
        let database = match cli.database_url.clone().or(file.database_url) {
            Some(url) => Database::Postgres(url),
            None => Database::Sqlite(match cli.db.clone().or(file.db) {
                Some(path) => path,
                None => default_db()?,
            }),
        };
        let rep = cli.rep.clone().or(file.rep).unwrap_or_else(|| "me".to_string());
        let rep = RepName::new(&rep).map_err(|e| anyhow!("--rep: {}", e.message))?;
        let now = match std::env::var("DEBRIEF_NOW") {
            Ok(text) => Some(text.parse().map_err(|_| {
                anyhow!(
                    "DEBRIEF_NOW=\"{text}\" is not a time: expected RFC 3339 like 2026-11-23T14:30:00Z, or unset it"
                )
            })?),
            Err(_) => None,
        };
        Ok(Settings { database, tz, rep, rep_given: cli.rep.is_some(), now, review, loop_settings, backup })
    }
}

fn default_db() -> Result<PathBuf> {
    let dirs = dirs().context("no home directory to keep the database in: give --db PATH or DEBRIEF_DB")?;
    Ok(dirs.data_dir().join("debrief.db"))
}

/// Creates the data directory of the default database file, once a command
/// has been checked and is about to open it.
pub fn ensure_parent(path: &Path) -> Result<()> {
    let default_dir = dirs().map(|d| d.data_dir().to_path_buf());
    match path.parent() {
        Some(dir) if Some(dir) == default_dir.as_deref() => {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}: give --db PATH", dir.display()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_key_names_its_line_and_column() {
        let err = parse_file("rep = \"ana\"\ntimezone = \"UTC\"\n").unwrap_err().to_string();
        assert!(err.starts_with("line 2, column 1: unknown field `timezone`"), "{err}");
        let cfg = parse_file("rep = \"ana\"\ntz = \"Europe/Berlin\"\n").unwrap();
        assert_eq!(cfg.file.rep.as_deref(), Some("ana"));
    }

    #[test]
    fn review_rules_are_checked_where_they_stand() {
        let cfg = parse_file("[review]\n\"cta/multiple\" = \"off\"\nmax_words = 150\n").unwrap();
        assert!(!cfg.review.is_enabled("cta/multiple"));
        let err = parse_file("[review]\nmax_words = \"many\"\n").unwrap_err().to_string();
        assert!(err.starts_with("line 2, column 13: [review]"), "{err}");
    }

    #[test]
    fn cadences_and_working_days_are_read_and_checked() {
        let cfg = parse_file("working_days = \"mon-thu\"\n[follow_up]\nno_answer = [\"1d\", \"3d\"]\n").unwrap();
        assert_eq!(cfg.loop_settings.cadences.no_answer, [1, 3]);
        assert_eq!(cfg.loop_settings.working_days.to_string(), "mon-thu");
        let err = parse_file("[follow_up]\nno_answer = [\"2d\", \"soon\"]\n").unwrap_err().to_string();
        assert!(err.starts_with("line 2, column 13:"), "{err}");
        let err = parse_file("[follow_up]\nchase = [\"2d\"]\n").unwrap_err().to_string();
        assert!(err.starts_with("line 2, column 1:") && err.contains("chase"), "{err}");
    }

    #[test]
    fn line_and_column_count_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
