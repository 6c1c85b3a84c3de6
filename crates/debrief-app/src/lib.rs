//! The application layer: one function per user action (log, week, reasons,
//! focus, trend, contacts, demo). It reads the clock, resolves names to ids,
//! calls the domain and the store, and returns the serializable views behind
//! `--json` and the API, so every interface shares every workflow.

mod agenda;
pub mod backup;
pub mod calendar;
mod contacts;
pub mod crm;
mod daily;
mod demo;
mod error;
pub mod export;
mod filing;
pub mod import;
pub mod input;
mod log;
mod own;
mod reasons;
pub mod review;
pub mod summary;
pub mod triage;
pub mod views;
mod week;

use std::collections::HashMap;
use std::sync::Arc;

use debrief_core::daily::WorkingDays;
use debrief_core::followup::Cadences;
use debrief_core::followup::WorkingHours;
use debrief_core::model::{Reason, ReasonId, RepId};
use debrief_store::Store;
use jiff::Timestamp;
use jiff::tz::TimeZone;

pub use agenda::{AgendaView, FollowUpView, LastContactView};
pub use daily::{DailyView, StripDayView};
pub use demo::DemoOptions;
pub use error::AppError;
pub use input::{Context, FieldError, Invalid, RepName};
pub use own::{
    ApologyFindingView, ApologyView, ChecklistItemView, OwnListView, OwnershipView, RecoveryView, check_apology,
};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Where the application reads the time. Tests pass a fixed clock.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A rep's time zone (`debrief zone`, `/api/v1/zone`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoneView {
    pub rep: String,
    /// The IANA name, like `Europe/Berlin`.
    pub tz: String,
}

impl ZoneView {
    fn new(rep: &RepName, tz: &TimeZone) -> ZoneView {
        ZoneView { rep: rep.to_string(), tz: tz.iana_name().unwrap_or("UTC").to_string() }
    }
}

/// A clock stopped at one instant (tests, reproducible scripts).
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

/// The user's settings for the rules of the loop: follow-up cadences,
/// working days, and how numeric dates are written.
#[derive(Clone, Debug, Default)]
pub struct LoopSettings {
    pub cadences: Cadences,
    pub working_days: WorkingDays,
    /// When rule-made follow-ups may fall on a working day (default 09:00–17:00).
    pub working_hours: WorkingHours,
    /// `30/11/2026` is day-first (`dmy`) or month-first (`mdy`); unset, such dates are refused.
    pub date_order: Option<input::DateOrder>,
}

/// The application: a store, a clock, the user's time zone and loop settings.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    tz: TimeZone,
    settings: Arc<LoopSettings>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, tz: TimeZone) -> App {
        App { store, clock, tz, settings: Arc::default() }
    }

    /// The same application with the user's cadences and working days.
    pub fn with_settings(self, settings: LoopSettings) -> App {
        App { settings: Arc::new(settings), ..self }
    }

    /// Makes sure the starter vocabulary is present (on a new database).
    pub async fn ensure_vocabulary(&self) -> Result<()> {
        self.vocabulary_entries().await.map(drop)
    }

    /// The vocabulary with every way each reason was written; a new database
    /// gets the starter vocabulary the first time it is read.
    pub(crate) async fn vocabulary_entries(&self) -> Result<Vec<debrief_store::ReasonTexts>> {
        let vocabulary = self.store.vocabulary().await?;
        if !vocabulary.is_empty() {
            return Ok(vocabulary);
        }
        reasons::seed(self.store.as_ref()).await?;
        Ok(self.store.vocabulary().await?)
    }

    pub(crate) fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Whether any contact is stored (demo data goes only into an empty database).
    pub async fn has_contacts(&self) -> Result<bool> {
        Ok(self.store.has_contacts().await?)
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// What requests are checked against: the user's time zone and the time now.
    pub fn context(&self) -> Context {
        Context::new(self.tz.clone(), self.now()).with_date_order(self.settings.date_order)
    }

    /// The current ISO week in the user's time zone.
    pub fn this_week(&self) -> debrief_core::IsoWeek {
        debrief_core::IsoWeek::of(self.now(), &self.tz)
    }

    async fn labels(&self) -> Result<HashMap<ReasonId, Reason>> {
        Ok(labels_of(self.store.vocabulary().await?))
    }

    /// The rep's id when the rep has logged anything; reading never creates a rep.
    async fn existing_rep(&self, rep: &RepName) -> Result<Option<RepId>> {
        Ok(self.store.find_rep(rep.as_str()).await?)
    }

    /// The rep's id, created when new (before the rep's first write) in the
    /// zone in effect.
    async fn writing_rep(&self, rep: &RepName) -> Result<RepId> {
        Ok(match self.tz.iana_name() {
            Some(zone) => self.store.rep_in_zone(rep.as_str(), zone).await?,
            None => self.store.rep(rep.as_str()).await?,
        })
    }

    /// The application as it works for `rep`: weeks, days and times in the
    /// rep's own time zone, whoever looks and from where. A rep stored
    /// without one (by an earlier version) takes the zone in effect, which
    /// is stored; a rep not stored yet gets it on its first write.
    pub async fn for_rep(&self, rep: &RepName) -> Result<App> {
        let Some(id) = self.existing_rep(rep).await? else { return Ok(self.clone()) };
        let tz = match self.store.rep_zone(id).await? {
            Some(name) => TimeZone::get(&name).map_err(|_| {
                AppError::Failed(format!(
                    "the stored time zone \"{name}\" of {rep} is unknown to this build: set it again"
                ))
            })?,
            None => {
                if let Some(zone) = self.tz.iana_name() {
                    self.store.set_rep_zone(id, zone).await?;
                }
                self.tz.clone()
            }
        };
        Ok(App { tz, ..self.clone() })
    }

    /// The rep's time zone.
    pub async fn zone(&self, rep: &RepName) -> Result<ZoneView> {
        let app = self.for_rep(rep).await?;
        Ok(ZoneView::new(rep, &app.tz))
    }

    /// Sets the rep's time zone: their weeks and days are counted in it from now on.
    pub async fn set_zone(&self, rep: &RepName, req: &input::ZoneRequest) -> Result<ZoneView> {
        let id = self.writing_rep(rep).await?;
        let name = req.tz.iana_name().ok_or_else(|| AppError::Failed("a time zone without a name".into()))?;
        self.store.set_rep_zone(id, name).await?;
        Ok(ZoneView::new(rep, &req.tz))
    }
}

/// Each reason of a vocabulary by its id.
pub(crate) fn labels_of(vocabulary: Vec<debrief_store::ReasonTexts>) -> HashMap<ReasonId, Reason> {
    vocabulary.into_iter().map(|v| (v.reason.id, v.reason)).collect()
}
