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
use crate::request::{ExportFormat, ImportRequest, StepRequest};

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
        StepRequest::Import(req) => import(req, app, rep, json, out).await,
        StepRequest::Triage(Some(req)) => {
            let view = app.triage_file(rep, &req).await?;
            emit(out, json, &view, |o| triaged(o, &view))
        }
        StepRequest::Triage(None) => {
            use std::io::IsTerminal;
            if !json && std::io::stdin().is_terminal() {
                return crate::prompt::triage(app, rep, out).await;
            }
            let view = app.triage(rep).await?;
            emit(out, json, &view, |o| triage_list(o, &view))
        }
    }
}

/// One filed triage item, and how many wait.
pub fn triaged(o: &mut dyn Write, v: &debrief_app::triage::TriagedView) -> std::io::Result<()> {
    writeln!(
        o,
        "#{} {}: \"{}\" counted as {} ({}).",
        v.contact_id,
        v.client,
        v.text,
        v.reason,
        if v.controllable { "yours" } else { "outside your control" }
    )?;
    match v.waiting {
        0 => writeln!(o, "Nothing else waits for triage."),
        n => writeln!(
            o,
            "{} still {} for triage.",
            count(n, "lost contact", "lost contacts"),
            if n == 1 { "waits" } else { "wait" }
        ),
    }
}

/// The waiting contacts, each with the command that files it.
fn triage_list(o: &mut dyn Write, v: &debrief_app::triage::TriageView) -> std::io::Result<()> {
    if v.waiting == 0 {
        return writeln!(o, "Nothing waits for triage.");
    }
    writeln!(
        o,
        "{} {} for triage{}:",
        count(v.waiting, "lost contact", "lost contacts"),
        if v.waiting == 1 { "waits" } else { "wait" },
        if v.waiting > v.items.len() as u64 { format!(" (the newest {} below)", v.items.len()) } else { String::new() }
    )?;
    for item in &v.items {
        let said = if item.text.is_empty() { "no reason given".to_string() } else { format!("\"{}\"", item.text) };
        writeln!(
            o,
            "#{} {} · lost {} · the CRM said: {said}",
            item.contact_id,
            item.client,
            &item.at[..10.min(item.at.len())]
        )?;
        match &item.reads_as {
            Some(r) => writeln!(
                o,
                "    reads as: {} ({}) — debrief triage {} --accept",
                r.reason,
                if r.controllable { "yours" } else { "outside your control" },
                item.contact_id
            )?,
            None if item.text.is_empty() => {
                writeln!(o, "    debrief triage {} --mine|--theirs --text \"what happened\"", item.contact_id)?
            }
            None => writeln!(o, "    debrief triage {} --as REASON | --mine | --theirs", item.contact_id)?,
        }
    }
    Ok(())
}

/// `debrief import FILE`: a CSV export of a CRM, or debrief's own JSON export.
async fn import(req: ImportRequest, app: &App, rep: &RepName, json: bool, out: &mut impl Write) -> Result<()> {
    let name = req.file.display().to_string();
    if debrief_app::crm::is_csv(&name) {
        return import_csv(req, app, rep, json, out).await;
    }
    if name.to_ascii_lowercase().ends_with(".ics") {
        let bytes = std::fs::read(&req.file).with_context(|| format!("cannot read {name}"))?;
        let view = app.import_calendar(rep, &name, &bytes, &req.calendar).await?;
        return emit(out, json, &view, |o| calendar_report(o, &view));
    }
    if req.reject_file.is_some() {
        anyhow::bail!("--reject-file is for a CSV import; {name} is read whole or not at all");
    }
    debrief_app::import::check_file_name(&name)?;
    let bytes = std::fs::read(&req.file).with_context(|| format!("cannot read {name}"))?;
    let view = app.import_json(rep, &name, &bytes, req.dry_run).await?;
    emit(out, json, &view, |o| {
        writeln!(
            o,
            "{} for {}: {}, {}, {}, {}, {}, {}.",
            if view.dry_run { "Would import (nothing was written)" } else { "Imported" },
            view.rep,
            count(view.contacts as u64, "contact", "contacts"),
            count(view.ownership as u64, "ownership item", "ownership items"),
            count(view.focus as u64, "focus period", "focus periods"),
            count(view.recoveries as u64, "recovery", "recoveries"),
            count(view.follow_ups as u64, "follow-up", "follow-ups"),
            count(view.daily as u64, "daily answer", "daily answers")
        )
    })
}

fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a calendar import kept.
fn calendar_report(o: &mut dyn Write, v: &debrief_app::calendar::CalendarImportView) -> std::io::Result<()> {
    let days = if v.from == v.to { v.from.clone() } else { format!("{} to {}", v.from, v.to) };
    let domain = v.domain.as_deref().map_or(String::new(), |d| format!(" (your domain: {d}; --domain to change it)"));
    writeln!(
        o,
        "{}: {} with clients on {days}{domain}.",
        v.file,
        count(v.meetings.len() as u64, "meeting", "meetings")
    )?;
    for m in &v.meetings {
        let state = match (m.contact_id, m.id) {
            (Some(c), _) => format!("debriefed as contact #{c}"),
            (None, 0) => String::new(),
            (None, id) => format!("debrief log \"{}\" OUTCOME --meeting {id}", m.client),
        };
        writeln!(o, "  {} · {} · {} · {}", m.when, m.title, m.attendees.join(", "), state)?;
    }
    if !v.skipped.is_empty() {
        let skipped: Vec<String> = v.skipped.iter().map(|c| format!("{} ({})", c.what, c.n)).collect();
        writeln!(o, "Left out: {}.", skipped.join(", "))?;
    }
    match v.dry_run {
        true => writeln!(o, "Nothing was written."),
        false => writeln!(
            o,
            "{} new, {} moved or renamed, {} as before, {} cancelled.",
            v.added, v.updated, v.unchanged, v.removed
        ),
    }
}

/// A CSV export, streamed, with a progress bar on a terminal.
async fn import_csv(req: ImportRequest, app: &App, rep: &RepName, json: bool, out: &mut impl Write) -> Result<()> {
    use std::io::IsTerminal;
    let name = req.file.display().to_string();
    let file = std::fs::File::open(&req.file).with_context(|| format!("cannot read {name}"))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = match std::io::stderr().is_terminal() && !json {
        true => indicatif::ProgressBar::new(size),
        false => indicatif::ProgressBar::hidden(),
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({eta})")
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .progress_chars("=> "),
    );
    bar.set_message(if req.dry_run { "checking" } else { "importing" });
    let mut reject = match &req.reject_file {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => None,
    };
    let progress = |bytes: u64| bar.set_position(bytes);
    let result = app
        .import_csv(rep, &name, file, &req.csv, reject.as_mut().map(|w| w as &mut (dyn Write + Send)), &progress)
        .await;
    bar.finish_and_clear();
    let view = result?;
    emit(out, json, &view, |o| csv_report(o, &view, req.reject_file.as_deref()))
}

/// What a CSV import did or would do.
fn csv_report(
    o: &mut dyn Write,
    v: &debrief_app::crm::CsvImportView,
    reject: Option<&std::path::Path>,
) -> std::io::Result<()> {
    let shape = if v.preset.is_empty() { "CSV read with --map".to_string() } else { format!("{} export", v.preset) };
    writeln!(o, "{}: {shape}, {}.", v.file, count(v.rows, "row", "rows"))?;
    let read: Vec<String> = v.columns.iter().map(|c| format!("{} ← {}", c.field, c.columns.join(" | "))).collect();
    writeln!(o, "Columns: {}", read.join("; "))?;
    if !v.values.is_empty() {
        let values: Vec<String> =
            v.values.iter().map(|u| format!("\"{}\" → {} ({})", u.value, u.read_as, u.rows)).collect();
        writeln!(o, "Read as: {}  (change one with --outcome \"VALUE=OUTCOME\")", values.join(", "))?;
    }
    let outcomes: Vec<String> = v.outcomes.iter().map(|c| format!("{} {}", c.n, c.what)).collect();
    let reps: Vec<String> = v.reps.iter().map(|c| format!("{} ({})", c.what, c.n)).collect();
    writeln!(
        o,
        "Contacts: {} — {}",
        v.contacts,
        if outcomes.is_empty() { "none".to_string() } else { outcomes.join(", ") }
    )?;
    if !reps.is_empty() {
        writeln!(o, "Reps: {}", reps.join(", "))?;
    }
    if !v.skipped.is_empty() {
        let skipped: Vec<String> = v.skipped.iter().map(|c| format!("{} ({})", c.what, c.n)).collect();
        writeln!(o, "Not contacts, skipped: {}", skipped.join(", "))?;
    }
    for s in &v.sample {
        writeln!(
            o,
            "  line {}: {} · {} · {} · {}{}",
            s.line,
            s.client,
            s.at,
            s.channel,
            s.outcome,
            if s.new_lead { " · new lead" } else { "" }
        )?;
    }
    for p in &v.problems {
        writeln!(o, "{p}")?;
    }
    if v.bad_rows > v.problems.len() as u64 {
        writeln!(o, "… and {} more bad rows", v.bad_rows - v.problems.len() as u64)?;
    }
    let changes = format!("{} new, {} changed, {} as before", v.added, v.updated, v.unchanged);
    match (v.dry_run, v.written) {
        (true, _) if v.bad_rows > 0 && reject.is_none() => writeln!(
            o,
            "Would import nothing ({} bad): fix them, or give --reject-file FILE to import the rest. Nothing was written.",
            count(v.bad_rows, "row is", "rows are")
        )?,
        (true, _) => writeln!(o, "Would import: {changes}. Nothing was written.")?,
        (false, _) => writeln!(o, "Imported: {changes}.")?,
    }
    if let (Some(path), true) = (reject, v.bad_rows > 0) {
        writeln!(
            o,
            "{} set aside in {}, each with its error.",
            count(v.bad_rows, "bad row", "bad rows"),
            path.display()
        )?;
    }
    if v.triage > 0 {
        writeln!(
            o,
            "{} wait for triage: file each one's reason with `debrief triage`.",
            count(v.triage, "lost contact", "lost contacts")
        )?;
    }
    Ok(())
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
    writeln!(o, "Last 30 days: [{strip}]  (■ entry, · missed, ○ missed with a note)")?;
    match v.meetings_to_debrief.len() {
        0 => Ok(()),
        n => {
            writeln!(o, "{} today not yet debriefed:", count(n as u64, "meeting", "meetings"))?;
            v.meetings_to_debrief.iter().try_for_each(|m| {
                writeln!(o, "  {} · {} · debrief log \"{}\" OUTCOME --meeting {}", m.when, m.title, m.client, m.id)
            })
        }
    }
}
