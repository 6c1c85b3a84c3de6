//! E-mails (RFC 5322 / MIME) through `mail-parser`: the subject, the first
//! text part (HTML converted when there is no plain part) decoded by its
//! declared charset (every charset of the WHATWG set through encoding_rs,
//! and UTF-7), and where each line of it is in the file.
//!
//! Positions are exact for parts that are not transfer-encoded, and for
//! quoted-printable UTF-8 (each run of literal text and of `=XX` escapes is
//! placed at its column). A base64, HTML or other quoted-printable part has
//! no column per sentence: its findings point at the part's first line and
//! a note says so. A part labelled UTF-8 (or with no charset) whose bytes
//! are not UTF-8 is read as Windows-1252, as mail programs do, with a note.

use std::borrow::Cow;

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::decoders::html::html_to_text;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{MessageParser, MessagePart, MimeHeaders};

use super::decode::reject_binary;
use super::document::{Message, Note, Subject};
use super::error::InputError;
use super::furniture;
use super::parse::own_lines;
use super::text::{Pos, SourceText};

/// Header names that, in a file's first lines, say it is an e-mail.
const MAIL_HEADERS: &[&str] = &[
    "from",
    "to",
    "cc",
    "date",
    "message-id",
    "mime-version",
    "received",
    "return-path",
    "content-type",
    "delivered-to",
    "reply-to",
    "x-mailer",
];

/// Whether `text` starts with a mail header block (two or more header lines,
/// at least one of them a typical mail header).
pub fn looks_like_mail(text: &str) -> bool {
    let mut headers = 0;
    let mut mail = false;
    for line in text.lines().take(40) {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((name, _)) = line.split_once(':') else { return false };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return false;
        }
        headers += 1;
        mail |= MAIL_HEADERS.contains(&name.to_ascii_lowercase().as_str());
    }
    headers >= 2 && mail
}

/// [`looks_like_mail`] on a file's bytes, whatever their charset: header
/// names are ASCII, and a raw 8-bit byte in a header value does not matter.
pub fn looks_like_mail_bytes(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(16 * 1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    looks_like_mail(&String::from_utf8_lossy(head))
}

/// How a part's body is transfer-encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Transfer {
    Identity,
    QuotedPrintable,
    Base64,
}

impl Transfer {
    fn of(part: &MessagePart<'_>) -> Self {
        match part.content_transfer_encoding().map(|e| e.trim().to_ascii_lowercase()).as_deref() {
            Some("quoted-printable") => Transfer::QuotedPrintable,
            Some("base64") => Transfer::Base64,
            _ => Transfer::Identity,
        }
    }

    fn decode<'a>(self, raw: &'a [u8]) -> Option<Cow<'a, [u8]>> {
        match self {
            Transfer::Identity => Some(Cow::Borrowed(raw)),
            Transfer::QuotedPrintable => quoted_printable_decode(raw).map(Cow::Owned),
            Transfer::Base64 => base64_decode(raw).map(Cow::Owned),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Transfer::Identity => "plain",
            Transfer::QuotedPrintable => "quoted-printable",
            Transfer::Base64 => "base64-encoded",
        }
    }
}

/// Parses a MIME message.
pub fn parse(bytes: &[u8]) -> Result<Message, InputError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    reject_binary(bytes)?;
    let parsed = MessageParser::new().parse(bytes).ok_or(InputError::NoText)?;
    let subject = parsed.subject().map(|s| Subject { text: s.trim().to_owned(), pos: subject_pos(bytes) });
    let part = parsed.text_part(0).or_else(|| parsed.html_part(0)).ok_or(InputError::NoText)?;
    let html = part.is_text_html();
    let transfer = Transfer::of(part);
    let first_line = line_of(bytes, part.raw_body_offset() as usize);
    let raw = bytes.get(part.raw_body_offset() as usize..part.raw_end_offset() as usize).unwrap_or_default();
    let mut notes = Vec::new();
    let text = match read_as_windows_1252(part, raw, transfer, first_line, &mut notes)? {
        Some(text) if html => html_to_text(&text),
        Some(text) => text,
        None if html => parsed.body_text(0).map(Cow::into_owned).unwrap_or_default(),
        None => part.text_contents().unwrap_or_default().to_owned(),
    };
    if text.trim().is_empty() {
        return Err(InputError::NoText);
    }
    let lines: Vec<&str> = text.lines().collect();
    let exact = match (html, transfer) {
        (false, Transfer::Identity) => Some(Layout::Lines),
        (false, Transfer::QuotedPrintable) if notes.is_empty() => {
            qp_pieces(raw, first_line).filter(|p| same_lines(p, &lines)).map(Layout::Pieces)
        }
        _ => None,
    };
    let layout = exact.unwrap_or_else(|| {
        let what = if html { "in an HTML part".to_owned() } else { format!("in a {} part", transfer.name()) };
        notes.push(Note::new(
            Pos::new(first_line, 1),
            format!("the text is {what}: its findings point at the part's first line ({first_line}), not at their own"),
        ));
        Layout::Fixed(Pos::new(first_line, 1))
    });
    let (body, furniture) = body(&lines, layout, first_line);
    notes.extend(furniture);
    Ok(Message { subject, body, is_mime: true, notes })
}

/// Where each line of a part's text is in the file.
enum Layout {
    /// One text line per file line from the part's first line.
    Lines,
    /// Each text line as pieces, each at its own place.
    Pieces(Vec<Vec<(String, Pos)>>),
    /// Every position at one place: the part's first line.
    Fixed(Pos),
}

/// The reviewed body: the writer's own lines (see [`own_lines`]) placed by
/// `layout`, the others blank.
fn body(lines: &[&str], layout: Layout, first_line: u32) -> (SourceText, Vec<Note>) {
    let own = own_lines(lines);
    let place = |i: usize| match &layout {
        Layout::Lines => Pos::new(first_line.saturating_add(i as u32), 1),
        Layout::Fixed(at) => *at,
        Layout::Pieces(p) => {
            p.get(i).and_then(|l| l.first()).map_or(Pos::new(first_line, 1), |(_, at)| Pos::new(at.line, 1))
        }
    };
    let notes = furniture::notes(&own.skipped, place);
    let keep = own.keep;
    let kept = lines.iter().zip(&keep).map(|(l, k)| if *k { l.trim_end_matches('\r') } else { "" });
    let text = match layout {
        Layout::Lines => SourceText::from_lines(kept, first_line),
        Layout::Fixed(at) => SourceText::at_one_place(kept, at),
        Layout::Pieces(pieces) => {
            let mut out = SourceText::default();
            for (i, (line, k)) in pieces.iter().zip(&keep).enumerate() {
                if i > 0 {
                    out.push_sep('\n');
                }
                match line.first() {
                    Some((_, at)) if !*k => out.push("", *at),
                    _ => line.iter().for_each(|(s, at)| out.push(s, *at)),
                }
            }
            out
        }
    };
    (text, notes)
}

/// Whether the pieces spell the parser's lines (trailing blank lines aside).
fn same_lines(pieces: &[Vec<(String, Pos)>], lines: &[&str]) -> bool {
    let trim = |n: usize, blank: &dyn Fn(usize) -> bool| (0..n).rev().find(|&i| !blank(i)).map_or(0, |i| i + 1);
    let np = trim(pieces.len(), &|i| pieces[i].iter().all(|(s, _)| s.trim().is_empty()));
    let nl = trim(lines.len(), &|i| lines[i].trim().is_empty());
    np == nl
        && pieces.iter().zip(lines).take(np).all(|(p, l)| {
            let joined: String = p.iter().map(|(s, _)| s.as_str()).collect();
            joined.trim_end() == l.trim_end_matches('\r').trim_end()
        })
}

/// A quoted-printable UTF-8 body, line by decoded line, as pieces at their
/// place in the file: each run of literal text at its column, each run of
/// `=XX` escapes at its `=`; a soft line break (`=` at the end) continues
/// the line on the next. `None` when a run is not UTF-8 on its own.
fn qp_pieces(raw: &[u8], first_line: u32) -> Option<Vec<Vec<(String, Pos)>>> {
    let mut lines = Vec::new();
    let mut current: Vec<(String, Pos)> = Vec::new();
    let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
    for (n, line) in raw.split(|&b| b == b'\n').enumerate() {
        let line_no = first_line.saturating_add(u32::try_from(n).ok()?);
        let line = line.strip_suffix(b"\r").unwrap_or(line).trim_ascii_end();
        let (line, soft) = match line.strip_suffix(b"=") {
            Some(rest) => (rest, true),
            None => (line, false),
        };
        let (mut i, mut col) = (0, 1u32);
        while i < line.len() {
            let hex = |at: usize| line.get(at..at + 3).and_then(escape);
            let start = i;
            let text = if hex(i).is_some() {
                let mut decoded = Vec::new();
                while let Some(b) = hex(i) {
                    decoded.push(b);
                    i += 3;
                }
                String::from_utf8(decoded).ok()?
            } else {
                i += 1;
                while i < line.len() && hex(i).is_none() {
                    i += 1;
                }
                std::str::from_utf8(&line[start..i]).ok()?.to_owned()
            };
            let at = Pos::new(line_no, col);
            col = col.saturating_add(u32::try_from(String::from_utf8_lossy(&line[start..i]).chars().count()).ok()?);
            current.push((text, at));
        }
        if current.is_empty() {
            current.push((String::new(), Pos::new(line_no, 1)));
        }
        if !soft {
            lines.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    Some(lines)
}

/// The byte of a `=XX` escape.
fn escape(three: &[u8]) -> Option<u8> {
    match three {
        [b'=', hi, lo] => {
            let digit = |c: u8| (c as char).to_digit(16);
            Some(u8::try_from(digit(*hi)? * 16 + digit(*lo)?).ok()?)
        }
        _ => None,
    }
}

/// Labels that mean UTF-8 (or its ASCII subset) to mail programs.
fn is_utf8_label(charset: &str) -> bool {
    matches!(charset.trim().to_ascii_lowercase().as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii")
}

/// A part that did not decode. A declared charset that is not UTF-8 is
/// refused by name; a part labelled UTF-8, or with no charset, whose bytes
/// are not UTF-8 is read as Windows-1252 (what mail programs do), with a
/// note saying so and where the first such byte is.
fn read_as_windows_1252(
    part: &MessagePart<'_>,
    raw: &[u8],
    transfer: Transfer,
    first_line: u32,
    notes: &mut Vec<Note>,
) -> Result<Option<String>, InputError> {
    let declared = part.content_type().and_then(|ct| ct.attribute("charset")).map(str::trim);
    let garbled = part.text_contents().is_some_and(|t| t.contains('\u{FFFD}'));
    if !garbled {
        return Ok(None);
    }
    match declared {
        Some(cs) if !is_utf8_label(cs) => {
            return Err(match charset_decoder(cs.as_bytes()) {
                None => InputError::UnknownCharset { charset: cs.to_owned() },
                Some(_) => InputError::NotInCharset { charset: cs.to_owned() },
            });
        }
        _ => {}
    }
    let Some(decoded) = transfer.decode(raw) else { return Ok(None) };
    let Err(e) = std::str::from_utf8(&decoded) else { return Ok(None) };
    let at = e.valid_up_to();
    let byte = decoded[at];
    let place = if transfer == Transfer::Identity {
        let before = &decoded[..at];
        let line = first_line.saturating_add(before.iter().filter(|&&b| b == b'\n').count() as u32);
        let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
        format!("line {line}, col {col}")
    } else {
        format!("in the part that starts at line {first_line}")
    };
    let label = match declared {
        Some(cs) => format!("the part says its charset is {cs}, but byte 0x{byte:02X} ({place}) is not UTF-8"),
        None => format!("the part declares no charset and byte 0x{byte:02X} ({place}) is not UTF-8"),
    };
    notes.push(Note::new(
        Pos::new(first_line, 1),
        format!("{label}: read as Windows-1252 (Western European), as mail programs do"),
    ));
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&decoded);
    Ok(Some(text.into_owned()))
}

/// The line number (1-based) of byte `offset` (the last line past the end).
fn line_of(bytes: &[u8], offset: usize) -> u32 {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let newlines = before.iter().filter(|&&b| b == b'\n').count();
    u32::try_from(newlines).map_or(u32::MAX, |n| n.saturating_add(1))
}

/// Where the text of the first `Subject:` header starts.
fn subject_pos(bytes: &[u8]) -> Pos {
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() || line == b"\r" {
            break;
        }
        if let Some((name, rest)) = line.split_at_checked(8)
            && name.eq_ignore_ascii_case(b"subject:")
        {
            let lead = rest.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
            return Pos::new(n as u32 + 1, 9 + lead as u32);
        }
    }
    Pos::new(1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LATIN1: &[u8] = b"From: Ana <ana@example.com>\r\nTo: bo@example.com\r\nSubject: =?ISO-8859-1?Q?R=E9duisez_vos_co=FBts?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\nBonjour Ren\xE9,\r\nVous \xE9conomisez deux heures.\r\n";

    #[test]
    fn latin1_body_and_encoded_subject_decode() {
        let m = parse(LATIN1).unwrap();
        let s = m.subject.unwrap();
        assert_eq!(s.text, "Réduisez vos coûts");
        assert_eq!(s.pos, Pos::new(3, 10));
        assert!(m.body.text.contains("Bonjour René,"), "{}", m.body.text);
        let at = m.body.text.find("Vous").unwrap();
        assert_eq!(m.body.pos(at), Pos::new(9, 1));
    }

    #[test]
    fn multipart_prefers_the_plain_part() {
        let raw = b"From: a@b.c\nSubject: Hi\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=xx\n\n--xx\nContent-Type: text/plain; charset=utf-8\n\nPlain words.\n--xx\nContent-Type: text/html\n\n<p>Html words.</p>\n--xx--\n";
        let m = parse(raw).unwrap();
        assert!(m.body.text.contains("Plain words."));
        assert_eq!(m.body.pos(m.body.text.find("Plain").unwrap()).line, 9);
    }

    #[test]
    fn html_only_is_converted() {
        let raw = b"From: a@b.c\nSubject: Hi\nContent-Type: text/html; charset=utf-8\n\n<p>Hello <b>there</b>.</p>\n";
        let m = parse(raw).unwrap();
        assert!(m.body.text.contains("Hello there."), "{}", m.body.text);
    }

    #[test]
    fn undecodable_text_says_why() {
        let raw = b"From: a@b.c\nSubject: Hi\nContent-Type: text/plain; charset=x-klingon\n\nCaf\xE9 time.\n";
        let err = parse(raw).unwrap_err();
        assert!(err.to_string().contains("x-klingon"), "{err}");
    }

    /// Latin-1 bytes under a UTF-8 label, or under none, are read as
    /// Windows-1252 and the note says where the first one is.
    #[test]
    fn latin1_bytes_labelled_utf8_are_read_and_said() {
        for (ct, says) in
            [("text/plain; charset=UTF-8", "says its charset is UTF-8"), ("text/plain", "declares no charset")]
        {
            let raw = format!("From: a@b.c\nSubject: Hi\nContent-Type: {ct}\n\nHello,\nCaf\u{FFFD} time.\n");
            let raw = raw.replace('\u{FFFD}', "\u{1}").into_bytes();
            let raw: Vec<u8> = raw.into_iter().map(|b| if b == 1 { 0xE9 } else { b }).collect();
            let m = parse(&raw).unwrap();
            assert!(m.body.text.contains("Café time."), "{}", m.body.text);
            assert_eq!(m.body.pos(m.body.text.find("time").unwrap()), Pos::new(6, 6));
            let note = &m.notes[0].message;
            assert!(
                note.contains(says) && note.contains("0xE9 (line 6, col 4)") && note.contains("Windows-1252"),
                "{note}"
            );
        }
    }

    #[test]
    fn multi_byte_charsets_decode() {
        let sjis = b"From: a@b.c\nSubject: Hi\nContent-Type: text/plain; charset=Shift_JIS\n\n\x83n\x83\x8D\x81[\n";
        assert!(parse(sjis).unwrap().body.text.contains("\u{30cf}\u{30ed}\u{30fc}"));
        let kr = b"From: a@b.c\nSubject: Hi\nContent-Type: text/plain; charset=ks_c_5601-1987\n\n\xbe\xc8\xb3\xe7\n";
        assert!(parse(kr).unwrap().body.text.contains("\u{c548}\u{b155}"));
        let big5 = b"From: a@b.c\nSubject: Hi\nContent-Type: text/plain; charset=big5\n\n\xa7A\xa6n\n";
        assert!(parse(big5).unwrap().body.text.contains("\u{4f60}\u{597d}"));
        let jis = b"From: a@b.c\nSubject: Hi\nContent-Type: text/plain; charset=ISO-2022-JP\n\n\x1b$B%O%m\x1b(B\n";
        assert!(parse(jis).unwrap().body.text.contains("\u{30cf}\u{30ed}"));
        let utf7 = b"From: a@b.c\nSubject: Hi\nContent-Type: text/plain; charset=utf-7\n\nHi +AOk-t+AOk-\n";
        assert!(parse(utf7).unwrap().body.text.contains("Hi \u{e9}t\u{e9}"));
    }

    /// Quoted-printable UTF-8 keeps exact places, across escapes and soft
    /// line breaks; base64 and HTML point at the part's first line, and say so.
    #[test]
    fn encoded_parts_map_back_to_the_file() {
        let qp = b"From: a@b.c\nSubject: Hi\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nCaf=C3=A9 is open and the long line goes on=\n and on here.\nNext line.\n";
        let m = parse(qp).unwrap();
        assert!(m.notes.is_empty(), "{:?}", m.notes);
        assert!(
            m.body.text.starts_with("Caf\u{e9} is open and the long line goes on and on here.\nNext line."),
            "{}",
            m.body.text
        );
        let at = |w: &str| m.body.pos(m.body.text.find(w).unwrap());
        assert_eq!(at("is open"), Pos::new(6, 11));
        assert_eq!(at("and on here"), Pos::new(7, 2));
        assert_eq!(at("Next"), Pos::new(8, 1));
        let b64 = b"From: a@b.c\nSubject: Hi\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nSGVsbG8gdGhlcmUuCk5leHQgbGluZS4K\n";
        let m = parse(b64).unwrap();
        assert_eq!(m.body.pos(m.body.text.find("Next").unwrap()), Pos::new(6, 1));
        assert!(
            m.notes[0].message.contains("base64-encoded") && m.notes[0].message.contains("first line (6)"),
            "{:?}",
            m.notes
        );
        let html = b"From: a@b.c\nSubject: Hi\nContent-Type: text/html; charset=utf-8\n\n<p>Hello</p>\n<p>there <b>you</b>.</p>\n";
        let m = parse(html).unwrap();
        assert_eq!(m.body.pos(m.body.text.find("there").unwrap()), Pos::new(5, 1));
        assert!(m.notes[0].message.contains("an HTML part"), "{:?}", m.notes);
    }

    #[test]
    fn attachments_only_has_no_text() {
        let raw =
            b"From: a@b.c\nSubject: Hi\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n";
        assert_eq!(parse(raw).unwrap_err(), InputError::NoText);
    }

    #[test]
    fn sniffs_headers() {
        assert!(looks_like_mail("From: a@b.c\nSubject: x\n\nbody"));
        assert!(!looks_like_mail("Subject: x\n\nbody"));
        assert!(!looks_like_mail("Ann: hello\nBob: hi"));
    }
}
