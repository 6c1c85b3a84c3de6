//! Bytes to text for files that declare no charset: binary sniffing, byte
//! order marks (UTF-8, UTF-16), and a precise error for anything else.
//!
//! Plain text, WebVTT, SRT and speaker-line files have no way to declare a
//! charset, so they must be UTF-8 (WebVTT requires it) or carry a UTF-16
//! byte order mark. Guessing Latin-1 would silently garble names, so a file
//! that is neither gets an error naming the first bad byte and its place.

use super::error::InputError;

/// Signatures of common binary formats people mistake for text.
const MAGIC: &[(&[u8], &str)] = &[
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"\xD0\xCF\x11\xE0", "an old Office document"),
    (b"\x7FELF", "a program"),
    (b"ID3", "an MP3 recording"),
    (b"OggS", "an Ogg recording"),
    (b"RIFF", "a WAV or AVI file"),
];

/// How much of the start of a file is sniffed for binary content.
const SNIFF: usize = 8192;

/// Fails with [`InputError::Binary`] when `bytes` look like a binary file:
/// a known signature, a NUL byte, or many control characters near the start.
pub fn reject_binary(bytes: &[u8]) -> Result<(), InputError> {
    if let Some((_, what)) = MAGIC.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Err(binary(format!("looks like {what}")));
    }
    if utf16_bom(bytes).is_some() {
        return Ok(());
    }
    let head = &bytes[..bytes.len().min(SNIFF)];
    if let Some(at) = head.iter().position(|&b| b == 0) {
        return Err(binary(format!("NUL byte at offset {at}")));
    }
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)).count();
    if controls * 10 > head.len() {
        return Err(binary(format!("{controls} control bytes in the first {} bytes", head.len())));
    }
    Ok(())
}

fn binary(what: String) -> InputError {
    InputError::Binary { what }
}

/// Decodes a file that declares no charset: UTF-8 (a BOM is dropped) or
/// UTF-16 with a BOM. Whitespace-only input is [`InputError::Empty`].
pub fn decode_text(bytes: &[u8]) -> Result<String, InputError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    reject_binary(bytes)?;
    let text = match utf16_bom(bytes) {
        Some(big_endian) => decode_utf16(&bytes[2..], big_endian)?,
        None => decode_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))?,
    };
    if text.trim().is_empty() {
        return Err(InputError::Empty);
    }
    Ok(text)
}

/// `Some(true)` for a big-endian UTF-16 BOM, `Some(false)` for little-endian.
fn utf16_bom(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFE, 0xFF, ..] => Some(true),
        [0xFF, 0xFE, ..] => Some(false),
        _ => None,
    }
}

fn decode_utf8(bytes: &[u8]) -> Result<String, InputError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => Err(not_utf8(bytes, e.valid_up_to())),
    }
}

/// The error for the invalid byte at `at`, with its line and column.
fn not_utf8(bytes: &[u8], at: usize) -> InputError {
    let before = String::from_utf8_lossy(&bytes[..at]);
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    InputError::NotUtf8 { byte: bytes[at], line, col }
}

fn decode_utf16(bytes: &[u8], big_endian: bool) -> Result<String, InputError> {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| {
            let pair = [c[0], c.get(1).copied().unwrap_or(0)];
            if big_endian { u16::from_be_bytes(pair) } else { u16::from_le_bytes(pair) }
        })
        .collect();
    String::from_utf16(&units).map_err(|_| binary("UTF-16 with unpaired surrogates".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        assert_eq!(decode_text("Grüße".as_bytes()).unwrap(), "Grüße");
        assert_eq!(decode_text(b"\xEF\xBB\xBFHi").unwrap(), "Hi");
    }

    #[test]
    fn decodes_utf16_with_bom() {
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("Hé".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode_text(&le).unwrap(), "Hé");
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("Hé".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode_text(&be).unwrap(), "Hé");
    }

    #[test]
    fn undeclared_latin1_says_where() {
        let err = decode_text(b"Hello\nCaf\xE9 au lait").unwrap_err();
        assert_eq!(err, InputError::NotUtf8 { byte: 0xE9, line: 2, col: 4 });
    }

    #[test]
    fn empty_and_blank_are_empty() {
        assert_eq!(decode_text(b""), Err(InputError::Empty));
        assert_eq!(decode_text(b" \r\n\t"), Err(InputError::Empty));
        assert_eq!(decode_text(b"\xEF\xBB\xBF\n"), Err(InputError::Empty));
    }

    #[test]
    fn binary_is_named() {
        for (bytes, part) in [
            (&b"%PDF-1.7\n..."[..], "PDF"),
            (&b"PK\x03\x04\x14\x00"[..], "ZIP"),
            (&b"abc\x00def"[..], "NUL byte at offset 3"),
            (&b"\x01\x02\x03\x04\x05abc"[..], "control bytes"),
        ] {
            let err = decode_text(bytes).unwrap_err().to_string();
            assert!(err.contains(part), "{err}");
        }
    }
}
