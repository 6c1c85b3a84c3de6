//! The later steps of the loop from the command line: own up, recover,
//! follow-ups, the daily question and the iCalendar export.

use std::io::Write;

use anyhow::{Context, Result};
use debrief_app::{
    AgendaView, ApologyView, App, DailyView, FollowUpView, OwnListView, OwnershipView, RecoveryView, RepName,
};

use debrief_core::daily::DayState;

use crate::commands::emit;
use crate::render::prefix;
use crate::request::{ExportFormat, StepRequest};

/// Runs one of the later-loop requests.
pub async fn run(request: StepRequest, app: &App, rep: &RepName, json: bool, out: &mut impl Write) -> Result<()> {
    match request {
        StepRequest::OwnList => {
            let view = app.own_list(rep).await?;
            emit(out, json, &view, |o| own_list(o, &view))
        }
        StepRequest::OwnShow(id) => {
            let view = app.own_item(rep, id).await?;
            emit(out, json, &view, |o| ownership(o, &view))
        }
        StepRequest::OwnUp(req) => {
            let view = app.own_up(rep, &req).await?;
            emit(out, json, &view, |o| ownership(o, &view))
        }
        StepRequest::OwnCommit(req) => {
            let view = app.own_commit(rep, &req).await?;
            emit(out, json, &view, |o| ownership(o, &view))
        }
        StepRequest::MishapList { all } => {
            let list = app.mishaps(rep, all).await?;
            emit(out, json, &list, |o| {
                if list.is_empty() {
                    writeln!(o, "No open recoveries.")?;
                }
                list.iter().try_for_each(|r| recovery(o, r))
            })
        }
        StepRequest::MishapShow(id) => {
            let view = app.mishap(rep, id).await?;
            emit(out, json, &view, |o| recovery(o, &view))
        }
        StepRequest::MishapOpen(req) => {
            let view = app.open_mishap(rep, &req).await?;
            emit(out, json, &view, |o| recovery(o, &view))
        }
        StepRequest::MishapStep(req) => {
            let view = app.mishap_step(rep, &req).await?;
            emit(out, json, &view, |o| recovery(o, &view))
        }
        StepRequest::Due(req) => {
            let view = app.due(rep, &req).await?;
            emit(out, json, &view, |o| agenda(o, &view))
        }
        StepRequest::Done(id) => {
            let next = app.done(rep, id).await?;
            emit(out, json, &next, |o| {
                writeln!(o, "#{id} done.")?;
                next.iter().try_for_each(|f| writeln!(o, "Next: {}", line(f)))
            })
        }
        StepRequest::Snooze(req) => {
            let view = app.snooze(rep, &req).await?;
            emit(out, json, &view, |o| writeln!(o, "Snoozed: {}", line(&view)))
        }
        StepRequest::FollowUp(req) => {
            let view = app.add_follow_up(rep, &req).await?;
            emit(out, json, &view, |o| writeln!(o, "Added: {}", line(&view)))
        }
        StepRequest::Today(answer) => {
            let answer = match answer {
                Some(answer) => Some(answer),
                None => crate::prompt::daily_items()?,
            };
            let view = match answer {
                Some(answer) => app.today(rep, &answer).await?,
                None => app.daily(rep).await?,
            };
            emit(out, json, &view, |o| daily(o, &view))
        }
        StepRequest::Export { format, output } => export(app, rep, format, output.as_deref(), out).await,
        StepRequest::Backup(file) => {
            let view = app.backup(&file).await?;
            emit(out, json, &view, |o| {
                writeln!(
                    o,
                    "Backed up to {} ({}, {} bytes); checksum in {}.",
                    view.file,
                    if view.kind == "sqlite" { "a copy of the SQLite database" } else { "a JSON archive of every rep" },
                    view.bytes,
                    view.checksum_file
                )
            })
        }
        StepRequest::Import { file, dry_run } => {
            let name = file.display().to_string();
            debrief_app::import::check_file_name(&name)?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {name}"))?;
            let view = app.import_json(rep, &name, &bytes, dry_run).await?;
            emit(out, json, &view, |o| {
                let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
                writeln!(
                    o,
                    "{} for {}: {}, {}, {}, {}, {}, {}.",
                    if view.dry_run { "Would import (nothing was written)" } else { "Imported" },
                    view.rep,
                    count(view.contacts, "contact", "contacts"),
                    count(view.ownership, "ownership item", "ownership items"),
                    count(view.focus, "focus period", "focus periods"),
                    count(view.recoveries, "recovery", "recoveries"),
                    count(view.follow_ups, "follow-up", "follow-ups"),
                    count(view.daily, "daily answer", "daily answers")
                )
            })
        }
    }
}

/// Writes the export to `output` (stdout when `None`), or the CSV files into
/// the folder `output`, then says what was written.
async fn export(
    app: &App,
    rep: &RepName,
    format: ExportFormat,
    output: Option<&std::path::Path>,
    out: &mut impl Write,
) -> Result<()> {
    let text = match format {
        ExportFormat::Ics => app.follow_ups_ics(rep).await?,
        ExportFormat::Json => {
            let mut doc = serde_json::to_string_pretty(&app.export(rep).await?)?;
            doc.push('\n');
            doc
        }
        ExportFormat::Markdown => app.export(rep).await?.markdown(app.tz()),
        ExportFormat::Csv => {
            let Some(dir) = output else { anyhow::bail!("--output: CSV is one file per kind: give a folder") };
            let files = app.export(rep).await?.csv_files()?;
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create the folder {}", dir.display()))?;
            for (name, text) in &files {
                let path = dir.join(name);
                std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
            }
            writeln!(out, "Wrote {} CSV files to {}.", files.len(), dir.display())?;
            return Ok(());
        }
    };
    match output {
        None => out.write_all(text.as_bytes())?,
        Some(file) => {
            std::fs::write(file, &text).with_context(|| format!("cannot write {}", file.display()))?;
            let what = if format == ExportFormat::Ics { "the open follow-ups" } else { "everything you own" };
            writeln!(out, "Wrote {what} to {}.", file.display())?;
        }
    }
    Ok(())
}

pub fn apology_text(o: &mut impl Write, v: &ApologyView) -> std::io::Result<()> {
    writeln!(o, "{}", v.verdict)?;
    for f in &v.findings {
        writeln!(o, "  {}..{} {}: {}", f.start, f.end, f.kind, f.message)?;
        writeln!(o, "    instead: {}", f.suggestion)?;
    }
    Ok(())
}

fn line(f: &FollowUpView) -> String {
    let late = if f.overdue { format!(" (overdue {} d)", f.days_overdue) } else { String::new() };
    format!("#{} {} — {}{late}", f.id, prefix(&f.due, 16), f.title)
}

fn agenda(o: &mut impl Write, v: &AgendaView) -> std::io::Result<()> {
    if v.items.is_empty() {
        return writeln!(o, "Nothing due in the next {} days.", v.days);
    }
    writeln!(o, "Due in the next {} days — {} overdue", v.days, v.overdue)?;
    v.items.iter().try_for_each(|f| writeln!(o, "  {}", line(f)))
}

fn own_list(o: &mut impl Write, v: &OwnListView) -> std::io::Result<()> {
    if v.items.is_empty() {
        return writeln!(o, "Nothing to own up to: every mistake that touched a client is owned and committed.");
    }
    if !v.summary.is_empty() {
        writeln!(o, "{}", v.summary)?;
    }
    v.items.iter().try_for_each(|i| ownership(o, i))
}

fn ownership(o: &mut impl Write, i: &OwnershipView) -> std::io::Result<()> {
    writeln!(
        o,
        "#{} {} — \"{}\" ({}, {} days, contact #{})",
        i.id,
        i.client,
        i.reason,
        i.state.as_str(),
        i.age_days,
        i.contact
    )?;
    if let (Some(how), Some(said)) = (i.how, &i.said) {
        writeln!(o, "    owned by {how}: {said}")?;
    }
    if let Some(c) = &i.commitment {
        writeln!(o, "    from now on: {c}")?;
    }
    Ok(())
}

fn recovery(o: &mut impl Write, r: &RecoveryView) -> std::io::Result<()> {
    let state = if r.open { "open" } else { "resolved" };
    writeln!(o, "#{} {} — {} ({state}): {}", r.id, r.client, r.kind, r.what)?;
    for c in &r.checklist {
        let mark = if c.done.is_some() { "x" } else { " " };
        let said = c.client_said.as_deref().map(|s| format!(" — client: {s}")).unwrap_or_default();
        let text = c.text.as_deref().map(|t| format!(": {t}")).unwrap_or_default();
        writeln!(o, "  [{mark}] {}{text}{said}", c.label)?;
        for concern in &c.concerns {
            writeln!(o, "      but: {concern}")?;
        }
    }
    for w in &r.warnings {
        writeln!(o, "  warning: {w}")?;
    }
    Ok(())
}

fn daily(o: &mut impl Write, v: &DailyView) -> std::io::Result<()> {
    if v.nothing_to_improve {
        writeln!(o, "{}: nothing to improve today.", v.date)?;
    } else if v.items.is_empty() {
        writeln!(o, "{}: no answer yet to \"what could I have done better today?\"", v.date)?;
    } else {
        writeln!(o, "{}: what I could have done better:", v.date)?;
        v.items.iter().try_for_each(|i| writeln!(o, "  - {i}"))?;
    }
    let strip: String = v
        .strip
        .iter()
        .map(|d| match d.state {
            DayState::Done => '■',
            DayState::Missed => '·',
            DayState::MissedWithNote => '○',
            DayState::Pending => '?',
            DayState::NotWorkingDay | DayState::NotStarted => ' ',
        })
        .collect();
    let days = if v.streak == 1 { "day" } else { "days" };
    writeln!(o, "Streak: {} {days} in a row, habit strength {:.0}%", v.streak, v.strength * 100.0)?;
    writeln!(o, "Last 30 days: [{strip}]  (■ entry, · missed, ○ missed with a note)")
}
