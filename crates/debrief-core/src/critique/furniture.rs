//! The parts of an e-mail that are not the writer's sales text: a sign-off
//! and the signature under it (with or without the `-- ` separator), "Sent
//! from my phone", unsubscribe and preference footers, legal and
//! confidentiality notices, social links, and links or images alone on a
//! line. They are left out of the review, and the review says so.

use super::text::Pos;

/// What a skipped stretch of lines is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Furniture {
    Signature,
    Footer,
    Legal,
    Link,
}

impl Furniture {
    fn name(self, n: usize) -> String {
        match (self, n) {
            (Furniture::Signature, _) => "the sign-off and signature".into(),
            (Furniture::Footer, _) => "the unsubscribe and address footer".into(),
            (Furniture::Legal, _) => "the legal notice".into(),
            (Furniture::Link, 1) => "a link alone on its line".into(),
            (Furniture::Link, n) => format!("{n} links alone on their lines"),
        }
    }
}

/// Lines that close a message: the sign-off before a signature.
const SIGN_OFFS: &[&str] = &[
    "best",
    "best regards",
    "best wishes",
    "kind regards",
    "warm regards",
    "warmest regards",
    "warm wishes",
    "regards",
    "many thanks",
    "thanks",
    "thanks again",
    "thank you",
    "thanks so much",
    "thx",
    "cheers",
    "sincerely",
    "yours sincerely",
    "yours faithfully",
    "yours truly",
    "all the best",
    "talk soon",
    "talk to you soon",
    "speak soon",
    "see you soon",
    "take care",
    "with thanks",
    "respectfully",
    "have a great day",
    "have a great week",
    "have a good one",
    "looking forward",
    "best,",
];

/// Phrases that open a footer: everything from its paragraph on is footer.
const FOOTER_MARKS: &[&str] = &[
    "unsubscribe",
    "opt out",
    "opt-out",
    "manage your preferences",
    "manage preferences",
    "update your preferences",
    "email preferences",
    "you are receiving this",
    "you're receiving this",
    "you received this",
    "no longer wish to receive",
    "no longer want to receive",
    "view in browser",
    "view this email in your browser",
    "view it in your browser",
    "this email was sent to",
    "this message was sent to",
    "follow us on",
    "find us on",
    "connect with us on",
];

/// Phrases of a legal or confidentiality notice.
const LEGAL_MARKS: &[&str] = &[
    "confidential",
    "intended only for",
    "intended solely for",
    "intended recipient",
    "privileged",
    "disclaimer",
    "received this email in error",
    "received this message in error",
    "registered in england",
    "registered office",
    "company number",
    "company registration",
    "all rights reserved",
    "copyright ©",
    "© 20",
    "vat no",
    "vat number",
    "please consider the environment before printing",
];

/// A line a signature (or the notice under it) holds: short, or a phone, an
/// address, a link — never a question.
fn signature_like(line: &str) -> bool {
    let t = line.trim();
    let words = t.split_whitespace().count();
    !t.ends_with('?')
        && (t.is_empty()
            || words <= 12
            || t.contains('|')
            || is_link(t)
            || t.chars().filter(char::is_ascii_digit).count() >= 7)
}

/// Whether a line reads as a sentence of the message ("Tuesday at 10
/// works."), not as a name or a title: what follows a sign-off first is the
/// signature only when it is not one.
fn is_sentence(line: &str) -> bool {
    let t = line.trim();
    t.ends_with(['?', '!']) || (t.ends_with('.') && t.split_whitespace().count() >= 4)
}

/// A link or an image alone on its line: `https://…`, `<https://…>`,
/// `www.…`, `[image: …]`, `[cid:…]`.
fn is_link(line: &str) -> bool {
    let t = line.trim().trim_start_matches(['<', '(', '[']).trim_end_matches(['>', ')', ']', '.']);
    let lower = t.to_ascii_lowercase();
    let url = (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www."))
        && !t.contains(char::is_whitespace);
    url || lower.starts_with("image:") || lower.starts_with("cid:")
}

/// Whether a line is a sign-off: "Best,", "Thanks!", "Kind regards".
fn is_sign_off(line: &str) -> bool {
    let t = line.trim().trim_end_matches([',', '!', '.', ' ', '-']).to_lowercase();
    !t.is_empty() && SIGN_OFFS.contains(&t.as_str())
}

/// Whether a line, already in lower case, holds one of `marks`.
fn has_any(lower: &str, marks: &[&str]) -> bool {
    marks.iter().any(|m| lower.contains(m))
}

/// Whether a line may hold a footer or legal mark: one of the few words
/// every mark has, checked before the marks themselves (most lines hold
/// none, and then the marks are not searched).
fn may_be_furniture(lower: &str) -> bool {
    const STEMS: &[&str] = &[
        "unsubscribe",
        "opt",
        "preferences",
        "browser",
        "sent",
        "follow",
        "find",
        "connect",
        "confidential",
        "intended",
        "privileged",
        "disclaimer",
        "error",
        "registered",
        "company",
        "rights",
        "copyright",
        "vat",
        "environment",
        "receiv",
    ];
    lower.contains('\u{a9}')
        || lower.split(|c: char| !c.is_alphanumeric()).any(|w| !w.is_empty() && STEMS.iter().any(|s| w.starts_with(s)))
}

/// The furniture among `lines` (the writer's own lines, `keep[i]`), as
/// stretches `(what, first, last)` of line indices, in order.
pub fn find(lines: &[&str], keep: &[bool]) -> Vec<(Furniture, usize, usize)> {
    let n = lines.len();
    let kept = |i: usize| keep.get(i).copied().unwrap_or(false);
    let blank = |i: usize| lines[i].trim().is_empty();
    let mut what: Vec<Option<Furniture>> = vec![None; n];
    // Footers and legal notices: from the paragraph holding the first mark
    // in the second half of the text to the end of the message (what
    // follows them is more of the same). A mark above the text ("View in
    // browser") leaves out its own line only.
    let paragraph_start = |i: usize| (0..=i).rev().take_while(|&k| !blank(k)).last().unwrap_or(i);
    let lower: Vec<String> = lines.iter().map(|l| l.to_lowercase()).collect();
    let cue: Vec<bool> = lower.iter().map(|l| may_be_furniture(l)).collect();
    let legal: Vec<bool> = lower.iter().zip(&cue).map(|(l, c)| *c && has_any(l, LEGAL_MARKS)).collect();
    let marked = |i: usize| kept(i) && cue[i] && (legal[i] || has_any(&lower[i], FOOTER_MARKS));
    let kind_of = |i: usize| if legal[i] { Furniture::Legal } else { Furniture::Footer };
    let text_lines: Vec<usize> = (0..n).filter(|&i| kept(i) && !blank(i)).collect();
    let half = text_lines.get(text_lines.len() / 2).copied().unwrap_or(0);
    let mut end = n;
    if let Some(i) = (half..n).find(|&i| marked(i)) {
        let from = paragraph_start(i).max(half.min(i));
        for slot in what.iter_mut().take(n).skip(from) {
            *slot = Some(kind_of(i));
        }
        end = from;
    }
    for i in (0..end.min(half)).filter(|&i| marked(i)) {
        what[i] = Some(kind_of(i));
    }
    // "Sent from my iPhone" and the signature: from the last sign-off whose
    // following lines all look like a signature, to the footer.
    let sign_off = (0..end)
        .rev()
        .find(|&i| kept(i) && (is_sign_off(lines[i]) || lines[i].trim().to_lowercase().starts_with("sent from my")));
    let first_after = |i: usize| (i + 1..end).find(|&k| kept(k) && !blank(k));
    if let Some(i) = sign_off
        && first_after(i).is_none_or(|k| !is_sentence(lines[k]))
        && (i + 1..end).all(|k| !kept(k) || signature_like(lines[k]))
        && (i + 1..end).filter(|&k| kept(k) && !blank(k)).count() <= 12
    {
        for slot in what.iter_mut().take(end).skip(i) {
            *slot = Some(Furniture::Signature);
        }
        end = i;
    }
    for (i, slot) in what.iter_mut().enumerate().take(end) {
        if kept(i) && is_link(lines[i]) {
            *slot = Some(Furniture::Link);
        }
    }
    // Stretches, leaving out lines that were blank or not the writer's anyway.
    let mut out: Vec<(Furniture, usize, usize)> = Vec::new();
    for (i, slot) in what.iter().enumerate() {
        let Some(kind) = slot.filter(|_| kept(i) && !blank(i)) else { continue };
        match out.last_mut() {
            Some((k, _, last))
                if *k == kind && kind != Furniture::Link && (*last + 1..i).all(|j| blank(j) || !kept(j)) =>
            {
                *last = i;
            }
            _ => out.push((kind, i, i)),
        }
    }
    out
}

/// One note per kind of furniture: what was left out and where.
pub fn notes(found: &[(Furniture, usize, usize)], place: impl Fn(usize) -> Pos) -> Vec<super::document::Note> {
    let mut kinds: Vec<Furniture> = found.iter().map(|f| f.0).collect();
    kinds.sort();
    kinds.dedup();
    kinds
        .into_iter()
        .map(|kind| {
            let parts: Vec<&(Furniture, usize, usize)> = found.iter().filter(|f| f.0 == kind).collect();
            let lines: Vec<String> = parts
                .iter()
                .map(|(_, a, b)| {
                    let (a, b) = (place(*a).line, place(*b).line);
                    if a == b { a.to_string() } else { format!("{a}–{b}") }
                })
                .collect();
            let at = place(parts[0].1);
            let word = if lines.len() == 1 && !lines[0].contains('–') { "line" } else { "lines" };
            super::document::Note::new(
                at,
                format!("left out of the review: {} ({word} {})", kind.name(parts.len()), lines.join(", ")),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(Furniture, usize, usize)> {
        let lines: Vec<&str> = text.lines().collect();
        find(&lines, &vec![true; lines.len()])
    }

    #[test]
    fn signature_without_dashes() {
        let text = "Hi Ann,\n\nWould Tuesday at 10 work?\n\nTalk to you soon,\nMark Li\nHead of Sales, Acme\n+1 555 010 2030\nhttps://acme.example\n";
        assert_eq!(found(text), [(Furniture::Signature, 4, 8)]);
        // A sign-off followed by a sentence, or by more paragraphs of text, is not a signature.
        for text in [
            "Hi Ann,\n\nThanks!\nCould we meet on Tuesday at 10?\n\nBob\n",
            "Hi Ann,\n\nThanks!\nTuesday at 10 works.\nBob\n",
        ] {
            assert_eq!(found(text), [], "{text}");
        }
        let text = "Hi Ann,\n\nThanks,\nthe numbers you sent show the line stops twice a week, and each stop costs a full shift of output for the whole team.\n";
        assert_eq!(found(text), []);
    }

    #[test]
    fn footers_legal_and_links() {
        let text = "Hi Ann,\nSee the plan:\nhttps://acme.example/plan\n\nBest,\nMark\n\nYou are receiving this because you signed up.\nUnsubscribe | Manage preferences\nAcme Ltd, 1 High St\n\nThis e-mail is confidential.\n";
        let f = found(text);
        assert_eq!(f, [(Furniture::Link, 2, 2), (Furniture::Signature, 4, 5), (Furniture::Footer, 7, 11)]);
        let notes = notes(&f, |i| Pos::new(i as u32 + 1, 1));
        let said: Vec<&str> = notes.iter().map(|n| n.message.as_str()).collect();
        assert_eq!(
            said,
            [
                "left out of the review: the sign-off and signature (lines 5–6)",
                "left out of the review: the unsubscribe and address footer (lines 8–12)",
                "left out of the review: a link alone on its line (line 3)",
            ]
        );
    }

    #[test]
    fn view_in_browser_above_the_text() {
        let text = "View in browser: https://acme.example/news\n\nHi Martin,\n\nBring a cup of soil on Saturday.\nYou leave with a plan.\nSee you there.\n\nUnsubscribe here.\n";
        assert_eq!(found(text), [(Furniture::Footer, 0, 0), (Furniture::Footer, 8, 8)]);
    }

    #[test]
    fn sent_from_my_phone() {
        assert_eq!(found("Sure, Tuesday works.\n\nSent from my iPhone\n"), [(Furniture::Signature, 2, 2)]);
    }
}
