//! Turns parsed arguments into application requests, runs them, renders the result.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use debrief_app::{
    App, Clock, ContactFilter, ContactPatch, DemoOptions, FixedClock, LogRequest, ReasonEntry, SystemClock,
};
use debrief_core::entry::{pair, parse_at};
use debrief_core::model::{Channel, Outcome};
use debrief_store::{PostgresStore, SqliteStore, Store};
use serde::Serialize;

use crate::cli::{Cli, Command, DebriefArgs, EditArgs, FocusAction, ListArgs, LogArgs, ReasonsAction, ReasonsArgs};
use crate::config::{Database, Settings};
use crate::{prompt, render};

pub async fn run(cli: Cli) -> Result<()> {
    let settings = Settings::resolve(&cli)?;
    // Reviewing files and checking an apology need no database.
    match cli.command {
        Command::Review(args) => return crate::review::run(args, &settings, cli.json),
        Command::Apology { text } => return crate::steps::apology(&text, cli.json, &mut std::io::stdout().lock()),
        _ => {}
    }
    // Everything the user typed is checked before the database is opened.
    let request = Request::parse(cli.command, &settings)?;
    let serve = matches!(request, Request::Other(Command::Serve(_)));
    let app = open(&settings, serve).await?;
    let out = &mut std::io::stdout().lock();
    request.execute(&app, &settings, cli.json, out).await
}

async fn open(settings: &Settings, serve: bool) -> Result<App> {
    let store: Arc<dyn Store> = match &settings.database {
        // A server reads side by side; a single command opens the file once.
        Database::Sqlite(path) if serve => Arc::new(SqliteStore::open(path).await?),
        Database::Sqlite(path) => Arc::new(SqliteStore::open_with_connections(path, 1).await?),
        Database::Postgres(url) => Arc::new(PostgresStore::connect(url).await?),
    };
    let clock: Arc<dyn Clock> = match settings.now {
        Some(now) => Arc::new(FixedClock(now)),
        None => Arc::new(SystemClock),
    };
    Ok(App::new(store, clock, settings.tz.clone()).with_settings(settings.loop_settings.clone()))
}

/// A command whose input has been validated.
enum Request {
    Log(LogRequest, bool),
    Other(Command),
}

impl Request {
    fn parse(command: Command, settings: &Settings) -> Result<Request> {
        match command {
            Command::Log(args) => {
                let interactive = std::io::stdin().is_terminal();
                Ok(Request::Log(log_request(args, settings, interactive)?, interactive))
            }
            other => Ok(Request::Other(other)),
        }
    }

    async fn execute(self, app: &App, settings: &Settings, json: bool, out: &mut impl Write) -> Result<()> {
        let rep = settings.rep.as_str();
        match self {
            Request::Log(mut req, interactive) => {
                if interactive {
                    prompt::new_lead(app, &mut req).await?;
                    prompt::complete_log(app, &mut req).await?;
                }
                let view = app.log(req).await?;
                emit(out, json, &view, |o| writeln!(o, "{}", view.next_step))
            }
            Request::Other(Command::Serve(args)) => serve(args, app, rep, settings.review.clone(), out).await,
            Request::Other(command) => other(command, app, rep, json, out).await,
        }
    }
}

async fn other(command: Command, app: &App, rep: &str, json: bool, out: &mut impl Write) -> Result<()> {
    let Some(command) = crate::steps::run(command, app, rep, json, out).await? else {
        return Ok(());
    };
    match command {
        Command::Log(_) | Command::Review(_) | Command::Apology { .. } => {
            unreachable!("handled before the store is opened")
        }
        Command::Serve(_) => unreachable!("handled with the settings"),
        Command::Own(_)
        | Command::Mishap(_)
        | Command::Due { .. }
        | Command::Done { .. }
        | Command::Snooze { .. }
        | Command::FollowUp { .. }
        | Command::Today(_)
        | Command::Export { .. } => unreachable!("handled by steps::run"),
        Command::Week { week } => {
            let view = app.week(rep, week).await?;
            emit(out, json, &view, |o| render::week(o, &view))
        }
        Command::Reasons(args) => reasons(args, app, rep, json, out).await,
        Command::Focus { action } => focus(action, app, rep, json, out).await,
        Command::Trend { weeks } => {
            let view = app.trend(rep, weeks, None).await?;
            emit(out, json, &view, |o| render::trend(o, &view))
        }
        Command::List(args) => {
            let view = app.list(&list_filter(args, rep)?).await?;
            emit(out, json, &view, |o| render::contact_list(o, &view))
        }
        Command::Show { id } => {
            let view = app.show(id).await?;
            emit(out, json, &view, |o| render::contact(o, &view))
        }
        Command::Edit(args) => {
            let id = args.id;
            let view = app.edit(id, patch(args, app.tz())?).await?;
            emit(out, json, &view, |o| render::contact(o, &view))
        }
        Command::Delete { id, yes } => {
            let contact = app.show(id).await?;
            if !yes && !prompt::confirm_delete(&contact)? {
                bail!("#{id} was not deleted");
            }
            app.delete(id).await?;
            let view = serde_json::json!({ "deleted": id });
            emit(out, json, &view, |o| writeln!(o, "Deleted #{id} ({}, {}).", contact.client, contact.outcome))
        }
        Command::Demo(args) => {
            let opts = DemoOptions {
                first_rep: rep.to_string(),
                reps: args.reps,
                weeks: args.weeks,
                contacts_per_week: args.per_week,
                seed: args.seed,
            };
            let view = app.demo(&opts).await?;
            emit(out, json, &view, |o| render::demo(o, &view, rep))?;
            if !json {
                // A newcomer sees the week filled in at once.
                writeln!(out)?;
                render::week(out, &app.week(rep, None).await?)?;
            }
            Ok(())
        }
    }
}

async fn reasons(args: ReasonsArgs, app: &App, rep: &str, json: bool, out: &mut impl Write) -> Result<()> {
    match args.action {
        None => {
            let view = app.reasons(rep, args.weeks).await?;
            emit(out, json, &view, |o| render::reasons(o, &view))
        }
        Some(ReasonsAction::List) => {
            let view = app.vocabulary().await?;
            emit(out, json, &view, |o| render::vocabulary(o, &view))
        }
        Some(ReasonsAction::Merge { from, into }) => {
            let (from, into) = app.merge_reasons(&from, &into).await?;
            let view = serde_json::json!({ "merged": from.label, "into": into.label, "id": into.id.0 });
            emit(out, json, &view, |o| {
                writeln!(
                    o,
                    "\"{}\" now counts as \"{}\" (#{}); every text stays as written.",
                    from.label, into.label, into.id
                )
            })
        }
        Some(ReasonsAction::Rename { old, new }) => {
            let reason = app.rename_reason(&old, &new).await?;
            let view = serde_json::json!({ "id": reason.id.0, "reason": reason.label });
            emit(out, json, &view, |o| writeln!(o, "#{} is now \"{}\".", reason.id, reason.label))
        }
    }
}

async fn focus(action: Option<FocusAction>, app: &App, rep: &str, json: bool, out: &mut impl Write) -> Result<()> {
    match action {
        None => {
            let view = app.focus(rep).await?;
            emit(out, json, &view, |o| render::focus(o, view.as_ref()))
        }
        Some(FocusAction::Set { reason }) => {
            let view = app.set_focus(rep, &reason).await?;
            emit(out, json, &view, |o| render::focus(o, Some(&view)))
        }
        Some(FocusAction::Clear) => {
            app.clear_focus(rep).await?;
            let view = serde_json::json!({ "cleared": true });
            emit(out, json, &view, |o| writeln!(o, "Focus cleared. `debrief focus` suggests the next one."))
        }
    }
}

/// Serves the web app with the config file's review rules.
async fn serve(
    args: crate::cli::ServeArgs,
    app: &App,
    rep: &str,
    review: debrief_core::critique::ReviewConfig,
    out: &mut impl Write,
) -> Result<()> {
    if args.demo && !app.store().has_contacts().await? {
        let opts = DemoOptions { first_rep: rep.to_string(), reps: 1, weeks: 12, contacts_per_week: 48, seed: 1 };
        let view = app.demo(&opts).await?;
        writeln!(out, "Filled the database with {} demo contacts over {} weeks.", view.contacts, view.weeks)?;
    }
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}: give another --addr", args.addr))?;
    let addr = listener.local_addr()?;
    writeln!(out, "debrief is serving http://{addr}/ (as \"{rep}\"); Ctrl-C stops it.")?;
    out.flush()?;
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    debrief_web::serve(app.clone(), rep.to_string(), review, listener, shutdown).await?;
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
        serde_json::to_writer_pretty(&mut *out, view)?;
        writeln!(out)?;
    } else {
        text(out)?;
    }
    Ok(())
}

fn log_request(args: LogArgs, settings: &Settings, interactive: bool) -> Result<LogRequest> {
    let outcome: Outcome = args.outcome.parse()?;
    let channel: Channel = args.channel.parse()?;
    let at = args.at.as_deref().map(|t| parse_at(t, &settings.tz)).transpose()?;
    let (mut reasons, external) = debrief_entries(&args.debrief)?;
    if args.affected_client {
        if reasons.is_empty() {
            bail!("--affected-client needs a --reason: say which mistake of yours touched the client");
        }
        reasons.iter_mut().for_each(|r| r.affected_client = true);
    }
    let req = LogRequest {
        rep: settings.rep.clone(),
        client: args.client,
        outcome,
        at,
        channel,
        new_lead: args.new_lead,
        reasons,
        external,
        better: args.debrief.better,
        note: args.note,
    };
    // Interactive runs may still supply a missing reason; scripts get the error now.
    let missing_reason = outcome == Outcome::Lost && req.reasons.is_empty() && req.external.is_empty();
    if !(interactive && missing_reason) {
        debrief_core::entry::check(outcome, &inputs(&req.reasons), &texts(&req.external))?;
    }
    Ok(req)
}

fn debrief_entries(args: &DebriefArgs) -> Result<(Vec<ReasonEntry>, Vec<ReasonEntry>)> {
    let reasons = pair(args.reasons.clone(), args.dos.clone())?
        .into_iter()
        .map(|r| ReasonEntry { text: r.text, do_differently: r.do_differently, ..ReasonEntry::default() })
        .collect();
    let external = args.external.iter().map(ReasonEntry::text).collect();
    Ok((reasons, external))
}

fn inputs(entries: &[ReasonEntry]) -> Vec<debrief_core::entry::ReasonInput> {
    entries
        .iter()
        .map(|r| debrief_core::entry::ReasonInput { text: r.text.clone(), do_differently: r.do_differently.clone() })
        .collect()
}

fn texts(entries: &[ReasonEntry]) -> Vec<String> {
    entries.iter().map(|r| r.text.clone()).collect()
}

fn list_filter(args: ListArgs, rep: &str) -> Result<ContactFilter> {
    Ok(ContactFilter {
        rep: Some(rep.to_string()),
        week: args.week,
        outcome: args.outcome.as_deref().map(str::parse).transpose()?,
        reason: args.reason,
        limit: args.limit,
        offset: args.offset,
    })
}

fn patch(args: EditArgs, tz: &jiff::tz::TimeZone) -> Result<ContactPatch> {
    let debrief = DebriefArgs { reasons: args.reasons, dos: args.dos, external: args.external, better: None };
    let (reasons, external) = debrief_entries(&debrief)?;
    let replace = args.clear_reasons || !reasons.is_empty() || !external.is_empty();
    if args.clear_reasons && !(reasons.is_empty() && external.is_empty()) {
        bail!("--clear-reasons removes every reason: give it alone, or give --reason/--external to replace them");
    }
    Ok(ContactPatch {
        client: args.client,
        outcome: args.outcome.as_deref().map(str::parse).transpose()?,
        at: args.at.as_deref().map(|t| parse_at(t, tz)).transpose().context("--at")?,
        channel: args.channel.as_deref().map(str::parse).transpose()?,
        new_lead: args.new_lead,
        reasons: replace.then_some(reasons),
        external: replace.then_some(external),
        better: args.better.map(Some),
        note: args.note.map(Some),
    })
}
