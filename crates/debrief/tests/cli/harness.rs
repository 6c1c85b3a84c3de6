//! Runs the real `debrief` binary against a fresh SQLite file or a fresh
//! PostgreSQL schema, with a pinned clock and no user configuration.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

/// The clock every command sees unless a test says otherwise: Friday of 2026-W48.
pub const NOW: &str = "2026-11-27T18:00:00Z";

const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/test";

pub enum Target {
    Sqlite(PathBuf),
    Postgres { url: String, schema: String, admin: String },
}

pub struct Db {
    pub dir: TempDir,
    pub target: Target,
    pub now: String,
}

impl Db {
    pub fn sqlite() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("debrief.db");
        Db { dir, target: Target::Sqlite(path), now: NOW.into() }
    }

    /// A fresh schema on the test PostgreSQL server; `None` (with a note) when
    /// there is none, except under CI, where a missing server fails the test.
    pub fn postgres() -> Option<Db> {
        let admin = std::env::var("DEBRIEF_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_PG.into());
        let schema = format!("cli_{:016x}", rand_u64());
        let created = runtime().block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&admin).await?;
            sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut conn).await?;
            Ok::<_, sqlx::Error>(())
        });
        if let Err(e) = created {
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but PostgreSQL at {admin} is unreachable: {e}");
            }
            eprintln!("note: skipping a PostgreSQL case, no server at {admin}: {e}");
            return None;
        }
        let sep = if admin.contains('?') { '&' } else { '?' };
        let url = format!("{admin}{sep}options=-c%20search_path%3D{schema}");
        let dir = tempfile::tempdir().unwrap();
        Some(Db { dir, target: Target::Postgres { url, schema, admin }, now: NOW.into() })
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_debrief"));
        cmd.args(args)
            .env_remove("DEBRIEF_DB")
            .env_remove("DEBRIEF_DATABASE_URL")
            .env_remove("DEBRIEF_REP")
            .env_remove("DEBRIEF_CONFIG")
            .env("DEBRIEF_TZ", "UTC")
            .env("DEBRIEF_NOW", &self.now)
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("HOME", self.dir.path())
            .stdin(Stdio::null());
        match &self.target {
            Target::Sqlite(path) => cmd.env("DEBRIEF_DB", path),
            Target::Postgres { url, .. } => cmd.env("DEBRIEF_DATABASE_URL", url),
        };
        cmd
    }

    fn output(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("the debrief binary runs")
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.output(args);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "debrief {args:?} failed: {stderr}\n{stdout}");
        stdout.into_owned()
    }

    /// Runs a command with `--json` and parses its output.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("debrief {args:?} printed no JSON ({e}): {out}"))
    }

    /// Runs a command that must fail with a one-line error; returns that line.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.output(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "debrief {args:?} should have failed");
        assert_eq!(stderr.trim_end().lines().count(), 1, "not one line: {stderr}");
        assert!(out.stdout.is_empty(), "a failure printed to stdout: {}", String::from_utf8_lossy(&out.stdout));
        stderr.trim_end().to_string()
    }

    /// Everything stored, as the user can read it back.
    pub fn snapshot(&self) -> String {
        let contacts = self.ok(&["list", "--json", "--limit", "500"]);
        let reasons = self.ok(&["reasons", "list", "--json"]);
        let focus = self.ok(&["focus", "--json"]);
        format!("{contacts}\n{reasons}\n{focus}")
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Target::Postgres { schema, admin, .. } = &self.target {
            let _ = runtime().block_on(async {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(admin).await?;
                sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&mut conn).await?;
                Ok::<_, sqlx::Error>(())
            });
        }
    }
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}

/// Logs one contact; `extra` are further flags.
pub fn log(db: &Db, client: &str, outcome: &str, at: &str, extra: &[&str]) -> Value {
    let mut args = vec!["log", client, outcome, "--at", at];
    args.extend_from_slice(extra);
    db.json(&args)
}
