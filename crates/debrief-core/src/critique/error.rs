//! Why a file could not be reviewed, in one line: what was wrong and what
//! would be right. The caller prefixes the file name ("notes.pdf: …").

use thiserror::Error;

/// An input that cannot be reviewed. Every variant renders as one line.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum InputError {
    #[error("empty input: nothing to review (give an e-mail or a call transcript)")]
    Empty,
    #[error(
        "binary content ({what}): give a text e-mail, an .eml file, or a WebVTT, SRT or \"Speaker: text\" transcript"
    )]
    Binary { what: String },
    #[error(
        "not UTF-8 text (byte 0x{byte:02X} at line {line}, col {col}) and no charset is declared: save it as UTF-8, or as an .eml with a charset"
    )]
    NotUtf8 { byte: u8, line: u32, col: u32 },
    #[error("declared charset \"{charset}\" is not one this tool can decode: save the message as UTF-8 or ISO-8859-1")]
    UnknownCharset { charset: String },
    #[error(
        "the e-mail's text is not valid {charset}, the charset its Content-Type declares: fix the declared charset or save the message as UTF-8"
    )]
    NotInCharset { charset: String },
    #[error("the e-mail has no text part to review (only attachments or an empty body)")]
    NoText,
    #[error(
        "no recognisable speakers: expected \"Name: text\" lines, WebVTT voice tags (<v Name>), SRT cues starting with \"Name:\", or a Zoom (\"[Name] 11:02:09\") or Otter (\"Name  0:01\") transcript"
    )]
    NoSpeakers,
    #[error("--me \"{given}\" is not a speaker in this transcript: speakers are {speakers}")]
    UnknownSpeaker { given: String, speakers: String },
    #[error("is a directory: give the files in it (for example dir/*.eml)")]
    Directory,
    #[error("the file is {}: at most {} is read (save the e-mail without its attachments)", size(*bytes), size(super::MAX_INPUT_BYTES))]
    TooLarge { bytes: usize },
    #[error("the text is {}: at most {} is reviewed (review one message or one call at a time)", size(*bytes), size(super::MAX_TEXT_BYTES))]
    TooMuchText { bytes: usize },
    #[error(
        "the text reads as {language}: only English is reviewed (its rules and models read English), so nothing was scored"
    )]
    NotEnglish { language: String },
}

/// A size as people say it: "300 KB", "9.5 MB" (1 KB = 1,024 bytes).
fn size(bytes: usize) -> String {
    const KB: usize = 1024;
    match bytes {
        b if b < KB => format!("{b} bytes"),
        b if b < KB * KB => format!("{} KB", b.div_ceil(KB)),
        b => format!("{:.1} MB", b as f64 / (KB * KB) as f64).replace(".0 MB", " MB"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line() {
        let errors = [
            InputError::Empty,
            InputError::Binary { what: "a PDF document".into() },
            InputError::NotUtf8 { byte: 0xE9, line: 3, col: 12 },
            InputError::UnknownCharset { charset: "x-mac-klingon".into() },
            InputError::NoText,
            InputError::NotInCharset { charset: "Shift_JIS".into() },
            InputError::NoSpeakers,
            InputError::UnknownSpeaker { given: "Bob".into(), speakers: "Ann, Carl".into() },
            InputError::Directory,
            InputError::TooLarge { bytes: 9_961_472 },
            InputError::TooMuchText { bytes: 300 * 1024 },
        ];
        for e in errors {
            let s = e.to_string();
            assert!(!s.contains('\n') && !s.is_empty(), "{s}");
        }
        assert_eq!(
            InputError::NotUtf8 { byte: 0xE9, line: 3, col: 12 }.to_string(),
            "not UTF-8 text (byte 0xE9 at line 3, col 12) and no charset is declared: save it as UTF-8, or as an .eml with a charset"
        );
    }

    #[test]
    fn sizes_read_like_people_say_them() {
        assert_eq!(
            InputError::TooMuchText { bytes: 300 * 1024 }.to_string(),
            "the text is 300 KB: at most 256 KB is reviewed (review one message or one call at a time)"
        );
        assert_eq!(
            InputError::TooLarge { bytes: 9_961_472 }.to_string(),
            "the file is 9.5 MB: at most 8 MB is read (save the e-mail without its attachments)"
        );
        assert_eq!(size(12), "12 bytes");
    }
}
