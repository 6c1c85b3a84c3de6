//! Questions asked only when stdin is a terminal and an answer is missing,
//! with suggestions from the reason vocabulary.

use std::io::{BufRead, IsTerminal, Read, Write};

use anyhow::{Result, bail};
use debrief_app::input::{DailyRequest, LogRequest, RawDaily, RawLog, RawReason, RawSuggest, Settle, SuggestRequest};
use debrief_app::views::{ContactView, FilingPreview, SuggestionView, ordinal};
use debrief_app::{App, RepName};
use debrief_core::model::ReasonId;

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
        let (reason_id, own) = pick(app, rep, &external, false).await?;
        req.external.push(RawReason { text: external, reason_id, own, ..RawReason::default() });
        return Ok(req);
    }
    let (reason_id, own) = pick(app, rep, &text, true).await?;
    let todo = ask("What would you do differently? (blank to skip)")?;
    let affected_client = req.affected_client;
    req.reasons.push(RawReason {
        text,
        do_differently: (!todo.is_empty()).then_some(todo),
        reason_id,
        affected_client,
        own,
    });
    Ok(req)
}

/// Shows the reasons that match `text` and lets the user pick one, or keep
/// the text as a new reason: the reason picked, or whether to keep the words.
async fn pick(app: &App, rep: &RepName, text: &str, controllable: bool) -> Result<(Option<i64>, bool)> {
    let raw = RawSuggest { text: text.to_string(), controllable: Some(controllable), limit: Some(3) };
    let Ok(req) = SuggestRequest::new(raw) else {
        // A text too long to match is kept as written; the log's own check says what is wrong with it.
        return Ok((None, false));
    };
    let suggestions = app.suggest(rep, &req).await?;
    if suggestions.is_empty() {
        return Ok((None, false));
    }
    eprintln!("This sounds like:");
    for (i, s) in suggestions.iter().enumerate() {
        eprintln!("  {}) {}{}", i + 1, s.reason, this_week(s));
    }
    let answer = ask("Pick a number, or press Enter to keep your words as a new reason:")?;
    let picked = answer.parse::<usize>().ok().and_then(|n| suggestions.get(n.wrapping_sub(1))).map(|s| s.id);
    Ok((picked, picked.is_none()))
}

/// Asks, for each reason typed on the command line whose filing is not
/// certain or that reads as the other side, where it counts.
pub async fn settle_filings(app: &App, rep: &RepName, req: &mut LogRequest) -> Result<()> {
    let mut answers = Vec::new();
    for (i, (text, controllable, pinned)) in req.typed_reasons().into_iter().enumerate() {
        if pinned {
            continue;
        }
        let raw = RawSuggest { text: text.clone(), controllable: Some(controllable), limit: Some(3) };
        let Ok(suggest) = SuggestRequest::new(raw) else { continue };
        let preview = app.preview_filing(rep, &suggest).await?;
        let mut stderr = std::io::stderr().lock();
        if let Some(choice) = question(&text, controllable, &preview, &mut stderr, &mut ask)? {
            answers.push((i, choice));
        }
    }
    // Last first: moving a reason outside shifts only those after it.
    for (i, choice) in answers.into_iter().rev() {
        req.settle(i, choice);
    }
    Ok(())
}

/// The question for one typed reason, and the answer as a filing; `None`
/// when there is nothing to ask or the rep keeps what was found.
fn question(
    text: &str,
    controllable: bool,
    preview: &FilingPreview,
    out: &mut impl Write,
    ask: &mut impl FnMut(&str) -> Result<String>,
) -> Result<Option<Settle>> {
    if preview.reads_other_side && controllable {
        let answer = ask(&format!("\"{text}\" sounds like it was outside your control. Was it? [Y/n]"))?;
        if !matches!(answer.to_ascii_lowercase().as_str(), "n" | "no") {
            return Ok(Some(Settle::Outside));
        }
    } else if preview.certain || preview.reads_other_side {
        return Ok(None);
    }
    writeln!(out, "Where does \"{text}\" count?")?;
    for (i, s) in preview.choices.iter().enumerate() {
        writeln!(out, "  {}) {}{}", i + 1, s.reason, this_week(s))?;
    }
    writeln!(out, "  n) keep my words as a new reason")?;
    if controllable {
        writeln!(out, "  x) that's not mine: outside my control")?;
    }
    let default = match &preview.reason {
        Some(r) => format!("Enter keeps \"{r}\""),
        None => "Enter keeps your words".to_string(),
    };
    loop {
        let answer = ask(&format!("Choice ({default}):"))?.to_ascii_lowercase();
        let choice = match answer.as_str() {
            "" => return Ok(None),
            "n" => Settle::Own,
            "x" if controllable => Settle::Outside,
            number => match number.parse::<usize>().ok().and_then(|n| preview.choices.get(n.wrapping_sub(1))) {
                Some(s) => Settle::Reason(ReasonId(s.id)),
                None => {
                    writeln!(
                        out,
                        "  \"{answer}\" is not one of the choices: a number, n{}",
                        if controllable { " or x" } else { "" }
                    )?;
                    continue;
                }
            },
        };
        return Ok(Some(choice));
    }
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

/// Walks the rep through the contacts waiting for triage, one question each.
pub async fn triage(app: &App, rep: &RepName, out: &mut impl Write) -> Result<()> {
    use debrief_app::triage::{TriageRequest, TriageTarget};
    let view = app.triage(rep).await?;
    if view.waiting == 0 {
        writeln!(out, "Nothing waits for triage.")?;
        return Ok(());
    }
    writeln!(out, "{} lost contacts wait for triage. For each: where does the CRM's reason count?", view.waiting)?;
    for item in &view.items {
        let said = if item.text.is_empty() { "no reason given".to_string() } else { format!("\"{}\"", item.text) };
        writeln!(
            out,
            "\n#{} {} · lost {} · the CRM said: {said}",
            item.contact_id,
            item.client,
            &item.at[..10.min(item.at.len())]
        )?;
        for (i, c) in item.choices.iter().enumerate() {
            writeln!(
                out,
                "  {}) {} ({})",
                i + 1,
                c.reason,
                if c.controllable { "yours" } else { "outside your control" }
            )?;
        }
        writeln!(
            out,
            "  m) keep the words as a mistake of mine\n  t) keep the words as outside my control\n  s) skip for now   q) stop"
        )?;
        let default = item.reads_as.as_ref().map(|r| format!("Enter: {}", r.reason)).unwrap_or_else(|| "s".to_string());
        loop {
            let answer = ask(&format!("Choice ({default}):"))?.to_ascii_lowercase();
            let target = match answer.as_str() {
                "" if item.reads_as.is_some() => TriageTarget::Suggested,
                "" | "s" => break,
                "q" => return Ok(()),
                "m" => TriageTarget::Mine,
                "t" => TriageTarget::Theirs,
                n => match n.parse::<usize>().ok().and_then(|n| item.choices.get(n.wrapping_sub(1))) {
                    Some(c) => TriageTarget::As(format!("#{}", c.id)),
                    None => {
                        writeln!(out, "  \"{answer}\" is not one of the choices: a number, m, t, s or q")?;
                        continue;
                    }
                },
            };
            let text = match (&target, item.text.is_empty()) {
                (TriageTarget::Mine | TriageTarget::Theirs, true) => Some(ask("In your words, why was it lost?")?),
                _ => None,
            };
            let req = match TriageRequest::new(item.contact_id, target, text.as_deref(), None) {
                Ok(req) => req,
                Err(e) => {
                    writeln!(out, "  {}", e.first().message)?;
                    continue;
                }
            };
            match app.triage_file(rep, &req).await {
                Ok(v) => {
                    crate::steps::triaged(out, &v)?;
                    break;
                }
                Err(e) if e.is_user_error() => writeln!(out, "  {e}")?,
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preview(certain: bool, other_side: bool) -> FilingPreview {
        let choice = |id: i64, reason: &str| SuggestionView {
            id,
            reason: reason.into(),
            controllable: true,
            score: 0.5,
            this_week: 0,
        };
        FilingPreview {
            reason_id: Some(3),
            reason: Some("didn't ask about budget".into()),
            certain,
            reads_other_side: other_side,
            choices: vec![choice(3, "didn't ask about budget"), choice(7, "didn't identify the decision maker")],
        }
    }

    /// The answers given in order, and what was printed.
    fn answered(p: &FilingPreview, controllable: bool, answers: &[&str]) -> (Option<Settle>, String) {
        let mut answers = answers.iter();
        let mut out = Vec::new();
        let mut ask = |_: &str| Ok(answers.next().expect("asked once too often").to_string());
        let got = question("money never came up", controllable, p, &mut out, &mut ask).unwrap();
        (got, String::from_utf8(out).unwrap())
    }

    #[test]
    fn a_certain_filing_asks_nothing() {
        assert_eq!(answered(&preview(true, false), true, &[]).0, None);
        assert_eq!(
            answered(&preview(false, true), false, &[]).0,
            None,
            "an external text reading as mine is kept apart"
        );
    }

    #[test]
    fn an_unsure_filing_offers_numbered_choices_new_and_outside() {
        let (got, shown) = answered(&preview(false, false), true, &["2"]);
        assert_eq!(got, Some(Settle::Reason(ReasonId(7))));
        assert!(shown.contains("1) didn't ask about budget"), "{shown}");
        assert!(shown.contains("n) keep my words as a new reason") && shown.contains("x) that's not mine"), "{shown}");
        assert_eq!(answered(&preview(false, false), true, &["n"]).0, Some(Settle::Own));
        assert_eq!(answered(&preview(false, false), true, &["x"]).0, Some(Settle::Outside));
        assert_eq!(answered(&preview(false, false), true, &[""]).0, None, "Enter keeps the match");
        let (got, shown) = answered(&preview(false, false), true, &["9", "maybe", "1"]);
        assert_eq!(got, Some(Settle::Reason(ReasonId(3))));
        assert!(shown.contains("\"9\" is not one of the choices"), "{shown}");
        let (_, external) = answered(&preview(false, false), false, &["n"]);
        assert!(!external.contains("x)"), "an external reason is already outside: {external}");
    }

    #[test]
    fn a_text_that_reads_as_the_clients_asks_whether_it_was_in_your_control() {
        assert_eq!(answered(&preview(false, true), true, &[""]).0, Some(Settle::Outside));
        assert_eq!(answered(&preview(false, true), true, &["y"]).0, Some(Settle::Outside));
        let (got, _) = answered(&preview(false, true), true, &["no", "n"]);
        assert_eq!(got, Some(Settle::Own), "mine after all: then where it counts");
    }
}
