//! Text assembled from pieces of a source file, with the line and column each
//! piece came from, and the word tokenizer every rule shares.

use std::borrow::Cow;

/// A place in the reviewed file: 1-based line, 1-based column in characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub const fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }
}

/// Where one piece of [`SourceText::text`] starts, in the text and in the file.
#[derive(Clone, Copy, Debug)]
struct Mark {
    offset: usize,
    pos: Pos,
}

/// Text made of pieces of a file (lines of a body, payloads of cues), so that
/// any byte offset into [`SourceText::text`] maps back to a line and column.
#[derive(Clone, Debug, Default)]
pub struct SourceText {
    pub text: String,
    marks: Vec<Mark>,
    /// `(byte offset, characters before it)` about every [`STRIDE`] bytes, so
    /// that a column is counted from a nearby point, not from the start of a
    /// long line: positions of many sentences on one line stay linear.
    checkpoints: Vec<(usize, usize)>,
    /// Every offset is at this place (a part with no place per line).
    fixed: Option<Pos>,
}

/// The distance between character-count checkpoints, in bytes.
const STRIDE: usize = 256;

impl SourceText {
    /// Appends `piece`, which starts at `pos` in the file.
    pub fn push(&mut self, piece: &str, pos: Pos) {
        self.marks.push(Mark { offset: self.text.len(), pos });
        self.append(piece);
    }

    /// Appends a separator that belongs to no piece of the file (a newline
    /// between lines, a space between cues).
    pub fn push_sep(&mut self, sep: char) {
        self.append(sep.encode_utf8(&mut [0; 4]));
    }

    fn append(&mut self, s: &str) {
        self.text.push_str(s);
        let (mut at, mut chars) = self.checkpoints.last().copied().unwrap_or((0, 0));
        while self.text.len() - at > STRIDE {
            let mut next = at + STRIDE;
            while !self.text.is_char_boundary(next) {
                next += 1;
            }
            chars += self.text[at..next].chars().count();
            at = next;
            self.checkpoints.push((at, chars));
        }
    }

    /// Builds a source text from whole lines, the first being line `first_line`.
    pub fn from_lines<'a>(lines: impl IntoIterator<Item = &'a str>, first_line: u32) -> Self {
        let mut out = SourceText::default();
        for (i, line) in lines.into_iter().enumerate() {
            if i > 0 {
                out.push_sep('\n');
            }
            out.push(line, Pos::new(first_line + i as u32, 1));
        }
        out
    }

    /// Whole lines that all stand at one place in the file: a part whose
    /// lines have no place of their own (base64, HTML).
    pub fn at_one_place<'a>(lines: impl IntoIterator<Item = &'a str>, at: Pos) -> Self {
        SourceText { fixed: Some(at), ..Self::from_lines(lines, at.line) }
    }

    /// The file position of byte `offset` of the text.
    pub fn pos(&self, offset: usize) -> Pos {
        if let Some(at) = self.fixed {
            return at;
        }
        let idx = self.marks.partition_point(|m| m.offset <= offset);
        let Some(mark) = idx.checked_sub(1).and_then(|i| self.marks.get(i)) else {
            return Pos::new(1, 1);
        };
        let end = offset.min(self.text.len());
        let chars = match self.text.get(mark.offset..end) {
            Some(near) if near.len() <= STRIDE => near.chars().count(),
            _ => self.chars_before(end) - self.chars_before(mark.offset),
        };
        Pos::new(mark.pos.line, mark.pos.col.saturating_add(u32::try_from(chars).unwrap_or(u32::MAX)))
    }

    /// The characters that start in `text[..offset]`, counted from the
    /// checkpoint before `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let i = self.checkpoints.partition_point(|c| c.0 <= offset);
        let (at, chars) = i.checked_sub(1).map_or((0, 0), |i| self.checkpoints[i]);
        let starts = |b: &&u8| (**b as i8) >= -0x40; // not a UTF-8 continuation byte
        chars + self.text.as_bytes().get(at..offset).map_or(0, |b| b.iter().filter(starts).count())
    }
}

/// Counts words the way a person would: whitespace-separated runs that hold
/// at least one letter or digit ("follow-up", "10:30" and "don't" are one
/// word each; a lone "-" is none).
pub fn count_words(text: &str) -> usize {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

/// Lower-case word tokens for lexicon matching, with their byte offsets:
/// runs of letters and digits, keeping inner apostrophes ("you'll") and
/// folding typographic apostrophes to `'`. Hyphens and slashes split tokens.
pub fn tokens(text: &str) -> Vec<(usize, Cow<'_, str>)> {
    let bytes = text.as_bytes();
    // The character at `i` and its length; ASCII (most text) without decoding.
    let at = |i: usize| match bytes.get(i) {
        Some(&b) if b < 0x80 => Some((char::from(b), 1)),
        Some(_) => text[i..].chars().next().map(|c| (c, c.len_utf8())),
        None => None,
    };
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut begin: Option<usize> = None;
    let mut i = 0;
    while let Some((c, len)) = at(i) {
        let apostrophe =
            (c == '\'' || c == '\u{2019}') && begin.is_some() && at(i + len).is_some_and(|(n, _)| n.is_alphanumeric());
        if c.is_alphanumeric() || apostrophe {
            begin.get_or_insert(i);
        } else if let Some(b) = begin.take() {
            out.push((b, normalise(&text[b..i])));
        }
        i += len;
    }
    if let Some(b) = begin {
        out.push((b, normalise(&text[b..])));
    }
    out
}

/// Borrows a token that is already lower-case ASCII (most words); otherwise
/// lower-cases it and folds typographic apostrophes.
fn normalise(word: &str) -> Cow<'_, str> {
    if word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'\'') {
        return Cow::Borrowed(word);
    }
    if word.is_ascii() {
        return Cow::Owned(word.to_ascii_lowercase());
    }
    Cow::Owned(word.chars().flat_map(char::to_lowercase).map(|c| if c == '\u{2019}' { '\'' } else { c }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_map_back_to_lines_and_columns() {
        let src = SourceText::from_lines(["Hi Anna,", "", "Çava? Yes."], 3);
        let at = |needle: &str| src.pos(src.text.find(needle).unwrap());
        assert_eq!(at("Hi"), Pos::new(3, 1));
        assert_eq!(at("Anna"), Pos::new(3, 4));
        assert_eq!(at("Yes"), Pos::new(5, 7));
    }

    #[test]
    fn columns_far_along_a_long_line() {
        let line = "é".repeat(1000) + "x" + &"ab".repeat(500);
        let src = SourceText::from_lines([line.as_str(), "next"], 1);
        assert_eq!(src.pos(line.find('x').unwrap()), Pos::new(1, 1001));
        assert_eq!(src.pos(line.len() - 1), Pos::new(1, 2001));
        assert_eq!(src.pos(src.text.find("next").unwrap()), Pos::new(2, 1));
        assert_eq!(src.pos(usize::MAX), Pos::new(2, 5));
    }

    #[test]
    fn pieces_keep_their_own_columns() {
        let mut src = SourceText::default();
        src.push("hello", Pos::new(7, 12));
        src.push_sep(' ');
        src.push("world", Pos::new(8, 3));
        assert_eq!(src.pos(2), Pos::new(7, 14));
        assert_eq!(src.pos(8), Pos::new(8, 5));
    }

    #[test]
    fn word_counts() {
        for (text, n) in
            [("", 0), ("one", 1), ("a follow-up at 10:30 - don't", 5), ("  spaced\tout\nwords ", 3), ("— …", 0)]
        {
            assert_eq!(count_words(text), n, "{text:?}");
        }
    }

    #[test]
    fn tokens_fold_case_and_apostrophes() {
        let toks: Vec<String> =
            tokens("You’ll SAVE 24/7, don't-stop 'quoted'").into_iter().map(|(_, t)| t.into_owned()).collect();
        assert_eq!(toks, ["you'll", "save", "24", "7", "don't", "stop", "quoted"]);
    }
}
