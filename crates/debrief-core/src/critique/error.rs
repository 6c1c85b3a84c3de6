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
        "the e-mail's text declares no charset and is not UTF-8: add a charset to its Content-Type (e.g. charset=ISO-8859-1) or save it as UTF-8"
    )]
    UndeclaredCharset,
    #[error("the e-mail has no text part to review (only attachments or an empty body)")]
    NoText,
    #[error(
        "no recognisable speakers: expected \"Name: text\" lines, WebVTT voice tags (<v Name>) or SRT cues starting with \"Name:\""
    )]
    NoSpeakers,
    #[error("--me \"{given}\" is not a speaker in this transcript: speakers are {speakers}")]
    UnknownSpeaker { given: String, speakers: String },
    #[error("is a directory: give the files in it (for example dir/*.eml)")]
    Directory,
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
            InputError::UndeclaredCharset,
            InputError::NoSpeakers,
            InputError::UnknownSpeaker { given: "Bob".into(), speakers: "Ann, Carl".into() },
            InputError::Directory,
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
}
