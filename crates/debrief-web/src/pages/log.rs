//! Logging a contact: one screen with big outcome buttons, reason fields that
//! suggest existing reasons while typing, and after saving the same next-step
//! line as the CLI.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use debrief_app::input::{LogRequest, RawSuggest, SuggestRequest};
use debrief_app::views::{Filing, LogView, LoggedReasonView, ordinal};
use debrief_core::model::{Channel, Outcome};
use serde::Deserialize;

use super::errors::FieldErrors;
use super::form::{FIRST_FIELD, LogForm};
use super::{Layout, NavItem, PageError, query, render};
use crate::extract::{CurrentRep, FormBody};
use crate::state::AppState;
use debrief_app::calendar::MeetingView;

/// Suggestions shown under a reason field (this page's choice; the application checks it like any request).
const SUGGESTIONS: u32 = 3;

pub fn routes() -> Router<AppState> {
    Router::new().route("/log", get(blank).post(save)).route("/log/suggest", get(suggest))
}

/// A choice of a radio group or select: the value sent and the words shown.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

pub fn outcomes() -> Vec<Choice> {
    Outcome::ALL
        .iter()
        .map(|o| Choice {
            value: o.as_str(),
            label: match o {
                Outcome::Won => "Won",
                Outcome::Lost => "Lost",
                Outcome::Advanced => "Advanced",
                Outcome::NoAnswer => "No answer",
                Outcome::NoShow => "No-show",
                Outcome::Pending => "Pending",
            },
        })
        .collect()
}

pub fn channels() -> Vec<Choice> {
    Channel::ALL
        .iter()
        .map(|c| Choice {
            value: c.as_str(),
            label: match c {
                Channel::Call => "Call",
                Channel::Visit => "Visit",
                Channel::Meeting => "Meeting",
                Channel::OnlineMeeting => "Online meeting",
                Channel::Email => "Email",
                Channel::Message => "Message",
            },
        })
        .collect()
}

/// The labels offered while typing, by kind (`<datalist>`, works without script).
pub struct Vocabulary {
    pub controllable: Vec<String>,
    pub external: Vec<String>,
    /// The rep's recent clients (only where a new contact is logged).
    pub clients: Vec<String>,
}

impl Vocabulary {
    pub async fn load(state: &AppState) -> Result<Vocabulary, PageError> {
        let all = state.app().vocabulary().await?;
        let labels = |c: bool| all.iter().filter(|v| v.controllable == c).map(|v| v.reason.clone()).collect();
        Ok(Vocabulary { controllable: labels(true), external: labels(false), clients: Vec::new() })
    }
}

#[derive(Template)]
#[template(path = "log.html")]
struct LogPage {
    layout: Layout,
    form: LogForm,
    errors: FieldErrors,
    saved: Option<Saved>,
    outcomes: Vec<Choice>,
    channels: Vec<Choice>,
    vocabulary: Vocabulary,
    /// "It affected the client": each controllable reason opens an ownership item.
    affected_client: bool,
    /// The page the rep came from, offered once the contact is saved.
    back: Option<&'static NavItem>,
    /// The calendar meeting this contact debriefs.
    meeting: Option<MeetingView>,
}

/// The log form with its "It affected the client" box and the page to go back to.
#[derive(Deserialize)]
struct LogPost {
    #[serde(flatten)]
    form: LogForm,
    #[serde(default)]
    affected_client: String,
    #[serde(default)]
    back: String,
    /// The calendar meeting this contact debriefs (its id).
    #[serde(default)]
    meeting: String,
}

/// `?back=/agenda`: the page the rep came from; `?meeting=12`: the calendar
/// meeting to debrief, which fills in the client, time and channel.
#[derive(Default, Deserialize)]
#[serde(default)]
struct LogParams {
    back: String,
    meeting: String,
}

/// What the page says after a contact was saved.
struct Saved {
    id: i64,
    next_step: String,
    reasons: Vec<SavedReason>,
}

/// One line about a saved reason, with the one-tap changes of where it counts.
struct SavedReason {
    line: String,
    text: String,
    choices: Vec<RefileChoice>,
}

/// A button that re-files a reason: the form field it sets and the words on it.
pub(crate) struct RefileChoice {
    pub field: &'static str,
    pub value: String,
    pub label: String,
}

impl Saved {
    fn new(view: &LogView) -> Saved {
        let reasons = view.reasons.iter().filter_map(|r| {
            Some(SavedReason { line: reason_line(r)?, text: r.text.clone(), choices: refile_choices(r) })
        });
        let recurred = view.recurred.iter().map(|line| SavedReason {
            line: line.clone(),
            text: String::new(),
            choices: Vec::new(),
        });
        Saved { id: view.contact.id, next_step: view.next_step.clone(), reasons: reasons.chain(recurred).collect() }
    }
}

/// The changes worth one tap after a filing: another reason when unsure or
/// kept new, the words as their own reason, outside the rep's control.
fn refile_choices(r: &LoggedReasonView) -> Vec<RefileChoice> {
    let choice = |field, value: &str, label: String| RefileChoice { field, value: value.to_string(), label };
    let outside = || choice("external", "on", "Outside my control".to_string());
    let other = |label: &str| r.runner_up.as_deref().map(|o| choice("as", o, format!("{label} “{o}”")));
    match r.matched {
        Filing::New if r.kept_apart && r.controllable => vec![outside()],
        Filing::New if r.kept_apart => other("It was mine:").into_iter().collect(),
        Filing::New => other("Count as").into_iter().collect(),
        _ if r.text == r.reason && r.certain => Vec::new(),
        _ => {
            let mut choices: Vec<RefileChoice> = other("No, it's").filter(|_| !r.certain).into_iter().collect();
            choices.push(choice("new", "on", "Keep my words as a new reason".to_string()));
            if r.controllable {
                choices.push(outside());
            }
            choices
        }
    }
}

/// How a reason was filed, when there is more to say than the next-step line
/// (which already says how often it came up this week): `None` for a reason
/// written as its own label.
fn reason_line(r: &LoggedReasonView) -> Option<String> {
    let counted = match r.matched {
        Filing::New if r.kept_apart && r.controllable => format!(
            "“{}” reads as outside your control: it is kept as written, not counted as a mistake of yours",
            r.text
        ),
        Filing::New if r.kept_apart => {
            format!("“{}” reads as something you could control: it is kept as written, apart", r.text)
        }
        Filing::New => format!("“{}” is a new reason in your vocabulary", r.text),
        _ if r.text == r.reason && r.certain => return None,
        _ => format!("“{}” counts as “{}”", r.text, r.reason),
    };
    Some(format!("{counted}."))
}

/// What the log page shows besides the vocabulary: the form as typed, its
/// errors, what was just saved, and the page to go back to.
#[derive(Default)]
struct Shown {
    form: LogForm,
    errors: FieldErrors,
    saved: Option<Saved>,
    affected_client: bool,
    back: String,
    meeting: Option<MeetingView>,
}

async fn page(state: &AppState, rep: &CurrentRep, status: StatusCode, shown: Shown) -> Result<Response, PageError> {
    let back = super::destination(&shown.back).filter(|item| item.href != "/log");
    let page = LogPage {
        back,
        layout: Layout::new("Log a contact", "/log", rep),
        form: shown.form,
        errors: shown.errors,
        saved: shown.saved,
        outcomes: outcomes(),
        channels: channels(),
        vocabulary: Vocabulary {
            clients: state.app().recent_clients(rep.name()).await?,
            ..Vocabulary::load(state).await?
        },
        affected_client: shown.affected_client,
        meeting: shown.meeting,
    };
    Ok(render(status, &page))
}

async fn blank(State(state): State<AppState>, rep: CurrentRep, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    let params: LogParams = query(raw)?;
    let meeting = meeting_of(&state, &rep, &params.meeting).await?;
    let mut form = LogForm::default();
    if let Some(m) = &meeting {
        form.client = m.client.clone();
        form.channel = "meeting".to_string();
        form.at = m.start.get(..16).unwrap_or(&m.start).replace('T', " ");
    }
    page(&state, &rep, StatusCode::OK, Shown { form, back: params.back, meeting, ..Shown::default() }).await
}

/// The rep's meeting named by `id` (blank: none).
async fn meeting_of(state: &AppState, rep: &CurrentRep, id: &str) -> Result<Option<MeetingView>, PageError> {
    if id.trim().is_empty() {
        return Ok(None);
    }
    let id = crate::api::ids::RawId(id.trim().to_string()).parse("meeting")?;
    Ok(Some(state.app().meeting(rep.name(), id).await?))
}

async fn save(
    State(state): State<AppState>,
    rep: CurrentRep,
    FormBody(post): FormBody<LogPost>,
) -> Result<Response, PageError> {
    let (form, affected_client, back) = (post.form, !post.affected_client.is_empty(), post.back);
    let meeting = meeting_of(&state, &rep, &post.meeting).await?;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let (raw, slots) = form.raw_log(affected_client);
    let req = match LogRequest::new(raw, &state.app().context()) {
        Ok(req) => req,
        Err(e) => {
            let errors = FieldErrors::placed(&e, |f| slots.place(f));
            let shown = Shown { form, errors, saved: None, affected_client, back, meeting };
            return page(&state, &rep, unprocessable, shown).await;
        }
    };
    let logged = match &meeting {
        Some(m) => state.app().log_meeting(rep.name(), m.id, req).await,
        None => state.app().log(rep.name(), req).await,
    };
    match logged {
        Ok(view) => {
            let shown = Shown { saved: Some(Saved::new(&view)), back, ..Shown::default() };
            page(&state, &rep, StatusCode::OK, shown).await
        }
        Err(e) => {
            let errors = FieldErrors::from_app(e, |f| slots.place(f), FIRST_FIELD)?;
            page(&state, &rep, unprocessable, Shown { form, errors, saved: None, affected_client, back, meeting }).await
        }
    }
}

/// The reason fields whose text can be suggested, and whether each holds controllable reasons.
const SUGGEST_FIELDS: &[(&str, bool)] =
    &[("reason1", true), ("reason2", true), ("external1", false), ("external2", false)];

#[derive(Default, Deserialize)]
#[serde(default)]
struct SuggestParams {
    reason1: String,
    reason2: String,
    external1: String,
    external2: String,
}

impl SuggestParams {
    /// The first field that carries text: its name, its text, its kind.
    fn typed(&self) -> Option<(&'static str, &str, bool)> {
        let values = [&self.reason1, &self.reason2, &self.external1, &self.external2];
        SUGGEST_FIELDS
            .iter()
            .zip(values)
            .find(|(_, v)| !v.trim().is_empty())
            .map(|((field, kind), v)| (*field, v.as_str(), *kind))
    }
}

#[derive(Template)]
#[template(path = "suggest.html")]
struct SuggestFragment {
    /// The field a tapped suggestion fills.
    field: &'static str,
    items: Vec<Suggestion>,
}

struct Suggestion {
    reason: String,
    times: Option<String>,
}

/// The suggestions under a reason field (an htmx fragment).
async fn suggest(
    State(state): State<AppState>,
    rep: CurrentRep,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let params: SuggestParams = query(raw)?;
    let (field, items) = match params.typed() {
        Some((field, text, controllable)) => {
            let raw = RawSuggest { text: text.to_string(), controllable: Some(controllable), limit: Some(SUGGESTIONS) };
            let found = state.app().suggest(rep.name(), &SuggestRequest::new(raw)?).await?;
            let items = found
                .into_iter()
                .map(|s| Suggestion { reason: s.reason, times: (s.this_week >= 1).then(|| ordinal(s.this_week + 1)) })
                .collect();
            (field, items)
        }
        None => ("", Vec::new()),
    };
    Ok(render(StatusCode::OK, &SuggestFragment { field, items }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_reasons_say_how_they_were_counted() {
        let r = LoggedReasonView {
            text: "no budget q".into(),
            reason: "Didn't ask about budget".into(),
            reason_id: 2,
            controllable: true,
            matched: Filing::Matched,
            this_week: 3,
            do_differently: None,
            confidence: 0.9,
            certain: true,
            runner_up: None,
            words: vec!["budget".into()],
            kept_apart: false,
        };
        assert_eq!(reason_line(&r).unwrap(), "“no budget q” counts as “Didn't ask about budget”.");
        let new = LoggedReasonView { matched: Filing::New, this_week: 1, ..r.clone() };
        assert_eq!(reason_line(&new).unwrap(), "“no budget q” is a new reason in your vocabulary.");
        let choices = |r: &LoggedReasonView| refile_choices(r).into_iter().map(|c| c.label).collect::<Vec<_>>();
        assert_eq!(choices(&r), ["Keep my words as a new reason", "Outside my control"]);
        let unsure = LoggedReasonView { certain: false, runner_up: Some("Talked too much".into()), ..r.clone() };
        assert_eq!(choices(&unsure)[0], "No, it's “Talked too much”");
        let apart = LoggedReasonView { kept_apart: true, text: "they had no money".into(), ..new };
        assert!(reason_line(&apart).unwrap().starts_with("“they had no money” reads as outside your control"));
        assert_eq!(choices(&apart), ["Outside my control"]);
        let exact = LoggedReasonView { text: "Didn't ask about budget".into(), ..r };
        assert!(choices(&exact).is_empty(), "a reason written as its label needs no change");
        assert_eq!(reason_line(&exact), None, "nor a line: the next step says it");
    }
}
