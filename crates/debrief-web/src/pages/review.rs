//! Message review: paste an e-mail or a call transcript, get the score with
//! its parts, each line of the text with its findings under it, and the
//! benefit and feature sentences marked, with a text tag so colour is not needed.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use debrief_app::FieldError;
use debrief_app::review::{FindingView, MeView, MessageView, ReviewView};
use debrief_core::critique::Kind;
use serde::Deserialize;

use super::annotate::{Line, annotate};
use super::errors::FieldErrors;
use super::log::Choice;
use super::{Layout, render};
use crate::extract::{CurrentRep, FormBody};
use crate::review::{self, ReviewRequest};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/review", get(blank).post(submit))
}

/// The form as submitted, kept as typed.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ReviewForm {
    text: String,
    kind: String,
    me: String,
}

impl ReviewForm {
    fn is_kind(&self, value: &str) -> bool {
        self.kind == value || (self.kind.is_empty() && value == "detect")
    }
}

const KINDS: &[Choice] = &[
    Choice { value: "detect", label: "Detect" },
    Choice { value: "message", label: "E-mail" },
    Choice { value: "transcript", label: "Call transcript" },
];

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    layout: Layout,
    form: ReviewForm,
    kinds: &'static [Choice],
    errors: FieldErrors,
    result: Option<Reviewed>,
}

/// What the page shows of a review.
struct Reviewed {
    kind: &'static str,
    score: u8,
    parts: Vec<(String, String)>,
    facts: Vec<(&'static str, String)>,
    /// Name, words, turns, share of the words.
    speakers: Vec<[String; 4]>,
    /// Findings about the whole text rather than a line of it.
    general: Vec<FindingView>,
    /// How the text was read: what was left out, how it was decoded.
    notes: Vec<String>,
    findings: usize,
    lines: Vec<Line>,
    benefits: usize,
    features: usize,
}

impl Reviewed {
    fn new(text: &str, v: ReviewView) -> Reviewed {
        let (lines, general) = annotate(text, &v.findings, &v.sentences);
        let count = |class: &str| v.sentences.iter().filter(|s| s.class == class).count();
        Reviewed {
            kind: if v.kind == "transcript" { "call transcript" } else { "e-mail" },
            score: v.score,
            parts: v.parts.iter().map(|p| (part_label(p.name), format!("{:.0} of {:.0}", p.points, p.max))).collect(),
            facts: match (&v.message, &v.me) {
                (Some(m), _) => message_facts(m),
                (None, Some(me)) => me_facts(me),
                (None, None) => Vec::new(),
            },
            speakers: v
                .speakers
                .iter()
                .flatten()
                .map(|s| [s.name.clone(), s.words.to_string(), s.turns.to_string(), percent(s.share)])
                .collect(),
            general,
            notes: v.notes.iter().map(|n| n.message.clone()).collect(),
            findings: v.findings.len(),
            lines,
            benefits: count("benefit"),
            features: count("feature"),
        }
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn part_label(name: &str) -> String {
    let label = match name {
        "benefits" => "Benefits over features",
        "focus" => "Focus on the reader",
        "cta" => "Call to action",
        "urgency" => "Reason to act now",
        "readability" => "Readability",
        "subject" => "Subject line",
        "questions" => "Questions",
        "talk" => "Talk-to-listen",
        "monologue" => "Longest monologue",
        "next_step" => "Next step agreed",
        "fillers" => "Filler words",
        other => return other.replace('_', " "),
    };
    label.to_string()
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

fn message_facts(m: &MessageView) -> Vec<(&'static str, String)> {
    let ctas = if m.calls_to_action.is_empty() { "none".to_string() } else { m.calls_to_action.join(", ") };
    vec![
        ("Subject", m.subject.clone().unwrap_or_else(|| "none".into())),
        ("Words", m.words.to_string()),
        ("Sentences", format!("{} (longest {} words)", m.sentences, m.longest_sentence_words)),
        ("Reading ease (Flesch)", m.flesch.map_or_else(|| "not enough text".into(), |f| format!("{f:.0}"))),
        ("“You” against “we”", format!("{} against {}", m.you, m.we)),
        ("Questions", m.questions.to_string()),
        ("Calls to action", ctas),
        ("Reason to act now", yes_no(m.urgency)),
    ]
}

fn me_facts(me: &MeView) -> Vec<(&'static str, String)> {
    let how = match me.guessed {
        None => "as you said".to_string(),
        Some(why) => format!("guessed: {} {why}; not you? say which one is you above", me.name),
    };
    let secs = me.longest_monologue_seconds.map(|s| format!(", {s:.0} s")).unwrap_or_default();
    let fillers: Vec<String> = me.fillers.iter().map(|(w, n)| format!("“{w}” {n}")).collect();
    vec![
        ("You are", format!("{} ({how})", me.name)),
        ("Your share of the words", percent(me.word_share)),
        (
            "Talk-to-listen ratio",
            me.talk_listen_ratio.map_or_else(|| "no one else spoke".into(), |r| format!("{r:.1}")),
        ),
        ("Questions you asked", me.questions.to_string()),
        ("Longest monologue", format!("{} words{secs}", me.longest_monologue_words)),
        ("Next step agreed", yes_no(me.next_step_agreed)),
        (
            "Filler words",
            if fillers.is_empty() { "none".into() } else { format!("{} ({})", me.filler_words, fillers.join(", ")) },
        ),
    ]
}

/// The fields of the form, in page order (where an error without a field goes).
const FIELDS: &[&str] = &["text", "kind", "me"];

fn page(rep: &CurrentRep, form: ReviewForm, errors: FieldErrors, result: Option<Reviewed>) -> Response {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page =
        ReviewPage { layout: Layout::new("Review a message", "/review", rep), form, kinds: KINDS, errors, result };
    render(status, &page)
}

async fn blank(rep: CurrentRep) -> Response {
    page(&rep, ReviewForm::default(), FieldErrors::default(), None)
}

async fn submit(State(state): State<AppState>, rep: CurrentRep, FormBody(form): FormBody<ReviewForm>) -> Response {
    // Browsers send a textarea's lines with CRLF; lines are counted the same either way.
    let text = form.text.replace("\r\n", "\n");
    let mut errors = FieldErrors::default();
    let kind = match form.kind.as_str() {
        "" | "detect" => Some(None),
        "message" => Some(Some(Kind::Message)),
        "transcript" => Some(Some(Kind::Transcript)),
        _ => errors.take(Err(FieldError::new("kind", "pick e-mail, call transcript or detect"))),
    };
    let me = Some(form.me.trim()).filter(|me| !me.is_empty());
    let me = errors.take(me.map(|me| debrief_app::input::name("me", "speaker", me)).transpose());
    let (Some(kind), Some(me)) = (kind, me) else {
        return page(&rep, form, errors, None);
    };
    let req = ReviewRequest { name: "-".into(), text: text.clone(), kind, me };
    match review::run(&state, req).await {
        Ok(view) => page(&rep, form, errors, Some(Reviewed::new(&text, view))),
        Err(e) => page(&rep, form, FieldErrors::from(on_form(e)), None),
    }
}

/// The error placed on a field of this form.
fn on_form(e: FieldError) -> FieldError {
    if FIELDS.contains(&e.field) { e } else { FieldError::new("text", e.message) }
}
