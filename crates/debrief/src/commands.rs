//! Runs a checked request: opens the store only now, calls the application,
//! renders the result as text or JSON.

use std::io::{IsTerminal, Read, Write};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use debrief_app::input::{ApologyRequest, DemoRequest, LogCheck, LogRequest, WeekRequest};
use debrief_app::{App, Clock, DemoOptions, FixedClock, RepName, SystemClock};
use debrief_store::{PostgresStore, SqliteStore, Store};
use serde::Serialize;

use crate::cli::{Cli, ServeArgs};
use crate::config::{Database, Settings};
use crate::output::Paint;
use crate::request::{Offline, Online, Request, StepRequest};
use crate::{prompt, render, steps};

pub async fn run(cli: Cli, out: &mut impl Paint) -> Result<()> {
    let settings = Settings::resolve(&cli)?;
    let clock: Arc<dyn Clock> = match settings.now {
        Some(now) => Arc::new(FixedClock(now)),
        None => Arc::new(SystemClock),
    };
    let cx =
        debrief_app::Context::new(settings.tz.clone(), clock.now()).with_date_order(settings.loop_settings.date_order);
    // Everything the user typed is checked before anything is opened.
    let request = Request::parse(cli.command, &cx)?;
    let json = cli.json;
    match request {
        Request::Offline(Offline::Review(args)) => crate::review::run(args, &settings, json, out),
        Request::Offline(Offline::Apology(req)) => apology(req, json, out),
        Request::Offline(Offline::Completions(shell)) => completions(shell, out),
        Request::Offline(Offline::Man) => man(out),
        Request::Offline(Offline::Restore { file, replace }) => {
            restore(&file, replace, &settings, clock, json, out).await
        }
        Request::Online(request) => {
            let serve = matches!(request, Online::Serve(_));
            let app = open(&settings, clock, serve).await?;
            execute(request, &app, &settings, json, out).await
        }
    }
}

/// `debrief restore FILE`: the checksum first; a SQLite backup then takes
/// the database file's place, an archive is written through the store.
async fn restore(
    file: &std::path::Path,
    replace: bool,
    settings: &Settings,
    clock: Arc<dyn Clock>,
    json: bool,
    out: &mut impl Paint,
) -> Result<()> {
    use debrief_app::backup::{RestoreView, is_archive, verify};
    verify(file)?;
    let name = file.display().to_string();
    let view = if is_archive(file)? {
        let app = open(settings, clock, false).await?;
        app.restore_archive(file, replace).await?
    } else {
        let Database::Sqlite(target) = &settings.database else {
            bail!(
                "{name} is a SQLite backup: it is restored into a SQLite database (--db FILE); to move a history to PostgreSQL, use `debrief export --format json` and `debrief import`"
            );
        };
        crate::config::ensure_parent(target)?;
        let restored = SqliteStore::restore_file(file, target, replace).await?;
        RestoreView { file: name, kind: "sqlite", contacts: restored.contacts, replaced: restored.replaced }
    };
    emit(out, json, &view, |o| {
        let replaced = match view.replaced {
            0 => String::new(),
            1 => " (the 1 contact that was there is gone)".to_string(),
            n => format!(" ({n} contacts that were there are gone)"),
        };
        let s = if view.contacts == 1 { "" } else { "s" };
        writeln!(o, "Restored {} contact{s} from {}{replaced}.", view.contacts, view.file)
    })
}

async fn open(settings: &Settings, clock: Arc<dyn Clock>, serve: bool) -> Result<App> {
    let store: Arc<dyn Store> = match &settings.database {
        // A server reads side by side; a single command opens the file once.
        Database::Sqlite(path) => {
            crate::config::ensure_parent(path)?;
            let connections = if serve { 4 } else { 1 };
            Arc::new(SqliteStore::open_with_connections(path, connections).await?)
        }
        Database::Postgres(url) => Arc::new(PostgresStore::connect(url).await?),
    };
    let app = App::new(store, clock, settings.tz.clone()).with_settings(settings.loop_settings.clone());
    // The rep's weeks and days are counted in the rep's own zone.
    Ok(app.for_rep(&settings.rep).await?)
}

async fn execute(request: Online, app: &App, settings: &Settings, json: bool, out: &mut impl Paint) -> Result<()> {
    let rep = &settings.rep;
    match request {
        Online::Log(check, meeting) => {
            let req = complete_log(check, app, rep).await?;
            let view = match meeting {
                Some(id) => app.log_meeting(rep, id, req).await?,
                None => app.log(rep, req).await?,
            };
            emit(out, json, &view, |o| render::logged(o, &view))
        }
        Online::Week { week, all } => {
            let view = app.week(rep, &week).await?;
            emit(out, json, &view, |o| render::week(o, &view, all))
        }
        Online::Reasons(req) => {
            let view = app.reasons(rep, &req).await?;
            emit(out, json, &view, |o| render::reasons(o, &view))
        }
        Online::ReasonsList => {
            let view = app.vocabulary().await?;
            emit(out, json, &view, |o| render::vocabulary(o, &view))
        }
        Online::Merge(req) => {
            let (from, into) = app.merge_reasons(&req).await?;
            let view = serde_json::json!({ "merged": from.label, "into": into.label, "id": into.id.0 });
            emit(out, json, &view, |o| {
                writeln!(
                    o,
                    "\"{}\" now counts as \"{}\" (#{}); every text stays as written.",
                    from.label, into.label, into.id
                )
            })
        }
        Online::Rename(req) => {
            let reason = app.rename_reason(&req).await?;
            let view = serde_json::json!({ "id": reason.id.0, "reason": reason.label });
            emit(out, json, &view, |o| writeln!(o, "#{} is now \"{}\".", reason.id, reason.label))
        }
        Online::Refile(req) => {
            let view = app.refile(&req).await.map_err(crate::request::refile_flags)?;
            emit(out, json, &view, |o| render::refiled(o, &view))
        }
        Online::Focus => {
            let view = app.focus(rep).await?;
            emit(out, json, &view, |o| render::focus(o, view.as_ref()))
        }
        Online::FocusSet(req) => {
            let view = app.set_focus(rep, &req).await?;
            emit(out, json, &view, |o| render::focus(o, Some(&view)))
        }
        Online::FocusClear => {
            app.clear_focus(rep).await?;
            let view = serde_json::json!({ "cleared": true });
            emit(out, json, &view, |o| writeln!(o, "Focus cleared. `debrief focus` suggests the next one."))
        }
        Online::Trend(req) => {
            let view = app.trend(rep, &req).await?;
            emit(out, json, &view, |o| render::trend(o, &view))
        }
        Online::List(req) => {
            let view = app.list(rep, &req).await?;
            emit(out, json, &view, |o| render::contact_list(o, &view))
        }
        Online::Show(id) => {
            let view = app.show(id).await?;
            emit(out, json, &view, |o| render::contact(o, &view))
        }
        Online::Edit(req) => {
            let view = app.edit(req).await?;
            emit(out, json, &view, |o| render::contact(o, &view))
        }
        Online::Delete { id, yes } => {
            let contact = app.show(id).await?;
            if !yes && !prompt::confirm_delete(&contact)? {
                bail!("#{id} was not deleted");
            }
            app.delete(id).await?;
            let view = serde_json::json!({ "deleted": id });
            emit(out, json, &view, |o| writeln!(o, "Deleted #{id} ({}, {}).", contact.client, contact.outcome))
        }
        Online::Demo(req) => demo(req, app, rep, json, out).await,
        Online::Zone(req) => {
            let view = match req {
                Some(req) => app.set_zone(rep, &req).await?,
                None => app.zone(rep).await?,
            };
            emit(out, json, &view, |o| writeln!(o, "{}'s weeks and days are counted in {}.", view.rep, view.tz))
        }
        Online::Serve(args) => serve(args, app, rep, settings, out).await,
        Online::Step(StepRequest::Import(mut req)) => {
            req.csv.rep = settings.rep_given.then(|| rep.clone());
            steps::run(StepRequest::Import(req), app, rep, json, out).await
        }
        Online::Step(step) => steps::run(step, app, rep, json, out).await,
    }
}

/// Asks, when stdin is a terminal, for what a contact still needs: whether
/// an unknown client is a new lead, and the reason of a lost contact.
async fn complete_log(check: LogCheck, app: &App, rep: &RepName) -> Result<LogRequest> {
    let interactive = std::io::stdin().is_terminal();
    let mut req = match check {
        LogCheck::Ready(req) => req,
        LogCheck::NeedsReason(raw) if interactive => {
            let raw = prompt::complete_log(app, rep, raw).await?;
            LogRequest::new(raw, &app.context()).map_err(|e| crate::request::log_flags(e.first()))?
        }
        LogCheck::NeedsReason(raw) => {
            // Not interactive: the refusal as every interface says it.
            LogRequest::new(raw, &app.context()).map_err(|e| crate::request::log_flags(e.first()))?
        }
    };
    if interactive {
        prompt::settle_filings(app, rep, &mut req).await?;
        prompt::new_lead(app, rep, &mut req).await?;
    }
    Ok(req)
}

async fn demo(req: DemoRequest, app: &App, rep: &RepName, json: bool, out: &mut impl Paint) -> Result<()> {
    let opts = DemoOptions::new(rep, &req);
    let view = app.demo(&opts).await?;
    emit(out, json, &view, |o| render::demo(o, &view, rep.as_str()))?;
    if !json {
        // A newcomer sees the week filled in at once.
        writeln!(out)?;
        render::week(out, &app.week(rep, &WeekRequest::current()).await?, false)?;
    }
    Ok(())
}

/// Serves the web app with the config file's review rules.
async fn serve(args: ServeArgs, app: &App, rep: &RepName, settings: &Settings, out: &mut impl Write) -> Result<()> {
    if args.demo && !app.has_contacts().await? {
        let opts = DemoOptions::new(rep, &DemoRequest::new(Default::default())?);
        let view = app.demo(&opts).await?;
        writeln!(out, "Filled the database with {} demo contacts over {} weeks.", view.contacts, view.weeks)?;
    }
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}: give another --addr", args.addr))?;
    let addr = listener.local_addr()?;
    writeln!(out, "debrief is serving http://{addr}/ (as \"{rep}\"); Ctrl-C stops it.")?;
    out.flush()?;
    // Backups on the schedule of the config file: one now, then every period,
    // for as long as the server runs.
    let backups = settings.backup.clone().map(|schedule| {
        writeln!(
            out,
            "Backing up to {} every {} (the newest {} kept).",
            schedule.folder.display(),
            jiff::SignedDuration::try_from(schedule.every).map_or_else(|_| "?".into(), |d| format!("{d:#}")),
            schedule.keep
        )
        .ok();
        let app = app.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(schedule.every);
            loop {
                ticks.tick().await;
                if let Err(e) = app.scheduled_backup(&schedule).await {
                    eprintln!("debrief: the scheduled backup failed: {e}");
                }
            }
        })
    });
    out.flush()?;
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let served = debrief_web::serve(app.clone(), rep.clone(), settings.review.clone(), listener, shutdown).await;
    if let Some(task) = backups {
        task.abort();
    }
    served?;
    Ok(())
}

/// `debrief apology TEXT`: needs no database; `-` reads stdin (at most what an apology may hold).
fn apology(req: Option<ApologyRequest>, json: bool, out: &mut impl Write) -> Result<()> {
    let req = match req {
        Some(req) => req,
        None => {
            let text = read_stdin(debrief_app::input::MAX_TEXT_BYTES)?;
            crate::request::flags(ApologyRequest::new(&text), &[("text", "TEXT")])?
        }
    };
    let view = debrief_app::check_apology(&req)?;
    emit(out, json, &view, |o| steps::apology_text(o, &view))
}

/// Stdin as text, refused when longer than `max` bytes.
pub fn read_stdin(max: usize) -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin().take(max as u64 + 1).read_to_end(&mut bytes).context("cannot read stdin")?;
    if bytes.len() > max {
        bail!("stdin holds more than {max} bytes: give a shorter text");
    }
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!("stdin is not UTF-8 text (byte {}): give UTF-8 text", e.utf8_error().valid_up_to())
    })
}

fn completions(shell: crate::cli::Shell, out: &mut impl Write) -> Result<()> {
    let mut command = <Cli as clap::CommandFactory>::command();
    // Written to memory first: the generator gives up on a closed pipe with a panic.
    let mut script = Vec::new();
    clap_complete::generate(shell.generator(), &mut command, "debrief", &mut script);
    out.write_all(&script)?;
    Ok(())
}

fn man(out: &mut impl Write) -> Result<()> {
    let command = <Cli as clap::CommandFactory>::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    out.write_all(&page)?;
    Ok(())
}

/// Prints `view` as pretty JSON, or as text through `text`.
pub(crate) fn emit<W: Write, T: Serialize>(
    out: &mut W,
    json: bool,
    view: &T,
    text: impl FnOnce(&mut W) -> std::io::Result<()>,
) -> Result<()> {
    if json {
        // Serialized first, so that a closed pipe is an I/O error like any other write.
        let mut doc = serde_json::to_string_pretty(view)?;
        doc.push('\n');
        out.write_all(doc.as_bytes())?;
    } else {
        text(out)?;
    }
    Ok(())
}
