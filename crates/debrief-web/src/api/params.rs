//! Request values shared by the API's operations: outcome and channel, read
//! as text and parsed by the application's checked constructors (so the API
//! answers a wrong word with the same message as the form and the CLI),
//! documented as enums listing the domain's own words; and the response bodies
//! the CLI prints as JSON.

use std::borrow::Cow;

use debrief_core::model::{Channel, Outcome};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// The schema of an outcome: `won`, `lost`, `advanced`, `no-answer`, `no-show`, `pending`.
pub enum OutcomeParam {}

/// The schema of a channel: `call`, `visit`, `meeting`, `online-meeting`, `email`, `message`.
pub enum ChannelParam {}

fn keywords(words: impl Iterator<Item = &'static str>, description: &str) -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(words)).description(Some(description)).into()
}

impl PartialSchema for OutcomeParam {
    fn schema() -> RefOr<Schema> {
        keywords(Outcome::ALL.iter().map(|o| o.as_str()), "How the contact ended.")
    }
}

impl ToSchema for OutcomeParam {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Outcome")
    }
}

impl PartialSchema for ChannelParam {
    fn schema() -> RefOr<Schema> {
        keywords(Channel::ALL.iter().map(|c| c.as_str()), "The way the contact happened.")
    }
}

impl ToSchema for ChannelParam {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Channel")
    }
}

/// `Some(None)` for an explicit `null`, so a PATCH can clear a field.
pub fn nullable<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// What a deletion did (the same document as `debrief delete --json`).
#[derive(Serialize, ToSchema)]
pub struct DeletedView {
    pub deleted: i64,
}

/// What a merge did (the same document as `debrief reasons merge --json`).
#[derive(Serialize, ToSchema)]
pub struct MergedView {
    /// The label of the reason merged away.
    pub merged: String,
    /// The label of the reason it now counts under.
    pub into: String,
    pub id: i64,
}

/// What a rename did (the same document as `debrief reasons rename --json`).
#[derive(Serialize, ToSchema)]
pub struct RenamedView {
    pub id: i64,
    pub reason: String,
}

/// What clearing the focus did (the same document as `debrief focus clear --json`).
#[derive(Serialize, ToSchema)]
pub struct ClearedView {
    pub cleared: bool,
}

/// The focus, set or suggested, or `null` when there is nothing to suggest yet.
#[derive(Serialize, ToSchema)]
pub struct FocusStateView {
    pub focus: Option<debrief_app::views::FocusView>,
}
