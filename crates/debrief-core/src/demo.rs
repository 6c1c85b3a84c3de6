//! Realistic synthetic contacts for newcomers and benchmarks: working-hours
//! contacts, new leads and follow-ups, about one win in five, a Zipf-like mix
//! of starter reasons written in several ways, and a focus that really makes
//! its reason rarer.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::error::RangeError;
use crate::model::{Channel, Outcome};
use crate::vocabulary::{STARTER, StarterReason};
use crate::week::IsoWeek;

/// What to generate.
#[derive(Clone, Debug)]
pub struct DemoSpec {
    pub weeks: u32,
    /// Average contacts per rep per week.
    pub contacts_per_week: u32,
    pub seed: u64,
    /// Nothing is generated after this instant.
    pub end: Timestamp,
    pub tz: TimeZone,
}

impl DemoSpec {
    /// The weeks the demo spans, oldest first: the `weeks` weeks ending with
    /// the week of `end`, or why they leave the calendar.
    pub fn window(&self) -> Result<Vec<IsoWeek>, RangeError> {
        IsoWeek::of(self.end, &self.tz).window(self.weeks)
    }
}

/// A reason on a demo contact: an index into [`STARTER`] and the words used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoReason {
    pub starter: usize,
    pub text: &'static str,
    pub controllable: bool,
    pub do_differently: Option<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoContact {
    pub client: String,
    pub at: Timestamp,
    pub channel: Channel,
    pub outcome: Outcome,
    pub new_lead: bool,
    pub reasons: Vec<DemoReason>,
    pub better: Option<&'static str>,
}

/// One rep's history: contacts oldest first, and the focus they set, if any.
#[derive(Clone, Debug)]
pub struct DemoRep {
    pub contacts: Vec<DemoContact>,
    /// `(index into STARTER, when it was set)`.
    pub focus: Option<(usize, Timestamp)>,
}

/// How much rarer the focused reason becomes once the rep works on it.
const FOCUS_DAMPING: f64 = 0.3;

const OUTCOMES: [(Outcome, f64); 6] = [
    (Outcome::Won, 0.14),
    (Outcome::Lost, 0.56),
    (Outcome::Advanced, 0.12),
    (Outcome::NoAnswer, 0.10),
    (Outcome::NoShow, 0.03),
    (Outcome::Pending, 0.05),
];

const CHANNELS: [(Channel, f64); 6] = [
    (Channel::Call, 0.45),
    (Channel::Email, 0.15),
    (Channel::OnlineMeeting, 0.15),
    (Channel::Meeting, 0.10),
    (Channel::Visit, 0.08),
    (Channel::Message, 0.07),
];

/// What a rep writes they would do differently, by starter reason.
fn lessons(label: &str) -> &'static [&'static str] {
    match label {
        "talked features, not benefits" => {
            &["tie every feature to what it saves them", "open with their problem, not our product"]
        }
        "didn't ask about budget" => {
            &["ask about budget in the first ten minutes", "ask what they spend on this today"]
        }
        "didn't identify the decision maker" => {
            &["ask who else signs off before the demo", "map the buying group on the first call"]
        }
        "was late" => &["leave thirty minutes earlier for site visits", "block travel time in the calendar"],
        "didn't follow up" => &["put the follow-up in the calendar during the call", "send the recap the same day"],
        "no clear next step agreed" => {
            &["agree the next step and a date before hanging up", "propose two concrete times for the next meeting"]
        }
        "talked more than listened" => {
            &["ask, then stay quiet for two minutes", "aim for them talking two thirds of the time"]
        }
        "didn't handle the price objection" => {
            &["answer price with the cost of doing nothing", "rehearse the price objection with a colleague"]
        }
        "weak opening" => &["open with a result a similar client got", "prepare the first two sentences in writing"],
        "didn't qualify the lead" => {
            &["check need, budget and timing before booking a demo", "ask the three qualifying questions first"]
        }
        "sent the proposal too late" => {
            &["send the proposal within 24 hours", "prepare the proposal template before the meeting"]
        }
        "didn't prepare / research the client" => &[
            "read their site and news for ten minutes before the call",
            "write down three facts about them beforehand",
        ],
        "didn't ask for the sale" => {
            &["ask for the order when they agree on value", "end with a clear closing question"]
        }
        "didn't create urgency" => {
            &["show what waiting a quarter costs them", "tie the start date to their own deadline"]
        }
        "no tailored demo" => &["build the demo around their two main problems", "use their data in the demo"],
        "didn't understand their need" => &["summarise their need back before proposing anything", "ask why now"],
        "interrupted the client" => &["count to two before answering", "write questions down instead of cutting in"],
        "forgot to confirm the meeting" => {
            &["confirm every meeting the day before", "send the invite with an agenda right away"]
        }
        "didn't ask enough questions" => &["prepare five open questions", "ask one more question before presenting"],
        "gave a discount too early" => {
            &["trade a discount only for something in return", "hold price until they have chosen us"]
        }
        "didn't know the product well enough" => {
            &["review the release notes every Monday", "bring a product specialist to technical calls"]
        }
        "no agenda for the meeting" => &["send an agenda the day before", "open the meeting by agreeing the agenda"],
        "no rapport with the client" => {
            &["spend the first minutes on them, not the pitch", "find one thing in common before business"]
        }
        "connection problems on my side" => {
            &["test the link and headset ten minutes before", "keep a phone dial-in ready"]
        }
        "no social proof or references" => {
            &["bring a reference from their industry", "have two customer stories ready"]
        }
        "didn't involve other stakeholders" => {
            &["invite the users to the second meeting", "ask who will be affected by the change"]
        }
        "too pushy" => &["let them set the pace after the demo", "ask permission before the closing question"],
        "slow to reply" => &["answer every client e-mail the same day", "block two slots a day for replies"],
        "used too much jargon" => &["use their words, not ours", "explain it as I would to a friend"],
        _ => &["prepare better for this kind of call"],
    }
}

const BETTER: [&str; 6] = [
    "should have summarised their needs back to them",
    "could have asked who else decides",
    "talked too fast at the start",
    "should have sent the agenda beforehand",
    "could have shared a customer story from their industry",
    "nothing to improve on this one",
];

const COMPANY: [&str; 16] = [
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Tailspin",
    "Litware",
    "Adatum",
    "Proseware",
    "Woodgrove",
    "Lucerne",
    "Wingtip",
    "Alpine",
    "Coho",
    "Fourth Coffee",
    "Humongous",
    "Margie's",
    "Trey",
];
const KIND: [&str; 8] = ["Logistics", "Dental", "Foods", "Insurance", "Bikes", "Energy", "Studios", "Hotels"];

/// Generates the history of rep number `rep` (0-based) of a demo.
pub fn generate_rep(spec: &DemoSpec, rep: u32) -> DemoRep {
    let mut rng = SmallRng::seed_from_u64(spec.seed ^ (u64::from(rep) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut weights = RepWeights::new(&mut rng);
    let mut state = RepState { clients: Vec::new(), next_client: 0, rep };
    let mut out = DemoRep { contacts: Vec::new(), focus: None };
    // A window beyond the calendar generates nothing; `DemoSpec::window` says why.
    let Ok(window) = spec.window() else { return out };
    let focus_week = window.get(spec.weeks as usize / 2).copied().filter(|_| spec.weeks >= 4);
    for week in window {
        if Some(week) == focus_week
            && let Some(set_at) =
                day_start(week, 0, &spec.tz).and_then(|t| t.checked_add(SignedDuration::from_hours(8)).ok())
        {
            let reason = weights.focus();
            out.focus = (set_at < spec.end).then_some((reason, set_at));
        }
        for day in 0..5 {
            let Some(start) = day_start(week, day, &spec.tz) else { continue };
            let per_day = spec.contacts_per_week as f64 / 5.0;
            let n = rng.random_range(per_day * 0.6..=per_day * 1.4).round() as u32;
            let mut times: Vec<i64> = (0..n).map(|_| rng.random_range(8 * 3600..18 * 3600)).collect();
            times.sort_unstable();
            for secs in times {
                let Ok(at) = start.checked_add(SignedDuration::from_secs(secs)) else { return out };
                if at > spec.end {
                    return out;
                }
                out.contacts.push(state.contact(&mut rng, &weights, at));
            }
        }
    }
    out
}

/// Midnight of the `day`-th day (0 = Monday) of `week` in `tz`, if the calendar holds it.
fn day_start(week: IsoWeek, day: i8, tz: &TimeZone) -> Option<Timestamp> {
    let date = week.monday().checked_add(jiff::Span::new().days(day)).ok()?;
    date.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

/// The rep's own mix of mistakes: a Zipf-like weighting over a shuffled order.
struct RepWeights {
    controllable: Vec<(usize, f64)>,
    external: Vec<(usize, f64)>,
}

impl RepWeights {
    fn new(rng: &mut SmallRng) -> RepWeights {
        let zipf = |mut idx: Vec<usize>, rng: &mut SmallRng| -> Vec<(usize, f64)> {
            idx.shuffle(rng);
            idx.into_iter().enumerate().map(|(rank, i)| (i, 1.0 / (rank as f64 + 1.0).powf(1.1))).collect()
        };
        let of_kind = |c: bool| (0..STARTER.len()).filter(|&i| STARTER[i].controllable == c).collect::<Vec<_>>();
        RepWeights { controllable: zipf(of_kind(true), rng), external: zipf(of_kind(false), rng) }
    }

    /// Picks the rep's most frequent mistake as focus and makes it rarer from now on.
    fn focus(&mut self) -> usize {
        let top = self.controllable[0].0;
        self.controllable[0].1 *= FOCUS_DAMPING;
        top
    }
}

struct RepState {
    /// Client names, most recent last.
    clients: Vec<String>,
    next_client: u32,
    rep: u32,
}

impl RepState {
    fn contact(&mut self, rng: &mut SmallRng, weights: &RepWeights, at: Timestamp) -> DemoContact {
        let new_lead = self.clients.is_empty() || rng.random_bool(0.35);
        let client = if new_lead {
            self.new_client(rng)
        } else {
            let recent = self.clients.len().min(60);
            self.clients[self.clients.len() - 1 - rng.random_range(0..recent)].clone()
        };
        let outcome = pick(rng, &OUTCOMES);
        let reasons = reasons(rng, weights, outcome);
        DemoContact {
            client,
            at,
            channel: pick(rng, &CHANNELS),
            outcome,
            new_lead,
            reasons,
            better: rng.random_bool(0.15).then(|| BETTER[rng.random_range(0..BETTER.len())]),
        }
    }

    fn new_client(&mut self, rng: &mut SmallRng) -> String {
        self.next_client += 1;
        let name = format!(
            "{} {} {}-{}",
            COMPANY[rng.random_range(0..COMPANY.len())],
            KIND[rng.random_range(0..KIND.len())],
            self.rep + 1,
            self.next_client
        );
        self.clients.push(name.clone());
        name
    }
}

fn reasons(rng: &mut SmallRng, weights: &RepWeights, outcome: Outcome) -> Vec<DemoReason> {
    let mut out = Vec::new();
    let (controllable, external) = match outcome {
        Outcome::Lost => {
            let n = pick(rng, &[(0usize, 0.05), (1, 0.75), (2, 0.20)]);
            (n, usize::from(n == 0 || rng.random_bool(0.35)))
        }
        Outcome::Won | Outcome::Pending => (0, 0),
        _ => (usize::from(rng.random_bool(0.1)), 0),
    };
    while out.len() < controllable {
        let i = pick_weighted(rng, &weights.controllable);
        if out.iter().all(|r: &DemoReason| r.starter != i) {
            let options = lessons(STARTER[i].label);
            let lesson = rng.random_bool(0.5).then(|| options[rng.random_range(0..options.len())]);
            out.push(demo_reason(rng, i, lesson));
        }
    }
    for _ in 0..external {
        let i = pick_weighted(rng, &weights.external);
        out.push(demo_reason(rng, i, None));
    }
    out
}

fn demo_reason(rng: &mut SmallRng, i: usize, do_differently: Option<&'static str>) -> DemoReason {
    let s: &StarterReason = &STARTER[i];
    let text = if s.paraphrases.is_empty() || rng.random_bool(0.3) {
        s.label
    } else {
        s.paraphrases[rng.random_range(0..s.paraphrases.len())]
    };
    DemoReason { starter: i, text, controllable: s.controllable, do_differently }
}

fn pick<T: Copy>(rng: &mut SmallRng, table: &[(T, f64)]) -> T {
    let mut x = rng.random::<f64>() * table.iter().map(|(_, w)| w).sum::<f64>();
    for &(value, w) in table {
        if x < w {
            return value;
        }
        x -= w;
    }
    table[table.len() - 1].0
}

fn pick_weighted(rng: &mut SmallRng, table: &[(usize, f64)]) -> usize {
    pick(rng, table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::focus::share_of_lost;
    use crate::model::{ClientId, Contact, ContactId, ReasonId, ReasonNote, RepId};

    fn spec(weeks: u32) -> DemoSpec {
        DemoSpec {
            weeks,
            contacts_per_week: 48,
            seed: 7,
            end: "2026-11-20T17:00:00Z".parse().unwrap(),
            tz: TimeZone::UTC,
        }
    }

    fn as_contacts(demo: &[DemoContact]) -> Vec<Contact> {
        demo.iter()
            .enumerate()
            .map(|(i, d)| Contact {
                id: ContactId(i as i64),
                rep: RepId(1),
                client: ClientId(1),
                client_name: d.client.clone(),
                at: d.at,
                channel: d.channel,
                outcome: d.outcome,
                new_lead: d.new_lead,
                reasons: d
                    .reasons
                    .iter()
                    .map(|r| ReasonNote {
                        reason: ReasonId(r.starter as i64),
                        text: r.text.into(),
                        controllable: r.controllable,
                        do_differently: None,
                    })
                    .collect(),
                better: None,
                note: None,
            })
            .collect()
    }

    #[test]
    fn every_controllable_starter_reason_has_its_own_lessons() {
        for s in STARTER.iter().filter(|s| s.controllable) {
            assert_eq!(lessons(s.label).len(), 2, "{}", s.label);
        }
    }

    #[test]
    fn same_seed_same_history() {
        let a = generate_rep(&spec(6), 3);
        let b = generate_rep(&spec(6), 3);
        assert_eq!(a.contacts, b.contacts);
        assert_ne!(a.contacts, generate_rep(&spec(6), 4).contacts);
    }

    #[test]
    fn contacts_are_realistic() {
        let demo = generate_rep(&spec(52), 0);
        let n = demo.contacts.len();
        assert!((52 * 40..52 * 56).contains(&n), "{n} contacts");
        assert!(demo.contacts.windows(2).all(|w| w[0].at <= w[1].at));
        assert!(demo.contacts.iter().all(|c| c.at <= spec(52).end));
        let won = demo.contacts.iter().filter(|c| c.outcome == Outcome::Won).count() as f64;
        let lost = demo.contacts.iter().filter(|c| c.outcome == Outcome::Lost).count() as f64;
        let success = won / (won + lost);
        assert!((0.15..0.25).contains(&success), "success {success}");
        // Every lost contact has a reason, at most two controllable ones.
        for c in demo.contacts.iter().filter(|c| c.outcome == Outcome::Lost) {
            assert!(!c.reasons.is_empty());
            assert!(c.reasons.iter().filter(|r| r.controllable).count() <= 2);
        }
        let leads = demo.contacts.iter().filter(|c| c.new_lead).count() as f64 / n as f64;
        assert!((0.25..0.45).contains(&leads), "leads {leads}");
    }

    #[test]
    fn the_focused_reason_becomes_rarer() {
        let demo = generate_rep(&spec(52), 1);
        let (reason, set_at) = demo.focus.expect("a year of demo sets a focus");
        assert!(STARTER[reason].controllable);
        let contacts = as_contacts(&demo.contacts);
        let (before, after): (Vec<Contact>, Vec<Contact>) = contacts.into_iter().partition(|c| c.at < set_at);
        let id = ReasonId(reason as i64);
        let b = share_of_lost(&before, id);
        let a = share_of_lost(&after, id);
        let rate = |r: crate::stats::Rate| r.hits as f64 / r.total as f64;
        assert!(rate(a) < rate(b) * 0.6, "before {b:?} after {a:?}");
    }
}
