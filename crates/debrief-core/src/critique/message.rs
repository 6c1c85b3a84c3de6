//! Message review: benefit versus feature, customer focus, one call to
//! action and a reason to act now, length and readability, the subject
//! line and questions — findings with positions and a score from 0 to 100.

use super::classify::{SentenceClass, classify, leaning_of, learned};
use super::config::ReviewConfig;
use super::document::Message;
use super::readability::{flesch, syllables};
use super::report::{Details, Finding, MessageStats, Review, Score, Sentence};
use super::sentences::{excerpt, fold_whitespace, split};
use super::signals::{WE, YOU, about_reader, cta_kinds, has_urgency, shouted_words, tone_hits};
use super::text::{Pos, count_words, tokens};

/// One body sentence with what the rules need to know about it.
struct Analyzed {
    pos: Pos,
    text: String,
    words: usize,
    class: SentenceClass,
    /// The words that weighed most for `class`.
    because: Vec<String>,
    question: bool,
    asks: Vec<&'static str>,
    urgent: bool,
    /// Pushy or empty phrases, by kind (see [`tone_hits`]).
    tone: [(&'static str, Vec<String>); 3],
    starts_with_we: bool,
}

/// Reviews a message.
pub fn review_message(msg: &Message, config: &ReviewConfig) -> Review {
    let body = &msg.body;
    let sents: Vec<Analyzed> =
        split(&body.text).into_iter().map(|r| analyze(&body.text[r.clone()], body.pos(r.start))).collect();
    let stats = stats(msg, &sents);
    let mut findings = Vec::new();
    let mut score = Score::new(config);
    let end = sents.last().map_or(body.pos(0), |s| s.pos);
    let start = sents.first().map_or(body.pos(0), |s| s.pos);
    benefits(&sents, &stats, config, start, &mut findings, &mut score);
    focus(&sents, &stats, config, &mut findings, &mut score);
    asks(&sents, &stats, config, end, &mut findings, &mut score);
    length(&sents, &stats, config, start, &mut findings, &mut score);
    subject(msg, config, &mut findings, &mut score);
    questions(&stats, config, end, &mut findings, &mut score);
    tone(msg, &sents, start, &mut findings, &mut score);
    findings.retain(|f| config.is_enabled(f.rule));
    findings.sort_by_key(|f| (f.line, f.col));
    let (score, parts) = score.finish();
    Review {
        score,
        parts,
        findings,
        sentences: sents.into_iter().map(to_sentence).collect(),
        details: Details::Message(stats),
        notes: msg.notes.clone(),
    }
}

fn analyze(raw: &str, pos: Pos) -> Analyzed {
    let text = fold_whitespace(raw);
    let words: Vec<_> = tokens(&text).into_iter().map(|(_, w)| w).collect();
    let question = text.ends_with('?');
    // Only a feature's words are quoted (in "feature without benefit").
    let verdict =
        learned::verdict_explaining(&text, &words, leaning_of(&text, &words), |c| c == SentenceClass::Feature);
    Analyzed {
        pos,
        words: count_words(&text),
        class: verdict.class,
        because: verdict.because,
        question,
        asks: cta_kinds(&words, question, text.contains("http") || text.contains("www.")),
        urgent: has_urgency(&words),
        tone: tone_hits(&words),
        starts_with_we: words.first().is_some_and(|w| WE.contains(&w.as_ref())),
        text,
    }
}

fn to_sentence(s: Analyzed) -> Sentence {
    Sentence { line: s.pos.line, col: s.pos.col, text: s.text, class: s.class }
}

fn stats(msg: &Message, sents: &[Analyzed]) -> MessageStats {
    let words: Vec<_> = tokens(&msg.body.text).into_iter().map(|(_, w)| w).collect();
    let count = |set: &[&str]| words.iter().filter(|w| set.contains(&w.as_ref())).count();
    let word_total = count_words(&msg.body.text);
    let mut cta_kinds: Vec<&'static str> = Vec::new();
    for kind in sents.iter().flat_map(|s| &s.asks) {
        if !cta_kinds.contains(kind) {
            cta_kinds.push(kind);
        }
    }
    let n_class = |c| sents.iter().filter(|s| s.class == c).count();
    MessageStats {
        subject: msg.subject.as_ref().map(|s| s.text.clone()),
        subject_chars: msg.subject.as_ref().map_or(0, |s| s.text.chars().count()),
        words: word_total,
        sentences: sents.len(),
        longest_sentence_words: sents.iter().map(|s| s.words).max().unwrap_or(0),
        flesch: flesch(word_total, sents.len(), words.iter().map(|w| syllables(w)).sum()),
        you_count: count(YOU),
        we_count: count(WE),
        questions: sents.iter().filter(|s| s.question).count(),
        cta_kinds,
        urgency: sents.iter().any(|s| s.urgent)
            || msg.subject.as_ref().is_some_and(|s| has_urgency(&words_of(&s.text))),
        benefits: n_class(SentenceClass::Benefit),
        features: n_class(SentenceClass::Feature),
    }
}

fn words_of(text: &str) -> Vec<std::borrow::Cow<'_, str>> {
    tokens(text).into_iter().map(|(_, w)| w).collect()
}

/// Share of benefit sentences among benefit and feature sentences.
fn benefit_share(stats: &MessageStats) -> Option<f64> {
    let total = stats.benefits + stats.features;
    (total > 0).then(|| stats.benefits as f64 / total as f64)
}

fn benefits(
    sents: &[Analyzed],
    stats: &MessageStats,
    config: &ReviewConfig,
    start: Pos,
    out: &mut Vec<Finding>,
    score: &mut Score,
) {
    let share = benefit_share(stats);
    let target = config.min_benefit_share.max(f64::EPSILON);
    score.add("benefits", "benefit/feature-without-benefit", share.map_or(0.0, |s| s / target), 20.0);
    score.add("benefits", "benefit/none", f64::from(stats.benefits > 0), 5.0);
    if share.is_some_and(|s| s < config.min_benefit_share) {
        for (i, s) in sents.iter().enumerate() {
            let tied = sents.get(i + 1).is_some_and(|n| n.class == SentenceClass::Benefit);
            if s.class == SentenceClass::Feature && !tied {
                let words = match s.because.as_slice() {
                    [] => String::new(),
                    because => {
                        format!(" ({})", because.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", "))
                    }
                };
                out.push(Finding::new(s.pos, "benefit/feature-without-benefit", format!(
                    "\"{}\" says what the product is or has{words}, not what the reader gains: buyers act on outcomes, not specs — follow it with \"so that you …\" naming the time, money or risk it saves them",
                    excerpt(&s.text)
                )));
            }
        }
    }
    if stats.benefits == 0 && stats.features == 0 && sents.len() >= 2 {
        out.push(Finding::new(start, "benefit/none", "no sentence says what the reader gains, saves or avoids: without a benefit there is no reason to answer — add one concrete outcome (\"so you can close the month in three days\")".into()));
    }
}

fn focus(sents: &[Analyzed], stats: &MessageStats, config: &ReviewConfig, out: &mut Vec<Finding>, score: &mut Score) {
    let total = stats.you_count + stats.we_count;
    let share = if total == 0 { 1.0 } else { stats.you_count as f64 / total as f64 };
    score.add("focus", "focus/we-heavy", share / config.min_you_share.max(f64::EPSILON), 15.0);
    if share < config.min_you_share {
        let at = sents.iter().find(|s| s.starts_with_we).or(sents.first());
        if let Some(s) = at {
            out.push(Finding::new(s.pos, "focus/we-heavy", format!(
                "\"we/our/I\" {} times against \"you/your\" {} times: readers care about their problem, not your company — rewrite sentences like this one to start from \"you\"",
                stats.we_count, stats.you_count
            )));
        }
    }
}

fn asks(
    sents: &[Analyzed],
    stats: &MessageStats,
    config: &ReviewConfig,
    end: Pos,
    out: &mut Vec<Finding>,
    score: &mut Score,
) {
    let kinds = stats.cta_kinds.len();
    // One ask earns the points; each kind of ask beyond the allowed halves them.
    let one = match kinds {
        0 => 0.0,
        k if k <= config.max_cta_kinds => 1.0,
        k => 0.5f64.powi(i32::try_from(k - config.max_cta_kinds).unwrap_or(i32::MAX)),
    };
    score.add("cta", "cta/missing", f64::from(kinds > 0), 10.0);
    score.add("cta", "cta/multiple", one, 10.0);
    score.add("urgency", "urgency/missing", f64::from(stats.urgency), 10.0);
    let first_ask = sents.iter().find(|s| !s.asks.is_empty());
    if kinds == 0 {
        out.push(Finding::new(end, "cta/missing", "no clear call to action: a reader who doesn't know what to do next does nothing — end with one specific ask (\"Would Tuesday at 10 work for a 15-minute call?\")".into()));
    } else if kinds > config.max_cta_kinds
        && let Some(s) = second_kind(sents)
    {
        out.push(Finding::new(s.pos, "cta/multiple", format!(
            "{kinds} different asks ({}): several asks split the reader's attention and lower replies — keep the one that matters most",
            stats.cta_kinds.join(", ")
        )));
    }
    if !stats.urgency {
        let at = first_ask.map_or(end, |s| s.pos);
        out.push(Finding::new(at, "urgency/missing", "no reason to act now: without one, \"later\" wins — tie the ask to a date, a deadline or the cost of waiting (\"before your renewal on 1 June\")".into()));
    }
}

/// The first sentence that brings in a kind of ask not seen before it.
fn second_kind(sents: &[Analyzed]) -> Option<&Analyzed> {
    let mut seen: Vec<&str> = Vec::new();
    for s in sents {
        for k in &s.asks {
            if !seen.is_empty() && !seen.contains(k) {
                return Some(s);
            }
            seen.push(k);
        }
    }
    None
}

fn length(
    sents: &[Analyzed],
    stats: &MessageStats,
    config: &ReviewConfig,
    start: Pos,
    out: &mut Vec<Finding>,
    score: &mut Score,
) {
    let max = config.max_words.max(1) as f64;
    score.add("readability", "length/too-long", 2.0 - stats.words as f64 / max, 5.0);
    if stats.words > config.max_words {
        out.push(Finding::new(start, "length/too-long", format!(
            "{} words (max {}): long e-mails get skimmed or left for later — cut to one problem, one benefit and one ask",
            stats.words, config.max_words
        )));
    }
    let long: Vec<&Analyzed> = sents.iter().filter(|s| s.words > config.max_sentence_words).collect();
    let share_ok = 1.0 - long.len() as f64 / sents.len().max(1) as f64;
    score.add("readability", "sentence/too-long", share_ok, 5.0);
    for s in long {
        out.push(Finding::new(
            s.pos,
            "sentence/too-long",
            format!(
                "{} words in one sentence (max {}): long sentences lose readers on a phone — split it in two",
                s.words, config.max_sentence_words
            ),
        ));
    }
    let Some(ease) = stats.flesch else { return };
    score.add("readability", "readability/flesch", 1.0 - (config.min_flesch - ease) / 30.0, 5.0);
    if ease < config.min_flesch && stats.words >= 20 {
        out.push(Finding::new(start, "readability/flesch", format!(
            "Flesch reading ease {ease:.0} (min {:.0}): hard to read at a glance — use shorter sentences and everyday words",
            config.min_flesch
        )));
    }
}

fn subject(msg: &Message, config: &ReviewConfig, out: &mut Vec<Finding>, score: &mut Score) {
    let Some(subject) = msg.subject.as_ref().filter(|s| !s.text.is_empty()) else {
        if msg.is_mime {
            score.add("subject", "subject/missing", 0.0, 10.0);
            out.push(Finding::new(Pos::new(1, 1), "subject/missing", "the e-mail has no subject: a blank subject looks like spam and rarely gets opened — name the reader's gain in a few words".into()));
        }
        return;
    };
    let chars = subject.text.chars().count();
    score.add("subject", "subject/too-long", f64::from(chars <= config.subject_max_chars), 5.0);
    if chars > config.subject_max_chars {
        out.push(Finding::new(
            subject.pos,
            "subject/too-long",
            format!(
                "subject is {chars} characters (max {}): phones cut it off mid-thought — keep it short and specific",
                config.subject_max_chars
            ),
        ));
    }
    let words = words_of(&subject.text);
    let reader = about_reader(&words) || classify(&subject.text) == SentenceClass::Benefit;
    score.add("subject", "subject/not-about-reader", f64::from(reader), 5.0);
    if !reader {
        out.push(Finding::new(subject.pos, "subject/not-about-reader", "the subject doesn't speak to the reader: subjects about their problem or gain get opened — use \"you/your\" or the outcome (\"Cut your picking time by a third\")".into()));
    }
}

fn questions(stats: &MessageStats, _config: &ReviewConfig, end: Pos, out: &mut Vec<Finding>, score: &mut Score) {
    score.add("questions", "questions/none", f64::from(stats.questions > 0), 5.0);
    if stats.questions == 0 {
        out.push(Finding::new(end, "questions/none", "the message asks no question: a question invites a reply and starts a conversation — ask one about their situation".into()));
    }
}

/// Capitals for emphasis before this many words are shouting.
const SHOUTED_WORDS: usize = 3;

/// What a buyer reads as pushy or empty: shouting (words in capitals,
/// "!!"), pressure (guilt, fear, fake deadlines), hype, and follow-ups
/// that only check in. Each kind found halves the tone part's points.
fn tone(msg: &Message, sents: &[Analyzed], start: Pos, out: &mut Vec<Finding>, score: &mut Score) {
    let mut kinds = 0;
    let subject = msg.subject.as_ref().map_or("", |s| s.text.as_str());
    let mut shouted = shouted_words(subject);
    let mut shout_at = msg.subject.as_ref().filter(|_| !shouted.is_empty()).map(|s| s.pos);
    let mut bangs = subject.contains("!!");
    for s in sents {
        let found = shouted_words(&s.text);
        if shout_at.is_none() && (!found.is_empty() || s.text.contains("!!")) {
            shout_at = Some(s.pos);
        }
        shouted.extend(found);
        bangs |= s.text.contains("!!");
    }
    if shouted.len() >= SHOUTED_WORDS || bangs {
        kinds += 1;
        let mut what: Vec<String> = shouted.iter().take(4).map(|w| format!("\"{w}\"")).collect();
        if bangs {
            what.push("\"!!\"".into());
        }
        out.push(Finding::new(shout_at.unwrap_or(start), "tone/shouting", format!(
            "shouting ({}): capitals and stacked exclamation marks read as pressure and land in spam — say why it matters in plain words (caps the score at 60)",
            what.join(", ")
        )));
    }
    for (kind, rule, why) in [
        (
            "pressure",
            "tone/pressure",
            "guilt, fear and fake deadlines make a buyer defensive, not ready — give a real reason to act and let them decide",
        ),
        (
            "hype",
            "tone/hype",
            "buyers discount claims like these on sight — replace them with a number or a customer they can check",
        ),
        (
            "empty",
            "tone/empty-follow-up",
            "a follow-up that only checks in gives no reason to reply — bring something new: an idea, a number, an answer to their problem",
        ),
    ] {
        let mut first: Option<(Pos, Vec<String>)> = None;
        let mut all: Vec<String> = Vec::new();
        for s in sents {
            let hits = s.tone.iter().find(|(k, _)| *k == kind).map_or(&[][..], |(_, h)| h.as_slice());
            if !hits.is_empty() && first.is_none() {
                first = Some((s.pos, hits.to_vec()));
            }
            all.extend(hits.iter().cloned());
        }
        if let Some((pos, _)) = first {
            kinds += 1;
            all.dedup();
            let quoted: Vec<String> = all.iter().take(3).map(|h| format!("\"{h}\"")).collect();
            out.push(Finding::new(pos, rule, format!("{}: {why} (caps the score at 60)", quoted.join(", "))));
        }
    }
    score.add("tone", "tone/pressure", 0.5f64.powi(kinds), 15.0);
    match kinds {
        0 => {}
        1 => score.cap("tone/pressure", TONE_CAP_ONE),
        _ => score.cap("tone/pressure", TONE_CAP_MORE),
    }
}

/// The most a message scores with one kind of pushy or empty tone (fair at
/// best), and with two or more (poor): a coach would not call it good
/// however clear its benefits and its ask.
const TONE_CAP_ONE: f64 = 60.0;
const TONE_CAP_MORE: f64 = 35.0;

#[cfg(test)]
mod tests;
