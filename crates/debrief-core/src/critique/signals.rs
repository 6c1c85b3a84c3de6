//! The cue lexicons behind the message and call rules: asks (calls to
//! action), urgency, next steps and their acceptance, pronouns and filler
//! words. Each is compiled once.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::lexicon::Lexicon;

const DAYS: &str =
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|tomorrow";
const MONTHS: &str = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec";

/// Asks, by kind. A sentence may hold several kinds; a message that asks
/// the same kind of thing twice asks it once.
const CTA_PHRASES: [(&str, &str); 10] = [
    (
        "meeting",
        "are you free|available, do you have time|a|ten|five|15|20|30, book a|time|some|your, schedule a|some, set up a|some, grab a|some|15|20|30, find a time, pick a time, calendar link, my calendar, let's meet|talk|chat|connect|speak|schedule, hop|jump on a, would you be open to, could we meet|talk|chat, can we meet|talk|chat|set|schedule|find, shall we meet|talk|say|book",
    ),
    (
        "reply",
        "let me know, reply, get back to me, write back, send me, tell me, drop me a line, your thoughts, what do you think, hit reply, just reply, reply yes|with",
    ),
    (
        "phone",
        "call me, give me a call|ring|buzz, ring me, phone me, call us, text me, reach me at, call my cell|mobile",
    ),
    (
        "commit",
        "sign the|it|here|and, please sign, countersign, place the|an|your order, approve the, go ahead, confirm the order, purchase order, shall i send the contract",
    ),
    (
        "trial",
        "free trial, start the|your|a trial|pilot, try it, try it free, try us, test drive, request a|your sample, free sample, start for free",
    ),
    (
        "offer",
        "use code, promo code, discount code, coupon, redeem, claim your|the|this discount|offer|deal|spot|seat, take advantage, lock in|lock-in",
    ),
    (
        "buy",
        "buy now, order now, shop now, buy today, order today, add to cart, get yours, upgrade now|today, renew now|today, subscribe now",
    ),
    (
        "visit",
        "click, visit our|the, register, sign up, download, start your free, check out the|our, watch the, reserve your|a, rsvp, save your seat|spot, grab your seat|spot|copy, read the|our full, learn more, find out more, see the full|details",
    ),
    ("follow", "follow us, like us, join us on, connect with us, subscribe to our"),
    (
        "refer",
        "forward this, introduce me, connect me, point me, the best person, the right person, share this|it with, pass this|it along|on",
    ),
];

/// Every kind of ask in one lexicon, each phrase weighted by its kind's
/// place in [`CTA_PHRASES`]: one scan of a sentence finds all its kinds.
static CTA_ALL: LazyLock<Lexicon> = LazyLock::new(|| {
    let entries: Vec<(String, i32)> = CTA_PHRASES
        .iter()
        .enumerate()
        .map(|(k, (_, phrases))| (phrases.to_string(), i32::try_from(k).unwrap_or(0)))
        .collect();
    let refs: Vec<(&str, i32)> = entries.iter().map(|(p, w)| (p.as_str(), *w)).collect();
    Lexicon::new(&refs)
});

/// Verbs that open an imperative ask: "Visit the site below", "Grab your
/// seat here".
const IMPERATIVES: &[&str] = &[
    "visit", "grab", "get", "book", "reserve", "claim", "see", "check", "read", "watch", "join", "register", "sign",
    "download", "try", "start", "schedule", "pick", "choose", "click", "tap", "learn", "discover", "find", "explore",
    "request", "take", "head", "go", "come", "save", "secure", "browse", "shop", "order", "apply", "enroll", "enrol",
];

/// Where an imperative ask points: a link, "here", "below", the site.
const POINTERS: &[&str] =
    &["here", "below", "link", "site", "website", "page", "portal", "form", "http", "https", "www"];

/// Whether a sentence is an imperative pointing at a link: its first word
/// (after "please", "just", "simply") is a verb of action and it points at
/// a link, a page or "here".
pub fn imperative_link(words: &[Cow<'_, str>], has_url: bool) -> bool {
    let first = words.iter().map(Cow::as_ref).find(|w| !matches!(*w, "please" | "just" | "simply" | "so" | "now"));
    first.is_some_and(|w| IMPERATIVES.contains(&w)) && (has_url || words.iter().any(|w| POINTERS.contains(&w.as_ref())))
}

/// Closing courtesies that look like asks but are not ("let me know if you
/// have any questions").
static SOFT_ASK: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[(
        "any questions, if you need anything, if anything comes up, if i can help, questions or concerns",
        1,
    )])
});

/// The kinds of ask in a sentence's words, among `meeting`, `reply`,
/// `phone`, `commit`, `trial`, `offer`, `buy`, `visit`, `follow`, `refer`;
/// an imperative pointing at a link is a `visit`.
pub fn cta_kinds(words: &[Cow<'_, str>], is_question: bool, has_url: bool) -> Vec<&'static str> {
    let found = CTA_ALL.weights_found(words);
    let mut kinds: Vec<&'static str> =
        CTA_PHRASES.iter().enumerate().filter(|(k, _)| found & (1 << k) != 0).map(|(_, (kind, _))| *kind).collect();
    if kinds.is_empty() && imperative_link(words, has_url) {
        kinds.push("visit");
    }
    if is_question && MEETING_WORDS.any(words) && !kinds.contains(&"meeting") {
        kinds.push("meeting");
    }
    if SOFT_ASK.any(words) {
        kinds.retain(|k| *k != "reply");
    }
    // One sentence, one ask: a link to follow is how the trial or the offer
    // is taken, a reply is how the meeting is accepted.
    if kinds.len() > 1 {
        kinds.retain(|k| *k != "visit");
    }
    if kinds.contains(&"meeting") {
        kinds.retain(|k| *k != "reply");
    }
    kinds
}

/// Words that make a question an invitation to meet ("Would Tuesday work?").
static MEETING_WORDS: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[("call|chat|meeting|demo|walkthrough|minutes|coffee|lunch|visit", 1), (DAYS, 1), ("next week", 1)])
});

/// A reason to act now: deadlines, dates, scarcity, the cost of waiting.
static URGENCY: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[
        (
            "this week|month|quarter|friday, today, tomorrow, by end of, end of the|this month|quarter|year|week, eod, asap",
            1,
        ),
        (&format!("by|before|until {DAYS}|{MONTHS}|next|end|q1|q2|q3|q4|then"), 1),
        ("before your, before the renewal|deadline|price|end|launch|season|holidays|busy|rush|audit", 1),
        (
            "deadline, expires, expire, expiring, ends on, offer ends, last chance, limited time|spots|offer|availability, spots|slots|seats|places left|remaining",
            1,
        ),
        ("price|prices|rate|rates goes|go|will up|increase|rise|rises, price increase", 1),
        ("every day|week|month you wait|without, costing you, right now, act now, start now", 1),
        (
            "don't sit on, don't wait, don't miss, don't let this slip, before everyone|anyone else, before it's|they're gone, before they go, before the slots|spots|seats go, while it lasts, while they last, while stocks|supplies last, won't last, hurry, going fast, filling up|fast, selling out, first come, last few, ends soon, closing soon, doors close, final call, running out, today only, this week only, only a few|two|three|2|3 left|spots|slots|seats, tonight, midnight, 24|48|72 hours, this weekend",
            1,
        ),
    ])
});

/// Whether the words give a reason to act now.
pub fn has_urgency(words: &[Cow<'_, str>]) -> bool {
    URGENCY.any(words)
}

/// A concrete next step: a day, a date, a time, a meeting, a document.
static NEXT_STEP: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[
        (DAYS, 1),
        (
            &format!(
                "{MONTHS} 1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20|21|22|23|24|25|26|27|28|29|30|31|1st|2nd|3rd|4th|5th|6th|7th|8th|9th|10th|11th|12th|13th|14th|15th|16th|17th|18th|19th|20th|21st|22nd|23rd|24th|25th|26th|27th|28th|29th|30th|31st"
            ),
            1,
        ),
        (
            "next week|month|step|steps|meeting|call, this afternoon|evening, end of day|week|month, in two|three|a couple|few days|weeks",
            1,
        ),
        (
            "meeting, demo, walkthrough, invite, calendar, proposal, contract, quote, agreement, trial, pilot, follow up, pricing, decide|decision by, sign the|it|by|today|tomorrow|off, onboarding, kickoff, kick off, loop in, book, booked, schedule, scheduled, send over, send you, i'll send",
            1,
        ),
        ("1pm|2pm|3pm|4pm|5pm|9am|10am|11am|noon, at 1|2|3|4|5|9|10|11|12", 1),
    ])
});

/// Whether the words name a concrete next step.
pub fn names_next_step(words: &[Cow<'_, str>]) -> bool {
    NEXT_STEP.any(words)
}

/// Accepting a proposal.
static AGREE: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[(
        "yes, yeah, yep, sure, sounds good|great|perfect, that works, works for me, perfect, great, ok, okay, deal, absolutely, definitely, let's do it|that, see you, talk then, looking forward, i'll be there, booked, done, agreed, of course, fine, send me some|a|the|your dates|times|options|slots, i'll pick|choose one|a|the",
        1,
    )])
});

/// Declining or putting off.
static REFUSE: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[(
        "not interested, no thanks, no thank you, not right now, not now, not ready, don't think so, can't commit, hold off, pass on, not a fit, let me think, think about it, not sure, doesn't work, don't need, we'll see, maybe later, not at this time, we'll pass, i'll pass, going to pass, gonna pass, pass for, not for us, no to, won't be, not going to, not gonna, remove me, take me off, stop calling, don't call, do not call, not this year, not in the budget, we're good, we're fine, i'm good, i'm fine, no need, not needed, decline, i'd rather not, rather not, not worth",
        1,
    )])
});

/// Whether a reply accepts what was proposed: one of its sentences agrees
/// or names the step itself without declining ("Monday doesn't work.
/// Tuesday at 11 would." accepts Tuesday).
pub fn accepts(sentence_words: &[Vec<Cow<'_, str>>]) -> bool {
    sentence_words.iter().any(|w| (AGREE.any(w) || NEXT_STEP.any(w)) && !REFUSE.any(w))
}

/// Whether a reply declines or puts off: one of its sentences refuses and
/// none accepts.
pub fn declines(sentence_words: &[Vec<Cow<'_, str>>]) -> bool {
    let refuses = sentence_words.iter().any(|w| REFUSE.any(w)) && !accepts(sentence_words);
    let first = sentence_words.first().and_then(|w| w.first()).map(Cow::as_ref);
    let opens_with_no = matches!(first, Some("no" | "nope" | "nah"));
    // "Maybe." or "Perhaps, it depends" puts off; "Maybe Tuesday at 2" does not.
    let hedges = matches!(first, Some("maybe" | "perhaps" | "possibly" | "hmm" | "um" | "well"))
        && sentence_words.first().is_some_and(|w| !AGREE.any(w))
        && !sentence_words.iter().any(|w| WHEN.any(w));
    refuses || hedges || (opens_with_no && !sentence_words.iter().any(|w| NEXT_STEP.any(w)))
}

/// When, concretely: a day, a date, a clock time, tomorrow, this afternoon
/// ("next week" or "sometime" is not a when).
static WHEN: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[
        (DAYS, 1),
        (
            &format!(
                "{MONTHS} 1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20|21|22|23|24|25|26|27|28|29|30|31|1st|2nd|3rd|4th|5th|6th|7th|8th|9th|10th|11th|12th|13th|14th|15th|16th|17th|18th|19th|20th|21st|22nd|23rd|24th|25th|26th|27th|28th|29th|30th|31st"
            ),
            1,
        ),
        ("this afternoon|evening|morning, tonight, today at, end of day", 1),
        (
            "1pm|2pm|3pm|4pm|5pm|6pm|7am|8am|9am|10am|11am|noon, at 1|2|3|4|5|6|7|8|9|10|11|12|one|two|three|four|five|eight|nine|ten|eleven|noon",
            1,
        ),
        (
            "the 1st|2nd|3rd|4th|5th|6th|7th|8th|9th|10th|11th|12th|13th|14th|15th|16th|17th|18th|19th|20th|21st|22nd|23rd|24th|25th|26th|27th|28th|29th|30th|31st",
            1,
        ),
    ])
});

/// Whether the words say when, concretely.
pub fn names_when(words: &[Cow<'_, str>]) -> bool {
    WHEN.any(words)
}

/// A meeting with the buyer, as a next step: something both sides attend
/// (sending a quote or "touching base" is not one).
static MEETING: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[(
        "meet on|at|with|again|up, meeting on|at|with, a meeting, another meeting, next meeting, follow-up meeting, demo, demonstration, walkthrough, walk through, workshop, session, site visit, visit, tour, viewing, tasting, survey, kickoff, kick off, pilot, trial, onboarding, set up, setup, installation, appointment, consultation, presentation, inspection, assessment, audit, call with, call on, working session",
        1,
    )])
});

/// Whether the words name a meeting both sides attend.
pub fn names_meeting(words: &[Cow<'_, str>]) -> bool {
    MEETING.any(words)
}

/// The buyer pushing back on price.
static PRICE_OBJECTION: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[(
        "too expensive, too pricey, pricey, expensive, too much money, a lot of money, costs too much, cost too much, can't afford, cannot afford, can't justify, over our|the|my budget, above our|the|my budget, outside our|the|my budget, beyond our|the|my budget, out of our|my price range, no budget, don't have the budget, haven't got the budget, budget is tight|frozen|gone|spent, tight budget, not in the budget, well above what, more than we pay|spend|have, more than i have|pay|spend, cheaper, price is high|steep|too, seems high|steep, that's steep, that's high, the price is, can't swing, out of reach",
        1,
    )])
});

/// Whether the words push back on price.
pub fn objects_to_price(words: &[Cow<'_, str>]) -> bool {
    PRICE_OBJECTION.any(words)
}

/// An answer to a price objection with substance: the buyer's own numbers,
/// a return, a smaller start.
static VALUE_ANSWER: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[(
        "pays for itself, pay for itself, payback, pay back, return on, roi, you said, you mentioned, you told me, your numbers, your own numbers, costing you, costs you, cost you, you're losing, you lose, you're spending, you spend, saves you, save you, compared to|with, versus, pilot, trial, phase, phased, start small|smaller, smaller scope, fewer seats|users|licenses, break even, per month that, grant, grants, financing, what would it be worth, what is it worth, what's it worth, what budget, what range, what were you expecting, what did you have in mind",
        1,
    )])
});

/// Whether the words answer a price objection with substance.
pub fn answers_value(words: &[Cow<'_, str>]) -> bool {
    VALUE_ANSWER.any(words)
}

/// Brushing the buyer off: vague promises, "don't worry", "trust me".
static DISMISSIVE: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::new(&[(
        "don't worry about, don't you worry, no need to worry, nothing to worry, trust me, believe me, i'll get back to you, get back to you on|later|sometime, circle back, touch base, sometime this|next week, at some point, some time this|next week, we'll figure, we'll sort, it's fine, not a big deal, no big deal, not an issue, not really an issue, never been an issue, everyone says, you'll love it, you get what you pay for, it's worth it, worth every penny, best on the market, best in the market, best in class, industry leading",
        1,
    )])
});

/// Whether the words brush the buyer off.
pub fn dismisses(words: &[Cow<'_, str>]) -> bool {
    DISMISSIVE.any(words)
}

/// Pressure a coach would cut: guilt, fear, fake deadlines.
const PRESSURE_PHRASES: &str = "last chance, final chance, final notice, final warning, act now, act fast, act immediately, immediately, before it's too late, too late, no exceptions, i can't hold, can't hold it, disappointed, disappointing, a shame, the courtesy, haven't heard a single, haven't heard back, still haven't heard, you don't care, don't you care, i guess you, prove it, i'll assume, not a priority for you, your competitors are already, eating your lunch, you'll regret, you will regret, regret it, shut your doors, number one target, cracking down, could cost you everything, don't be the one, left behind, i've reached out, i've tried to reach, i've emailed you, did you get my, did you see my, ignoring";
static PRESSURE: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(&[(PRESSURE_PHRASES, 1)]));

/// Hype: claims a buyer discounts on sight.
const HYPE_PHRASES: &str = "10x, 100x, guaranteed results, guaranteed, game changer, game-changer, game changing, revolutionary, revolutionize, skyrocket, explode your, crush it, crush your, 7 figure, seven figure, mind blowing, insane results, once in a lifetime, secret, no brainer, no-brainer, risk free, risk-free, best in class, world class, cutting edge, cutting-edge, next generation, next-generation, synergy, synergize, leverage our, paradigm, disrupt, unparalleled, unbeatable";
static HYPE: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(&[(HYPE_PHRASES, 1)]));

/// A follow-up that brings nothing: checking in, touching base, bumping.
const EMPTY_PHRASES: &str = "just checking in, checking in, touch base, touching base, just following up, following up on my, circling back, circle back, bumping this, bump this, just bumping, any update, any updates, had a chance to look|review|read, get a chance to look|review|read, just wanted to follow up, floating this, resurface this";
static EMPTY_FOLLOW_UP: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::new(&[(EMPTY_PHRASES, 1)]));

/// The three tone lexicons in one, weighted 0, 1, 2: one scan says which
/// of them a sentence holds.
static TONE_ANY: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::new(&[(PRESSURE_PHRASES, 0), (HYPE_PHRASES, 1), (EMPTY_PHRASES, 2)]));

/// What pushes or empties a message, by kind (`pressure`, `hype`,
/// `empty`): the phrases found.
pub fn tone_hits(words: &[Cow<'_, str>]) -> [(&'static str, Vec<String>); 3] {
    let found = TONE_ANY.weights_found(words);
    let quoted = |bit: u64, lex: &Lexicon| {
        if found & bit == 0 {
            return Vec::new();
        }
        lex.hits(words).into_iter().map(|h| words[h.start..h.start + h.len].join(" ")).collect::<Vec<String>>()
    };
    [("pressure", quoted(1, &PRESSURE)), ("hype", quoted(2, &HYPE)), ("empty", quoted(4, &EMPTY_FOLLOW_UP))]
}

/// Acronyms written in capitals that are not shouting.
const ACRONYMS: &[&str] = &[
    "roi", "crm", "erp", "api", "seo", "ceo", "cfo", "cto", "coo", "cmo", "vp", "hr", "it", "pos", "kpi", "sla", "sms",
    "pdf", "usa", "uk", "eu", "hipaa", "gdpr", "soc", "iso", "hvac", "ppc", "ai", "ml", "sql", "aws", "ev", "led",
    "asap", "faq", "rsvp", "ps", "qr", "url", "usb", "gps", "oem", "fda", "osha", "llc", "inc", "ltd", "cpa", "mrr",
    "arr", "b2b", "b2c", "saas", "ux", "ui", "pm", "am", "est", "pst", "cst", "gmt", "utc", "bst", "cet", "nyc", "la",
    "dc", "ny", "ca", "tx", "fl", "id", "ok", "tv", "pr", "ipo", "rfp", "rfq", "sow", "nda", "msa", "po", "eta", "diy",
    "ppe", "cnc", "3pl", "wms", "tms", "edi", "ehr", "emr", "pto", "401k", "ira", "w2", "vat", "gst", "hmrc", "irs",
    "nhs", "mot", "ssl", "vpn", "dns", "html", "css", "ios", "ipad", "iphone", "q1", "q2", "q3", "q4", "ytd", "yoy",
    "mom", "ebitda", "cogs", "oee", "mro", "bom", "rma", "sku", "skus", "ltl", "ftl", "dot", "fmcsa", "eld", "ada",
    "ppo", "hmo", "aca", "cobra", "fsa", "hsa", "nps", "csat", "smb", "smbs", "sme", "smes", "r&d", "ga",
];

/// Words in capitals for emphasis ("LAST CHANCE", "TODAY"): tokens of
/// three or more letters written all in capitals, acronyms aside.
pub fn shouted_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .filter(|w| {
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            letters >= 3 && w.chars().all(|c| !c.is_lowercase()) && !ACRONYMS.contains(&w.to_lowercase().as_str())
        })
        .map(str::to_owned)
        .collect()
}

/// Pronouns of the reader.
pub const YOU: &[&str] = &["you", "your", "yours", "yourself", "yourselves", "you're", "you'll", "you've", "you'd"];

/// Pronouns of the writer and their company.
pub const WE: &[&str] = &[
    "we",
    "our",
    "ours",
    "us",
    "ourselves",
    "we're",
    "we'll",
    "we've",
    "we'd",
    "i",
    "me",
    "my",
    "mine",
    "myself",
    "i'm",
    "i'll",
    "i've",
    "i'd",
];

/// Whether the words speak to the reader: a "you" or an outcome.
pub fn about_reader(words: &[Cow<'_, str>]) -> bool {
    words.iter().any(|w| YOU.contains(&w.as_ref()))
}

/// Filler words: always fillers, whatever their context.
const FILLERS: &[&str] =
    &["um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "hmm", "basically", "literally", "actually"];

/// Words that make "kind of" / "sort of" a real phrase ("what kind of").
const KIND_OF_REAL: &[&str] = &[
    "what",
    "which",
    "a",
    "the",
    "this",
    "that",
    "any",
    "some",
    "every",
    "one",
    "same",
    "these",
    "those",
    "all",
    "different",
    "new",
];

/// Filler words in `text`: (byte offset, the filler). "like" counts only
/// beside a comma ("it's, like, huge"), "you know" and "I mean" only
/// before a comma or at the end, "kind of"/"sort of" only when no
/// determiner precedes them ("kind of expensive", not "what kind of").
pub fn fillers(text: &str, tokens: &[(usize, Cow<'_, str>)]) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    for (i, (at, w)) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).map_or("", |(_, n)| n.as_ref());
        let prev = i.checked_sub(1).map_or("", |p| tokens[p].1.as_ref());
        let filler = match w.as_ref() {
            w if FILLERS.contains(&w) => FILLERS.iter().copied().find(|f| *f == w),
            "like" if comma_beside(text, *at, 4) => Some("like"),
            "you" if next == "know" && comma_after(text, tokens[i + 1].0, 4) => Some("you know"),
            "i" if next == "mean" && comma_after(text, tokens[i + 1].0, 4) => Some("i mean"),
            "kind" if next == "of" && !KIND_OF_REAL.contains(&prev) => Some("kind of"),
            "sort" if next == "of" && !KIND_OF_REAL.contains(&prev) => Some("sort of"),
            _ => None,
        };
        if let Some(f) = filler {
            out.push((*at, f));
        }
    }
    out
}

/// A comma (or the end of the text) right after the word at `at`.
fn comma_after(text: &str, at: usize, len: usize) -> bool {
    let rest = text.get(at + len..).unwrap_or("").trim_start_matches(|c: char| c.is_alphanumeric() || c == '\'');
    rest.starts_with([',', '.', '?', '!', '…']) || rest.trim().is_empty()
}

/// A comma right before or right after the word at `at`.
fn comma_beside(text: &str, at: usize, len: usize) -> bool {
    let before = text.get(..at).unwrap_or("").trim_end();
    let after = text.get(at + len..).unwrap_or("");
    before.ends_with(',') || after.starts_with(',')
}

/// Speaker labels that mean "the seller".
pub const ROLE_NAMES: &[&str] = &[
    "me",
    "you",
    "rep",
    "sales",
    "seller",
    "salesperson",
    "agent",
    "host",
    "account executive",
    "ae",
    "sdr",
    "bdr",
    "interviewer",
    "sales rep",
    "account manager",
];

/// An introduction from a company: "this is Ann from Acme", "calling from",
/// "I'm Ann with Acme".
pub fn introduces_company(words: &[Cow<'_, str>]) -> bool {
    let w: Vec<&str> = words.iter().map(|w| w.as_ref()).collect();
    let calling = w.windows(2).any(|p| matches!(p, ["calling" | "reaching" | "here", "from" | "with"]));
    let intro = w.windows(2).enumerate().any(|(i, p)| {
        matches!(p, ["this", "is"] | ["it's" | "i'm", _] | ["name", "is"])
            && w[i + 2..].iter().take(4).any(|x| matches!(*x, "from" | "with" | "at"))
    });
    calling || intro
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::critique::text::tokens;

    fn words(s: &str) -> Vec<std::borrow::Cow<'_, str>> {
        tokens(s).into_iter().map(|(_, w)| w).collect()
    }

    #[test]
    fn asks_by_kind() {
        for (text, kinds) in [
            ("Would Tuesday at 10 work for a quick call?", vec!["meeting"]),
            ("Here is my calendar link.", vec!["meeting"]),
            ("Let me know what you think.", vec!["reply"]),
            ("Let me know if you have any questions.", vec![]),
            ("Please sign the order form and send it back.", vec!["commit"]),
            ("Could you forward this to the right person?", vec!["refer"]),
            ("Thanks for your time.", vec![]),
        ] {
            let q = text.ends_with('?');
            assert_eq!(cta_kinds(&words(text), q, false), kinds, "{text}");
        }
    }

    #[test]
    fn urgency_and_next_steps() {
        assert!(has_urgency(&words("The discount ends on Friday.")));
        assert!(has_urgency(&words("Prices go up in June.")));
        assert!(!has_urgency(&words("Would love to chat.")));
        assert!(names_next_step(&words("Let's do Thursday at 3.")));
        assert!(names_next_step(&words("I'll send the proposal.")));
        assert!(!names_next_step(&words("Thanks, bye.")));
        assert!(accepts(&[words("Sounds good, see you then.")]));
        assert!(!accepts(&[words("Not right now, thanks.")]));
        assert!(accepts(&[words("Monday doesn't work."), words("Tuesday would.")]));
    }

    #[test]
    fn fillers_in_context() {
        let text = "Um, it's, like, basically what kind of tool you know, I mean, kind of pricey. I like it.";
        let found: Vec<&str> = fillers(text, &tokens(text)).into_iter().map(|(_, f)| f).collect();
        assert_eq!(found, ["um", "like", "basically", "you know", "i mean", "kind of"]);
    }

    #[test]
    fn introductions() {
        assert!(introduces_company(&words("Hi, this is Ann from Acme.")));
        assert!(introduces_company(&words("I'm calling from Northwind.")));
        assert!(!introduces_company(&words("Hi Ann, this is a good time.")));
    }
}
