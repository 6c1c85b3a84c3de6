//! The 30-day strip of the daily question, shown on the today and week
//! pages: a row of squares, each with a symbol so no colour carries meaning
//! alone, a summary for screen readers, and the days as a plain list.

use debrief_app::StripDayView;
use debrief_core::daily::DayState;
use jiff::civil::Date;

/// Squares per row of the drawing.
const PER_ROW: usize = 15;
/// Side of one square, in drawing units.
const CELL: usize = 26;

/// One day of the strip as the page shows it.
pub struct StripDay {
    /// "Fri 27 Nov".
    pub day: String,
    pub symbol: &'static str,
    /// "done", "missed", …
    pub label: &'static str,
}

/// The strip: the drawing, its one-line summary and the days.
pub struct Strip {
    pub svg: String,
    pub summary: String,
    pub days: Vec<StripDay>,
    pub legend: &'static [(DayState, &'static str, &'static str)],
}

/// The symbol and words of each state, as the legend shows them.
pub const LEGEND: &[(DayState, &str, &str)] = &[
    (DayState::Done, "✓", "answered"),
    (DayState::Missed, "✗", "missed"),
    (DayState::MissedWithNote, "✎", "missed, with a note"),
    (DayState::NotWorkingDay, "–", "not a working day"),
    (DayState::Pending, "?", "today, not answered yet"),
    (DayState::NotStarted, "·", "before you started"),
];

fn meaning(state: DayState) -> (&'static str, &'static str) {
    LEGEND.iter().find(|(s, _, _)| *s == state).map_or(("·", "unknown"), |(_, sym, label)| (*sym, *label))
}

fn day_name(date: &str) -> String {
    date.parse::<Date>().map_or_else(|_| date.to_string(), |d| d.strftime("%a %-d %b").to_string())
}

impl Strip {
    pub fn new(days: &[StripDayView]) -> Strip {
        let shown: Vec<StripDay> = days
            .iter()
            .map(|d| {
                let (symbol, label) = meaning(d.state);
                StripDay { day: day_name(&d.date), symbol, label }
            })
            .collect();
        let count = |state: DayState| days.iter().filter(|d| d.state == state).count();
        let summary = format!(
            "Last {} days: {} answered, {} missed, {} missed with a note, {} not working days.",
            days.len(),
            count(DayState::Done),
            count(DayState::Missed),
            count(DayState::MissedWithNote),
            count(DayState::NotWorkingDay),
        );
        Strip { svg: drawing(days, &summary), summary, days: shown, legend: LEGEND }
    }
}

fn drawing(days: &[StripDayView], summary: &str) -> String {
    let rows = days.len().div_ceil(PER_ROW).max(1);
    let (w, h) = (PER_ROW * CELL, rows * CELL);
    let mut svg = format!(
        "<svg class=\"strip\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"strip-title\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"strip-title\">{summary}</title>"
    );
    for (i, d) in days.iter().enumerate() {
        let (x, y) = ((i % PER_ROW) * CELL + 2, (i / PER_ROW) * CELL + 2);
        let side = CELL - 4;
        let (symbol, label) = meaning(d.state);
        // A calm grid: filled squares, a sign in each, an outline only for today.
        let (fill, ink, stroke) = match d.state {
            DayState::Done => ("#1d7a3a", "#fff", "none"),
            DayState::Missed => ("#fbe7e6", "#b3261e", "none"),
            DayState::MissedWithNote => ("#fbf0d9", "#8a5a00", "none"),
            DayState::NotWorkingDay => ("#eceef2", "#6b7280", "none"),
            DayState::Pending => ("#ffffff", "#0f6e78", "#0f6e78"),
            DayState::NotStarted => ("#f6f7f9", "#b9bec8", "none"),
        };
        let (cx, cy) = (x + side / 2, y + side / 2 + 5);
        svg.push_str(&format!(
            "<g><title>{}: {label}</title><rect x=\"{x}\" y=\"{y}\" width=\"{side}\" height=\"{side}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"2\"/><text x=\"{cx}\" y=\"{cy}\" text-anchor=\"middle\" font-size=\"14\" fill=\"{ink}\">{symbol}</text></g>",
            day_name(&d.date)
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_day_has_a_symbol_and_words() {
        let days = vec![
            StripDayView { date: "2026-11-26".into(), state: DayState::Done },
            StripDayView { date: "2026-11-27".into(), state: DayState::Pending },
        ];
        let s = Strip::new(&days);
        assert_eq!((s.days[0].symbol, s.days[0].label), ("✓", "answered"));
        assert_eq!(s.days[1].day, "Fri 27 Nov");
        assert!(s.summary.starts_with("Last 2 days: 1 answered"), "{}", s.summary);
        assert!(s.svg.contains("Thu 26 Nov: answered"), "{}", s.svg);
    }
}
