//! The benefit / feature / neither sentence classifier: transparent cue
//! lexicons, scored and compared, so every verdict can be explained.
//!
//! A sentence is a **benefit** when it says what the buyer gains, saves or
//! avoids; a **feature** when it says what the product is, has or does; and
//! **neither** otherwise (greetings, logistics, questions, sign-offs). A
//! sentence that names a feature *and* its outcome is a benefit.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::lexicon::Lexicon;
use super::text::tokens;

/// What a sentence talks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SentenceClass {
    Benefit,
    Feature,
    Neither,
}

impl SentenceClass {
    pub const ALL: [SentenceClass; 3] = [Self::Benefit, Self::Feature, Self::Neither];

    /// The contract's name: `benefit`, `feature` or `neither`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Benefit => "benefit",
            Self::Feature => "feature",
            Self::Neither => "neither",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Outcome language: what the reader gains, saves or avoids.
static BENEFIT: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[
        // Tying a fact to the reader's outcome.
        ("so you|your", 3),
        ("so that you|your", 3),
        ("which|that|this|it means", 2),
        ("means|mean you|your|fewer|less|more|lower|faster", 3),
        ("help|helps|helping you|your", 3),
        ("let|lets you|your", 2),
        ("allow|allows|enable|enables you|your", 2),
        ("that way", 2),
        ("you'll|you'd", 1),
        ("you will|would", 1),
        ("you won't, you'll never, you no longer, never again, no more", 3),
        ("you can|could", 1),
        ("you're covered, peace of mind", 3),
        (
            "you get|gain|keep|save|avoid|reduce|cut|lower|eliminate|protect|improve|boost|grow|win|stop|pay|spend|stay|know",
            2,
        ),
        ("instead of, rather than", 2),
        // Outcome verbs and comparatives.
        ("save|saves|saved|saving|savings", 2),
        ("cut|cuts|cutting|reduce|reduces|reduced|reducing|lower|lowers|lowering", 2),
        ("avoid|avoids|avoiding|eliminate|eliminates|prevent|prevents", 2),
        ("protect|protects|protecting|safe|secure", 1),
        ("boost|boosts|improve|improves|increase|increases|grow|grows", 1),
        ("free|frees up", 2),
        ("frees", 2),
        ("spend|spends|pay|pays|waste|wastes less", 3),
        ("less time, more time, fewer, less", 1),
        ("faster|quicker|sooner|quickly|earlier", 1),
        ("on time, first time|attempt|visit", 1),
        ("worry|worrying|confidence|stress|headache|headaches", 1),
        ("happier, happy customers", 1),
        ("stop|stops|stopping", 1),
        ("without", 1),
        ("never", 1),
        ("drop|drops|shorten|shortens, speed|speeds up", 1),
        ("get|gets paid", 2),
        ("close|closes|sell|sells|win|wins more", 2),
        ("more deals|sales|customers|revenue", 2),
        ("keep|keeps|stays|stay", 1),
        ("recover|recovers, pays for itself", 1),
        ("margin|margins|bill|costs, cost of", 1),
        ("hours a|per week|month", 1),
        ("in minutes|seconds, in a day", 1),
    ])
});

/// Product language: what it is, has, includes or does.
static FEATURE: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[
        ("comes|come|ships|ship with", 3),
        ("includes|include|included|including", 2),
        ("features|feature", 2),
        ("built on|in|with", 3),
        ("powered|backed by", 3),
        ("equipped|fitted with", 3),
        ("supports|support", 2),
        ("support for", 2),
        ("integrates|integrate with", 3),
        ("integration|integrations|connectors|api|webhooks", 2),
        ("compatible with", 3),
        ("available in|on|for", 2),
        ("runs on", 3),
        ("consists of, made of|from, written in", 3),
        ("certified|rated|hosted|deployed|encrypted|encryption", 2),
        ("has|have|offers|offer|provides|provide|uses|use", 1),
        ("there is|are", 1),
        (
            "contains|covers|excludes|guarantees|delivers|handles|tracks|measures|records|generates|adds|sends|reads|accepts|shows|connects",
            1,
        ),
        ("up to", 2),
        ("range|ranges from", 2),
        ("starts|starting at|from", 2),
        ("per month|year|user|minute|second|hour|unit|occurrence", 2),
        ("billed|interest|coupon|deductible|deductibles|premiums|warranty|license|licence", 2),
        ("module|dashboard|platform|system|software|app|version|plan|policy", 1),
    ])
});

/// Everything else: greetings, sign-offs, logistics, company small talk.
static NEITHER: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[
        ("hi|hello|hey|dear|greetings", 3),
        ("good morning|afternoon|evening", 3),
        ("regards|cheers|sincerely|thanks|thank|congratulations|congrats", 3),
        ("talk|speak soon, looking forward", 3),
        ("have a great|good|nice", 3),
        ("enjoy the|your", 2),
        ("happy new|holidays|friday|to", 2),
        ("hope|hoping|sorry|apologies|pleasure, great to meet", 2),
        ("attached|attach|attachment|below|enclosed", 2),
        ("calendar|invite|agenda|webinar|conference|expo|summit, trade show", 2),
        ("call|meeting|demo|chat", 1),
        ("let me know, let's, let me", 2),
        ("follow|following|checking|check up|in", 2),
        ("reach|reaching out", 2),
        ("get back to", 2),
        ("send|sending over|you", 1),
        ("book a, set up a", 1),
        ("reply|confirm|sign|forward|introduce, connect me", 2),
        ("proposal|quote|contract|agreement|invoice, order form", 1),
        ("founded|founder|headquartered|award|partnered, based in, family owned", 3),
        ("our company|team|ceo|office|founder|colleague", 2),
        ("many of our, our customers|clients", 2),
        ("we met|spoke, we work with", 2),
        ("work with us, already use|work with, we have over, trusted by", 2),
        ("met|spoke|noticed|mentioned|discussed|promised", 1),
        ("please", 2),
        ("i|i'm|i'll|i've|i'd", 1),
        ("p s, ps", 2),
    ])
});

/// Words that, opening a sentence, make the product its subject.
const PRODUCT_SUBJECT: &[&str] = &["the", "our", "each", "every", "it", "its", "it's", "this", "all", "there", "we"];

/// Words that, opening a sentence, make the reader its subject.
const READER_SUBJECT: &[&str] = &["you", "your", "you'll", "you're", "you'd", "you've"];

/// How strongly a sentence leans each way; the verdict is the strongest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Leaning {
    pub benefit: i32,
    pub feature: i32,
    pub neither: i32,
}

impl Leaning {
    /// The verdict: the strongest leaning; a tie between benefit and
    /// feature is a benefit (the sentence ties the feature to an outcome);
    /// nothing at all is neither.
    pub fn class(self) -> SentenceClass {
        let top = self.benefit.max(self.feature).max(self.neither);
        if top <= 0 || self.neither == top {
            SentenceClass::Neither
        } else if self.benefit == top {
            SentenceClass::Benefit
        } else {
            SentenceClass::Feature
        }
    }
}

/// Classifies one sentence (the learned model, [`learned::verdict`]).
pub fn classify(sentence: &str) -> SentenceClass {
    judge(sentence).class
}

/// The learned model's verdict on one sentence, with the words that weighed most.
pub fn judge(sentence: &str) -> learned::Verdict {
    let words: Vec<_> = tokens(sentence).into_iter().map(|(_, w)| w).collect();
    learned::verdict(sentence, &words, leaning_of(sentence, &words))
}

/// Scores one sentence against the three lexicons and a few shape cues.
pub fn leaning(sentence: &str) -> Leaning {
    let words: Vec<_> = tokens(sentence).into_iter().map(|(_, w)| w).collect();
    leaning_of(sentence, &words)
}

/// [`leaning`] for a sentence already split into its [`tokens`].
pub fn leaning_of(sentence: &str, words: &[Cow<'_, str>]) -> Leaning {
    let mut l = Leaning {
        benefit: BENEFIT.score(words),
        feature: FEATURE.score(words) + spec_score(sentence, words),
        neither: NEITHER.score(words),
    };
    let first = words.first().map_or("", |w| w.as_ref());
    if READER_SUBJECT.contains(&first) {
        l.benefit += 1;
    }
    if words.iter().skip(1).any(|w| READER_SUBJECT.contains(&w.as_ref())) {
        l.benefit += 1;
    }
    if PRODUCT_SUBJECT.contains(&first) {
        l.feature += 1;
    }
    if sentence.trim_end().ends_with('?') {
        l.neither += 4;
    }
    if words.len() <= 3 && l.benefit == 0 && l.feature <= 1 {
        l.neither += 1;
    }
    l
}

/// Units that turn a number into a specification.
const UNITS: &[&str] = &[
    "gb",
    "tb",
    "mb",
    "kb",
    "gbps",
    "mbps",
    "ghz",
    "mhz",
    "hz",
    "kg",
    "g",
    "grams",
    "mg",
    "lb",
    "lbs",
    "mm",
    "cm",
    "m",
    "km",
    "meters",
    "metres",
    "meter",
    "inch",
    "inches",
    "ft",
    "feet",
    "acre",
    "acres",
    "sq",
    "kw",
    "kwh",
    "mw",
    "w",
    "watts",
    "v",
    "volts",
    "mah",
    "tons",
    "tonnes",
    "liters",
    "litres",
    "liter",
    "l",
    "gallons",
    "bar",
    "psi",
    "rpm",
    "fps",
    "frames",
    "megapixel",
    "axes",
    "cores",
    "users",
    "seats",
    "requests",
    "scans",
    "positions",
    "docks",
    "countries",
    "currencies",
    "courses",
    "sessions",
    "devices",
];

/// Points for numbers with units ("16 GB", "2.5 tonnes", "420 watts") and
/// for percentages and prices written as specs ("99.9%", "$39").
fn spec_score(sentence: &str, words: &[Cow<'_, str>]) -> i32 {
    let unit_hits =
        words.windows(2).filter(|w| w[0].chars().any(|c| c.is_ascii_digit()) && UNITS.contains(&w[1].as_ref())).count();
    let glued = words
        .iter()
        .filter(|t| {
            t.starts_with(|c: char| c.is_ascii_digit())
                && UNITS.iter().any(|u| {
                    t.ends_with(u) && t.len() > u.len() && t[..t.len() - u.len()].chars().all(|c| c.is_ascii_digit())
                })
        })
        .count();
    let percent = sentence.contains('%') as usize;
    2 * (unit_hits + glued) as i32 + percent as i32
}

pub mod learned;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod train;
