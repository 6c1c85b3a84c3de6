//! What reaches the terminal: every control character that did not come
//! from our own layout (line breaks, tabs) is escaped, so stored text can
//! never move the cursor, change colours or ring the bell. Colour and
//! weight come only from [`Paint`], and only on a terminal without
//! `NO_COLOR`.

use debrief_app::input::has_unsafe_chars;
use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

/// How a piece of text is set apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// What matters most on the screen: the headline, the focus.
    Strong,
    /// Good news: won, a focus that works.
    Good,
    /// What needs action now: a mistake that came back after a commitment.
    Alert,
    /// Secondary words: hints, dates.
    Muted,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Strong => "\x1b[1m",
            Style::Good => "\x1b[32m",
            Style::Alert => "\x1b[1;31m",
            Style::Muted => "\x1b[2m",
        }
    }
}

/// A writer that can set text apart; plain where colour is off.
pub trait Paint: Write {
    fn paint(&mut self, style: Style, text: &str) -> io::Result<()>;
}

impl Paint for Vec<u8> {
    fn paint(&mut self, _style: Style, text: &str) -> io::Result<()> {
        self.write_all(text.as_bytes())
    }
}

/// `text` padded with spaces to `width` terminal columns (wide characters count twice).
pub fn pad(text: &str, width: usize) -> String {
    let shown = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
}

/// Whether colour may be used on stdout: a terminal, and `NO_COLOR` not set.
pub fn colour_wanted() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes through to `inner` with control characters escaped. Text is
/// passed on whole characters: a character cut between two writes waits
/// for its rest.
pub struct Escaped<W: Write> {
    inner: W,
    pending: Vec<u8>,
    colour: bool,
}

impl<W: Write> Escaped<W> {
    pub fn new(inner: W, colour: bool) -> Escaped<W> {
        Escaped { inner, pending: Vec::new(), colour }
    }

    /// Writes what is left and flushes; a closed pipe shows here as an error.
    pub fn finish(&mut self) -> anyhow::Result<()> {
        self.flush_pending()?;
        self.inner.flush()?;
        Ok(())
    }
}

impl<W: Write> Paint for Escaped<W> {
    fn paint(&mut self, style: Style, text: &str) -> io::Result<()> {
        if !self.colour {
            return self.write_all(text.as_bytes());
        }
        self.flush_pending()?;
        self.inner.write_all(style.code().as_bytes())?;
        self.inner.write_all(escape(text).as_bytes())?;
        self.inner.write_all(b"\x1b[0m")
    }
}

impl<W: Write> Escaped<W> {
    fn flush_pending(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let rest = String::from_utf8_lossy(&self.pending).into_owned();
            self.pending.clear();
            self.inner.write_all(escape(&rest).as_bytes())?;
        }
        Ok(())
    }
}

impl<W: Write> Write for Escaped<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Whole characters with nothing to escape go through as they are.
        if self.pending.is_empty() && std::str::from_utf8(buf).is_ok_and(|text| !has_unsafe_chars(text)) {
            self.inner.write_all(buf)?;
            return Ok(buf.len());
        }
        self.pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            // An incomplete character at the end waits; an invalid one is passed on replaced.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.pending.len(),
        };
        let text = String::from_utf8_lossy(&self.pending[..valid]).into_owned();
        self.pending.drain(..valid);
        self.inner.write_all(escape(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// `text` with every control character but line breaks and tabs escaped.
pub fn escape(text: &str) -> String {
    if !has_unsafe_chars(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // A line break of files written for other programs (iCalendar's CRLF) stays one.
        if c == '\r' && chars.peek() == Some(&'\n') {
            out.push(c);
        } else if needs_escape(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    debrief_app::input::is_unsafe_char(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_when_asked_and_data_never_colours() {
        let mut out = Escaped::new(Vec::new(), true);
        out.paint(Style::Alert, "came back\u{1b}[0m").unwrap();
        out.finish().unwrap();
        assert_eq!(String::from_utf8(out.inner).unwrap(), "\x1b[1;31mcame back\\u{1b}[0m\x1b[0m");
        let mut plain = Escaped::new(Vec::new(), false);
        plain.paint(Style::Alert, "came back").unwrap();
        plain.finish().unwrap();
        assert_eq!(String::from_utf8(plain.inner).unwrap(), "came back");
    }

    #[test]
    fn wide_characters_keep_columns() {
        assert_eq!(pad("東京", 6), "東京  ");
        assert_eq!(pad("ab", 6), "ab    ");
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        let mut out = Escaped::new(Vec::new(), false);
        write!(out, "Acme\u{1b}[2J\u{7}\rnext\tline\r\n").unwrap();
        out.finish().unwrap();
        assert_eq!(String::from_utf8(out.inner).unwrap(), "Acme\\u{1b}[2J\\u{7}\\u{d}next\tline\r\n");
    }

    #[test]
    fn a_character_split_between_writes_is_kept_whole() {
        let mut out = Escaped::new(Vec::new(), false);
        let bytes = "née".as_bytes();
        out.write_all(&bytes[..2]).unwrap();
        out.write_all(&bytes[2..]).unwrap();
        out.finish().unwrap();
        assert_eq!(String::from_utf8(out.inner).unwrap(), "née");
    }
}
