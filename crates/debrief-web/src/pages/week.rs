//! The home page: this week's numbers with their intervals and the change
//! verdict, the reasons ranked, repeated mistakes, the focus and its effect,
//! and the charts of the last twelve weeks.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use debrief_app::input::{RawTrend, TrendRequest, WeekRequest};
use debrief_app::views::{LessonView, WeekView};
use debrief_core::IsoWeek;
use serde::Deserialize;

use super::present::{self, FocusBlock, ReasonRow, TrendRow};
use super::strip::Strip;
use super::{Layout, PageError, html, query};
use crate::cache::{self, Cached};
use crate::charts;
use crate::extract::CurrentRep;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(show))
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Params {
    week: String,
}

#[derive(Template)]
#[template(path = "week.html")]
struct WeekPage {
    layout: Layout,
    week_input: String,
    week_error: Option<String>,
    view: WeekView,
    prev: String,
    next: Option<String>,
    success: String,
    conversion: String,
    change: String,
    trend_svg: String,
    trend: Vec<TrendRow>,
    bars_svg: Option<String>,
    rows: Vec<ReasonRow>,
    focus: Option<FocusBlock>,
    lessons: Vec<LessonView>,
    /// The daily question's last 30 days.
    strip: Strip,
}

/// The page, from the read cache when a reload finds it there: it depends on
/// the rep, the week as typed and the current week (and on the data, which the
/// cache watches).
async fn show(
    State(state): State<AppState>,
    rep: CurrentRep,
    accepts: cache::AcceptsGzip,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let params: Params = query(raw)?;
    let key = cache::key(&["week-page", rep.name().as_str(), &params.week, &state.app().this_week().to_string()]);
    state.cache().through(key, accepts, page(&state, &rep, params)).await
}

async fn page(state: &AppState, rep: &CurrentRep, params: Params) -> Result<Cached, PageError> {
    let (req, week_error) = match WeekRequest::new(Some(&params.week)) {
        Ok(req) => (req, None),
        Err(e) => (WeekRequest::current(), Some(e.first().message.clone())),
    };
    let app = state.app();
    let shown = req.week().unwrap_or_else(|| app.this_week());
    // The trend's length is the application's default; it ends with the week shown.
    let trend = TrendRequest::new(RawTrend { weeks: None, last: Some(shown.to_string()) })?;
    // Independent reads: run side by side, each on its own pooled connection.
    let (view, trend, daily) =
        tokio::try_join!(app.week(rep.name(), &req), app.trend(rep.name(), &trend), app.daily(rep.name()))?;
    let status = if week_error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = WeekPage {
        layout: Layout::new(format!("Week {}", view.week), "/", rep),
        week_input: params.week,
        week_error,
        prev: shown.prev().map_err(debrief_app::AppError::from)?.to_string(),
        next: shown.next().ok().filter(|_| shown < app.this_week()).map(|w| w.to_string()),
        success: present::rate(view.won, view.won + view.lost, view.success_rate.as_ref()),
        conversion: present::rate(view.converted, view.new_leads, view.conversion_rate.as_ref()),
        change: present::change(&view.change),
        trend_svg: trend_chart(shown, &trend.weeks),
        trend: present::trend_rows(&trend.weeks),
        bars_svg: bars_chart(&view),
        rows: present::reason_rows(&view.reasons),
        focus: view.focus.as_ref().map(FocusBlock::new),
        lessons: view.lessons.clone(),
        strip: Strip::new(&daily.strip),
        view,
    };
    Ok(html(status, &page))
}

fn trend_chart(last: IsoWeek, weeks: &[debrief_app::views::TrendWeekView]) -> String {
    let rated = weeks.iter().filter(|w| w.success_rate.is_some()).count();
    let desc = format!(
        "Won of decided contacts per week for the {} weeks up to {last}, with the 95% interval as a band; {rated} of them had decided contacts. The table below lists every week.",
        weeks.len()
    );
    charts::success_rate("trend-chart", &present::week_points(weeks), "Success rate per week", &desc)
}

fn bars_chart(view: &WeekView) -> Option<String> {
    let desc = format!(
        "Reasons of {} ranked by the lost contacts they appear in; solid bars are yours to control, outlined bars are not. The table below lists them all.",
        view.week
    );
    charts::reasons("reasons-chart", &present::bars(&view.reasons), "Reasons ranked by lost contacts", &desc)
}
