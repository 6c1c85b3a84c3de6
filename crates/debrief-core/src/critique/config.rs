//! Review settings: every rule can be switched off, every threshold tuned.
//! Plain data with defaults; the caller fills it from its config file
//! through [`ReviewConfig::set`] or the public fields.

use std::collections::BTreeSet;

use super::document::Kind;

/// A rule: its id (as printed in findings), what it reviews, what it checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: &'static str,
    pub applies_to: Kind,
    pub checks: &'static str,
}

const fn rule(id: &'static str, applies_to: Kind, checks: &'static str) -> RuleInfo {
    RuleInfo { id, applies_to, checks }
}

/// Every rule, messages first.
pub const RULES: &[RuleInfo] = &[
    rule("benefit/feature-without-benefit", Kind::Message, "feature sentences not tied to what the reader gains"),
    rule("benefit/none", Kind::Message, "a message with no benefit at all"),
    rule("focus/we-heavy", Kind::Message, "more we/our/I than you/your"),
    rule("cta/missing", Kind::Message, "no clear call to action"),
    rule("cta/multiple", Kind::Message, "more than one kind of ask"),
    rule("urgency/missing", Kind::Message, "no reason to act now"),
    rule("length/too-long", Kind::Message, "too many words"),
    rule("sentence/too-long", Kind::Message, "sentences with too many words"),
    rule("readability/flesch", Kind::Message, "Flesch reading ease below the minimum"),
    rule("subject/missing", Kind::Message, "an e-mail without a subject"),
    rule("subject/too-long", Kind::Message, "a subject longer than the maximum"),
    rule("subject/not-about-reader", Kind::Message, "a subject that does not speak to the reader"),
    rule("questions/none", Kind::Message, "a message that asks nothing"),
    rule("tone/shouting", Kind::Message, "words in capitals or stacked exclamation marks"),
    rule("tone/pressure", Kind::Message, "guilt, fear or fake deadlines"),
    rule("tone/hype", Kind::Message, "claims a buyer discounts on sight"),
    rule("tone/empty-follow-up", Kind::Message, "a follow-up that only checks in"),
    rule("talk/too-much", Kind::Transcript, "the user's share of the words above the maximum"),
    rule("monologue/too-long", Kind::Transcript, "the user's longest uninterrupted stretch"),
    rule("questions/too-few", Kind::Transcript, "fewer questions from the user than the minimum"),
    rule("benefit/feature-heavy", Kind::Transcript, "the user talked features more than benefits"),
    rule("next-step/missing", Kind::Transcript, "no concrete next step (a day or a time) agreed near the end"),
    rule("next-step/declined", Kind::Transcript, "the other side declined the next step"),
    rule("objection/unanswered", Kind::Transcript, "a price objection met with no question and no reason"),
    rule("answer/dismissive", Kind::Transcript, "the buyer brushed off: vague promises, \"trust me\""),
    rule("refusal/ignored", Kind::Transcript, "pushing on after the other side said no twice"),
    rule("filler/frequent", Kind::Transcript, "filler words above the maximum rate"),
];

/// Thresholds and switches for every rule. `Default` holds the values a
/// sales coach would start from.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewConfig {
    /// Rule ids switched off.
    pub disabled: BTreeSet<String>,
    /// Message body words (`length/too-long`).
    pub max_words: usize,
    /// Words in one sentence (`sentence/too-long`).
    pub max_sentence_words: usize,
    /// Flesch reading ease (`readability/flesch`).
    pub min_flesch: f64,
    /// Subject characters (`subject/too-long`).
    pub subject_max_chars: usize,
    /// you/your over you + we (`focus/we-heavy`), 0–1.
    pub min_you_share: f64,
    /// Benefit sentences over benefit + feature sentences, 0–1.
    pub min_benefit_share: f64,
    /// Different kinds of ask allowed (`cta/multiple`).
    pub max_cta_kinds: usize,
    /// The user's share of a call's words (`talk/too-much`), 0–1.
    pub max_talk_share: f64,
    /// Longest monologue in seconds when timed (`monologue/too-long`).
    pub max_monologue_seconds: f64,
    /// Longest monologue in words when untimed (`monologue/too-long`).
    pub max_monologue_words: usize,
    /// Questions the user should ask in a call (`questions/too-few`).
    pub min_questions: usize,
    /// Filler words per 100 of the user's words (`filler/frequent`).
    pub max_fillers_per_100: f64,
    /// Share of turns, at the end of a call, searched for a next step, 0–1.
    pub next_step_window: f64,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig {
            disabled: BTreeSet::new(),
            max_words: 150,
            max_sentence_words: 25,
            min_flesch: 50.0,
            subject_max_chars: 60,
            min_you_share: 0.5,
            min_benefit_share: 0.5,
            max_cta_kinds: 1,
            max_talk_share: 0.6,
            max_monologue_seconds: 90.0,
            max_monologue_words: 250,
            min_questions: 3,
            max_fillers_per_100: 3.0,
            next_step_window: 0.2,
        }
    }
}

/// Every threshold key [`ReviewConfig::set`] accepts, with what it means.
pub const SETTINGS: &[(&str, &str)] = &[
    ("max_words", "message body words"),
    ("max_sentence_words", "words in one sentence"),
    ("min_flesch", "Flesch reading ease"),
    ("subject_max_chars", "subject characters"),
    ("min_you_share", "you/your over you + we, 0-1"),
    ("min_benefit_share", "benefit over benefit + feature sentences, 0-1"),
    ("max_cta_kinds", "different kinds of ask"),
    ("max_talk_share", "the user's share of a call's words, 0-1"),
    ("max_monologue_seconds", "longest monologue in seconds"),
    ("max_monologue_words", "longest monologue in words"),
    ("min_questions", "questions the user asks in a call"),
    ("max_fillers_per_100", "filler words per 100 words"),
    ("next_step_window", "share of closing turns searched for a next step, 0-1"),
];

impl ReviewConfig {
    /// Whether rule `id` runs.
    pub fn is_enabled(&self, id: &str) -> bool {
        !self.disabled.contains(id)
    }

    /// Sets one value from text, as a config file holds it: a rule id with
    /// `on`/`off` (`true`/`false`), or a threshold key from [`SETTINGS`].
    /// The error says what was wrong and what would be right.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        if RULES.iter().any(|r| r.id == key) {
            return self.switch(key, value);
        }
        let v = value.trim();
        match key {
            "max_words" => self.max_words = count(key, v)?,
            "max_sentence_words" => self.max_sentence_words = count(key, v)?,
            "min_flesch" => self.min_flesch = number(key, v, -100.0, 121.0)?,
            "subject_max_chars" => self.subject_max_chars = count(key, v)?,
            "min_you_share" => self.min_you_share = number(key, v, 0.0, 1.0)?,
            "min_benefit_share" => self.min_benefit_share = number(key, v, 0.0, 1.0)?,
            "max_cta_kinds" => self.max_cta_kinds = count(key, v)?,
            "max_talk_share" => self.max_talk_share = number(key, v, 0.0, 1.0)?,
            "max_monologue_seconds" => self.max_monologue_seconds = number(key, v, 0.0, 86_400.0)?,
            "max_monologue_words" => self.max_monologue_words = count(key, v)?,
            "min_questions" => self.min_questions = count(key, v)?,
            "max_fillers_per_100" => self.max_fillers_per_100 = number(key, v, 0.0, 100.0)?,
            "next_step_window" => self.next_step_window = number(key, v, 0.0, 1.0)?,
            _ => return Err(unknown_key(key)),
        }
        Ok(())
    }

    fn switch(&mut self, id: &str, value: &str) -> Result<(), String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "on" | "true" | "yes" | "1" => {
                self.disabled.remove(id);
            }
            "off" | "false" | "no" | "0" => {
                self.disabled.insert(id.to_owned());
            }
            other => return Err(format!("rule {id}: \"{other}\" is not on or off: write on, off, true or false")),
        }
        Ok(())
    }
}

fn count(key: &str, v: &str) -> Result<usize, String> {
    v.parse().map_err(|_| format!("{key}: \"{v}\" is not a whole number: write e.g. {key} = 150"))
}

fn number(key: &str, v: &str, min: f64, max: f64) -> Result<f64, String> {
    match v.parse::<f64>() {
        Ok(x) if (min..=max).contains(&x) => Ok(x),
        _ => Err(format!("{key}: \"{v}\" is not a number from {min} to {max}")),
    }
}

fn unknown_key(key: &str) -> String {
    let keys: Vec<&str> = SETTINGS.iter().map(|(k, _)| *k).collect();
    format!(
        "unknown review setting \"{key}\": expected a rule id (e.g. cta/multiple = off) or one of {}",
        keys.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_switches_rules_and_thresholds() {
        let mut c = ReviewConfig::default();
        c.set("cta/multiple", "off").unwrap();
        assert!(!c.is_enabled("cta/multiple"));
        c.set("cta/multiple", "true").unwrap();
        assert!(c.is_enabled("cta/multiple"));
        c.set("max_words", "120").unwrap();
        c.set("max_talk_share", "0.45").unwrap();
        assert_eq!((c.max_words, c.max_talk_share), (120, 0.45));
    }

    #[test]
    fn set_explains_bad_values() {
        let mut c = ReviewConfig::default();
        for (key, value, part) in [
            ("max_words", "many", "not a whole number"),
            ("max_talk_share", "1.5", "from 0 to 1"),
            ("cta/multiple", "maybe", "not on or off"),
            ("max_wordz", "1", "unknown review setting \"max_wordz\""),
        ] {
            let err = c.set(key, value).unwrap_err();
            assert!(err.contains(part), "{err}");
        }
        assert_eq!(c, ReviewConfig::default());
    }

    #[test]
    fn every_setting_is_settable_and_rule_ids_are_unique() {
        let mut c = ReviewConfig::default();
        for (key, _) in SETTINGS {
            c.set(key, "0").unwrap();
        }
        let ids: BTreeSet<_> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len());
    }
}
