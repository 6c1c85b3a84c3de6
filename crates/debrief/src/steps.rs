//! The later steps of the loop from the command line: own up, recover, the
//! apology check, follow-ups, the daily question and the iCalendar export.

use std::io::{Read, Write};

use anyhow::{Context, Result, bail};
use debrief_app::{
    AgendaView, ApologyView, App, DailyAnswer, DailyView, FollowUpView, OwnListView, OwnershipView, RecoveryView,
};
use debrief_core::entry::parse_at;
use debrief_core::mishap::{MishapKind, Step};
use debrief_core::ownership::How;

use crate::cli::{Command, MishapArgs, OwnArgs, TodayArgs};
use crate::commands::emit;

/// Runs one of the later-loop commands; `None` when `command` is not one of them.
pub async fn run(command: Command, app: &App, rep: &str, json: bool, out: &mut impl Write) -> Result<Option<Command>> {
    match command {
        Command::Own(args) => own(args, app, rep, json, out).await?,
        Command::Mishap(args) => mishap(args, app, rep, json, out).await?,
        Command::Due { days } => {
            let view = app.due(rep, days).await?;
            emit(out, json, &view, |o| agenda(o, &view))?;
        }
        Command::Done { id } => {
            let next = app.done(rep, id).await?;
            emit(out, json, &next, |o| {
                writeln!(o, "#{id} done.")?;
                next.iter().try_for_each(|f| writeln!(o, "Next: {}", line(f)))
            })?;
        }
        Command::Snooze { id, days } => {
            let view = app.snooze(rep, id, days).await?;
            emit(out, json, &view, |o| writeln!(o, "Snoozed: {}", line(&view)))?;
        }
        Command::FollowUp { client, at, note } => {
            let due = parse_at(&at, app.tz())?;
            let view = app.add_follow_up(rep, &client, due, &note).await?;
            emit(out, json, &view, |o| writeln!(o, "Added: {}", line(&view)))?;
        }
        Command::Today(args) => today(args, app, rep, json, out).await?,
        Command::Export { ics } => {
            let text = app.follow_ups_ics(rep).await?;
            if ics.as_os_str() == "-" {
                out.write_all(text.as_bytes())?;
            } else {
                std::fs::write(&ics, text).with_context(|| format!("cannot write {}", ics.display()))?;
                writeln!(out, "Wrote the open follow-ups to {}.", ics.display())?;
            }
        }
        other => return Ok(Some(other)),
    }
    Ok(None)
}

/// `debrief apology TEXT`: needs no database.
pub fn apology(text: &str, json: bool, out: &mut impl Write) -> Result<()> {
    let text = if text == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).context("cannot read stdin")?;
        s
    } else {
        text.to_string()
    };
    let view = debrief_app::check_apology(&text)?;
    emit(out, json, &view, |o| apology_text(o, &view))
}

fn apology_text(o: &mut impl Write, v: &ApologyView) -> std::io::Result<()> {
    writeln!(o, "{}", v.verdict)?;
    for f in &v.findings {
        writeln!(o, "  {}..{} {}: {}", f.start, f.end, f.kind, f.message)?;
        writeln!(o, "    instead: {}", f.suggestion)?;
    }
    Ok(())
}

async fn own(args: OwnArgs, app: &App, rep: &str, json: bool, out: &mut impl Write) -> Result<()> {
    let Some(id) = args.id else {
        if args.owned || args.commit.is_some() {
            bail!("give the item's id: debrief own ID --owned … or --commit …");
        }
        let view = app.own_list(rep).await?;
        return emit(out, json, &view, |o| own_list(o, &view));
    };
    let mut view = None;
    if args.owned {
        let how: How = args.how.as_deref().unwrap_or_default().parse()?;
        view = Some(app.own_up(rep, id, how, args.said.as_deref().unwrap_or_default()).await?);
    }
    if let Some(text) = &args.commit {
        view = Some(app.own_commit(rep, id, text).await?);
    }
    let Some(view) = view else {
        bail!("say what to record: --owned --how call|email|in-person --said TEXT, or --commit TEXT");
    };
    emit(out, json, &view, |o| ownership(o, &view))
}

async fn mishap(args: MishapArgs, app: &App, rep: &str, json: bool, out: &mut impl Write) -> Result<()> {
    let view = match (&args.target, &args.step) {
        (None, None) => {
            let list = app.mishaps(rep, args.all).await?;
            return emit(out, json, &list, |o| {
                if list.is_empty() {
                    writeln!(o, "No open recoveries.")?;
                }
                list.iter().try_for_each(|r| recovery(o, r))
            });
        }
        (Some(target), Some(step)) => {
            let id: i64 = target.parse().with_context(|| {
                format!("\"{target}\" is not a recovery id: --step needs the id `debrief mishap` lists")
            })?;
            let step: Step = step.parse()?;
            app.mishap_step(rep, id, step, args.text, args.client_said).await?
        }
        (Some(client), None) => {
            let kind: MishapKind = args
                .kind
                .as_deref()
                .context("--kind is required to open a recovery: late, missed-meeting, system-failure or other")?
                .parse()?;
            let what = args.what.as_deref().context("--what is required: say what happened")?;
            app.open_mishap(rep, client, kind, what).await?
        }
        (None, Some(_)) => bail!("--step needs the recovery's id: debrief mishap ID --step …"),
    };
    emit(out, json, &view, |o| recovery(o, &view))
}

async fn today(args: TodayArgs, app: &App, rep: &str, json: bool, out: &mut impl Write) -> Result<()> {
    let view = if let Some(date) = &args.missed {
        let date = date.parse().map_err(|_| anyhow::anyhow!("\"{date}\" is not a date: expected YYYY-MM-DD"))?;
        app.today(rep, DailyAnswer::Missed(args.note.unwrap_or_default()), Some(date)).await?
    } else if args.nothing {
        app.today(rep, DailyAnswer::NothingToImprove, None).await?
    } else if !args.items.is_empty() {
        app.today(rep, DailyAnswer::Items(args.items), None).await?
    } else {
        match crate::prompt::daily_items()? {
            Some(items) => app.today(rep, DailyAnswer::Items(items), None).await?,
            None => app.daily(rep).await?,
        }
    };
    emit(out, json, &view, |o| daily(o, &view))
}

fn line(f: &FollowUpView) -> String {
    let late = if f.overdue { format!(" (overdue {} d)", f.days_overdue) } else { String::new() };
    format!("#{} {} — {}{late}", f.id, &f.due[..16], f.title)
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
        i.id, i.client, i.reason, i.state, i.age_days, i.contact
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
            "done" => '■',
            "missed" => '·',
            "missed-with-note" => '○',
            "pending" => '?',
            _ => ' ',
        })
        .collect();
    writeln!(o, "Streak {} working days, habit strength {:.0}%", v.streak, v.strength * 100.0)?;
    writeln!(o, "Last 30 days: [{strip}]  (■ entry, · missed, ○ missed with a note)")
}
