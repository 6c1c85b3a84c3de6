//! `debrief backup FILE` and `debrief restore FILE [--replace]`.
//!
//! A backup is one consistent file taken while others write: on SQLite a
//! copy of the database (`VACUUM INTO`), on PostgreSQL a versioned JSON
//! archive of every rep's history (each the document of `debrief export
//! --format json`). Beside it, `FILE.sha256` holds its SHA-256 in the form
//! `sha256sum -c` reads. A restore checks that first: a damaged or cut file
//! is refused before anything is touched.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use debrief_store::Import;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::export::Export;
use crate::import::what_of;
use crate::input::RepName;
use crate::{App, AppError, Result};

/// The archive's `format`.
pub const FORMAT: &str = "debrief-backup";
/// The archive's version: a restore refuses a newer one.
pub const VERSION: u32 = 2;

/// What a backup wrote.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BackupView {
    pub file: String,
    /// `sqlite` (a copy of the database file) or `archive` (JSON).
    pub kind: &'static str,
    pub bytes: u64,
    pub sha256: String,
    /// The checksum file written beside it.
    pub checksum_file: String,
}

/// What a restore wrote.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RestoreView {
    pub file: String,
    pub kind: &'static str,
    pub contacts: u64,
    /// Contacts the database held before and that were deleted (`--replace`).
    pub replaced: u64,
}

/// Backups taken while `serve` runs (`[backup]` in the config file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub every: std::time::Duration,
    /// How many of the newest backups in `folder` are kept.
    pub keep: usize,
    pub folder: PathBuf,
}

impl Schedule {
    /// Reads how often: "1d", "12h", "30m" (at least a minute, at most a year).
    pub fn every(text: &str) -> std::result::Result<std::time::Duration, String> {
        let wrong =
            || format!("\"{text}\" is not how often to back up: give a duration such as \"1d\", \"12h\" or \"30m\"");
        let span: jiff::Span = text.trim().parse().map_err(|_| wrong())?;
        let d = span.to_duration(jiff::SpanRelativeTo::days_are_24_hours()).map_err(|_| wrong())?;
        let seconds = d.as_secs();
        if !(60..=366 * 86_400).contains(&seconds) {
            return Err(format!("\"{text}\": back up at most every minute and at least once a year"));
        }
        Ok(std::time::Duration::from_secs(seconds.unsigned_abs()))
    }
}

/// The prefix and extension of scheduled backups: `debrief-20261206T230000Z.backup`.
const SCHEDULED: (&str, &str) = ("debrief-", ".backup");

/// The checksum file of a backup: `FILE.sha256`.
pub fn checksum_path(file: &Path) -> PathBuf {
    with_suffix(file, ".sha256")
}

/// `file` with `suffix` added to its name.
fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn io(path: &Path, what: &str, e: std::io::Error) -> AppError {
    AppError::Rejected(format!("{}: {what}: {e}", path.display()))
}

/// The SHA-256 of a file, in hex, read in blocks, and its size.
fn sha256_of(path: &Path) -> Result<(String, u64)> {
    let mut file = std::fs::File::open(path).map_err(|e| io(path, "cannot be read", e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| io(path, "cannot be read", e))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    let hex = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok((hex, size))
}

/// Writes `FILE.sha256` for `file`.
fn write_checksum(file: &Path) -> Result<(String, u64, PathBuf)> {
    let (hex, size) = sha256_of(file)?;
    let sidecar = checksum_path(file);
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    std::fs::write(&sidecar, format!("{hex}  {name}\n")).map_err(|e| io(&sidecar, "cannot be written", e))?;
    Ok((hex, size, sidecar))
}

/// Checks a backup against its checksum file: refused, with what is wrong,
/// when the checksum file is missing or unreadable or the backup differs.
pub fn verify(file: &Path) -> Result<()> {
    if !file.is_file() {
        return Err(AppError::Rejected(format!("{}: no such backup file", file.display())));
    }
    let sidecar = checksum_path(file);
    let said = std::fs::read_to_string(&sidecar).map_err(|_| {
        AppError::Rejected(format!(
            "{}: its checksum file {} is missing: a backup is restored only with the checksum written beside it",
            file.display(),
            sidecar.display()
        ))
    })?;
    let expected = said.split_whitespace().next().unwrap_or_default().to_ascii_lowercase();
    if expected.len() != 64 || !expected.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::Rejected(format!(
            "{}:1:1: not a SHA-256 checksum: expected 64 hex digits, then the file's name",
            sidecar.display()
        )));
    }
    let (found, size) = sha256_of(file)?;
    if found != expected {
        return Err(AppError::Rejected(format!(
            "{}: damaged or cut ({size} bytes): its SHA-256 is {found}, the checksum file says {expected}; nothing was restored",
            file.display()
        )));
    }
    Ok(())
}

/// Whether a (checked) backup is an archive rather than a database file.
pub fn is_archive(file: &Path) -> Result<bool> {
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(file).map_err(|e| io(file, "cannot be read", e))?;
    let n = f.read(&mut head).map_err(|e| io(file, "cannot be read", e))?;
    Ok(!head[..n].starts_with(b"SQLite format 3\0"))
}

impl App {
    /// Writes a backup of the whole database to `file`, which must not
    /// exist, and its checksum file beside it.
    pub async fn backup(&self, file: &Path) -> Result<BackupView> {
        if file.exists() {
            return Err(AppError::Conflict(format!(
                "{} already exists: a backup goes to a new file (give another name, or remove it first)",
                file.display()
            )));
        }
        let kind = if self.store().backup_file(file).await? {
            "sqlite"
        } else {
            // Every rep read at one moment, however long the writing takes.
            self.ensure_vocabulary().await?;
            let Some(snapshot) = self.store().snapshot().await? else {
                return Err(AppError::Failed("this database can be neither copied nor read at one moment".into()));
            };
            let app = App { store: snapshot, ..self.clone() };
            let staged = with_suffix(file, ".partial");
            if let Err(e) = app.write_archive(&staged).await {
                let _ = std::fs::remove_file(&staged);
                return Err(e);
            }
            std::fs::rename(&staged, file).map_err(|e| io(file, "cannot be written", e))?;
            "archive"
        };
        let (sha256, bytes, sidecar) = write_checksum(file)?;
        Ok(BackupView {
            file: file.display().to_string(),
            kind,
            bytes,
            sha256,
            checksum_file: sidecar.display().to_string(),
        })
    }

    /// A backup into the schedule's folder (made if missing), named by the
    /// time it is taken; then all but the newest `keep` there are removed
    /// with their checksum files.
    pub async fn scheduled_backup(&self, schedule: &Schedule) -> Result<BackupView> {
        let folder = &schedule.folder;
        std::fs::create_dir_all(folder).map_err(|e| io(folder, "cannot be made", e))?;
        let stamp = self.now().strftime("%Y%m%dT%H%M%SZ").to_string();
        let (prefix, ext) = SCHEDULED;
        let mut file = folder.join(format!("{prefix}{stamp}{ext}"));
        let mut n = 1;
        while file.exists() {
            file = folder.join(format!("{prefix}{stamp}-{n}{ext}"));
            n += 1;
        }
        let view = self.backup(&file).await?;
        let mut taken: Vec<PathBuf> = std::fs::read_dir(folder)
            .map_err(|e| io(folder, "cannot be listed", e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix) && n.ends_with(ext))
            })
            .collect();
        taken.sort();
        let surplus = taken.len().saturating_sub(schedule.keep.max(1));
        for old in taken.iter().take(surplus) {
            std::fs::remove_file(old).map_err(|e| io(old, "cannot be removed", e))?;
            let _ = std::fs::remove_file(checksum_path(old));
        }
        Ok(view)
    }

    /// Writes every rep's history into `path` as one archive, a rep at a
    /// time: `{"format": FORMAT, "version": VERSION, "taken_at": …, "reps":
    /// [each rep's export document]}`; what is held in memory is one rep's history, whatever the
    /// size of the database.
    async fn write_archive(&self, path: &Path) -> Result<()> {
        let fail = |e: std::io::Error| io(path, "cannot be written", e);
        let file = std::fs::File::create(path).map_err(fail)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        let text = |s: &str| serde_json::Value::from(s).to_string();
        let taken_at = self.now().to_string();
        write!(out, "{{\"format\":{},\"version\":{VERSION},\"taken_at\":{},\"reps\":[", text(FORMAT), text(&taken_at))
            .map_err(fail)?;
        for (i, summary) in self.store().reps().await?.into_iter().enumerate() {
            let name = RepName::new(&summary.name).map_err(|e| AppError::Rejected(e.to_string()))?;
            let export = self.export(&name).await?;
            if i > 0 {
                out.write_all(b",").map_err(fail)?;
            }
            serde_json::to_writer(&mut out, &export).map_err(|e| AppError::Failed(e.to_string()))?;
        }
        out.write_all(b"]}").map_err(fail)?;
        let file = out.into_inner().map_err(|e| fail(e.into_error()))?;
        file.sync_all().map_err(fail)
    }

    /// Writes a checked archive into this database in one transaction,
    /// reading it a rep at a time (one rep's history is in memory at once)
    /// and writing each rep while the next is read: refused when the
    /// database holds contacts, unless `replace`. A file that is not an
    /// archive, or of a newer version, is refused before any rep is written;
    /// one that goes wrong later leaves the database as it was.
    pub async fn restore_archive(&self, path: &Path, replace: bool) -> Result<RestoreView> {
        let file = path.display().to_string();
        let known: Vec<(String, i64)> =
            self.vocabulary_entries().await?.into_iter().map(|v| (v.reason.label, v.reason.id.0)).collect();
        let held = self.store().count_contacts(&debrief_store::ContactQuery::default()).await?;
        let mut restorer = self.store().begin_restore(replace).await?;
        let (sender, mut docs) = tokio::sync::mpsc::channel::<Import>(1);
        let reader = {
            let (path, file) = (path.to_path_buf(), file.clone());
            tokio::task::spawn_blocking(move || {
                let known: HashMap<&str, i64> = known.iter().map(|(label, id)| (label.as_str(), *id)).collect();
                read_archive(&path, &file, &known, |doc| sender.blocking_send(doc).is_ok())
            })
        };
        let mut written = Ok(());
        while let Some(doc) = docs.recv().await {
            if let Err(e) = restorer.rep(&doc).await {
                written = Err(e);
                break;
            }
        }
        // The reader stops at its next rep once no one takes it.
        drop(docs);
        let read = reader.await.map_err(|e| AppError::Failed(format!("{file}: the reading stopped: {e}")))?;
        written?;
        read?;
        let counts = restorer.commit().await?;
        Ok(RestoreView {
            file,
            kind: "archive",
            contacts: counts.contacts as u64,
            replaced: if replace { held } else { 0 },
        })
    }
}

/// What a backup archive is called and where it comes from, for its errors.
const ARCHIVE: crate::import::Versioned = crate::import::Versioned {
    kind: "backup",
    format: FORMAT,
    version: VERSION,
    lacks: "neither a SQLite database nor \"format\": \"debrief-backup\"",
    written_by: "debrief backup",
};

/// Reads the archive at `path` a rep at a time: its format and version
/// first (they come before its reps), then each rep's history, checked and
/// handed to `deliver`, which says whether to go on. Where and why the file
/// is not an archive this build reads, by line and column.
fn read_archive(
    path: &Path,
    file: &str,
    known: &HashMap<&str, i64>,
    mut deliver: impl FnMut(Import) -> bool,
) -> Result<()> {
    let refuse = |what: String| AppError::Rejected(format!("{file}: {what}"));
    let input = std::fs::File::open(path).map_err(|e| io(path, "cannot be read", e))?;
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 20, input));
    let mut why = None;
    let visitor = ArchiveVisitor { known, deliver: &mut deliver, why: &mut why };
    let read = serde::Deserializer::deserialize_map(&mut de, visitor).and_then(|()| de.end());
    let Err(e) = read else { return Ok(()) };
    let place = format!("line {}, column {}", e.line(), e.column());
    match why {
        Some(Why::Stopped) => Ok(()),
        Some(Why::Head(what)) => Err(refuse(what)),
        // Read whole before it is checked: the place is where the rep ends.
        Some(Why::Refused(what)) => Err(refuse(format!("{what} (the rep ends at {place})"))),
        _ if e.is_syntax() || e.is_eof() => Err(refuse(ARCHIVE.not_json(&e))),
        Some(Why::Rep(i, at)) => Err(refuse(format!("{place}: at reps[{i}]{at}: {}", what_of(&e)))),
        None => Err(refuse(format!("{place}: {}", what_of(&e)))),
    }
}

/// Why reading an archive stopped, besides what serde says.
enum Why {
    /// The format or version says it is not an archive this build reads.
    Head(String),
    /// The rep at this index was wrong at this path inside it.
    Rep(usize, String),
    /// A rep's history does not hold together.
    Refused(String),
    /// The rep's history was not taken: writing stopped.
    Stopped,
}

struct ArchiveVisitor<'a, F> {
    known: &'a HashMap<&'a str, i64>,
    deliver: &'a mut F,
    why: &'a mut Option<Why>,
}

impl<'de, F: FnMut(Import) -> bool> serde::de::Visitor<'de> for ArchiveVisitor<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a debrief backup archive")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        use serde::de::Error;
        let (mut format, mut version) = (None::<serde_json::Value>, None::<serde_json::Value>);
        // The format and version govern the reps: they are checked before them.
        let mut head = |format: &Option<serde_json::Value>, version: &Option<serde_json::Value>| {
            let found = format.as_ref().and_then(|f| f.as_str());
            ARCHIVE.check(found, version.as_ref().and_then(serde_json::Value::as_u64)).map_err(|what| {
                *self.why = Some(Why::Head(what));
                A::Error::custom("head")
            })
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => format = Some(map.next_value()?),
                "version" => version = Some(map.next_value()?),
                "reps" => {
                    head(&format, &version)?;
                    map.next_value_seed(Reps { known: self.known, deliver: &mut *self.deliver, why: &mut *self.why })?;
                    while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                    return Ok(());
                }
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        head(&format, &version)?;
        *self.why =
            Some(Why::Head("the backup has no \"reps\": it is cut or was not written by `debrief backup`".into()));
        Err(A::Error::custom("head"))
    }
}

/// The archive's reps, each read, checked and delivered before the next.
struct Reps<'a, F> {
    known: &'a HashMap<&'a str, i64>,
    deliver: &'a mut F,
    why: &'a mut Option<Why>,
}

impl<'de, F: FnMut(Import) -> bool> serde::de::DeserializeSeed<'de> for Reps<'_, F> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(Import) -> bool> serde::de::Visitor<'de> for Reps<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of reps' histories")
    }

    fn visit_seq<S: serde::de::SeqAccess<'de>>(self, mut seq: S) -> std::result::Result<(), S::Error> {
        use serde::de::Error;
        for i in 0.. {
            let mut track = serde_path_to_error::Track::new();
            let export = match seq.next_element_seed(Tracked(&mut track)) {
                Ok(Some(export)) => export,
                Ok(None) => break,
                Err(e) => {
                    let at = track.path().to_string();
                    *self.why = Some(Why::Rep(i, if at == "." { String::new() } else { format!(".{at}") }));
                    return Err(e);
                }
            };
            let doc = RepName::new(&export.rep)
                .map_err(|e| format!("at reps[{i}]: rep {:?}: {e}", export.rep))
                .and_then(|rep| {
                    crate::import::resolve(&export, &rep, self.known)
                        .map_err(|e| format!("reps[{i}] ({}): {e}", export.rep))
                });
            let doc = match doc {
                Ok(doc) => doc,
                Err(what) => {
                    *self.why = Some(Why::Refused(what));
                    return Err(S::Error::custom("refused"));
                }
            };
            drop(export);
            if !(self.deliver)(doc) {
                *self.why = Some(Why::Stopped);
                return Err(S::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

/// One rep's history, with the path inside it of what is wrong.
struct Tracked<'t>(&'t mut serde_path_to_error::Track);

impl<'de> serde::de::DeserializeSeed<'de> for Tracked<'_> {
    type Value = Export;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Export, D::Error> {
        Export::deserialize(serde_path_to_error::Deserializer::new(d, self.0))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::{Clock, FixedClock};

    #[test]
    fn how_often_reads_durations_and_says_what_is_wrong() {
        assert_eq!(Schedule::every("1d"), Ok(std::time::Duration::from_secs(86_400)));
        assert_eq!(Schedule::every("12h"), Ok(std::time::Duration::from_secs(43_200)));
        assert_eq!(Schedule::every(" 30m "), Ok(std::time::Duration::from_secs(1_800)));
        assert!(Schedule::every("soon").unwrap_err().contains("\"soon\" is not how often to back up"));
        assert!(Schedule::every("10s").unwrap_err().contains("at most every minute"));
        assert!(Schedule::every("2y").is_err());
    }

    #[test]
    fn scheduled_backups_keep_the_newest_each_with_its_checksum() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let store = Arc::new(debrief_store::SqliteStore::open(&dir.path().join("live.db")).await.unwrap());
            let schedule =
                Schedule { every: std::time::Duration::from_secs(3600), keep: 2, folder: dir.path().join("backups") };
            let mut names = Vec::new();
            for hour in 10..14 {
                let now: jiff::Timestamp = format!("2026-12-06T{hour}:00:00Z").parse().unwrap();
                let clock: Arc<dyn Clock> = Arc::new(FixedClock(now));
                let app = App::new(store.clone(), clock, jiff::tz::TimeZone::UTC);
                let view = app.scheduled_backup(&schedule).await.unwrap();
                assert_eq!(view.kind, "sqlite");
                verify(Path::new(&view.file)).unwrap();
                names.push(view.file);
            }
            let mut left: Vec<String> = std::fs::read_dir(&schedule.folder)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            left.sort();
            assert_eq!(
                left,
                [
                    "debrief-20261206T120000Z.backup",
                    "debrief-20261206T120000Z.backup.sha256",
                    "debrief-20261206T130000Z.backup",
                    "debrief-20261206T130000Z.backup.sha256"
                ]
            );
            // The same second twice: a second file, not a refusal.
            let clock: Arc<dyn Clock> = Arc::new(FixedClock("2026-12-06T13:00:00Z".parse().unwrap()));
            let app = App::new(store.clone(), clock, jiff::tz::TimeZone::UTC);
            let view = app.scheduled_backup(&schedule).await.unwrap();
            assert!(view.file.ends_with("debrief-20261206T130000Z-1.backup"), "{}", view.file);
        });
    }
}
