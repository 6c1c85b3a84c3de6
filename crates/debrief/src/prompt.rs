//! Questions asked only when stdin is a terminal and an answer is missing,
//! with suggestions from the reason vocabulary.

use std::io::{BufRead, IsTerminal, Read, Write};

use anyhow::{Result, bail};
use debrief_app::input::{DailyRequest, LogRequest, RawDaily, RawLog, RawReason, RawSuggest, SuggestRequest};
use debrief_app::views::{ContactView, SuggestionView, ordinal};
use debrief_app::{App, RepName};

fn ask(question: &str) -> Result<String> {
    let mut err = std::io::stderr().lock();
    write!(err, "{question} ")?;
    err.flush()?;
    let mut line = String::new();
    // A line of an answer; a pasted novel is cut rather than held whole.
    if std::io::stdin().lock().take(64 * 1024).read_line(&mut line)? == 0 {
        bail!("no answer (end of input)");
    }
    Ok(line.trim().to_string())
}

/// Asks "what could I have done better today?" when stdin is a terminal:
/// one item a line, a blank line ends; `None` without a terminal or answer.
pub fn daily_items() -> Result<Option<DailyRequest>> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    eprintln!("What could you have done better today? One thing a line; a blank line ends.");
    let mut items = Vec::new();
    loop {
        let item = ask(">")?;
        if item.is_empty() {
            break;
        }
        items.push(item);
    }
    if items.is_empty() {
        return Ok(None);
    }
    let raw = RawDaily { items, ..RawDaily::default() };
    Ok(Some(crate::request::flags(DailyRequest::new(raw), &[("items", "--item")])?))
}

/// Asks whether an unknown client is a new lead.
pub async fn new_lead(app: &App, rep: &RepName, req: &mut LogRequest) -> Result<()> {
    if req.new_lead() || app.client_known(rep, req.client()).await? {
        return Ok(());
    }
    let answer = ask(&format!("\"{}\" is new here. Is it a new lead? [y/N]", req.client()))?;
    req.set_new_lead(matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes"));
    Ok(())
}

/// Asks for what a lost contact is missing: a controllable reason (with
/// suggestions and how often each occurred this week) and what to do differently.
pub async fn complete_log(app: &App, rep: &RepName, mut req: RawLog) -> Result<RawLog> {
    eprintln!("A lost contact needs a reason. What could you have controlled? (blank if nothing)");
    let text = ask("Reason:")?;
    if text.is_empty() {
        let external = ask("What decided it that you could not control?")?;
        if external.is_empty() {
            bail!("a lost contact needs at least one reason: nothing was logged");
        }
        let choice = pick(app, rep, &external, false).await?;
        req.external.push(RawReason { text: external, reason_id: choice, ..RawReason::default() });
        return Ok(req);
    }
    let reason_id = pick(app, rep, &text, true).await?;
    let todo = ask("What would you do differently? (blank to skip)")?;
    let affected_client = req.affected_client;
    req.reasons.push(RawReason {
        text,
        do_differently: (!todo.is_empty()).then_some(todo),
        reason_id,
        affected_client,
    });
    Ok(req)
}

/// Shows the reasons that match `text` and lets the user pick one, or keep the text as a new reason.
async fn pick(app: &App, rep: &RepName, text: &str, controllable: bool) -> Result<Option<i64>> {
    let raw = RawSuggest { text: text.to_string(), controllable: Some(controllable), limit: Some(3) };
    let Ok(req) = SuggestRequest::new(raw) else {
        // A text too long to match is kept as written; the log's own check says what is wrong with it.
        return Ok(None);
    };
    let suggestions = app.suggest(rep, &req).await?;
    if suggestions.is_empty() {
        return Ok(None);
    }
    eprintln!("This sounds like:");
    for (i, s) in suggestions.iter().enumerate() {
        eprintln!("  {}) {}{}", i + 1, s.reason, this_week(s));
    }
    let answer = ask("Pick a number, or press Enter to keep your words as a new reason:")?;
    Ok(answer.parse::<usize>().ok().and_then(|n| suggestions.get(n.wrapping_sub(1))).map(|s| s.id))
}

fn this_week(s: &SuggestionView) -> String {
    match s.this_week {
        0 => String::new(),
        n => format!(
            " — already {n} time{} this week; this would be the {}",
            if n == 1 { "" } else { "s" },
            ordinal(n + 1)
        ),
    }
}

/// Asks before deleting; without a terminal, refuses (scripts pass --yes).
pub fn confirm_delete(contact: &ContactView) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!("refusing to delete #{} without confirmation: add --yes", contact.id);
    }
    let answer = ask(&format!(
        "Delete #{} {} ({}, {})? This cannot be undone. [y/N]",
        contact.id, contact.client, contact.outcome, contact.at
    ))?;
    Ok(matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes"))
}
