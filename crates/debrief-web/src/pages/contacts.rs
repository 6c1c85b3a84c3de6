//! Contacts: a filtered, paged list; one contact's detail; editing; deleting
//! after a confirmation.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use debrief_app::input::{EditRequest, ListRequest, RawList, RawRefile, RefileRequest};
use debrief_app::views::{ContactView, RefiledView};
use serde::Deserialize;

use super::errors::{FieldErrors, number, same_name};
use super::form::{FIRST_FIELD, LogForm};
use super::log::{Choice, Vocabulary, channels, outcomes};
use super::{Layout, PageError, query, render, see_other};
use crate::error::ApiError;
use crate::extract::{ContactId, CurrentRep, FormBody};
use crate::state::AppState;

/// Contacts per page of the list (this page's choice; the application checks it like any request).
const PAGE: u32 = 20;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contacts", get(list))
        .route("/contacts/{id}", get(show))
        .route("/contacts/{id}/edit", get(edit_form).post(edit))
        .route("/contacts/{id}/delete", get(confirm_delete).post(delete))
        .route("/contacts/{id}/refile", axum::routing::post(refile))
}

#[derive(Clone, Default, Deserialize)]
#[serde(default)]
struct Filters {
    week: String,
    outcome: String,
    reason: String,
    offset: String,
    deleted: String,
}

impl Filters {
    /// The filter the list asks the app for, or the messages to show next to the fields.
    fn filter(&self) -> Result<ListRequest, FieldErrors> {
        let offset = number::<u32>(&self.offset).map_err(|m| FieldErrors::one("offset", m))?;
        let raw = RawList {
            week: Some(self.week.clone()),
            outcome: Some(self.outcome.clone()),
            reason: Some(self.reason.clone()),
            limit: Some(PAGE),
            offset,
        };
        ListRequest::new(raw).map_err(|e| FieldErrors::placed(&e, same_name))
    }

    /// The query string of this list at another offset.
    fn at_offset(&self, offset: u64) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("week", &self.week), ("outcome", &self.outcome), ("reason", &self.reason)] {
            if !v.trim().is_empty() {
                q.append_pair(k, v);
            }
        }
        q.append_pair("offset", &offset.to_string());
        format!("/contacts?{}", q.finish())
    }

    fn is_outcome(&self, o: &str) -> bool {
        self.outcome == o
    }

    /// The contact just deleted, when the redirect after a deletion says so.
    fn deleted_id(&self) -> Option<i64> {
        self.deleted.parse().ok()
    }
}

#[derive(Template)]
#[template(path = "contacts.html")]
struct ListPage {
    layout: Layout,
    filters: Filters,
    errors: FieldErrors,
    contacts: Vec<ContactView>,
    summary: String,
    prev: Option<String>,
    next: Option<String>,
    outcomes: Vec<Choice>,
    reasons: Vec<String>,
}

async fn list(State(state): State<AppState>, rep: CurrentRep, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    let filters: Filters = query(raw)?;
    let vocabulary = Vocabulary::load(&state).await?;
    let mut page = ListPage {
        layout: Layout::new("Contacts", "/contacts", &rep),
        filters: filters.clone(),
        errors: FieldErrors::default(),
        contacts: Vec::new(),
        summary: String::new(),
        prev: None,
        next: None,
        outcomes: outcomes(),
        reasons: vocabulary.controllable.into_iter().chain(vocabulary.external).collect(),
    };
    let filter = match filters.filter() {
        Ok(f) => f,
        Err(errors) => return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &ListPage { errors, ..page })),
    };
    let found = match state.app().list(rep.name(), &filter).await {
        Ok(found) => found,
        Err(e) => {
            let errors = FieldErrors::from_app(e, same_name, "reason")?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &ListPage { errors, ..page }));
        }
    };
    let offset = u64::from(filter.offset());
    let shown = offset + found.contacts.len() as u64;
    page.summary = match found.total {
        0 => "No contacts match.".to_string(),
        total => format!("{}–{shown} of {total}", (offset + 1).min(shown)),
    };
    page.prev = (offset > 0).then(|| filters.at_offset(offset.saturating_sub(PAGE.into())));
    page.next = (shown < found.total).then(|| filters.at_offset(offset + u64::from(PAGE)));
    page.contacts = found.contacts;
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "contact.html")]
struct DetailPage {
    layout: Layout,
    contact: ContactView,
    /// What a re-file just did, with its undo.
    refiled: Option<RefiledView>,
    /// Why a re-file was refused.
    refused: Option<String>,
    /// Every reason's label, offered when choosing where a reason counts.
    labels: Vec<String>,
}

impl DetailPage {
    async fn new(state: &AppState, rep: &CurrentRep, contact: ContactView) -> Result<DetailPage, PageError> {
        let layout = Layout::new(format!("#{} {}", contact.id, contact.client), "/contacts", rep);
        let vocabulary = Vocabulary::load(state).await?;
        let labels = vocabulary.controllable.into_iter().chain(vocabulary.external).collect();
        Ok(DetailPage { layout, contact, refiled: None, refused: None, labels })
    }
}

/// A one-tap change of where a reason counts: the text as written and one of
/// `as` (a reason), `new` or `external`.
#[derive(Default, Deserialize)]
#[serde(default)]
struct RefileForm {
    text: String,
    #[serde(rename = "as")]
    as_reason: String,
    new: String,
    external: String,
}

async fn refile(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: Result<ContactId, ApiError>,
    FormBody(form): FormBody<RefileForm>,
) -> Result<Response, PageError> {
    let id = id?.0;
    let raw = RawRefile {
        contact: id,
        text: form.text,
        as_reason: Some(form.as_reason).filter(|r| !r.trim().is_empty()),
        new: !form.new.is_empty(),
        external: !form.external.is_empty(),
    };
    let result = match RefileRequest::new(raw) {
        Ok(req) => state.app().refile(&req).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(view) => {
            let mut page = DetailPage::new(&state, &rep, view.contact.clone()).await?;
            page.refiled = Some(view);
            Ok(render(StatusCode::OK, &page))
        }
        Err(e) if e.is_user_error() && !matches!(e, debrief_app::AppError::NotFound(_)) => {
            let contact = state.app().show(id).await?;
            let mut page = DetailPage::new(&state, &rep, contact).await?;
            page.refused = Some(e.to_string());
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn show(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: Result<ContactId, ApiError>,
) -> Result<Response, PageError> {
    let contact = state.app().show(id?.0).await?;
    Ok(render(StatusCode::OK, &DetailPage::new(&state, &rep, contact).await?))
}

#[derive(Template)]
#[template(path = "contact_edit.html")]
struct EditPage {
    layout: Layout,
    contact: ContactView,
    form: LogForm,
    errors: FieldErrors,
    outcomes: Vec<Choice>,
    channels: Vec<Choice>,
    vocabulary: Vocabulary,
}

async fn edit_page(
    state: &AppState,
    rep: &CurrentRep,
    status: StatusCode,
    contact: ContactView,
    form: LogForm,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let page = EditPage {
        layout: Layout::new(format!("Edit #{}", contact.id), "/contacts", rep),
        contact,
        form,
        errors,
        outcomes: outcomes(),
        channels: channels(),
        vocabulary: Vocabulary::load(state).await?,
    };
    Ok(render(status, &page))
}

async fn edit_form(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: Result<ContactId, ApiError>,
) -> Result<Response, PageError> {
    let contact = state.app().show(id?.0).await?;
    let form = LogForm::from_contact(&contact);
    edit_page(&state, &rep, StatusCode::OK, contact, form, FieldErrors::default()).await
}

async fn edit(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: Result<ContactId, ApiError>,
    FormBody(form): FormBody<LogForm>,
) -> Result<Response, PageError> {
    let contact = state.app().show(id?.0).await?;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let (raw, slots) = form.raw_edit(contact.id);
    let patch = match EditRequest::new(raw, &state.app().context()) {
        Ok(p) => p,
        Err(e) => {
            let errors = FieldErrors::placed(&e, |f| slots.place(f));
            return edit_page(&state, &rep, unprocessable, contact, form, errors).await;
        }
    };
    match state.app().edit(patch).await {
        Ok(saved) => Ok(see_other(&format!("/contacts/{}", saved.id))),
        Err(e) => {
            let errors = FieldErrors::from_app(e, |f| slots.place(f), FIRST_FIELD)?;
            edit_page(&state, &rep, unprocessable, contact, form, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "contact_delete.html")]
struct DeletePage {
    layout: Layout,
    contact: ContactView,
}

async fn confirm_delete(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: Result<ContactId, ApiError>,
) -> Result<Response, PageError> {
    let contact = state.app().show(id?.0).await?;
    let layout = Layout::new(format!("Delete #{}?", contact.id), "/contacts", &rep);
    Ok(render(StatusCode::OK, &DeletePage { layout, contact }))
}

async fn delete(State(state): State<AppState>, id: Result<ContactId, ApiError>) -> Result<Response, PageError> {
    let id = id?.0;
    state.app().delete(id).await?;
    Ok(see_other(&format!("/contacts?deleted={id}")))
}
