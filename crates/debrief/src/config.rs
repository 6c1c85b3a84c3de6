//! Settings: flags and environment first, then the config file, then defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use directories::ProjectDirs;
use jiff::tz::TimeZone;
use debrief_core::critique::ReviewConfig;
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
    /// Review rules: `"rule/id" = "off"` or a threshold such as `max_words = 150`.
    #[serde(default)]
    pub review: BTreeMap<String, toml::Spanned<toml::Value>>,
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
    pub rep: String,
    /// `DEBRIEF_NOW` pins the clock (RFC 3339), for reproducible scripts and tests.
    pub now: Option<jiff::Timestamp>,
    pub review: ReviewConfig,
}

/// The config file as read, with its review rules already checked.
#[derive(Debug)]
pub struct Loaded {
    pub file: FileConfig,
    pub review: ReviewConfig,
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
            None => return Ok(Loaded { file: FileConfig::default(), review: ReviewConfig::default() }),
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
            return Ok(Loaded { file: FileConfig::default(), review: ReviewConfig::default() });
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
            Some((line, col)) => anyhow!("line {line}, column {col}: {msg} (valid keys: rep, tz, db, database_url, [review])"),
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
    Ok(Loaded { file, review })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

impl Settings {
    pub fn resolve(cli: &Cli) -> Result<Settings> {
        let Loaded { file, review } = load_file(cli.config.as_deref())?;
        let tz = match cli.tz.as_deref().or(file.tz.as_deref()) {
            Some(name) => TimeZone::get(name)
                .map_err(|_| anyhow!("unknown time zone \"{name}\": expected an IANA name like Europe/Berlin or UTC"))?,
            None => TimeZone::try_system().unwrap_or(TimeZone::UTC),
        };
        let database = match cli.database_url.clone().or(file.database_url) {
            Some(url) => Database::Postgres(url),
            None => Database::Sqlite(match cli.db.clone().or(file.db) {
                Some(path) => path,
                None => default_db()?,
            }),
        };
        let rep = cli.rep.clone().or(file.rep).unwrap_or_else(|| "me".to_string());
        if rep.trim().is_empty() {
            bail!("the rep name is empty: give --rep NAME or leave it out for \"me\"");
        }
        let now = match std::env::var("DEBRIEF_NOW") {
            Ok(text) => Some(text.parse().map_err(|_| {
                anyhow!("DEBRIEF_NOW=\"{text}\" is not a time: expected RFC 3339 like 2026-11-23T14:30:00Z, or unset it")
            })?),
            Err(_) => None,
        };
        Ok(Settings { database, tz, rep, now, review })
    }
}

fn default_db() -> Result<PathBuf> {
    let dirs = dirs().context("no home directory to keep the database in: give --db PATH or DEBRIEF_DB")?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}: give --db PATH", dir.display()))?;
    Ok(dir.join("debrief.db"))
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
    fn line_and_column_count_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
