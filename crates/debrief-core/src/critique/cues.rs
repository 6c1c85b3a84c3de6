//! Transcript formats: WebVTT (Teams' voice tags or Zoom's `Name:`
//! prefixes), SRT (`Name:` prefixes), Zoom's saved transcript (`[Name]
//! hh:mm:ss` lines), Otter's export (`Name  m:ss` lines), a Zoom chat file
//! and `Speaker: text` lines (optionally after a `[hh:mm:ss]` timestamp),
//! read into turns with positions and times.
//!
//! A cue line without a speaker continues the current speaker's turn;
//! consecutive cues by one speaker make one turn, until a silence of more
//! than [`MAX_PAUSE`] seconds. A cue whose timing is impossible (it ends
//! before it starts, or lasts minutes for a few words) keeps its words but
//! not its time, and a note says so. Text before the first named speaker is
//! dropped; a file with no named speaker at all is [`InputError::NoSpeakers`].

use super::document::{Note, Transcript, TranscriptFormat, Turn};
use super::error::InputError;
use super::text::{Pos, SourceText, count_words};

/// Words that end in a colon at a line's start but are not speakers.
const NOT_SPEAKERS: &[&str] = &[
    "subject",
    "from",
    "to",
    "cc",
    "bcc",
    "date",
    "re",
    "fw",
    "fwd",
    "note",
    "notes",
    "ps",
    "p.s",
    "tel",
    "phone",
    "email",
    "e-mail",
    "mobile",
    "fax",
    "web",
    "address",
    "attachment",
    "attachments",
    "time",
    "when",
    "where",
    "agenda",
    "location",
    "http",
    "https",
    "mailto",
    "warning",
    "important",
    "update",
    "summary",
    "action items",
    "next steps",
    "q",
    "a",
];

/// Longest speaker name accepted, in characters.
const MAX_NAME: usize = 40;

/// A silence longer than this, in seconds, ends a turn: a monologue stops
/// when the speaker stops talking.
pub const MAX_PAUSE: f64 = 3.0;

/// A cue longer than this, in seconds, needs at least one word for every
/// [`SLOWEST_SECONDS_PER_WORD`] to be believed.
const LONG_CUE: f64 = 30.0;
const SLOWEST_SECONDS_PER_WORD: f64 = 5.0;

/// Collects cue lines into turns.
#[derive(Default)]
struct Turns {
    turns: Vec<Turn>,
    /// Cues whose timing was impossible: the first one's line and why, and how many.
    bad_timing: Option<(Pos, String, usize)>,
}

/// One line of a cue: its speaker (if it names one), text, place and times.
struct Line<'a> {
    speaker: Option<&'a str>,
    text: &'a str,
    pos: Pos,
    start: Option<f64>,
    end: Option<f64>,
}

impl Turns {
    fn add(&mut self, line: Line<'_>) {
        let text = line.text.trim();
        let same = |t: &Turn| line.speaker.is_none_or(|s| s.eq_ignore_ascii_case(&t.speaker));
        let paused = |t: &Turn| matches!((t.end, line.start), (Some(end), Some(start)) if start - end > MAX_PAUSE);
        match self.turns.last_mut() {
            Some(turn) if same(turn) && !paused(turn) => {
                if !text.is_empty() {
                    if !turn.text.text.is_empty() {
                        turn.text.push_sep(' ');
                    }
                    turn.text.push(text, line.pos);
                }
                turn.end = line.end.or(turn.end);
            }
            last => {
                let Some(speaker) = line.speaker.or(last.map(|t| t.speaker.as_str())).map(str::to_owned) else {
                    return;
                };
                let mut src = SourceText::default();
                if !text.is_empty() {
                    src.push(text, line.pos);
                }
                self.turns.push(Turn { speaker, text: src, start: line.start, end: line.end });
            }
        }
    }

    /// Records a cue whose timing cannot be believed.
    fn bad_timing(&mut self, pos: Pos, why: String) {
        match &mut self.bad_timing {
            Some((_, _, n)) => *n += 1,
            None => self.bad_timing = Some((pos, why, 1)),
        }
    }

    fn finish(self, format: TranscriptFormat) -> Result<Transcript, InputError> {
        let turns: Vec<Turn> = self.turns.into_iter().filter(|t| !t.text.text.is_empty()).collect();
        if turns.is_empty() {
            return Err(InputError::NoSpeakers);
        }
        let notes = self
            .bad_timing
            .map(|(pos, why, n)| {
                let what = if n == 1 {
                    format!("a cue's timing is impossible ({why})")
                } else {
                    format!("{n} cues have impossible timings (the first: {why})")
                };
                Note::new(pos, format!("{what}: their words are reviewed, their time is not counted"))
            })
            .into_iter()
            .collect();
        Ok(Transcript { format, turns, notes })
    }
}

/// Parses WebVTT.
pub fn parse_webvtt(text: &str) -> Result<Transcript, InputError> {
    parse_cues(text, TranscriptFormat::WebVtt)
}

/// Parses SRT.
pub fn parse_srt(text: &str) -> Result<Transcript, InputError> {
    parse_cues(text, TranscriptFormat::Srt)
}

/// Both cue formats: blocks separated by blank lines, each with a
/// `start --> end` timing line followed by payload lines.
fn parse_cues(text: &str, format: TranscriptFormat) -> Result<Transcript, InputError> {
    let mut turns = Turns::default();
    let mut cue = Cue::default();
    let mut in_note = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            cue.flush(&mut turns);
            in_note = false;
            continue;
        }
        if cue.timing.is_none() {
            in_note |= ["NOTE", "STYLE", "REGION"].iter().any(|k| line.starts_with(k));
            if !in_note && let Some(times) = timing(line) {
                cue.timing = Some((times, Pos::new(i as u32 + 1, 1), line.trim().to_owned()));
            }
            continue;
        }
        let (speaker, body, col) = payload_speaker(line);
        let (body, col) = strip_tags(body, col);
        cue.lines.push((speaker.map(str::to_owned), body, Pos::new(i as u32 + 1, col)));
    }
    cue.flush(&mut turns);
    turns.finish(format)
}

/// One cue being read: its timing (seconds, the timing line's place and
/// text) and its payload lines.
#[derive(Default)]
struct Cue {
    timing: Option<((f64, f64), Pos, String)>,
    lines: Vec<(Option<String>, String, Pos)>,
}

impl Cue {
    /// Adds the cue's lines to the turns, with its times when they can be
    /// believed, and starts the next cue.
    fn flush(&mut self, turns: &mut Turns) {
        let Some(((start, end), at, timing_line)) = self.timing.take() else {
            self.lines.clear();
            return;
        };
        let words: usize = self.lines.iter().map(|(_, t, _)| count_words(t)).sum();
        let trouble = if end < start {
            Some("it ends before it starts")
        } else if end - start > LONG_CUE && (words as f64) * SLOWEST_SECONDS_PER_WORD < end - start {
            Some("it lasts far longer than its words take to say")
        } else {
            None
        };
        let times = match trouble {
            Some(why) => {
                turns.bad_timing(at, format!("line {}, \"{timing_line}\": {why}", at.line));
                (None, None)
            }
            None => (Some(start), Some(end)),
        };
        for (speaker, body, pos) in self.lines.drain(..) {
            turns.add(Line { speaker: speaker.as_deref(), text: &body, pos, start: times.0, end: times.1 });
        }
    }
}

/// `00:01:02.500 --> 00:01:05.000 align:start` as seconds.
fn timing(line: &str) -> Option<(f64, f64)> {
    let (a, b) = line.split_once("-->")?;
    let b = b.split_whitespace().next()?;
    Some((timestamp(a.trim())?, timestamp(b)?))
}

/// `hh:mm:ss.mmm`, `mm:ss.mmm` or `hh:mm:ss,mmm` as seconds.
pub fn timestamp(s: &str) -> Option<f64> {
    let s = s.replace(',', ".");
    let parts: Vec<&str> = s.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let mut secs = 0.0;
    for (k, part) in parts.iter().enumerate() {
        let ok = !part.is_empty() && part.chars().all(|c| c.is_ascii_digit() || c == '.');
        let is_last = k + 1 == parts.len();
        if !ok || (!is_last && part.contains('.')) {
            return None;
        }
        secs = secs * 60.0 + part.parse::<f64>().ok()?;
    }
    Some(secs)
}

/// The speaker of a cue payload line: a `<v Name>` voice tag or a `Name:`
/// prefix. Returns the speaker, the remaining text and its 1-based column.
fn payload_speaker(line: &str) -> (Option<&str>, &str, u32) {
    if let Some(rest) = line.strip_prefix("<v")
        && let Some(close) = rest.find('>')
    {
        let tag = &rest[..close];
        let name = tag.split_once([' ', '\t']).map_or("", |(_, n)| n.trim());
        let body = &rest[close + 1..];
        return ((!name.is_empty()).then_some(name), body, col_of(line, body));
    }
    let body = line.trim_start_matches(['-', ' ']);
    match split_speaker(body) {
        Some((name, text)) => (Some(name), text, col_of(line, text)),
        None => (None, body, col_of(line, body)),
    }
}

fn col_of(line: &str, tail: &str) -> u32 {
    1 + line[..line.len() - tail.len()].chars().count() as u32
}

/// Removes markup tags (`<i>`, `</v>`, `<00:01.000>`) and decodes the
/// common entities. The column moves past leading tags only.
fn strip_tags(text: &str, col: u32) -> (String, u32) {
    let trimmed = text.trim_start();
    let mut col = col + (text.len() - trimmed.len()) as u32;
    let mut out = String::with_capacity(trimmed.len());
    let mut in_tag = false;
    for c in trimmed.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            _ => out.push(c),
        }
        if out.is_empty() {
            col += 1;
        }
    }
    let out = out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ");
    (out, col)
}

/// `Name: text` → (`Name`, `text`) when `Name` looks like a speaker: 1–4
/// words, at most 40 characters, starting with a letter, not a header word,
/// and something said after the colon: a line that only ends in a colon
/// ("Here's the thing:") is speech, not a speaker.
pub fn split_speaker(line: &str) -> Option<(&str, &str)> {
    let (name, text) = line.split_once(':')?;
    let name = name.trim();
    let words = name.split_whitespace().count();
    let ok = (1..=4).contains(&words)
        && name.chars().count() <= MAX_NAME
        && name.chars().next().is_some_and(char::is_alphabetic)
        && name.chars().all(|c| c.is_alphanumeric() || " .'-_()&".contains(c))
        && !NOT_SPEAKERS.contains(&name.to_lowercase().as_str())
        && text.starts_with([' ', '\t'])
        && !text.trim().is_empty();
    ok.then_some((name, text.trim_start()))
}

/// `[00:01:02] `, `(01:02) ` or `00:01:02 ` at a line's start: the seconds
/// and the rest of the line.
fn leading_timestamp(line: &str) -> Option<(f64, &str)> {
    let t = line.trim_start();
    let (stamp, rest) = if let Some(r) = t.strip_prefix(['[', '(']) {
        let close = r.find([']', ')'])?;
        (&r[..close], &r[close + 1..])
    } else {
        let end = t.find(' ')?;
        (&t[..end], &t[end..])
    };
    Some((timestamp(stamp.trim())?, rest.trim_start()))
}

/// Parses `Speaker: text` lines. A line without a speaker continues the
/// current turn. With leading timestamps, a turn ends when the next begins.
pub fn parse_speaker_lines(text: &str) -> Result<Transcript, InputError> {
    let mut turns = Turns::default();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        let (start, rest) = leading_timestamp(line).map_or((None, line), |(s, r)| (Some(s), r));
        let rest_trim = rest.trim_start();
        let (speaker, body) = split_speaker(rest_trim).map_or((None, rest_trim), |(s, b)| (Some(s), b));
        if speaker.is_some()
            && let (Some(s), Some(last)) = (start, turns.turns.last_mut())
        {
            last.end = Some(s);
        }
        turns.add(Line { speaker, text: body, pos: Pos::new(i as u32 + 1, col_of(line, body)), start, end: None });
    }
    turns.finish(TranscriptFormat::SpeakerLines)
}

/// A speaker's name as transcript tools write it: 1–6 words, at most 40
/// characters, starting with a letter.
fn is_name(name: &str) -> bool {
    let words = name.split_whitespace().count();
    (1..=6).contains(&words)
        && name.chars().count() <= MAX_NAME
        && name.chars().next().is_some_and(char::is_alphabetic)
        && name.chars().all(|c| c.is_alphanumeric() || " .'-_()&,@".contains(c))
}

/// Zoom's saved transcript heading: `[Ann Lee] 11:02:09`.
fn zoom_heading(line: &str) -> Option<(&str, f64)> {
    let rest = line.trim().strip_prefix('[')?;
    let (name, time) = rest.split_once(']')?;
    let name = name.trim();
    (is_name(name)).then_some(())?;
    Some((name, timestamp(time.trim())?))
}

/// Otter's heading: `Ann Lee  0:01` (the name, two or more spaces, the time
/// since the start).
fn otter_heading(line: &str) -> Option<(&str, f64)> {
    let line = line.trim_end();
    let (name, time) = line.rsplit_once("  ")?;
    let name = name.trim();
    (is_name(name) && !name.ends_with(':')).then_some(())?;
    Some((name, timestamp(time.trim())?))
}

/// A Zoom chat line: `11:02:09 From Ann Lee to Everyone: text` (or `…
/// From  Ann Lee : text`), its time, sender and text.
fn zoom_chat_line(line: &str) -> Option<(&str, f64, &str)> {
    let (time, rest) = line.trim_start().split_once([' ', '\t'])?;
    let secs = timestamp(time)?;
    let rest = rest.trim_start().strip_prefix("From")?.trim_start();
    let (who, text) = rest.split_once(':')?;
    let who = who.trim();
    let name = who.find(" to ").map_or(who, |i| who[..i].trim_end());
    let name = name.strip_suffix(" (Direct Message)").unwrap_or(name).trim();
    is_name(name).then_some((name, secs, text.trim_start()))
}

/// Transcripts whose turns open with a heading line (a name and a time) and
/// go on in the lines below it: Zoom's and Otter's. A turn ends where the
/// next heading begins.
fn parse_headed(
    text: &str,
    heading: fn(&str) -> Option<(&str, f64)>,
    format: TranscriptFormat,
) -> Result<Transcript, InputError> {
    let mut turns = Turns::default();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        let pos = Pos::new(i as u32 + 1, 1);
        match heading(line) {
            Some((name, start)) => {
                if let Some(last) = turns.turns.last_mut() {
                    last.end = Some(start);
                }
                turns.add(Line { speaker: Some(name), text: "", pos, start: Some(start), end: Some(start) });
            }
            None => {
                let body = line.trim_start();
                turns.add(Line {
                    speaker: None,
                    text: body,
                    pos: Pos::new(pos.line, col_of(line, body)),
                    start: None,
                    end: None,
                });
            }
        }
    }
    turns.finish(format)
}

/// Parses Zoom's saved transcript.
pub fn parse_zoom(text: &str) -> Result<Transcript, InputError> {
    parse_headed(text, zoom_heading, TranscriptFormat::Zoom)
}

/// Parses Otter's export.
pub fn parse_otter(text: &str) -> Result<Transcript, InputError> {
    parse_headed(text, otter_heading, TranscriptFormat::Otter)
}

/// Parses a Zoom chat file: each message a turn at its time; a line that is
/// not a message continues the one before.
pub fn parse_zoom_chat(text: &str) -> Result<Transcript, InputError> {
    let mut turns = Turns::default();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        let (speaker, start, body) = match zoom_chat_line(line) {
            Some((name, secs, body)) => (Some(name), Some(secs), body),
            None => (None, None, line.trim_start()),
        };
        if let (Some(s), Some(last)) = (start, turns.turns.last_mut()) {
            last.end = Some(s);
        }
        turns.add(Line { speaker, text: body, pos: Pos::new(i as u32 + 1, col_of(line, body)), start, end: start });
    }
    turns.finish(TranscriptFormat::ZoomChat)
}

/// Which headed format `text` is in, when at least two of its first lines are
/// headings of one: Zoom's transcript, Otter's export or a Zoom chat.
pub fn sniff_headed(text: &str) -> Option<TranscriptFormat> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(60).collect();
    let count = |f: &dyn Fn(&str) -> bool| lines.iter().filter(|l| f(l)).count();
    let zoom = count(&|l| zoom_heading(l).is_some());
    let otter = count(&|l| otter_heading(l).is_some());
    let chat = count(&|l| zoom_chat_line(l).is_some());
    let best = zoom.max(otter).max(chat);
    if best < 2 || best * 4 < lines.len() {
        return None;
    }
    Some(if best == zoom {
        TranscriptFormat::Zoom
    } else if best == otter {
        TranscriptFormat::Otter
    } else {
        TranscriptFormat::ZoomChat
    })
}

/// Whether `text` opens like an SRT file: a cue number, then a timing line.
pub fn looks_like_srt(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("");
    let second = lines.next().unwrap_or("");
    !first.is_empty() && first.chars().all(|c| c.is_ascii_digit()) && timing(second).is_some()
}

/// Whether most non-empty lines are `Speaker: text` lines, by at least two
/// speakers.
pub fn looks_like_speaker_lines(text: &str) -> bool {
    let mut names: Vec<String> = Vec::new();
    let (mut hits, mut lines) = (0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(200) {
        lines += 1;
        let rest = leading_timestamp(line).map_or(line, |(_, r)| r);
        if let Some((name, _)) = split_speaker(rest.trim_start()) {
            hits += 1;
            let name = name.to_lowercase();
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names.len() >= 2 && hits * 2 >= lines
}

#[cfg(test)]
mod tests {
    use super::*;

    type Row = (String, String, Pos, Option<f64>, Option<f64>);

    fn summary(t: &Transcript) -> Vec<Row> {
        t.turns.iter().map(|u| (u.speaker.clone(), u.text.text.clone(), u.pos(), u.start, u.end)).collect()
    }

    /// A line that only ends in a colon is speech, not a new speaker.
    #[test]
    fn a_trailing_colon_is_not_a_speaker() {
        let t = parse_speaker_lines("Ann: Let me be clear.\nHere's the thing:\nwe can ship it Monday.\nBob: Great.\n")
            .unwrap();
        let speakers: Vec<&str> = t.turns.iter().map(|u| u.speaker.as_str()).collect();
        assert_eq!(speakers, ["Ann", "Bob"]);
        assert!(t.turns[0].text.text.contains("Here's the thing:"), "{:?}", t.turns[0].text.text);
        assert_eq!(split_speaker("Next steps:"), None);
        assert_eq!(split_speaker("Ann: Hi."), Some(("Ann", "Hi.")));
    }

    #[test]
    fn webvtt_voice_tags_and_prefixes() {
        let vtt = "WEBVTT\n\nNOTE a comment\n\n1\n00:00:01.000 --> 00:00:04.500\n<v Ann Lee>Hi Bob, <i>thanks</i> for joining.</v>\n\n00:00:05.000 --> 00:00:07.000\nBob: Sure.\nHappy to.\n\n00:00:07.000 --> 00:01:00.000 align:start\nBob: Go ahead.\n";
        let t = parse_webvtt(vtt).unwrap();
        let s = summary(&t);
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0],
            ("Ann Lee".into(), "Hi Bob, thanks for joining.".into(), Pos::new(7, 12), Some(1.0), Some(4.5))
        );
        assert_eq!(s[1].1, "Sure. Happy to. Go ahead.");
        // The last cue gives 53 seconds to two words: its time is not counted.
        assert_eq!((s[1].2, s[1].3, s[1].4), (Pos::new(10, 6), Some(5.0), Some(7.0)));
        assert_eq!(t.notes.len(), 1);
        assert!(t.notes[0].message.contains("line 13") && t.notes[0].message.contains("far longer"), "{:?}", t.notes);
    }

    /// A cue that ends before it starts keeps its words, not its time; a
    /// silence of more than a few seconds ends a monologue.
    #[test]
    fn bad_timings_and_silences() {
        let vtt = "WEBVTT\n\n01:00:00.000 --> 00:00:01.000\n<v Ann>One two three four.\n\n00:00:02.000 --> 00:00:03.000\n<v Bob>Sure.\n";
        let t = parse_webvtt(vtt).unwrap();
        assert_eq!(summary(&t)[0], ("Ann".into(), "One two three four.".into(), Pos::new(4, 8), None, None));
        assert!(t.notes[0].message.contains("ends before it starts"), "{:?}", t.notes);
        let vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n<v Ann>Let me tell you about us.\n\n00:00:04.500 --> 00:00:08.000\n<v Ann>We are great.\n\n00:00:20.000 --> 00:00:24.000\n<v Ann>Still there?\n";
        let s = summary(&parse_webvtt(vtt).unwrap());
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!((s[0].3, s[0].4, s[1].3), (Some(0.0), Some(8.0), Some(20.0)));
    }

    #[test]
    fn srt_with_name_prefixes() {
        let srt = "1\r\n00:00:01,000 --> 00:00:03,000\r\nAnn: Hello.\r\n\r\n2\r\n00:00:03,500 --> 00:00:06,000\r\nBob: Hi there.\r\n";
        let t = parse_srt(srt).unwrap();
        assert_eq!(summary(&t)[1], ("Bob".into(), "Hi there.".into(), Pos::new(7, 6), Some(3.5), Some(6.0)));
    }

    #[test]
    fn speaker_lines_with_and_without_timestamps() {
        let t = parse_speaker_lines("Ann: Hi.\nstill Ann\nBob: Hello.\n").unwrap();
        assert_eq!(summary(&t)[0].1, "Hi. still Ann");
        let t = parse_speaker_lines("[00:00:05] Ann: Hi.\n[00:00:09] Bob: Hello.\n").unwrap();
        let s = summary(&t);
        assert_eq!((s[0].3, s[0].4, s[1].3, s[1].4), (Some(5.0), Some(9.0), Some(9.0), None));
        assert_eq!(s[1].2, Pos::new(2, 17));
    }

    #[test]
    fn zoom_otter_and_chat() {
        let zoom = "[Ann Lee] 11:02:09\nHi Bob, thanks for joining.\nShall we start?\n\n[Bob] 11:02:15\nSure.\n\n[Bob] 11:02:16\nGo ahead.\n";
        assert_eq!(sniff_headed(zoom), Some(TranscriptFormat::Zoom));
        let s = summary(&parse_zoom(zoom).unwrap());
        assert_eq!(
            s[0],
            (
                "Ann Lee".into(),
                "Hi Bob, thanks for joining. Shall we start?".into(),
                Pos::new(2, 1),
                Some(39729.0),
                Some(39735.0)
            )
        );
        assert_eq!(s[1].1, "Sure. Go ahead.");
        let otter =
            "Dana Ortiz  0:00\nMorning, everyone.\n\nSpeaker 2  0:04\nHi Dana.\n\nDana Ortiz  1:02:03\nThanks.\n";
        assert_eq!(sniff_headed(otter), Some(TranscriptFormat::Otter));
        let s = summary(&parse_otter(otter).unwrap());
        assert_eq!(s.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["Dana Ortiz", "Speaker 2", "Dana Ortiz"]);
        assert_eq!((s[1].3, s[1].4, s[2].3), (Some(4.0), Some(3723.0), Some(3723.0)));
        let chat = "10:01:02 From Ann Lee to Everyone: hello all\n10:01:30 From  Bob : hi\nsecond line\n";
        assert_eq!(sniff_headed(chat), Some(TranscriptFormat::ZoomChat));
        let s = summary(&parse_zoom_chat(chat).unwrap());
        assert_eq!(s[0].0, "Ann Lee");
        assert_eq!(s[1], ("Bob".into(), "hi second line".into(), Pos::new(2, 22), Some(36090.0), Some(36090.0)));
        assert_eq!(sniff_headed("Hi Ann,\nThanks for the call.\n"), None);
    }

    #[test]
    fn no_speakers_is_an_error() {
        assert_eq!(parse_speaker_lines("just words\nmore words").unwrap_err(), InputError::NoSpeakers);
        let vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\nnobody named\n";
        assert_eq!(parse_webvtt(vtt).unwrap_err(), InputError::NoSpeakers);
    }

    #[test]
    fn speaker_names() {
        for (line, name) in [
            ("Ann: hi", Some("Ann")),
            ("Speaker 1: hi", Some("Speaker 1")),
            ("Dr. Ana María: hola", Some("Dr. Ana María")),
            ("Subject: hi", None),
            ("10:30 works", None),
            ("This is a long sentence that has a colon: here", None),
            ("http://example.com", None),
        ] {
            assert_eq!(split_speaker(line).map(|(n, _)| n), name, "{line}");
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp("00:01:02.500"), Some(62.5));
        assert_eq!(timestamp("01:02,250"), Some(62.25));
        assert_eq!(timestamp("1:00:00"), Some(3600.0));
        assert_eq!(timestamp("1.5:00"), None);
        assert_eq!(timestamp("abc"), None);
    }
}
