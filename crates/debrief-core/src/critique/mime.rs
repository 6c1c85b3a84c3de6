//! `.eml` (RFC 5322 / MIME) messages through `mail-parser`: the subject, the
//! first text part (HTML converted when there is no plain part) decoded by
//! its declared charset, and the line in the file where each starts.
//!
//! Body line numbers count from the body's first line in the file; they are
//! exact when the part is not transfer-encoded (quoted-printable soft line
//! breaks and base64 can shift them).

use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::{MessageParser, MessagePart, MimeHeaders};

use super::decode::reject_binary;
use super::document::{Message, Subject};
use super::error::InputError;
use super::parse::clean_body;
use super::text::Pos;

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
    check_charset(part)?;
    let text = if html {
        parsed.body_text(0).map(|c| c.into_owned()).unwrap_or_default()
    } else {
        part.text_contents().unwrap_or_default().to_owned()
    };
    if text.trim().is_empty() {
        return Err(InputError::NoText);
    }
    let first_line = line_of(bytes, part.raw_body_offset() as usize);
    let lines: Vec<&str> = text.lines().collect();
    Ok(Message { subject, body: clean_body(&lines, first_line), is_mime: true })
}

/// A part whose text could not be decoded: a declared charset the parser
/// does not know, or no charset and bytes that are not UTF-8 (the parser
/// then substitutes U+FFFD).
fn check_charset(part: &MessagePart<'_>) -> Result<(), InputError> {
    let declared = part.content_type().and_then(|ct| ct.attribute("charset"));
    let garbled = part.text_contents().is_some_and(|t| t.contains('\u{FFFD}'));
    match declared {
        Some(cs) if charset_decoder(cs.as_bytes()).is_none() && garbled => {
            Err(InputError::UnknownCharset { charset: cs.to_owned() })
        }
        None if garbled => Err(InputError::UndeclaredCharset),
        _ => Ok(()),
    }
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
        let raw = b"From: a@b.c\nSubject: Hi\nContent-Type: text/plain\n\nCaf\xE9 time.\n";
        let err = parse(raw).unwrap_err();
        assert_eq!(err, InputError::UndeclaredCharset);
        let raw = b"From: a@b.c\nSubject: Hi\nContent-Type: text/plain; charset=x-klingon\n\nCaf\xE9 time.\n";
        let err = parse(raw).unwrap_err();
        assert!(err.to_string().contains("x-klingon"), "{err}");
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
