//! Sentence splitting: byte ranges of the sentences of a text, aware of
//! abbreviations, decimals, blank lines, greeting and signature lines and
//! bullet lists.

use std::ops::Range;

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "inc", "ltd", "co", "corp", "vs", "etc", "e.g", "i.e", "a.m",
    "p.m", "approx", "no", "dept", "est", "fig", "p.s", "u.s", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "ca", "cf", "al",
];

/// A line this short (in characters) with no final punctuation stands alone:
/// "Best regards", a name, a company under a signature.
const SHORT_LINE: usize = 40;

/// Splits `text` into sentences, returned as trimmed byte ranges.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in boundaries(text) {
        push_trimmed(text, start..end, &mut out);
        start = end;
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// Byte offsets where a sentence ends (exclusive), in order.
fn boundaries(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut line_start = 0;
    // The end of the last run of closing punctuation: each run is read once.
    let mut run_end = 0;
    for (i, c) in text.char_indices() {
        match c {
            '.' | '!' | '?' | '…' if i >= run_end => {
                run_end = closing_run_end(text, i);
                if ends_sentence(text, i, run_end) {
                    out.push(run_end);
                }
            }
            '\n' => {
                if line_breaks_sentence(text, line_start, i) {
                    out.push(i);
                }
                line_start = i + 1;
            }
            _ => {}
        }
    }
    out.dedup();
    out
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// The offset just past the terminal punctuation at `i` and any more
/// punctuation, closing quotes or brackets after it (`?!`, `."`, `…)`).
fn closing_run_end(text: &str, i: usize) -> usize {
    let run = text[i..].find(|c: char| !is_terminal(c) && !matches!(c, '"' | '\'' | ')' | ']' | '”' | '’'));
    run.map_or(text.len(), |n| i + n)
}

/// Whether the run of punctuation `i..end` (starting with a terminal mark)
/// ends a sentence: whitespace or the end of the text follows, and it is not
/// the full stop of an abbreviation or an initial. Only the run's first mark
/// can close one ("etc." but not "etc.."); a later `!`, `?` or `…` always
/// ends the sentence, a later full stop unless a lower-case word follows.
fn ends_sentence(text: &str, i: usize, end: usize) -> bool {
    let after = &text[end..];
    if after.chars().next().is_some_and(|c| !c.is_whitespace()) {
        return false;
    }
    if !text[i..].starts_with('.') || !is_abbreviation(&text[..i], after) {
        return true;
    }
    let later = &text[i + 1..end];
    later.contains(['!', '?', '…']) || (later.contains('.') && !starts_lower(after))
}

fn starts_lower(after: &str) -> bool {
    after.trim_start_matches([' ', '\t']).chars().next().is_some_and(char::is_lowercase)
}

/// A full stop after an abbreviation or an initial does not end a sentence,
/// nor one followed by a word in lower case ("approx. ten", "e.g. this").
fn is_abbreviation(before: &str, after: &str) -> bool {
    let head = before.trim_end_matches(|c: char| c.is_alphanumeric() || c == '.');
    let word = before[head.len()..].to_lowercase();
    let initial = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
    let next_lower = starts_lower(after);
    let head = head.trim_end_matches([' ', '\t']);
    let list_number =
        !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()) && (head.is_empty() || head.ends_with('\n'));
    ABBREVIATIONS.contains(&word.as_str()) || initial || next_lower || list_number
}

/// Whether the newline at `nl`, ending the line that began at `line_start`,
/// also ends a sentence.
fn line_breaks_sentence(text: &str, line_start: usize, nl: usize) -> bool {
    let line = text[line_start..nl].trim();
    let next_line = text[nl + 1..].lines().next().unwrap_or("").trim();
    if line.is_empty() || next_line.is_empty() || is_bullet(next_line) {
        return true;
    }
    let ends_open = !line.ends_with(['.', '!', '?', ';']);
    let short = line.chars().count() <= SHORT_LINE;
    let greeting = line.ends_with([',', ':']) && short;
    let starts_upper = next_line.chars().next().is_some_and(|c| !c.is_lowercase());
    greeting || (ends_open && short && starts_upper && !ends_with_joiner(line))
}

/// Lines ending in these words go on, even when short.
fn ends_with_joiner(line: &str) -> bool {
    let last = line.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("").to_lowercase();
    matches!(last.as_str(), "and" | "or" | "but" | "the" | "a" | "an" | "to" | "of" | "for" | "with" | "in" | "on")
}

/// A list item: "- x", "* x", "• x", "1. x", "2) x".
pub fn is_bullet(line: &str) -> bool {
    bullet_len(line) > 0
}

/// The length in bytes of a leading bullet marker and its space, or 0.
pub fn bullet_len(line: &str) -> usize {
    let mut chars = line.char_indices();
    match chars.next() {
        Some((_, c @ ('-' | '*' | '•' | '–'))) => {
            let width = c.len_utf8();
            if line[width..].starts_with(' ') { width + 1 } else { 0 }
        }
        Some((_, c)) if c.is_ascii_digit() => {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            let rest = &line[digits..];
            if digits <= 2 && (rest.starts_with(". ") || rest.starts_with(") ")) { digits + 2 } else { 0 }
        }
        _ => 0,
    }
}

/// Pushes `range` trimmed of whitespace and a leading bullet marker, if
/// anything with a letter or digit is left.
fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let piece = &text[range.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let mut start = range.start + lead;
    let body = &text[start..range.end];
    start += bullet_len(body);
    let end = start + text[start..range.end].trim_end().len();
    if text[start..end].chars().any(char::is_alphanumeric) {
        out.push(start..end);
    }
}

/// A sentence's text with its inner whitespace (line breaks of a wrapped
/// paragraph) folded to single spaces.
pub fn fold_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A sentence or a turn shortened for quoting in a finding: at most 60
/// characters, then "…".
pub(crate) fn excerpt(text: &str) -> String {
    const MAX: usize = 60;
    let text = text.trim();
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let cut: String = text.chars().take(MAX).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: &[&str]) {
        let got: Vec<String> = split(text).into_iter().map(|r| fold_whitespace(&text[r])).collect();
        assert_eq!(got, expect, "{text:?}");
    }

    #[test]
    fn splits_on_terminal_punctuation() {
        check("One. Two! Three? Four", &["One.", "Two!", "Three?", "Four"]);
        check("It costs $4.50 per unit. Done.", &["It costs $4.50 per unit.", "Done."]);
        check("He said \"yes.\" Then left.", &["He said \"yes.\"", "Then left."]);
        check("Wait... what? Yes.", &["Wait... what?", "Yes."]);
        check("• Item one\n– Item two", &["Item one", "Item two"]);
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        check("Dr. Smith met Mr. J. Doe at 3 p.m. today.", &["Dr. Smith met Mr. J. Doe at 3 p.m. today."]);
        check("We ship e.g. pallets. Next.", &["We ship e.g. pallets.", "Next."]);
        check("P.S. I'll bring samples.", &["P.S. I'll bring samples."]);
        check("İSTANBUL. Next.", &["İSTANBUL.", "Next."]);
    }

    #[test]
    fn lines_greetings_and_signatures_stand_alone() {
        check(
            "Hi Anna,\nI wanted to follow up on our call.\n\nBest regards\nJohn Smith\nAcme Inc",
            &["Hi Anna,", "I wanted to follow up on our call.", "Best regards", "John Smith", "Acme Inc"],
        );
    }

    #[test]
    fn wrapped_paragraphs_stay_whole() {
        check(
            "Our scheduling tool saves your coordinators about five hours every week, and\nthe reports are ready before the Monday meeting.",
            &[
                "Our scheduling tool saves your coordinators about five hours every week, and the reports are ready before the Monday meeting.",
            ],
        );
    }

    #[test]
    fn bullets_are_sentences_without_their_marker() {
        check(
            "It includes:\n- live tracking\n- 2. alerts\n* reports",
            &["It includes:", "live tracking", "2. alerts", "reports"],
        );
        check("1. First item\n2) Second item", &["First item", "Second item"]);
    }

    #[test]
    fn empty_and_punctuation_only() {
        check("", &[]);
        check("  \n\n -- \n", &[]);
    }
}
