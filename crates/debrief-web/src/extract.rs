//! Extractors that answer malformed input in our error format (never axum's
//! plain-text rejections), and [`CurrentRep`], the signed-in rep.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use debrief_app::RepName;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;

/// The rep the request acts for. A single-user server acts for the rep it
/// was started with; accounts will change only this extractor.
#[derive(Clone, Debug)]
pub struct CurrentRep(pub Arc<RepName>);

impl CurrentRep {
    pub fn name(&self) -> &RepName {
        &self.0
    }
}

impl FromRequestParts<AppState> for CurrentRep {
    type Rejection = Infallible;

    async fn from_request_parts(_parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(CurrentRep(state.rep.clone()))
    }
}

/// A JSON body: 415 without a JSON content type, 413 over the size limit,
/// 400 when it is not JSON, 422 (with the field's path) when a value is wrong.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !has_content_type(req.headers(), is_json) {
            return Err(unsupported("application/json"));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| body_error(e.status()))?;
        parse_json(&bytes).map(ApiJson)
    }
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => data_error(&path, plain_types(&inner.to_string())),
            _ => {
                ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("the body is not valid JSON: {inner}"))
            }
        }
    })?;
    de.end().map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("the body is not valid JSON: {e}"))
    })?;
    Ok(value)
}

/// A query string: 422 with the parameter's name when a value is wrong.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parse_urlencoded(parts.uri.query().unwrap_or_default().as_bytes()).map(ApiQuery)
    }
}

/// Decodes `application/x-www-form-urlencoded` text (a query or a form body);
/// a name or value that is not UTF-8 once percent-decoded is refused, never
/// read with replacement characters.
pub fn parse_urlencoded<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    check_utf8(bytes)?;
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(bytes));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        match (path.as_str(), missing_field(&message)) {
            (".", None) => ApiError::bad_request(format!("the parameters cannot be read: {message}")),
            (".", Some(field)) => ApiError::bad_request(message.clone()).with_field(field),
            _ => {
                let typed = form_urlencoded::parse(bytes).find(|(k, _)| *k == path).map(|(_, v)| v.into_owned());
                let message = explained(&message, typed.as_deref());
                ApiError::invalid(path, message)
            }
        }
    })
}

/// A value the parser refused, said in words: serde's "invalid digit found
/// in string" becomes `"abc" is not a whole number: give one like 5`, and a
/// Rust type name in "expected u32" becomes "a whole number".
fn explained(message: &str, typed: Option<&str>) -> String {
    const WHOLE: [&str; 4] = [
        "invalid digit found in string",
        "cannot parse integer from empty string",
        "number too large to fit in target type",
        "number too small to fit in target type",
    ];
    let echo = debrief_app::input::echo;
    match typed {
        Some(v) if WHOLE.contains(&message) => format!("\"{}\" is not a whole number: give one like 5", echo(v)),
        Some(v) if message == "invalid float literal" => format!("\"{}\" is not a number: give one like 0.5", echo(v)),
        _ => plain_types(message),
    }
}

/// serde's message in words: a Rust type name ("expected u32", "expected
/// struct ReasonBody") becomes what to send ("expected a whole number",
/// "expected an object { … }"), and a string value is echoed shortened.
fn plain_types(message: &str) -> String {
    // serde_json ends its messages with where the value stood.
    let (message, place) = match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => message.split_at(at),
        _ => (message, ""),
    };
    format!("{}{place}", in_words(message))
}

/// [`plain_types`] of a message without its place.
fn in_words(message: &str) -> String {
    if let Some((got, expected)) = message.strip_prefix("invalid type: ").and_then(|m| m.rsplit_once(", expected ")) {
        let got = match got.strip_prefix("string \"").and_then(|g| g.strip_suffix('"')) {
            Some(text) => format!("the text \"{}\"", debrief_app::input::echo(text)),
            None => match got {
                "map" => "an object".to_string(),
                "sequence" => "a list".to_string(),
                other => other.to_string(),
            },
        };
        return format!("got {got}, expected {}", expected_in_words(expected));
    }
    match message.rsplit_once(", expected ") {
        Some((head, expected)) => format!("{head}, expected {}", expected_in_words(expected)),
        None => message.to_string(),
    }
}

/// What serde expected, in words rather than a Rust type's name.
fn expected_in_words(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a string" => "text in quotes",
        "a sequence" => "a list [ … ]",
        "a boolean" => "true or false",
        "a map" => "an object { … }",
        e if e.starts_with("struct ") => "an object { … }",
        e => e,
    }
    .to_string()
}

/// 400 naming the first name or value that is not UTF-8 after percent-decoding.
fn check_utf8(bytes: &[u8]) -> Result<(), ApiError> {
    for pair in bytes.split(|b| *b == b'&') {
        let mut parts = pair.splitn(2, |b| *b == b'=');
        let name = percent_decoded(parts.next().unwrap_or_default());
        let value = percent_decoded(parts.next().unwrap_or_default());
        let Ok(name) = String::from_utf8(name) else {
            return Err(ApiError::bad_request("a field name is not valid UTF-8 text: send the text as UTF-8"));
        };
        if std::str::from_utf8(&value).is_err() {
            let message = format!(
                "the value of \"{}\" is not valid UTF-8 text: send the text as UTF-8",
                debrief_app::input::echo(&name)
            );
            return Err(ApiError::bad_request(message).with_field(name));
        }
    }
    Ok(())
}

/// The bytes `+` and `%XX` escapes stand for; a `%` not followed by two hex digits stays as it is.
fn percent_decoded(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut rest = input;
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        match b {
            b'+' => out.push(b' '),
            b'%' => match (tail.first().copied().and_then(hex), tail.get(1).copied().and_then(hex)) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    rest = tail.get(2..).unwrap_or_default();
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    char::from(b).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// A value of the wrong shape: 422 on the field's path, or on the missing field.
fn data_error(path: &str, message: String) -> ApiError {
    let field = match path {
        "." => missing_field(&message),
        p => Some(p.to_string()),
    };
    let e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message);
    match field {
        Some(f) => e.with_field(f),
        None => e,
    }
}

/// `client` from serde's "missing field `client`".
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_string())
}

/// A contact id from the path; anything but a whole number is a contact that does not exist.
pub struct ContactId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ContactId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Path(raw) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::not_found("no such contact: ids are whole numbers like 12"))?;
        raw.parse()
            .map(ContactId)
            .map_err(|_| ApiError::not_found(format!("no contact \"{raw}\": ids are whole numbers like 12")))
    }
}

/// A submitted HTML form (`application/x-www-form-urlencoded`).
pub struct FormBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for FormBody<T> {
    type Rejection = crate::pages::PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !has_content_type(req.headers(), |m| m == "application/x-www-form-urlencoded") {
            return Err(unsupported("application/x-www-form-urlencoded").into());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| body_error(e.status()))?;
        Ok(FormBody(parse_urlencoded(&bytes)?))
    }
}

fn has_content_type(headers: &HeaderMap, wanted: impl Fn(&str) -> bool) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mime = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    wanted(&mime)
}

fn is_json(mime: &str) -> bool {
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

fn unsupported(wanted: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        format!("the body must be sent as Content-Type: {wanted}"),
    )
}

fn body_error(status: StatusCode) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        let limit = crate::BODY_LIMIT / 1024;
        return ApiError::new(status, "payload_too_large", format!("the body is too large: at most {limit} KiB"));
    }
    ApiError::bad_request("the body could not be read")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Q {
        limit: Option<u32>,
    }

    #[test]
    fn bad_values_name_their_field() {
        let e = parse_json::<Q>(br#"{"limit": "x"}"#).unwrap_err();
        assert_eq!((e.status, e.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("limit")));
        let e = parse_json::<Q>(b"{").unwrap_err();
        assert_eq!((e.status, e.code), (StatusCode::BAD_REQUEST, "malformed_json"));
        let e = parse_json::<Q>(b"{} {}").unwrap_err();
        assert_eq!(e.code, "malformed_json");
        let e = parse_urlencoded::<Q>(b"limit=abc").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("limit"));
        assert_eq!(e.message, "\"abc\" is not a whole number: give one like 5");
        let e = parse_urlencoded::<Q>(b"limit=-3").unwrap_err();
        assert_eq!(e.message, "\"-3\" is not a whole number: give one like 5");
        let e = parse_json::<Q>(br#"{"limit": "x"}"#).unwrap_err();
        assert_eq!(e.message, "got the text \"x\", expected a whole number at line 1 column 13");
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Body {
            reasons: Vec<Q>,
        }
        let long = "a".repeat(500);
        let e = parse_json::<Body>(format!(r#"{{"reasons": ["{long}"]}}"#).as_bytes()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("reasons[0]"));
        assert!(
            e.message
                .starts_with(&format!("got the text \"{}…\", expected an object {{ … }} at line 1", "a".repeat(40)))
        );
        let e = parse_json::<Body>(br#"{"reasons": {"text": "x"}}"#).unwrap_err();
        assert_eq!(e.message, "got an object, expected a list [ … ] at line 1 column 12");
        assert_eq!(parse_urlencoded::<Q>(b"").unwrap().limit, None);
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_not_replaced() {
        for bad in [&b"limit=%FF"[..], b"limit=%C3", b"limit=\xff", b"li%80mit=1"] {
            let e = parse_urlencoded::<Q>(bad).unwrap_err();
            assert_eq!((e.status, e.code), (StatusCode::BAD_REQUEST, "bad_request"), "{bad:?}");
            assert!(e.message.contains("UTF-8") && !e.message.contains('\n'), "{}", e.message);
        }
        assert_eq!(parse_urlencoded::<Q>(b"limit=%31%32").unwrap().limit, Some(12));
        assert_eq!(percent_decoded(b"a+b%20c%e2%82%ac%zz%4"), "a b c€%zz%4".as_bytes());
    }
}
