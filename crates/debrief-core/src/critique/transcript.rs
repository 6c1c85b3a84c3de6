//! Call review: who the user is, talk-to-listen ratio, longest monologue,
//! questions, benefit versus feature language, whether a next step was
//! agreed near the end, filler words — with findings and a score.
//!
//! The user is the speaker named by the caller; otherwise a speaker labelled
//! like the seller ("Me", "Rep", "Sales", "Agent", …); otherwise the one who
//! introduces themselves from a company ("this is Ann from Acme"); otherwise
//! the first speaker, who usually placed the call.

use std::collections::HashMap;

use super::classify::{SentenceClass, classify};
use super::config::ReviewConfig;
use super::document::{Transcript, Turn};
use super::error::InputError;
use super::report::{Details, Finding, MeChoice, MeStats, Review, Score, Sentence, SpeakerStats, TranscriptStats};
use super::sentences::{excerpt, fold_whitespace, split};
use super::signals::{
    ROLE_NAMES, accepts, answers_value, declines, dismisses, fillers, introduces_company, names_meeting,
    names_next_step, names_when, objects_to_price,
};
use super::text::{Pos, count_words, tokens};

/// Turns always searched for a next step, however short the call.
const MIN_CLOSING_TURNS: usize = 4;

/// Reviews a call; `me` names the user (matched case-insensitively, a first
/// name is enough when it is unique).
pub fn review_transcript(t: &Transcript, me: Option<&str>, config: &ReviewConfig) -> Result<Review, InputError> {
    let speakers = speaker_stats(&t.turns);
    if speakers.is_empty() {
        return Err(InputError::NoSpeakers);
    }
    let (me_idx, chosen_by) = choose_me(&speakers, &t.turns, me)?;
    let my_name = speakers[me_idx].name.clone();
    let mine: Vec<&Turn> = t.turns.iter().filter(|u| u.speaker.eq_ignore_ascii_case(&my_name)).collect();
    let sentences: Vec<Sentence> = mine.iter().flat_map(|u| turn_sentences(u)).collect();
    let me_stats = me_stats(t, &speakers, me_idx, chosen_by, &mine, &sentences, config);
    let timed = t.turns.iter().any(|u| u.seconds().is_some());
    let mut findings = Vec::new();
    let mut score = Score::new(config);
    rules(&Context { t, mine: &mine, sentences: &sentences, me: &me_stats, config }, &mut findings, &mut score);
    findings.retain(|f| config.is_enabled(f.rule));
    findings.sort_by_key(|f| (f.line, f.col));
    let (score, parts) = score.finish();
    Ok(Review {
        score,
        parts,
        findings,
        sentences,
        details: Details::Transcript(TranscriptStats { format: t.format, speakers, me: me_stats, timed }),
        notes: t.notes.clone(),
    })
}

/// Speakers in order of first turn, with words, turns and share.
fn speaker_stats(turns: &[Turn]) -> Vec<SpeakerStats> {
    let mut out: Vec<SpeakerStats> = Vec::new();
    // Names compare without ASCII case; a file may name thousands of speakers.
    let mut index: HashMap<String, usize> = HashMap::new();
    for turn in turns {
        let words = count_words(&turn.text.text);
        let at = *index.entry(turn.speaker.to_ascii_lowercase()).or_insert_with(|| {
            out.push(SpeakerStats { name: turn.speaker.clone(), words: 0, turns: 0, share: 0.0 });
            out.len() - 1
        });
        out[at].words += words;
        out[at].turns += 1;
    }
    let total: usize = out.iter().map(|s| s.words).sum();
    for s in &mut out {
        s.share = if total == 0 { 0.0 } else { s.words as f64 / total as f64 };
    }
    out
}

/// A speaker with less of the words than this is not guessed to be you: a
/// host who only opens the meeting, or a colleague who says hello.
const MIN_GUESS_SHARE: f64 = 0.15;

fn choose_me(speakers: &[SpeakerStats], turns: &[Turn], me: Option<&str>) -> Result<(usize, MeChoice), InputError> {
    if let Some(given) = me {
        return find_given(speakers, given).map(|i| (i, MeChoice::Given));
    }
    let role = speakers.iter().position(|s| ROLE_NAMES.contains(&s.name.to_lowercase().as_str()));
    if let Some(i) = role {
        return Ok((i, MeChoice::RoleName));
    }
    let index_of = |name: &str| speakers.iter().position(|s| s.name.eq_ignore_ascii_case(name));
    let mut candidates: Vec<usize> = (0..speakers.len()).filter(|&i| speakers[i].share >= MIN_GUESS_SHARE).collect();
    if candidates.is_empty() {
        candidates = (0..speakers.len()).collect();
    }
    let intro = turns.iter().take(6).find(|u| introduces_company(&words_of(&u.text.text)));
    if let Some(i) = intro.and_then(|u| index_of(&u.speaker)).filter(|i| candidates.contains(i)) {
        return Ok((i, MeChoice::Introduction));
    }
    // Who leads: questions asked, and next steps proposed (worth two).
    let mut lead = vec![0usize; speakers.len()];
    for u in turns {
        if let Some(i) = index_of(&u.speaker) {
            let questions =
                split(&u.text.text).into_iter().filter(|r| u.text.text[r.clone()].trim_end().ends_with('?')).count();
            lead[i] += questions + 2 * usize::from(names_next_step(&words_of(&u.text.text)));
        }
    }
    let mut by_lead = candidates.clone();
    by_lead.sort_by_key(|&i| std::cmp::Reverse(lead[i]));
    match by_lead.as_slice() {
        [first, second, ..] if lead[*first] > lead[*second] => Ok((*first, MeChoice::LeadsCall)),
        _ => Ok((candidates[0], MeChoice::FirstSpeaker)),
    }
}

/// The speaker named `given`: the full name, or a unique first word or prefix.
fn find_given(speakers: &[SpeakerStats], given: &str) -> Result<usize, InputError> {
    let g = given.trim().to_lowercase();
    if let Some(i) = speakers.iter().position(|s| s.name.to_lowercase() == g) {
        return Ok(i);
    }
    let partial: Vec<usize> = (0..speakers.len())
        .filter(|&i| {
            let name = speakers[i].name.to_lowercase();
            !g.is_empty() && (name.split_whitespace().next() == Some(g.as_str()) || name.starts_with(&g))
        })
        .collect();
    match partial.as_slice() {
        [only] => Ok(*only),
        _ => Err(InputError::UnknownSpeaker {
            given: given.to_owned(),
            speakers: speakers.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", "),
        }),
    }
}

fn words_of(text: &str) -> Vec<std::borrow::Cow<'_, str>> {
    tokens(text).into_iter().map(|(_, w)| w).collect()
}

fn sentence_words(text: &str) -> Vec<Vec<std::borrow::Cow<'_, str>>> {
    split(text).into_iter().map(|r| words_of(&text[r])).collect()
}

fn turn_sentences(turn: &Turn) -> Vec<Sentence> {
    split(&turn.text.text)
        .into_iter()
        .map(|r| {
            let pos = turn.text.pos(r.start);
            let text = fold_whitespace(&turn.text.text[r]);
            Sentence { line: pos.line, col: pos.col, class: classify(&text), text }
        })
        .collect()
}

fn me_stats(
    t: &Transcript,
    speakers: &[SpeakerStats],
    me_idx: usize,
    chosen_by: MeChoice,
    mine: &[&Turn],
    sentences: &[Sentence],
    config: &ReviewConfig,
) -> MeStats {
    let me = &speakers[me_idx];
    let others: usize = speakers.iter().map(|s| s.words).sum::<usize>() - me.words;
    let found: Vec<&'static str> = mine.iter().flat_map(|u| filler_hits(u)).map(|(_, f)| f).collect();
    let class_count = |c| sentences.iter().filter(|s| s.class == c).count();
    MeStats {
        name: me.name.clone(),
        chosen_by,
        words: me.words,
        word_share: me.share,
        talk_listen_ratio: (others > 0).then(|| me.words as f64 / others as f64),
        questions: sentences.iter().filter(|s| s.text.ends_with('?')).count(),
        longest_monologue_words: mine.iter().map(|u| count_words(&u.text.text)).max().unwrap_or(0),
        longest_monologue_seconds: mine.iter().filter_map(|u| u.seconds()).reduce(f64::max),
        next_step_agreed: next_step_agreed(&t.turns, config.next_step_window),
        filler_count: found.len(),
        fillers: tally(&found),
        benefits: class_count(SentenceClass::Benefit),
        features: class_count(SentenceClass::Feature),
    }
}

fn filler_hits(turn: &Turn) -> Vec<(Pos, &'static str)> {
    let text = &turn.text.text;
    fillers(text, &tokens(text)).into_iter().map(|(at, f)| (turn.text.pos(at), f)).collect()
}

/// Counts of each item, most frequent first, ties alphabetical.
fn tally(items: &[&'static str]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for item in items {
        match out.iter_mut().find(|(k, _)| k == item) {
            Some((_, n)) => *n += 1,
            None => out.push(((*item).to_owned(), 1)),
        }
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// How the talk about a next step ended, among the closing turns (the last
/// `window` share of turns, at least the last four).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextStep {
    /// A concrete step (a when: a day, a date, a time; or a meeting both
    /// sides attend) was proposed and the other side accepted it, without
    /// declining after.
    Agreed,
    /// A step was proposed and the other side declined it: the turn that declined.
    Declined(usize),
    /// A step without a when ("next week", "sometime"), or none at all.
    None,
}

/// How many turns after a proposal its answer (or a later no) is looked for.
const ANSWER_WITHIN: usize = 6;

/// Whether a concrete next step was agreed (see [`NextStep`]).
pub fn next_step_agreed(turns: &[Turn], window: f64) -> bool {
    next_step(turns, window) == NextStep::Agreed
}

/// How the talk about a next step ended: a step proposed by one speaker
/// (either side) and accepted by another; it is concrete when the proposal
/// or the acceptance says when, or names a meeting. Who the user is does not matter.
pub fn next_step(turns: &[Turn], window: f64) -> NextStep {
    let n = turns.len();
    let size = ((n as f64 * window).ceil() as usize).max(MIN_CLOSING_TURNS).min(n);
    let start = n - size;
    let words: Vec<Vec<Vec<std::borrow::Cow<'_, str>>>> =
        turns[start..].iter().map(|u| sentence_words(&u.text.text)).collect();
    let flat = |i: usize| words[i].iter().flatten().cloned().collect::<Vec<_>>();
    let mut outcome = NextStep::None;
    for i in 0..size {
        if !names_next_step(&flat(i)) {
            continue;
        }
        let proposer = &turns[start + i].speaker;
        // The answer comes within a few turns; looking further would make a
        // long call with many proposals quadratic.
        for j in i + 1..size.min(i + 1 + ANSWER_WITHIN) {
            let reply = &turns[start + j];
            if reply.speaker.eq_ignore_ascii_case(proposer) {
                continue;
            }
            if declines(&words[j]) {
                outcome = NextStep::Declined(start + j);
                break;
            }
            if accepts(&words[j]) {
                let concrete = [flat(i), flat(j)].iter().any(|w| names_when(w) || names_meeting(w));
                let later_no = (j + 1..size.min(j + 1 + ANSWER_WITHIN))
                    .any(|k| turns[start + k].speaker.eq_ignore_ascii_case(&reply.speaker) && declines(&words[k]));
                if concrete && !later_no {
                    return NextStep::Agreed;
                }
                break;
            }
        }
    }
    outcome
}

/// What the rules look at.
struct Context<'a> {
    t: &'a Transcript,
    mine: &'a [&'a Turn],
    sentences: &'a [Sentence],
    me: &'a MeStats,
    config: &'a ReviewConfig,
}

fn rules(cx: &Context, out: &mut Vec<Finding>, score: &mut Score) {
    let first_mine = cx.mine.first().map_or(Pos::new(1, 1), |u| u.pos());
    talk(cx, first_mine, out, score);
    monologue(cx, out, score);
    questions(cx, first_mine, out, score);
    benefits(cx, out, score);
    next_step_rule(cx, out, score);
    answers(cx, out, score);
    filler(cx, out, score);
}

/// How far above the maximum share of the words the talk part loses all
/// its points: a rep with 85% of the words against a 60% maximum has let
/// the buyer say almost nothing.
const TALK_SPAN: f64 = 0.25;

fn talk(cx: &Context, at: Pos, out: &mut Vec<Finding>, score: &mut Score) {
    let (share, max) = (cx.me.word_share, cx.config.max_talk_share);
    // Full points up to the maximum, none a quarter of the words above it.
    let fraction = 1.0 - (share - max).max(0.0) / TALK_SPAN;
    score.add("talk", "talk/too-much", fraction, 25.0);
    if share > max {
        out.push(Finding::new(at, "talk/too-much", format!(
            "you spoke {:.0}% of the words (max {:.0}%): the buyer learns nothing about their own problem while you talk — ask, then listen",
            share * 100.0, max * 100.0
        )));
    }
}

fn monologue(cx: &Context, out: &mut Vec<Finding>, score: &mut Score) {
    let (c, me) = (cx.config, cx.me);
    let longest = cx.mine.iter().max_by_key(|u| count_words(&u.text.text));
    let (measure, max, what) = match me.longest_monologue_seconds {
        Some(s) => (s, c.max_monologue_seconds, format!("{s:.0} seconds (max {:.0})", c.max_monologue_seconds)),
        None => (
            me.longest_monologue_words as f64,
            c.max_monologue_words as f64,
            format!("{} words (max {})", me.longest_monologue_words, c.max_monologue_words),
        ),
    };
    score.add("monologue", "monologue/too-long", if measure <= max { 1.0 } else { max / measure }, 15.0);
    let at = match me.longest_monologue_seconds {
        Some(_) => {
            cx.mine.iter().max_by(|a, b| a.seconds().partial_cmp(&b.seconds()).unwrap_or(std::cmp::Ordering::Equal))
        }
        None => longest,
    };
    if measure > max {
        let pos = at.map_or(Pos::new(1, 1), |u| u.pos());
        out.push(Finding::new(pos, "monologue/too-long", format!(
            "you talked {what} without a break: attention drops after about a minute — stop and check in with a question"
        )));
    }
}

fn questions(cx: &Context, at: Pos, out: &mut Vec<Finding>, score: &mut Score) {
    let (q, min) = (cx.me.questions, cx.config.min_questions);
    let fraction = if min == 0 { 1.0 } else { q as f64 / min as f64 };
    score.add("questions", "questions/too-few", fraction, 20.0);
    if q < min {
        out.push(Finding::new(at, "questions/too-few", format!(
            "you asked {q} question{} (min {min}): questions uncover the need and keep the buyer talking — ask about their situation, their problem and what it costs them",
            if q == 1 { "" } else { "s" }
        )));
    }
}

fn benefits(cx: &Context, out: &mut Vec<Finding>, score: &mut Score) {
    let (b, f) = (cx.me.benefits, cx.me.features);
    let share = if b + f == 0 { 1.0 } else { b as f64 / (b + f) as f64 };
    score.add("benefits", "benefit/feature-heavy", share / cx.config.min_benefit_share.max(f64::EPSILON), 15.0);
    if share < cx.config.min_benefit_share && f >= 2 {
        let first = cx.sentences.iter().find(|s| s.class == SentenceClass::Feature);
        let pos = first.map_or(Pos::new(1, 1), |s| Pos::new(s.line, s.col));
        out.push(Finding::new(pos, "benefit/feature-heavy", format!(
            "you described features {f} times and benefits {b} times: buyers decide on outcomes — tie each feature to what it gains them (\"so that you …\")"
        )));
    }
}

fn next_step_rule(cx: &Context, out: &mut Vec<Finding>, score: &mut Score) {
    score.add("next_step", "next-step/missing", f64::from(cx.me.next_step_agreed), 15.0);
    if cx.me.next_step_agreed {
        return;
    }
    match next_step(&cx.t.turns, cx.config.next_step_window) {
        NextStep::Declined(k) => {
            let turn = &cx.t.turns[k];
            out.push(Finding::new(turn.pos(), "next-step/declined", format!(
                "{} declined the next step (\"{}\"): find out what stands in the way — price, timing, who decides — before you propose another",
                turn.speaker, excerpt(&turn.text.text)
            )));
        }
        _ => {
            let pos = cx.t.turns.last().map_or(Pos::new(1, 1), Turn::pos);
            out.push(Finding::new(pos, "next-step/missing", "no concrete next step agreed near the end: a call without a day and a time drifts into silence — close with one (\"Can we go through the proposal Thursday at 2?\") and get a yes".into()));
        }
    }
}

/// How the user answered the other side: a price objection met with no
/// question and nothing of the buyer's own numbers, a brush-off ("trust
/// me", "I'll get back to you sometime"), a no that was pushed past.
fn answers(cx: &Context, out: &mut Vec<Finding>, score: &mut Score) {
    let turns = &cx.t.turns;
    let me = cx.me.name.as_str();
    let is_me = |u: &Turn| u.speaker.eq_ignore_ascii_case(me);
    let mut misses = 0usize;
    let mut answered_at: Option<usize> = None;
    // The user's next turn after each turn, found once (a linear scan from the end).
    let mut next_mine: Vec<Option<usize>> = vec![None; turns.len()];
    let mut after: Option<usize> = None;
    for i in (0..turns.len()).rev() {
        next_mine[i] = after;
        if is_me(&turns[i]) {
            after = Some(i);
        }
    }
    for (i, u) in turns.iter().enumerate() {
        if is_me(u) || !objects_to_price(&words_of(&u.text.text)) {
            continue;
        }
        let Some(j) = next_mine[i] else { continue };
        if answered_at == Some(j) {
            continue;
        }
        answered_at = Some(j);
        let reply = &turns[j].text.text;
        let words = words_of(reply);
        let asks = split(reply).into_iter().any(|r| reply[r].trim_end().ends_with('?'));
        if !(asks || answers_value(&words)) || dismisses(&words) {
            misses += 1;
            out.push(Finding::new(turns[j].pos(), "objection/unanswered", format!(
                "{} pushed back on price (\"{}\") and your answer gave no reason and asked nothing: ask what they compare it with, or work out with their own numbers what the problem costs them",
                u.speaker, excerpt(&u.text.text)
            )));
        }
    }
    let n = turns.len();
    let closing_from =
        n.saturating_sub(((n as f64 * cx.config.next_step_window).ceil() as usize).max(MIN_CLOSING_TURNS));
    let mut brush_offs = 0;
    for (i, u) in turns.iter().enumerate() {
        if !is_me(u) || !dismisses(&words_of(&u.text.text)) {
            continue;
        }
        let after_their_question = i > 0 && !is_me(&turns[i - 1]) && turns[i - 1].text.text.contains('?');
        if (after_their_question || i >= closing_from) && brush_offs < 3 && answered_at != Some(i) {
            brush_offs += 1;
            misses += 1;
            out.push(Finding::new(u.pos(), "answer/dismissive", format!(
                "\"{}\" brushes the buyer off: answer what they asked, with something they can check, and a day when they will have it",
                excerpt(&u.text.text)
            )));
        }
    }
    let refusals: Vec<usize> = (1..n)
        .filter(|&i| !is_me(&turns[i]) && is_me(&turns[i - 1]) && declines(&sentence_words(&turns[i].text.text)))
        .collect();
    if let [_, second, ..] = refusals.as_slice()
        && turns[second + 1..].iter().any(|u| is_me(u) && names_next_step(&words_of(&u.text.text)))
    {
        misses += 2;
        let lines: Vec<String> = refusals.iter().take(3).map(|&i| turns[i].pos().line.to_string()).collect();
        out.push(Finding::new(turns[*second].pos(), "refusal/ignored", format!(
            "the other side said no {} times (lines {}) and you kept pushing: respect a no — ask what would have to change, or close politely and leave the door open",
            refusals.len(), lines.join(", ")
        )));
    }
    score.add("answers", "objection/unanswered", 1.0 - 0.5 * misses as f64, 20.0);
}

/// Fewer words of the user's than this say nothing of a rate per 100 words
/// (one "um" in 13 words is not "7.7 per 100"): no finding, full points.
pub const RATE_MIN_WORDS: usize = 100;

fn filler(cx: &Context, out: &mut Vec<Finding>, score: &mut Score) {
    let me = cx.me;
    if me.words < RATE_MIN_WORDS {
        score.add("fillers", "filler/frequent", 1.0, 10.0);
        return;
    }
    let rate = 100.0 * me.filler_count as f64 / me.words.max(1) as f64;
    let max = cx.config.max_fillers_per_100;
    score.add("fillers", "filler/frequent", if rate <= max { 1.0 } else { max / rate }, 10.0);
    if rate > max {
        let first = cx.mine.iter().flat_map(|u| filler_hits(u)).next();
        let top: Vec<String> = me.fillers.iter().take(3).map(|(w, n)| format!("\"{w}\" ×{n}")).collect();
        out.push(Finding::new(first.map_or(Pos::new(1, 1), |(p, _)| p), "filler/frequent", format!(
            "{} filler words ({}), {rate:.1} per 100 words (max {max}): fillers make you sound unsure — pause instead",
            me.filler_count,
            top.join(", ")
        )));
    }
}

#[cfg(test)]
mod tests;
