//! The starter vocabulary: the canonical reasons a new install knows, each
//! with the ways salespeople actually type it. It seeds the reason matcher and
//! drives the synthetic demo data.
//!
//! The paraphrases double as the matcher's test set (see `matching`'s tests):
//! each must find its own reason, and none may pass for another reason.

/// A canonical reason that ships with the tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StarterReason {
    /// The canonical wording: lowercase, unique.
    pub label: &'static str,
    /// Whether the rep could have done something about it.
    pub controllable: bool,
    /// Other ways reps write the same reason, as they would type them.
    pub paraphrases: &'static [&'static str],
}

/// A reason the rep could have controlled.
const fn mine(label: &'static str, paraphrases: &'static [&'static str]) -> StarterReason {
    StarterReason { label, controllable: true, paraphrases }
}

/// A reason outside the rep's control.
const fn external(label: &'static str, paraphrases: &'static [&'static str]) -> StarterReason {
    StarterReason { label, controllable: false, paraphrases }
}

/// The starter reasons: controllable ones first, then external ones.
pub const STARTER: &[StarterReason] = &[
    mine(
        "talked features, not benefits",
        &[
            "pitched features instead of benefits",
            "listed features but never the benefits",
            "too much feature talk and no benefits",
            "focused on features, not on the value for them",
            "went through the feature list without the benefits",
        ],
    ),
    mine(
        "didn't ask about budget",
        &[
            "never asked the budget question",
            "forgot to ask what they can spend",
            "no idea what their budget is",
            "no budget discussion",
            "did not ask about their budget",
        ],
    ),
    mine(
        "didn't identify the decision maker",
        &[
            "never found out who the decision maker is",
            "didn't ask who the economic buyer is",
            "missed the real decision maker",
            "didn't find the budget holder",
            "didn't map out who the decision makers are",
        ],
    ),
    mine(
        "was late",
        &[
            "arrived late to the meeting",
            "showed up late",
            "joined the call ten minutes late",
            "ran late for the appointment",
            "got there late because of traffic",
        ],
    ),
    mine(
        "didn't follow up",
        &[
            "never followed up",
            "forgot to send the follow-up",
            "no follow up after the meeting",
            "didn't chase them after the call",
            "let it go cold without following up",
        ],
    ),
    mine(
        "no clear next step agreed",
        &[
            "left without a next step",
            "didn't agree on next steps",
            "meeting ended with no next step",
            "never booked the next meeting",
            "no agreed next action",
        ],
    ),
    mine(
        "talked more than listened",
        &[
            "talked way too much",
            "did most of the talking",
            "spoke more than i listened",
            "talked much more than the client",
            "i talked for most of the meeting",
        ],
    ),
    mine(
        "didn't handle the price objection",
        &[
            "couldn't answer the price objection",
            "no comeback when they said we're too expensive",
            "had no answer to the cost pushback",
            "didn't defend our pricing",
            "didn't deal with the pricing objection",
        ],
    ),
    mine(
        "weak opening",
        &[
            "bad start to the call",
            "poor intro",
            "fumbled the opening",
            "opened the meeting badly",
            "my opening line fell flat",
        ],
    ),
    mine(
        "didn't qualify the lead",
        &[
            "never checked if they were a fit",
            "skipped qualification",
            "wasted time on an unqualified prospect",
            "didn't qualify them before the demo",
            "spent the call on a lead that was never qualified",
        ],
    ),
    mine(
        "sent the proposal too late",
        &[
            "the quote went out too late",
            "took a week to send the offer",
            "the proposal was a week late",
            "got the proposal to them too late",
            "sent the offer late",
        ],
    ),
    mine(
        "didn't prepare / research the client",
        &[
            "didn't do my homework",
            "went in unprepared",
            "didn't research their business",
            "no preparation before the meeting",
            "skipped the research on the client",
        ],
    ),
    mine(
        "didn't ask for the sale",
        &[
            "never asked for the order",
            "didn't try to close",
            "forgot to ask for the signature",
            "never went for the close",
            "didn't ask them to sign",
        ],
    ),
    mine(
        "didn't create urgency",
        &[
            "no sense of urgency",
            "never made it urgent",
            "let them think there was no rush",
            "didn't make it feel urgent",
            "gave them no reason to hurry",
        ],
    ),
    mine(
        "no tailored demo",
        &[
            "showed the generic demo",
            "the demo wasn't tailored to them",
            "same canned demo as always",
            "didn't customise the demo",
            "demo not personalised to their case",
        ],
    ),
    mine(
        "didn't understand their need",
        &[
            "misunderstood what they wanted",
            "missed their real pain point",
            "never got to their real need",
            "didn't dig into their needs",
            "didn't get what they actually need",
        ],
    ),
    mine(
        "interrupted the client",
        &[
            "kept cutting them off",
            "talked over the customer",
            "interrupted them several times",
            "cut the client off mid-sentence",
            "kept interrupting",
        ],
    ),
    mine(
        "forgot to confirm the meeting",
        &[
            "didn't confirm the appointment",
            "no reminder sent before the call",
            "never reconfirmed the meeting",
            "forgot the confirmation email",
            "forgot to remind them",
        ],
    ),
    mine(
        "didn't ask enough questions",
        &[
            "asked too few questions",
            "no discovery questions",
            "skipped discovery",
            "hardly asked any questions",
            "did not ask any questions",
        ],
    ),
    mine(
        "gave a discount too early",
        &[
            "offered a discount straight away",
            "lowered our price too soon",
            "conceded on price too fast",
            "discounted before they even asked",
            "went straight to discounting",
        ],
    ),
    mine(
        "didn't know the product well enough",
        &[
            "struggled with product details",
            "didn't know our own product",
            "didn't know enough about our product",
            "couldn't explain how our product works",
            "got product details wrong",
        ],
    ),
    mine(
        "no agenda for the meeting",
        &[
            "went in without an agenda",
            "didn't set an agenda",
            "the meeting had no structure",
            "no plan for the call",
            "rambled without a clear plan",
        ],
    ),
    mine(
        "no rapport with the client",
        &[
            "didn't build rapport",
            "skipped the small talk",
            "didn't build any relationship",
            "no chemistry with them at all",
            "never warmed up the client",
        ],
    ),
    mine(
        "connection problems on my side",
        &[
            "my screen share kept crashing",
            "my internet was unstable",
            "bad connection on my end",
            "my video lagged the whole call",
            "audio issues on my side",
        ],
    ),
    mine(
        "no social proof or references",
        &[
            "didn't share a case study",
            "forgot to mention our references",
            "didn't tell any customer success story",
            "no testimonials shown",
            "never mentioned a reference customer",
        ],
    ),
    mine(
        "didn't involve other stakeholders",
        &[
            "didn't bring in the other stakeholders",
            "never looped in their wider team",
            "the other stakeholders weren't involved",
            "never met the rest of the buying committee",
            "didn't include the wider team",
        ],
    ),
    mine(
        "too pushy",
        &[
            "pushed too hard",
            "came across as aggressive",
            "was way too salesy",
            "put too much pressure on them",
            "hard sell scared them off",
        ],
    ),
    mine(
        "slow to reply",
        &[
            "took days to reply to their email",
            "replied too slowly",
            "slow response to their email",
            "got back to them days later",
            "kept them waiting for a reply",
        ],
    ),
    mine(
        "used too much jargon",
        &[
            "too technical for them",
            "spoke in acronyms",
            "lost them in technical detail",
            "full of buzzwords",
            "too much tech talk",
        ],
    ),
    external(
        "chose a competitor",
        &[
            "went with another vendor",
            "lost to the competition",
            "picked a rival supplier",
            "they bought from a competitor",
            "competitor got the deal",
        ],
    ),
    external(
        "decided to do nothing",
        &[
            "decided to stay with the status quo",
            "chose to do nothing for now",
            "stuck with the status quo",
            "they parked it and did nothing",
            "status quo won",
        ],
    ),
    external(
        "no budget this year",
        &[
            "budget is frozen until next year",
            "they have no money this year",
            "budget already spent for the year",
            "no funds left this year",
            "spending freeze until january",
        ],
    ),
    external(
        "bad timing / reorganisation",
        &[
            "they're in the middle of a reorg",
            "wrong time for them",
            "restructuring put everything on hold",
            "wrong moment, they're reorganising",
            "timing was off, big reorganization",
        ],
    ),
    external(
        "the contact left the company",
        &[
            "our champion quit",
            "the contact moved to another company",
            "our main contact resigned",
            "our sponsor left the firm",
            "contact changed jobs",
        ],
    ),
    external(
        "project cancelled",
        &[
            "they killed the project",
            "the initiative was scrapped",
            "project got shelved",
            "management cancelled the initiative",
            "they pulled the plug on the project",
        ],
    ),
    external(
        "went with an in-house solution",
        &[
            "they'll build it in house",
            "chose an internal solution",
            "developing it internally",
            "going with an in-house tool",
            "they have an internal tool that does it",
        ],
    ),
    external(
        "price above their ceiling set by procurement",
        &[
            "procurement capped the price",
            "over the limit purchasing allows",
            "price exceeds their approval limit",
            "above the maximum procurement accepts",
            "procurement set a price ceiling we are over",
        ],
    ),
    external(
        "company was acquired",
        &[
            "they got acquired",
            "taken over by a bigger group",
            "the acquisition froze everything",
            "new owners after a takeover",
            "the company was bought",
        ],
    ),
    external(
        "blocked by legal or compliance",
        &[
            "legal blocked the contract",
            "stopped by their security review",
            "compliance rejected it",
            "data protection concerns blocked it",
            "their lawyers vetoed it",
        ],
    ),
    external(
        "they were only comparing offers",
        &[
            "just wanted a comparison quote",
            "used us as a benchmark",
            "they were collecting offers to compare",
            "we were only there to compare prices",
            "shopping around for the cheapest offer",
        ],
    ),
    external(
        "their priorities changed",
        &[
            "priorities shifted",
            "something else became the priority",
            "management changed focus",
            "their focus shifted elsewhere",
            "it dropped down their list of priorities",
        ],
    ),
    external(
        "the client didn't show up",
        &[
            "the client never turned up",
            "client didn't come to the meeting",
            "waited but the client never came",
            "nobody from their side showed up",
            "the client was a no-show",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;
    use crate::matching::key;

    #[test]
    fn there_are_at_least_forty_reasons_of_both_kinds() {
        let controllable = STARTER.iter().filter(|r| r.controllable).count();
        assert!(STARTER.len() >= 40, "{}", STARTER.len());
        assert!(controllable >= 25, "{controllable} controllable");
        assert!(STARTER.len() - controllable >= 10, "{} external", STARTER.len() - controllable);
    }

    #[test]
    fn controllable_reasons_come_first() {
        let first_external = STARTER.iter().position(|r| !r.controllable).unwrap();
        assert!(STARTER[first_external..].iter().all(|r| !r.controllable));
    }

    #[test]
    fn labels_are_unique_lowercase_and_trimmed() {
        let mut seen = HashSet::new();
        for reason in STARTER {
            let label = reason.label;
            assert_eq!(label, label.to_lowercase(), "{label:?}");
            assert_eq!(label, label.trim(), "{label:?}");
            assert!(seen.insert(label), "duplicate label {label:?}");
        }
    }

    #[test]
    fn every_reason_has_four_to_six_paraphrases() {
        for reason in STARTER {
            let n = reason.paraphrases.len();
            assert!((4..=6).contains(&n), "{:?} has {n} paraphrases", reason.label);
        }
    }

    #[test]
    fn texts_are_lowercase_and_their_keys_unique_across_the_vocabulary() {
        let mut owner: HashMap<String, &str> = HashMap::new();
        for reason in STARTER {
            for text in std::iter::once(&reason.label).chain(reason.paraphrases) {
                assert_eq!(*text, text.to_lowercase(), "{text:?}");
                let previous = owner.insert(key(text), reason.label);
                assert!(previous.is_none(), "{text:?} repeats a text of {previous:?}");
            }
        }
    }
}
