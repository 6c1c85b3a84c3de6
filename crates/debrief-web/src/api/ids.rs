//! Ids in paths, and the schemas of the keyword values of the later loop
//! steps (how a mistake was owned, a mishap's kind, a recovery step): the
//! values are read as text and parsed by the application's checked
//! constructors; the documented enums list the domain's own words.

use std::borrow::Cow;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use debrief_core::mishap::{MishapKind, Step};
use debrief_core::ownership::How;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::error::ApiError;

/// The `{id}` of a path, as typed; [`RawId::parse`] reads it as a whole number.
pub struct RawId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RawId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::not_found("no such item: ids are whole numbers like 12"))?;
        Ok(RawId(raw))
    }
}

impl RawId {
    /// The id, or 404 naming `what` ("follow-up", "ownership item", "recovery").
    pub fn parse(&self, what: &str) -> Result<i64, ApiError> {
        self.0
            .parse()
            .map_err(|_| ApiError::not_found(format!("no {what} \"{}\": ids are whole numbers like 12", self.0)))
    }
}

macro_rules! keyword_param {
    ($param:ident, $inner:ty, $name:literal, $description:literal) => {
        #[doc = $description]
        pub enum $param {}

        impl PartialSchema for $param {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(<$inner>::ALL.iter().map(|v| v.as_str())))
                    .description(Some($description))
                    .into()
            }
        }

        impl ToSchema for $param {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

keyword_param!(HowParam, How, "How", "How the rep owned up: `call`, `email` or `in-person`.");
keyword_param!(
    MishapKindParam,
    MishapKind,
    "MishapKind",
    "What went wrong: `late`, `missed-meeting`, `system-failure` or `other`."
);
keyword_param!(
    StepParam,
    Step,
    "Step",
    "A step of the recovery checklist: `told-ahead`, `apologized`, `plan`, `accepted`, `resolved`, `asked-advice`."
);
