//! Flesch reading ease and the English syllable counter it needs.

use super::text::tokens;

/// Flesch reading ease of `words` words in `sentences` sentences holding
/// `syllables` syllables: 206.835 − 1.015 × words/sentence − 84.6 ×
/// syllables/word. About 60–70 is plain English; below 50 is hard going.
/// `None` when there is nothing to measure.
pub fn flesch(words: usize, sentences: usize, syllables: usize) -> Option<f64> {
    if words == 0 || sentences == 0 {
        return None;
    }
    let (w, s, y) = (words as f64, sentences as f64, syllables as f64);
    Some(206.835 - 1.015 * (w / s) - 84.6 * (y / w))
}

/// Syllables in a text: the sum over its word tokens.
pub fn syllables_in(text: &str) -> usize {
    tokens(text).iter().map(|(_, w)| syllables(w)).sum()
}

/// Syllables in one lower-case word, by the usual heuristic: count groups of
/// vowels, drop a silent final "e" (but keep "-le" as in "table"), count
/// "-ed" only after t or d, and never return less than one. A number counts
/// as one syllable per digit group, which is how readers skim them.
pub fn syllables(word: &str) -> usize {
    if word.chars().any(|c| c.is_ascii_digit()) || !word.is_ascii() {
        return 1;
    }
    let w: std::borrow::Cow<'_, [u8]> = if word.contains('\'') {
        word.bytes().filter(|b| *b != b'\'').collect::<Vec<u8>>().into()
    } else {
        word.as_bytes().into()
    };
    let is_vowel = |i: usize| matches!(w[i], b'a' | b'e' | b'i' | b'o' | b'u' | b'y') && (w[i] != b'y' || i != 0);
    let mut count: usize = 0;
    let mut prev = false;
    for i in 0..w.len() {
        let v = is_vowel(i);
        if v && !prev {
            count += 1;
        }
        prev = v;
    }
    count.saturating_sub(silent_endings(&w, &is_vowel)).max(1)
}

/// Vowel groups at the end of a word that are not pronounced.
fn silent_endings(w: &[u8], is_vowel: &dyn Fn(usize) -> bool) -> usize {
    let n = w.len();
    if n < 3 {
        return 0;
    }
    let last_group_lone = |k: usize| !is_vowel(n - k - 1);
    let silent_e = w[n - 1] == b'e'
        && last_group_lone(1)
        && (w[n - 2] != b'l' || is_vowel(n - 3))
        && has_vowel_before(w, n - 2, is_vowel);
    let silent_ed_es = (w.ends_with(b"ed") && !matches!(w[n - 3], b't' | b'd'))
        || (w.ends_with(b"es") && !matches!(w[n - 3], b's' | b'x' | b'z' | b'c' | b'g' | b'h'));
    let silent_suffix = (silent_ed_es && last_group_lone(2) && has_vowel_before(w, n - 3, is_vowel)) as usize;
    silent_e as usize + silent_suffix
}

fn has_vowel_before(w: &[u8], end: usize, is_vowel: &dyn Fn(usize) -> bool) -> bool {
    (0..end.min(w.len())).any(is_vowel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllable_counts() {
        for (word, n) in [
            ("a", 1),
            ("the", 1),
            ("cat", 1),
            ("make", 1),
            ("table", 2),
            ("saved", 1),
            ("wanted", 2),
            ("boxes", 2),
            ("makes", 1),
            ("customer", 3),
            ("reduce", 2),
            ("everyone", 3),
            ("beautiful", 3),
            ("yesterday", 3),
            ("you'll", 1),
            ("2026", 1),
            ("café", 1),
        ] {
            assert_eq!(syllables(word), n, "{word}");
        }
    }

    #[test]
    fn flesch_of_plain_and_dense_text() {
        let plain = "The cat sat on the mat. It was warm.";
        let words = super::super::text::count_words(plain);
        let f = flesch(words, 2, syllables_in(plain)).unwrap();
        assert!(f > 90.0, "{f}");
        let dense = "Comprehensive organizational transformation necessitates institutional commitment.";
        let f = flesch(6, 1, syllables_in(dense)).unwrap();
        assert!(f < 0.0, "{f}");
        assert_eq!(flesch(0, 0, 0), None);
    }
}
