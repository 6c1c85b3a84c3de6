//! The reviewed text line by line, as the review page shows it: each line cut
//! into plain and highlighted pieces (benefit and feature sentences) with the
//! findings at that line under it. Findings outside the text's lines (a
//! message-wide rule) are kept apart.

use debrief_app::review::{FindingView, SentenceView};

/// Sentence classes that are highlighted; "neither" is left plain.
const MARKED: &[&str] = &["benefit", "feature"];

/// One line of the reviewed text.
pub struct Line {
    /// 1-based, as findings count lines.
    pub number: u32,
    pub pieces: Vec<Piece>,
    pub findings: Vec<FindingView>,
}

/// A run of a line's characters, highlighted when it belongs to a marked sentence.
#[derive(Debug, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    /// "benefit" or "feature".
    pub class: Option<&'static str>,
    /// The first piece of its sentence: it carries the sentence's text tag.
    pub starts: bool,
}

/// `text`'s lines with their highlights and findings, and the findings that fall on no line.
pub fn annotate(text: &str, findings: &[FindingView], sentences: &[SentenceView]) -> (Vec<Line>, Vec<FindingView>) {
    let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let mut marks: Vec<Vec<Mark>> = vec![Vec::new(); lines.len()];
    for s in sentences.iter().filter(|s| MARKED.contains(&s.class)) {
        for (i, m) in locate(&lines, s).into_iter().enumerate() {
            if let Some(on_line) = marks.get_mut(m.line) {
                on_line.push(Mark { starts: i == 0, ..m });
            }
        }
    }
    let mut elsewhere = Vec::new();
    let mut by_line: Vec<Vec<FindingView>> = vec![Vec::new(); lines.len()];
    for f in findings {
        match (f.line as usize).checked_sub(1).and_then(|i| by_line.get_mut(i)) {
            Some(at) => at.push(f.clone()),
            None => elsewhere.push(f.clone()),
        }
    }
    let out = lines
        .iter()
        .zip(marks)
        .zip(by_line)
        .enumerate()
        .map(|(i, ((chars, marks), findings))| Line { number: i as u32 + 1, pieces: pieces(chars, marks), findings })
        .collect();
    (out, elsewhere)
}

/// A highlighted run of one line: characters `from..to`.
#[derive(Clone, Debug)]
struct Mark {
    line: usize,
    from: usize,
    to: usize,
    class: &'static str,
    starts: bool,
}

/// Where sentence `s` lies in `lines`: from its line and column, its
/// non-space characters matched in order (the review folds whitespace and may
/// join lines). Matching stops at the first difference, so a highlight is
/// never wrong, only sometimes shorter (e.g. a cue that continues after a
/// timing line).
fn locate(lines: &[Vec<char>], s: &SentenceView) -> Vec<Mark> {
    let mut want = s.text.chars().filter(|c| !c.is_whitespace()).peekable();
    let (mut line, mut col) = ((s.line as usize).saturating_sub(1), (s.col as usize).saturating_sub(1));
    let mut out = Vec::new();
    let mut run: Option<(usize, usize)> = None;
    while let (Some(&wanted), Some(chars)) = (want.peek(), lines.get(line)) {
        match chars.get(col) {
            None => {
                push_run(&mut out, line, run.take(), s.class);
                (line, col) = (line + 1, 0);
            }
            Some(c) if c.is_whitespace() => col += 1,
            Some(&c) if c == wanted => {
                want.next();
                let from = run.map_or(col, |(from, _)| from);
                run = Some((from, col + 1));
                col += 1;
            }
            Some(_) => break,
        }
    }
    push_run(&mut out, line, run, s.class);
    out
}

fn push_run(out: &mut Vec<Mark>, line: usize, run: Option<(usize, usize)>, class: &'static str) {
    if let Some((from, to)) = run {
        out.push(Mark { line, from, to, class, starts: false });
    }
}

/// A line cut at its marks; overlapping marks (which the review does not
/// produce) keep the first, and a mark outside the line is left out.
fn pieces(chars: &[char], mut marks: Vec<Mark>) -> Vec<Piece> {
    let text = |from: usize, to: usize| chars.get(from..to).map(|c| c.iter().collect::<String>());
    marks.sort_by_key(|m| m.from);
    let mut out = Vec::new();
    let mut at = 0;
    for m in marks {
        let (Some(before), Some(marked)) = (text(at, m.from), text(m.from, m.to)) else {
            continue;
        };
        if !before.is_empty() {
            out.push(Piece { text: before, class: None, starts: false });
        }
        out.push(Piece { text: marked, class: Some(m.class), starts: m.starts });
        at = m.to;
    }
    let rest = text(at, chars.len()).unwrap_or_default();
    if !rest.is_empty() || out.is_empty() {
        out.push(Piece { text: rest, class: None, starts: false });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(line: u32, col: u32, text: &str, class: &'static str) -> SentenceView {
        SentenceView { line, col, text: text.into(), class }
    }

    fn finding(line: u32, col: u32, rule: &'static str) -> FindingView {
        FindingView { line, col, rule, message: format!("{rule} here") }
    }

    /// A line as text with highlights in brackets: `[benefit: …]`.
    fn show(line: &Line) -> String {
        line.pieces
            .iter()
            .map(|p| match p.class {
                Some(c) if p.starts => format!("[{c}: {}]", p.text),
                Some(_) => format!("[… {}]", p.text),
                None => p.text.clone(),
            })
            .collect()
    }

    #[test]
    fn sentences_are_marked_across_lines_and_findings_sit_under_their_line() {
        let text = "Subject: Hi\n\nOur tool has   SSO and\n  audit logs. You save a week. Thanks";
        let sentences = [
            sentence(3, 1, "Our tool has SSO and audit logs.", "feature"),
            sentence(4, 15, "You save a week.", "benefit"),
            sentence(4, 32, "Thanks", "neither"),
        ];
        let findings = [finding(3, 5, "focus/we-heavy"), finding(0, 0, "cta/missing"), finding(9, 1, "beyond")];
        let (lines, elsewhere) = annotate(text, &findings, &sentences);
        assert_eq!(lines.len(), 4);
        assert_eq!(show(&lines[2]), "[feature: Our tool has   SSO and]");
        assert_eq!(show(&lines[3]), "  [… audit logs.] [benefit: You save a week.] Thanks");
        assert_eq!(lines[2].findings[0].rule, "focus/we-heavy");
        assert_eq!(show(&lines[1]), "");
        let rules: Vec<&str> = elsewhere.iter().map(|f| f.rule).collect();
        assert_eq!(rules, ["cta/missing", "beyond"]);
    }

    #[test]
    fn a_sentence_that_does_not_match_the_text_is_marked_only_as_far_as_it_matches() {
        let text = "Ann: We ship fast\n00:01 --> 00:02\nand cheap.";
        let (lines, _) = annotate(text, &[], &[sentence(1, 6, "We ship fast and cheap.", "feature")]);
        assert_eq!(show(&lines[0]), "Ann: [feature: We ship fast]");
        assert_eq!(show(&lines[2]), "and cheap.");
        let (lines, _) = annotate("abc", &[], &[sentence(7, 1, "abc", "benefit"), sentence(1, 9, "x", "benefit")]);
        assert_eq!(show(&lines[0]), "abc");
    }

    #[test]
    fn marks_outside_a_line_or_overlapping_are_left_out() {
        let mark = |from, to| Mark { line: 0, from, to, class: "benefit", starts: true };
        let chars: Vec<char> = "héllo".chars().collect();
        let cut = pieces(&chars, vec![mark(1, 3), mark(2, 4), mark(4, 9), mark(3, 2)]);
        let texts: Vec<&str> = cut.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["h", "él", "lo"]);
        assert_eq!(pieces(&[], Vec::new()), [Piece { text: String::new(), class: None, starts: false }]);
    }
}
