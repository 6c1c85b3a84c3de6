//! `debrief review FILE…`: reads each file (or stdin), reviews it, prints
//! findings the way compilers do (`file:line:col: rule: message`) or JSON.
//! A file that cannot be reviewed is reported and the others still are.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Result, bail};
use debrief_app::review::{ReviewErrorView, ReviewView, review_file};
use debrief_core::critique::{self, InputError, Kind};

use crate::cli::ReviewArgs;
use crate::config::Settings;

pub fn run(args: ReviewArgs, settings: &Settings, json: bool, out: &mut impl Write) -> Result<()> {
    let kind = args.kind.as_deref().map(|k| if k == "message" { Kind::Message } else { Kind::Transcript });
    let one = |path: &Path| {
        let name = path.display().to_string();
        read(path).and_then(|bytes| review_file(&name, &bytes, kind, args.me.as_deref(), &settings.review))
    };
    let mut reviewed = Vec::new();
    let mut failed = Vec::new();
    for result in in_parallel(&args.files, one) {
        match result {
            Ok(view) => reviewed.push(view),
            Err(e) => failed.push(e),
        }
    }
    // Many files print many lines: written in blocks, not a line at a time.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    if json {
        print_json(&mut out, &reviewed, &failed)?;
    } else {
        for view in &reviewed {
            print_text(&mut out, view)?;
        }
    }
    out.flush()?;
    if let [only] = failed.as_slice()
        && args.files.len() == 1
    {
        bail!("{}: {}", only.file, only.error);
    }
    for f in &failed {
        eprintln!("{}: {}", f.file, f.error);
    }
    if !failed.is_empty() {
        bail!("{} of {} files could not be reviewed", failed.len(), args.files.len());
    }
    // The process ends next: freeing the reviews' many small strings one by
    // one would cost more than reviewing a file.
    std::mem::forget(reviewed);
    Ok(())
}

/// Fewer files than this are reviewed on the calling thread: starting
/// threads would cost more than it saves.
const PARALLEL_FROM: usize = 8;

/// `f` of every path, in the paths' order, on as many threads as the
/// machine has cores: each review is independent and pure.
fn in_parallel<T: Send>(paths: &[std::path::PathBuf], f: impl Fn(&Path) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get).min(paths.len());
    if paths.len() < PARALLEL_FROM || threads < 2 {
        return paths.iter().map(|p| f(p)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|k| {
                let (next, f) = (&next, &f);
                scope.spawn(move || {
                    // One worker reads the model while the others start on their files.
                    if k == 1 {
                        critique::prepare();
                    }
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = paths.get(i) else { break };
                        mine.push((i, f(path)));
                    }
                    mine
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

fn read(path: &Path) -> Result<Vec<u8>, ReviewErrorView> {
    let name = path.display().to_string();
    let fail = |error: String| ReviewErrorView { file: name.clone(), error };
    // One byte more than the review reads, so that a longer input is refused
    // by the review's own check without holding all of it.
    let most = critique::MAX_INPUT_BYTES as u64 + 1;
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().take(most).read_to_end(&mut bytes).map_err(|e| fail(format!("cannot read stdin: {e}")))?;
        return Ok(bytes);
    }
    let file = std::fs::File::open(path).map_err(|e| match path.is_dir() {
        true => fail(InputError::Directory.to_string()),
        false => fail(format!("cannot read the file: {e}")),
    })?;
    // The file's own size, so that it is read in one go (one byte more to see its end).
    let meta = file.metadata().map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if meta.is_dir() {
        return Err(fail(InputError::Directory.to_string()));
    }
    if let Ok(len) = usize::try_from(meta.len())
        && len > critique::MAX_INPUT_BYTES
    {
        return Err(fail(InputError::TooLarge { bytes: len }.to_string()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).map_or(0, |n| n.min(critique::MAX_INPUT_BYTES)) + 1);
    file.take(most).read_to_end(&mut bytes).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    Ok(bytes)
}

/// One JSON array: the reviewed files, then one `{"file", "error"}` per file that failed.
fn print_json(out: &mut impl Write, reviewed: &[ReviewView], failed: &[ReviewErrorView]) -> Result<()> {
    let mut all: Vec<serde_json::Value> = reviewed.iter().map(serde_json::to_value).collect::<Result<_, _>>()?;
    all.extend(failed.iter().map(serde_json::to_value).collect::<Result<Vec<_>, _>>()?);
    let mut doc = serde_json::to_string_pretty(&all)?;
    doc.push('\n');
    out.write_all(doc.as_bytes())?;
    Ok(())
}

/// `x` rounded as `{:.0}` rounds it (half to even), written as a whole
/// number: formatting a float to a precision costs far more.
fn whole(x: f64) -> i64 {
    x.round_ties_even() as i64
}

fn print_text(out: &mut impl Write, v: &ReviewView) -> std::io::Result<()> {
    for n in &v.notes {
        writeln!(out, "{}:{}:{}: note: {}", v.file, n.line, n.col, n.message)?;
    }
    for f in &v.findings {
        writeln!(out, "{}:{}:{}: {}: {}", v.file, f.line, f.col, f.rule, f.message)?;
    }
    write!(out, "{}: {} score {}/100 (", v.file, v.kind, v.score)?;
    for (i, p) in v.parts.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        write!(out, "{sep}{} {}/{}", p.name, whole(p.points), whole(p.max))?;
    }
    writeln!(out, ")")?;
    if let Some(me) = &v.me {
        let secs = me.longest_monologue_seconds.map(|s| format!(", {s:.0} s")).unwrap_or_default();
        writeln!(
            out,
            "{}: {} spoke {:.0}% of the words, asked {} question{}, longest monologue {} words{secs}, next step {}",
            v.file,
            me.name,
            me.word_share * 100.0,
            me.questions,
            if me.questions == 1 { "" } else { "s" },
            me.longest_monologue_words,
            if me.next_step_agreed { "agreed" } else { "not agreed" }
        )?;
        if let Some(why) = me.guessed {
            writeln!(
                out,
                "{}: took {} for you ({} {why}); if that is wrong, name yourself with --me NAME or me = \"NAME\" in the config file",
                v.file, me.name, me.name
            )?;
        }
    }
    Ok(())
}
