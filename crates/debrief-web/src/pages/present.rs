//! Turns views into the words and numbers the pages show
//! ("5 of 25 · 20%, 95% interval 9–39%"), so templates hold no arithmetic.

use debrief_app::views::FocusStatus;
use debrief_app::views::{ChangeView, CountView, FocusView, RateView, ReasonRankView, TrendWeekView};
use debrief_core::stats::Change;

use crate::charts::{Bar, WeekPoint};

pub fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// "9–39%".
pub fn interval(r: &RateView) -> String {
    format!("{:.0}–{}", r.low * 100.0, percent(r.high))
}

/// "5 of 25 · 20% (95% interval 9–39%)", or "none decided yet".
pub fn rate(hits: u64, total: u64, rate: Option<&RateView>) -> String {
    match rate {
        Some(r) => format!("{hits} of {total} · {} (95% interval {})", percent(r.value), interval(r)),
        None => format!("{hits} of {total}: none decided yet"),
    }
}

/// The change verdict against the week before, in a sentence.
pub fn change(c: &ChangeView) -> String {
    let before = format!("{} ({} of {} won)", c.previous_week, c.previous_success.hits, c.previous_success.total);
    match c.success_rate {
        Change::Improved => format!("Improved on {before}: the difference is more than noise."),
        Change::Declined => format!("Declined from {before}: the difference is more than noise."),
        Change::WithinNoise => format!("Within noise of {before}: no real change yet."),
        Change::NoPrevious => format!("Nothing decided in {} to compare with.", c.previous_week),
    }
}

/// The focus as the week and focus pages show it.
pub struct FocusBlock {
    pub reason: String,
    /// `#12`, for forms that make a suggestion the focus.
    pub reference: String,
    pub set: bool,
    pub since: String,
    pub before: String,
    pub after: String,
    pub verdict: String,
}

impl FocusBlock {
    pub fn new(f: &FocusView) -> FocusBlock {
        let share = |c: CountView, r: Option<&RateView>| match r {
            Some(r) => format!(
                "on {} of {} lost contacts ({}, 95% interval {})",
                c.hits,
                c.total,
                percent(r.value),
                interval(r)
            ),
            None => "no lost contacts yet".to_string(),
        };
        let effect = f.effect.as_ref();
        FocusBlock {
            reason: f.reason.clone(),
            reference: format!("#{}", f.id),
            set: f.status == FocusStatus::Set,
            since: f.since_when.clone().unwrap_or_default(),
            before: effect.map(|e| share(e.before, e.before_share.as_ref())).unwrap_or_default(),
            after: effect.map(|e| share(e.after, e.after_share.as_ref())).unwrap_or_default(),
            verdict: effect.map(|e| verdict(e.verdict.as_str(), e.p_value)).unwrap_or_default(),
        }
    }
}

fn verdict(verdict: &str, p: Option<f64>) -> String {
    let mut line = capitalized(verdict);
    match p {
        Some(p) if p < 0.001 => line.push_str(" (p < 0.001)"),
        Some(p) => line.push_str(&format!(" (p = {p:.3})")),
        None => {}
    }
    line.push('.');
    line
}

/// `text` with its first character in upper case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One row of the trend table under the success chart.
pub struct TrendRow {
    pub week: String,
    pub contacts: u64,
    pub success: String,
}

pub fn trend_rows(weeks: &[TrendWeekView]) -> Vec<TrendRow> {
    weeks
        .iter()
        .map(|w| TrendRow {
            week: w.week.clone(),
            contacts: w.contacts,
            success: rate(w.won, w.won + w.lost, w.success_rate.as_ref()),
        })
        .collect()
}

pub fn week_points(weeks: &[TrendWeekView]) -> Vec<WeekPoint> {
    weeks
        .iter()
        .map(|w| WeekPoint {
            label: w.week.get(5..).unwrap_or(&w.week).to_string(),
            rate: w.success_rate.map(|r| (r.value, r.low, r.high)),
        })
        .collect()
}

/// One row of a reasons table.
pub struct ReasonRow {
    pub id: i64,
    pub reason: String,
    pub kind: &'static str,
    pub lost: u64,
    pub share: String,
    pub weeks: usize,
    pub repeated: bool,
}

pub fn reason_rows(reasons: &[ReasonRankView]) -> Vec<ReasonRow> {
    reasons
        .iter()
        .map(|r| ReasonRow {
            id: r.id,
            reason: r.reason.clone(),
            kind: if r.controllable { "yours" } else { "not yours" },
            lost: r.lost_contacts,
            share: percent(r.share_of_lost),
            weeks: r.weeks.len(),
            repeated: r.repeated,
        })
        .collect()
}

pub fn bars(reasons: &[ReasonRankView]) -> Vec<Bar> {
    reasons
        .iter()
        .map(|r| Bar {
            label: r.reason.clone(),
            lost: r.lost_contacts,
            share: r.share_of_lost,
            controllable: r.controllable,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_counts_with_their_interval() {
        let r = RateView { value: 0.2, low: 0.0886, high: 0.3913 };
        assert_eq!(rate(5, 25, Some(&r)), "5 of 25 · 20% (95% interval 9–39%)");
        assert_eq!(rate(0, 0, None), "0 of 0: none decided yet");
        assert_eq!(verdict("too few contacts to tell", None), "Too few contacts to tell.");
        assert_eq!(verdict("appears less often", Some(0.01234)), "Appears less often (p = 0.012).");
        assert_eq!(verdict("", None), ".");
        assert_eq!(capitalized("étude"), "Étude");
    }
}
