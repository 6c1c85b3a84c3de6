//! Text renderings of the application's views for the terminal.

use std::io::{Result, Write};

use debrief_app::summary::TopReasonView;
use debrief_core::focus::Verdict;
use unicode_width::UnicodeWidthStr;

use crate::output::{Paint, Style, pad};

use debrief_app::views::{
    ContactListView, ContactView, CountView, DemoView, Filing, FocusStatus, FocusView, LogView, RateView,
    ReasonRankView, ReasonsView, RefiledView, TrendView, VocabularyEntryView, WeekView,
};

/// "5 of 25 = 20% (95% CI 9–39%)", or "none yet" without a denominator.
fn rate(hits: u64, total: u64, r: Option<RateView>) -> String {
    match r {
        Some(r) => {
            format!("{hits} of {total} = {:.0}% (95% CI {:.0}–{:.0}%)", r.value * 100.0, r.low * 100.0, r.high * 100.0)
        }
        None => format!("{hits} of {total}: none yet"),
    }
}

/// The first `chars` characters of a view's time (`2026-11-30T14:24`), whatever its form.
pub fn prefix(text: &str, chars: usize) -> &str {
    text.char_indices().nth(chars).map_or(text, |(i, _)| &text[..i])
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// What `log` says: the next-step line, then how each typed reason was
/// filed whenever the words differ, is unsure, or was kept apart, each with
/// the one command that files it elsewhere.
pub fn logged(o: &mut impl Write, v: &LogView) -> Result<()> {
    writeln!(o, "{}", v.next_step)?;
    let refile = |text: &str, how: String| {
        format!("    to change it: debrief reasons refile {} {} {how}", v.contact.id, shell_quote(text))
    };
    let as_reason = |r: &str| format!("--as {}", shell_quote(r));
    for r in &v.reasons {
        if r.kept_apart {
            let side = if r.controllable { "outside your control" } else { "something you could control" };
            writeln!(o, "  \"{}\" reads as {side}: kept as written, not counted under another reason.", r.text)?;
            let how = match (&r.runner_up, r.controllable) {
                (_, true) => Some("--external".to_string()),
                (Some(other), false) => Some(as_reason(other)),
                (None, false) => None,
            };
            if let Some(how) = how {
                writeln!(o, "{}", refile(&r.text, how))?;
            }
        } else if r.matched == Filing::Matched && (r.text != r.reason || !r.certain) {
            let unsure = match (&r.runner_up, r.certain) {
                (_, true) => String::new(),
                (Some(other), false) => format!(" (not sure: or \"{other}\"?)"),
                (None, false) => " (not sure)".to_string(),
            };
            writeln!(o, "  \"{}\" counted as \"{}\"{unsure}", r.text, r.reason)?;
            let how = match (&r.runner_up, r.certain) {
                (Some(other), false) => as_reason(other),
                _ => "--new".to_string(),
            };
            writeln!(o, "{}", refile(&r.text, how))?;
        } else if r.matched == Filing::New {
            let close = r.runner_up.as_ref().map(|c| format!(" (closest: \"{c}\")")).unwrap_or_default();
            writeln!(o, "  \"{}\" is a reason of its own now{close}", r.text)?;
            if let Some(other) = &r.runner_up {
                writeln!(o, "{}", refile(&r.text, as_reason(other)))?;
            }
        }
    }
    Ok(())
}

/// What a re-file did, and the command that puts it back.
pub fn refiled(o: &mut impl Write, v: &RefiledView) -> Result<()> {
    let side = if v.controllable { "" } else { " (outside your control)" };
    writeln!(o, "#{}: \"{}\" now counts as \"{}\"{side}, no longer as \"{}\".", v.contact.id, v.text, v.to, v.from)?;
    if v.ownership_removed {
        writeln!(o, "  Its own-up item went with it: it is no longer a mistake of yours.")?;
    }
    writeln!(o, "  Undo: debrief reasons refile {} {} --as '{}'", v.contact.id, shell_quote(&v.text), v.undo_as)
}

/// `text` quoted for a POSIX shell: in single quotes, or in double quotes
/// when it holds an apostrophe and nothing a shell expands there.
fn shell_quote(text: &str) -> String {
    if !text.contains('\'') {
        return format!("'{text}'");
    }
    if !text.contains(['"', '$', '`', '\\', '!']) {
        return format!("\"{text}\"");
    }
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod quoting {
    use super::shell_quote;

    #[test]
    fn texts_are_quoted_for_a_shell() {
        assert_eq!(shell_quote("no budget"), "'no budget'");
        assert_eq!(shell_quote("didn't ask"), "\"didn't ask\"");
        assert_eq!(shell_quote("didn't say \"$5\""), "'didn'\\''t say \"$5\"'");
    }
}

/// The week in thirty seconds: the headline, the focus, the mistakes you
/// could control with your lessons, what came back after a commitment, what
/// was outside your control; with `all`, everything else too.
pub fn week(o: &mut impl Paint, v: &WeekView, all: bool) -> Result<()> {
    let s = &v.summary;
    o.paint(Style::Muted, &format!("Week {} · {} · {}\n", v.week, s.dates, v.rep))?;
    o.paint(Style::Strong, &s.headline)?;
    writeln!(o)?;
    if let Some(likely) = &s.likely {
        writeln!(o, "  {likely}")?;
    }
    writeln!(o, "  {}", s.new_leads)?;
    if let Some(focus) = &s.focus {
        writeln!(o)?;
        let working = v.focus.as_ref().and_then(|f| f.effect.as_ref()).is_some_and(|e| e.verdict == Verdict::Rarer);
        o.paint(if working { Style::Good } else { Style::Strong }, focus)?;
        writeln!(o)?;
    }
    yours(o, &s.yours)?;
    if !s.recurred.is_empty() {
        writeln!(o)?;
        o.paint(Style::Alert, "Came back after you committed to change it\n")?;
        for r in &s.recurred {
            let times = if r.times == 1 { "once".to_string() } else { format!("{} times", r.times) };
            writeln!(o, "  {} — {times} this week; last {} (you committed on {})", r.reason, r.last, r.committed)?;
        }
    }
    if !s.outside.is_empty() {
        let outside: Vec<String> = s.outside.iter().map(|r| format!("{} {}", r.reason, r.lost_contacts)).collect();
        writeln!(o, "\nOutside your control: {}", outside.join(", "))?;
    }
    if !v.ownership.summary.is_empty() {
        writeln!(o, "\nOwn up: {}.", v.ownership.summary)?;
    }
    triage_line(o, v.triage_waiting)?;
    if all {
        details(o, v)
    } else {
        o.paint(Style::Muted, "\nEverything else (every reason, earlier lessons, recoveries): debrief week --all\n")
    }
}

/// "4 lost contacts imported from your CRM wait for their reason", when any do.
fn triage_line(o: &mut impl Paint, waiting: u64) -> Result<()> {
    match waiting {
        0 => Ok(()),
        1 => Ok(writeln!(o, "\nTriage: 1 lost contact imported from your CRM waits for its reason: debrief triage")?),
        n => {
            Ok(writeln!(o, "\nTriage: {n} lost contacts imported from your CRM wait for their reason: debrief triage")?)
        }
    }
}

fn yours(o: &mut impl Paint, yours: &[TopReasonView]) -> Result<()> {
    if yours.is_empty() {
        return Ok(());
    }
    writeln!(o, "\nWhat you could have controlled, by lost deals this week")?;
    let width = yours.iter().map(|r| r.reason.width()).max().unwrap_or(0).min(48);
    for r in yours {
        let mut marks = Vec::new();
        if r.repeated {
            marks.push("repeated");
        }
        if r.focus {
            marks.push("your focus");
        }
        write!(o, "  {:>2}  {}  ", r.lost_contacts, pad(&r.reason, width))?;
        o.paint(if r.focus { Style::Strong } else { Style::Muted }, &marks.join(" · "))?;
        writeln!(o)?;
        if !r.lessons.is_empty() {
            let lessons: Vec<&str> = r.lessons.iter().take(2).map(String::as_str).collect();
            writeln!(o, "      → {}", lessons.join(" · "))?;
        }
    }
    Ok(())
}

/// What `--all` adds: the counts with their intervals and tests, every
/// reason ranked, the lessons of earlier weeks, open recoveries.
fn details(o: &mut impl Paint, v: &WeekView) -> Result<()> {
    writeln!(o, "\nIn numbers")?;
    writeln!(o, "  Contacts          {}", v.contacts)?;
    writeln!(o, "  Success rate      {}", rate(v.won, v.won + v.lost, v.success_rate))?;
    let prev = v.change.previous_success;
    let p = v.change.p_value.map(|p| if p < 0.001 { ", p < 0.001".to_string() } else { format!(", p = {p:.3}") });
    writeln!(
        o,
        "  Against {}   {} (was {} of {}{})",
        v.change.previous_week,
        v.change.success_rate.as_str(),
        prev.hits,
        prev.total,
        p.unwrap_or_default()
    )?;
    writeln!(o, "  New leads won     {}", rate(v.converted, v.new_leads, v.conversion_rate))?;
    if v.reasons.is_empty() {
        writeln!(o, "\nNo reasons on lost contacts this week.")?;
    } else {
        writeln!(o, "\nEvery reason, by lost contacts")?;
        reason_table(o, &v.reasons)?;
    }
    writeln!(o)?;
    focus(o, v.focus.as_ref())?;
    if !v.open_recoveries.is_empty() {
        writeln!(o, "\nOpen recoveries:")?;
        for r in &v.open_recoveries {
            writeln!(o, "  #{} {} ({} days): {}", r.id, r.kind, r.age_days, r.what)?;
        }
    }
    if !v.lessons.is_empty() {
        writeln!(o, "\nWhat you said earlier you'd do differently:")?;
        for l in &v.lessons {
            writeln!(o, "  {} ({}, #{}): {}", l.reason, l.week, l.contact, l.text)?;
        }
    }
    Ok(())
}

fn reason_table(o: &mut impl Write, reasons: &[ReasonRankView]) -> Result<()> {
    let width = reasons.iter().map(|r| r.reason.width()).max().unwrap_or(6).clamp(6, 48);
    writeln!(o, "  {:>3}  {}  lost  share  kind     weeks", "#", pad("reason", width))?;
    for r in reasons {
        let kind = if r.controllable { "yours" } else { "external" };
        let label = pad(&r.reason, width);
        writeln!(
            o,
            "  {:>3}  {label}  {:>4}  {:>5}  {kind:<8} {}{}",
            r.id,
            r.lost_contacts,
            pct(r.share_of_lost),
            r.weeks.len(),
            if r.repeated { "  repeated" } else { "" }
        )?;
    }
    Ok(())
}

pub fn focus(o: &mut impl Write, v: Option<&FocusView>) -> Result<()> {
    let Some(f) = v else {
        return writeln!(o, "Focus: nothing to suggest yet (a controllable reason must show up on two lost contacts).");
    };
    if f.status == FocusStatus::Suggested {
        return writeln!(
            o,
            "Suggested focus: \"{}\" — make it yours with `debrief focus set \"#{}\"`.",
            f.reason, f.id
        );
    }
    writeln!(o, "Focus: \"{}\" since {}", f.reason, f.since.as_deref().unwrap_or("?"))?;
    if let Some(e) = &f.effect {
        let share = |c: CountView| format!("on {} of {} lost contacts", c.hits, c.total);
        writeln!(o, "  before: {}", share(e.before))?;
        writeln!(o, "  since:  {}", share(e.after))?;
        let p = match e.p_value {
            Some(p) if p < 0.001 => " (p < 0.001)".to_string(),
            Some(p) => format!(" (p = {p:.3})"),
            None => String::new(),
        };
        writeln!(o, "  verdict: {}{p}", e.verdict.as_str())?;
    }
    Ok(())
}

pub fn reasons(o: &mut impl Write, v: &ReasonsView) -> Result<()> {
    writeln!(o, "Reasons {} to {} — {} ({} lost contacts)", v.from_week, v.to_week, v.rep, v.lost)?;
    if v.reasons.is_empty() {
        writeln!(o, "No reasons logged in these weeks.")?;
    } else {
        reason_table(o, &v.reasons)?;
    }
    if let Some(s) = &v.suggested_focus {
        writeln!(o, "\nSuggested focus: \"{s}\"")?;
    }
    match v.triage_waiting {
        0 => Ok(()),
        n => writeln!(
            o,
            "\n{n} lost contact{} imported from your CRM wait for triage, counted under no reason yet: debrief triage",
            if n == 1 { "" } else { "s" }
        ),
    }
}

pub fn vocabulary(o: &mut impl Write, v: &[VocabularyEntryView]) -> Result<()> {
    for r in v {
        let kind = if r.controllable { "yours" } else { "external" };
        writeln!(o, "#{:<4} {:<8} {}", r.id, kind, r.reason)?;
        let others: Vec<&String> = r.texts.iter().filter(|t| **t != r.reason).take(4).collect();
        if !others.is_empty() {
            writeln!(
                o,
                "              also: {}",
                others.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ")
            )?;
        }
    }
    Ok(())
}

/// ▁▂▃▄▅▆▇█ for rates between 0 and 1; a space where there is no rate.
pub fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values.iter().map(|v| v.map_or(' ', |x| BARS[((x.clamp(0.0, 1.0) * 7.0).round()) as usize])).collect()
}

pub fn trend(o: &mut impl Write, v: &TrendView) -> Result<()> {
    let success: Vec<Option<f64>> = v.weeks.iter().map(|w| w.success_rate.map(|r| r.value)).collect();
    let conversion: Vec<Option<f64>> = v.weeks.iter().map(|w| w.conversion_rate.map(|r| r.value)).collect();
    writeln!(o, "Trend — {} ({} weeks)", v.rep, v.weeks.len())?;
    writeln!(o, "  success     {}", sparkline(&success))?;
    writeln!(o, "  conversion  {}", sparkline(&conversion))?;
    writeln!(o, "  first half against second half: {}\n", v.success_change)?;
    writeln!(o, "  {:<9} {:>8}  {:<34} new leads won", "week", "contacts", "success")?;
    for w in &v.weeks {
        writeln!(
            o,
            "  {:<9} {:>8}  {:<34} {}",
            w.week,
            w.contacts,
            rate(w.won, w.won + w.lost, w.success_rate),
            rate(w.converted, w.new_leads, w.conversion_rate)
        )?;
    }
    Ok(())
}

pub fn contact(o: &mut impl Write, c: &ContactView) -> Result<()> {
    let lead = if c.new_lead { ", new lead" } else { "" };
    writeln!(o, "#{} {} — {} ({}{lead}) at {} [{}]", c.id, c.client, c.outcome, c.channel, c.at, c.week)?;
    for r in &c.reasons {
        let kind = if r.controllable { "reason" } else { "external" };
        let counts = if r.text == r.reason { String::new() } else { format!(" (counts as \"{}\")", r.reason) };
        writeln!(o, "  {kind}: {}{counts}", r.text)?;
        if let Some(d) = &r.do_differently {
            writeln!(o, "    next time: {d}")?;
        }
    }
    if let Some(b) = &c.better {
        writeln!(o, "  could have done better: {b}")?;
    }
    if let Some(n) = &c.note {
        writeln!(o, "  note: {n}")?;
    }
    Ok(())
}

pub fn contact_list(o: &mut impl Write, v: &ContactListView) -> Result<()> {
    if v.contacts.is_empty() {
        return writeln!(o, "No contacts match.");
    }
    for c in &v.contacts {
        let reasons: Vec<&str> = c.reasons.iter().map(|r| r.reason.as_str()).collect();
        writeln!(o, "#{:<7} {}  {:<10} {:<28} {}", c.id, prefix(&c.at, 16), c.outcome, c.client, reasons.join("; "))?;
    }
    let shown = v.offset as u64 + v.contacts.len() as u64;
    if shown < v.total {
        writeln!(o, "… {} of {} shown; --offset {shown} for more", shown, v.total)?;
    }
    Ok(())
}

pub fn demo(o: &mut impl Write, v: &DemoView, rep: &str) -> Result<()> {
    writeln!(
        o,
        "Generated {} contacts for {} rep{} over {} weeks in {:.2} s ({:.0} contacts/s).",
        v.contacts,
        v.reps,
        if v.reps == 1 { "" } else { "s" },
        v.weeks,
        v.seconds,
        v.contacts_per_second
    )?;
    writeln!(o, "More: debrief trend | debrief reasons | debrief focus | debrief list (as rep \"{rep}\")")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_spans_the_bars() {
        assert_eq!(sparkline(&[Some(0.0), Some(0.5), None, Some(1.0)]), "▁▅ █");
    }
}
