//! Reading a file's bytes into a [`Document`]: which kind it is (by name,
//! then by content), and plain-text messages with an optional `Subject:`
//! first line. MIME lives in `mime`, transcript formats in `cues`.

use super::cues;
use super::decode::decode_text;
use super::document::{Document, Kind, Message, Note, Subject, TranscriptFormat};
use super::error::InputError;
use super::furniture;
use super::mime;
use super::text::{Pos, SourceText};

/// How a file is to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Mime,
    PlainMessage,
    WebVtt,
    Srt,
    Headed(TranscriptFormat),
    SpeakerLines,
}

/// Parses `bytes` of the file called `name` (used only for its extension;
/// `-` or an empty name for stdin). `kind` forces a message or a transcript;
/// `None` detects it: `.eml`, or any file opening with mail headers, is
/// MIME (read by the charsets it declares, whatever its name); `.vtt` is
/// WebVTT, `.srt` SRT; anything else is sniffed (a `WEBVTT` header, SRT cue
/// timings, Zoom and Otter transcripts, `Speaker: text` lines) and is
/// otherwise a plain-text message.
pub fn parse(name: &str, bytes: &[u8], kind: Option<Kind>) -> Result<Document, InputError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    let ext = extension(name);
    let mail = ext == "eml" || (!matches!(ext.as_str(), "vtt" | "srt") && mime::looks_like_mail_bytes(bytes));
    if mail && kind != Some(Kind::Transcript) {
        return mime::parse(bytes).map(Document::Message);
    }
    let text = decode_text(bytes)?;
    match choose(&ext, &text, kind) {
        Format::Mime => mime::parse(bytes).map(Document::Message),
        Format::PlainMessage => Ok(Document::Message(plain_message(&text))),
        Format::WebVtt => cues::parse_webvtt(&text).map(Document::Transcript),
        Format::Srt => cues::parse_srt(&text).map(Document::Transcript),
        Format::Headed(TranscriptFormat::Otter) => cues::parse_otter(&text).map(Document::Transcript),
        Format::Headed(TranscriptFormat::ZoomChat) => cues::parse_zoom_chat(&text).map(Document::Transcript),
        Format::Headed(_) => cues::parse_zoom(&text).map(Document::Transcript),
        Format::SpeakerLines => cues::parse_speaker_lines(&text).map(Document::Transcript),
    }
}

fn extension(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

fn choose(ext: &str, text: &str, kind: Option<Kind>) -> Format {
    let sniffed = sniff(ext, text);
    match (kind, sniffed) {
        (Some(Kind::Message), Format::Mime | Format::PlainMessage) => sniffed,
        (Some(Kind::Message), _) => Format::PlainMessage,
        (Some(Kind::Transcript), Format::Mime | Format::PlainMessage) => Format::SpeakerLines,
        _ => sniffed,
    }
}

fn sniff(ext: &str, text: &str) -> Format {
    let head = text.trim_start_matches('\u{feff}');
    if ext == "vtt" || head.starts_with("WEBVTT") {
        Format::WebVtt
    } else if ext == "srt" || cues::looks_like_srt(head) {
        Format::Srt
    } else if mime::looks_like_mail(head) {
        Format::Mime
    } else if let Some(format) = cues::sniff_headed(head) {
        Format::Headed(format)
    } else if cues::looks_like_speaker_lines(head) {
        Format::SpeakerLines
    } else {
        Format::PlainMessage
    }
}

/// A message pasted as text: an optional `Subject:` first line, then the body.
pub fn plain_message(text: &str) -> Message {
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    let subject = lines.get(first).and_then(|l| subject_line(l, first as u32 + 1));
    let body_start = if subject.is_some() { first + 1 } else { 0 };
    let (body, notes) = clean_body(&lines[body_start.min(lines.len())..], body_start as u32 + 1);
    Message { subject, body, is_mime: false, notes }
}

/// `Subject: text` (any case) as a subject at `line`.
fn subject_line(line: &str, line_no: u32) -> Option<Subject> {
    let head = line.get(..8)?;
    if !head.eq_ignore_ascii_case("subject:") {
        return None;
    }
    let rest = &line[8..];
    let text = rest.trim();
    let lead = rest.len() - rest.trim_start().len();
    Some(Subject { text: text.to_owned(), pos: Pos::new(line_no, 9 + line[8..8 + lead].chars().count() as u32) })
}

/// The body lines a reader reviews: quoted replies (`> …`, and the "On …
/// wrote:" line before them), a forwarded or original message, the
/// signature after `-- ` and the mail's furniture ([`furniture`]: sign-off
/// and signature, footers, legal notices, lone links) are blanked, keeping
/// every line number; the notes say what furniture was left out.
pub fn clean_body(lines: &[&str], first_line: u32) -> (SourceText, Vec<Note>) {
    let own = own_lines(lines);
    let text = SourceText::from_lines(
        lines.iter().zip(&own.keep).map(|(l, k)| if *k { l.trim_end_matches('\r') } else { "" }),
        first_line,
    );
    (text, furniture::notes(&own.skipped, |i| Pos::new(first_line + i as u32, 1)))
}

/// The writer's own lines of a body, and the furniture left out.
pub struct OwnLines {
    pub keep: Vec<bool>,
    pub skipped: Vec<(furniture::Furniture, usize, usize)>,
}

/// Which of `lines` are the writer's own text (see [`clean_body`]).
pub fn own_lines(lines: &[&str]) -> OwnLines {
    let mut keep = Vec::with_capacity(lines.len());
    let mut stopped = false;
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim_end_matches('\r');
        stopped |= ends_own_text(line);
        let quoted = line.trim_start().starts_with('>') || is_reply_header(line, lines.get(i + 1));
        keep.push(!(stopped || quoted));
    }
    let skipped = furniture::find(lines, &keep);
    for &(_, first, last) in &skipped {
        keep[first..=last].iter_mut().for_each(|k| *k = false);
    }
    OwnLines { keep, skipped }
}

fn ends_own_text(line: &str) -> bool {
    let t = line.trim_end();
    // "-----Original Message-----", "----- Original Message -----",
    // "---------- Forwarded message ---------" as mail programs write them.
    let banner = t.starts_with("---") && {
        let inner = t.trim_matches(|c: char| c == '-' || c.is_whitespace()).to_ascii_lowercase();
        inner == "original message" || inner.starts_with("forwarded message")
    };
    t == "--" || line == "-- " || banner || t.starts_with("Begin forwarded message")
}

/// "On Tue, 3 Mar 2026, Ann wrote:" just before a quoted line.
fn is_reply_header(line: &str, next: Option<&&str>) -> bool {
    let t = line.trim();
    t.starts_with("On ")
        && t.ends_with("wrote:")
        && next.is_none_or(|n| n.trim_start().starts_with('>') || n.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_line_is_optional() {
        let m = plain_message("Subject:  Cut your picking time\n\nHi Ann,\nThe plan is attached.");
        let s = m.subject.unwrap();
        assert_eq!(s.text, "Cut your picking time");
        assert_eq!(s.pos, Pos::new(1, 11));
        assert_eq!(m.body.pos(m.body.text.find("Hi").unwrap()), Pos::new(3, 1));
        let m = plain_message("Hi Ann,\nThe plan is attached.");
        assert!(m.subject.is_none());
        assert_eq!(m.body.pos(m.body.text.find("The plan").unwrap()), Pos::new(2, 1));
    }

    #[test]
    fn an_original_message_banner_ends_the_writers_text() {
        for banner in
            ["-----Original Message-----", "----- Original Message -----", "---------- Forwarded message ---------"]
        {
            let m = plain_message(&format!("Tuesday works.\n\n{banner}\nFrom: Ann\nCan you send it?\n"));
            assert_eq!(m.body.text.split_whitespace().collect::<Vec<_>>(), ["Tuesday", "works."], "{banner}");
        }
    }

    #[test]
    fn quotes_and_signature_are_blanked() {
        let text = "Thanks Ann.\n\nOn Mon, 2 Mar 2026, Ann wrote:\n> Can you send it?\n\n-- \nBob\nAcme";
        let m = plain_message(text);
        assert_eq!(m.body.text.split_whitespace().collect::<Vec<_>>(), ["Thanks", "Ann."]);
    }

    #[test]
    fn detects_kinds() {
        let kind = |name: &str, text: &str| parse(name, text.as_bytes(), None).map(|d| d.kind());
        assert_eq!(kind("a.txt", "Hi Ann,\nThe plan includes support."), Ok(Kind::Message));
        assert_eq!(kind("a.txt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Hi."), Ok(Kind::Transcript));
        assert_eq!(kind("-", "1\n00:00:01,000 --> 00:00:02,000\nAnn: Hi.\n"), Ok(Kind::Transcript));
        assert_eq!(kind("call.txt", "Ann: Hi Bob.\nBob: Hi Ann.\nAnn: Shall we start?\n"), Ok(Kind::Transcript));
        assert_eq!(kind("x", "From: a@b.c\nTo: d@e.f\nSubject: Hi\n\nBody."), Ok(Kind::Message));
        assert_eq!(kind("a.vtt", "no header here"), Err(InputError::NoSpeakers));
        assert_eq!(kind("a.txt", "\n \n"), Err(InputError::Empty));
    }

    /// A mail is known by its headers whatever its name, and a raw 8-bit
    /// byte in a header does not sink a body that declares its charset.
    #[test]
    fn mail_by_content_with_a_raw_header_byte() {
        let raw = b"From: Jos\xE9 <j@b.c>\r\nTo: a@b.c\r\nSubject: Caf\xE9\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nBonjour, caf\xE9 ?\r\n";
        for name in ["mail.txt", "-", "x.msg", "saved"] {
            let Ok(Document::Message(m)) = parse(name, raw, None) else { panic!("{name}: not read as a message") };
            assert!(m.is_mime && m.body.text.contains("caf\u{e9} ?"), "{name}: {}", m.body.text);
        }
    }

    #[test]
    fn a_forced_kind_wins() {
        let doc = parse("a.txt", b"Ann: Hi Bob.\nBob: Hi Ann.\n", Some(Kind::Message)).unwrap();
        assert_eq!(doc.kind(), Kind::Message);
        let err = parse("a.txt", b"Just a note to say hello.", Some(Kind::Transcript)).unwrap_err();
        assert_eq!(err, InputError::NoSpeakers);
    }

    #[test]
    fn extensions() {
        assert_eq!(extension("dir.v2/Mail.EML"), "eml");
        assert_eq!(extension(".hidden"), "");
        assert_eq!(extension("-"), "");
    }
}
