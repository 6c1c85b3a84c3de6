//! The week page's charts, drawn as SVG by plotters: the success rate per
//! week with its 95% interval, and the reasons ranked. Both read without
//! colour (a solid line with dots over a shaded band with whiskers; solid bars
//! for controllable reasons, outlined bars for the others, every bar labelled)
//! and carry a `<title>` and `<desc>`; the page follows each with a table.

use plotters::coord::Shift;
use plotters::prelude::*;

/// One week of the success chart: its short label and, when it had decided
/// contacts, the rate with its interval (fractions).
pub struct WeekPoint {
    pub label: String,
    pub rate: Option<(f64, f64, f64)>,
}

/// One bar of the reasons chart.
pub struct Bar {
    pub label: String,
    pub lost: u64,
    pub share: f64,
    pub controllable: bool,
}

const WIDTH: u32 = 420;
/// The accent of the stylesheet (`--accent`), and a soft tint of it.
const LINE: RGBColor = RGBColor(0x0f, 0x6e, 0x78);
const BAND: RGBColor = RGBColor(0xc4, 0xe6, 0xe9);
const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Rows the reasons chart draws (the table beside it lists every reason).
pub const BARS_DRAWN: usize = 8;
const ROW: u32 = 44;

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The success rate per week with its interval band, as accessible SVG.
pub fn success_rate(id: &str, points: &[WeekPoint], title: &str, desc: &str) -> String {
    let mut svg = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 260)).into_drawing_area();
        draw_success(&root, points)
    };
    finish(drawn.is_ok(), svg, id, title, desc)
}

fn draw_success<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, points: &[WeekPoint]) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let n = points.len().max(1) as i32;
    let mut chart = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(26)
        .y_label_area_size(44)
        .build_cartesian_2d((0..(n - 1).max(1)).into_segmented(), 0f64..100f64)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(points.len())
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => points.get(*i as usize).map_or_else(String::new, |p| p.label.clone()),
            _ => String::new(),
        })
        .y_labels(6)
        .y_label_formatter(&|y| format!("{y:.0}%"))
        .label_style(("sans-serif", 15).into_font().color(&INK))
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .light_line_style(WHITE)
        .axis_style(INK)
        .draw()?;
    let at = |i: usize| SegmentValue::CenterOf(i as i32);
    for run in runs(points) {
        let band: Vec<_> = run
            .iter()
            .map(|&(i, _, _, hi)| (at(i), hi))
            .chain(run.iter().rev().map(|&(i, _, lo, _)| (at(i), lo)))
            .collect();
        chart.draw_series(std::iter::once(Polygon::new(band, BAND.filled())))?;
        chart.draw_series(LineSeries::new(run.iter().map(|&(i, v, _, _)| (at(i), v)), LINE.stroke_width(3)))?;
    }
    let rated = || {
        points.iter().enumerate().filter_map(|(i, p)| p.rate.map(|(v, lo, hi)| (i, v * 100.0, lo * 100.0, hi * 100.0)))
    };
    chart.draw_series(
        rated().map(|(i, _, lo, hi)| PathElement::new(vec![(at(i), lo), (at(i), hi)], INK.stroke_width(1))),
    )?;
    chart.draw_series(rated().map(|(i, v, _, _)| Circle::new((at(i), v), 5, LINE.filled())))?;
    root.present()
}

/// Runs of consecutive weeks that have a rate, as (index, value, low, high) in percent.
fn runs(points: &[WeekPoint]) -> Vec<Vec<(usize, f64, f64, f64)>> {
    let mut runs: Vec<Vec<_>> = Vec::new();
    let mut current = Vec::new();
    for (i, p) in points.iter().enumerate() {
        match p.rate {
            Some((v, lo, hi)) => current.push((i, v * 100.0, lo * 100.0, hi * 100.0)),
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// The reasons ranked by lost contacts, as accessible SVG; `None` without any.
pub fn reasons(id: &str, bars: &[Bar], title: &str, desc: &str) -> Option<String> {
    let bars: Vec<&Bar> = bars.iter().filter(|b| b.lost > 0).take(BARS_DRAWN).collect();
    if bars.is_empty() {
        return None;
    }
    let mut svg = String::new();
    let drawn = {
        let height = ROW * bars.len() as u32 + 8;
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        draw_bars(&root, &bars)
    };
    Some(finish(drawn.is_ok(), svg, id, title, desc))
}

fn draw_bars<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, bars: &[&Bar]) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let most = bars.iter().map(|b| b.lost).max().unwrap_or(1).max(1) as f64;
    let full = f64::from(WIDTH) - 16.0 - 100.0;
    let font = ("sans-serif", 15).into_font().color(&INK);
    for (row, bar) in bars.iter().enumerate() {
        let top = (ROW as usize * row) as i32 + 4;
        let label = if bar.controllable { shorten(&bar.label) } else { format!("{} (not yours)", shorten(&bar.label)) };
        root.draw(&Text::new(label, (8, top), font.clone()))?;
        let end = 8 + ((bar.lost as f64 / most) * full).round().max(2.0) as i32;
        let (y0, y1) = (top + 19, top + 35);
        let style = if bar.controllable { LINE.filled() } else { WHITE.filled() };
        root.draw(&Rectangle::new([(8, y0), (end, y1)], style))?;
        root.draw(&Rectangle::new([(8, y0), (end, y1)], INK.stroke_width(1)))?;
        let count = format!("{} lost · {:.0}%", bar.lost, bar.share * 100.0);
        root.draw(&Text::new(count, (end + 6, y0 + 1), font.clone()))?;
    }
    root.present()
}

/// Labels longer than a row fits are cut with an ellipsis; the table beside has them whole.
fn shorten(label: &str) -> String {
    const FITS: usize = 38;
    if label.chars().nth(FITS).is_none() {
        return label.to_string();
    }
    let cut: String = label.chars().take(FITS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Adds the accessible name and description, and lets CSS size the chart.
fn finish(drawn: bool, svg: String, id: &str, title: &str, desc: &str) -> String {
    if !drawn {
        tracing::warn!(chart = id, "a chart could not be drawn");
        return String::new();
    }
    let Some(start) = svg.find("<svg") else {
        return String::new();
    };
    let Some(close) = svg[start..].find('>').map(|i| start + i) else {
        return String::new();
    };
    let accessible = format!(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"{}><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        &svg[start + 4..close],
        escape(title),
        escape(desc)
    );
    format!("{accessible}{}", &svg[close + 1..])
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(label: &str, rate: Option<(f64, f64, f64)>) -> WeekPoint {
        WeekPoint { label: label.into(), rate }
    }

    #[test]
    fn the_success_chart_is_accessible_svg_without_inline_styles() {
        let points = [week("W46", Some((0.2, 0.1, 0.4))), week("W47", None), week("W48", Some((0.5, 0.3, 0.7)))];
        let svg = success_rate("trend", &points, "Success <rate>", "2 weeks");
        assert!(
            svg.starts_with("<svg class=\"chart\" role=\"img\" aria-labelledby=\"trend-title trend-desc\""),
            "{svg}"
        );
        assert!(svg.contains("<title id=\"trend-title\">Success &lt;rate&gt;</title>"));
        assert!(svg.contains("W46") && svg.contains("W48") && svg.contains("100%"));
        assert!(!svg.contains("style="), "inline styles break the CSP: {svg}");
        assert!(svg.contains("<circle"), "dots mark each rated week");
    }

    #[test]
    fn runs_split_at_weeks_without_a_rate() {
        let points = [
            week("a", Some((0.1, 0.0, 0.2))),
            week("b", None),
            week("c", Some((0.3, 0.2, 0.4))),
            week("d", Some((0.3, 0.2, 0.4))),
        ];
        let lens: Vec<usize> = runs(&points).iter().map(Vec::len).collect();
        assert_eq!(lens, [1, 2]);
    }

    #[test]
    fn bars_label_every_reason_and_mark_external_ones_in_words() {
        let bars = [
            Bar { label: "Didn't ask about <budget>".into(), lost: 4, share: 0.5, controllable: true },
            Bar { label: "Chose a competitor".into(), lost: 2, share: 0.25, controllable: false },
            Bar { label: "Only on won contacts".into(), lost: 0, share: 0.0, controllable: true },
        ];
        let svg = reasons("bars", &bars, "Reasons", "ranked").unwrap();
        assert!(
            svg.contains("Didn't ask about &lt;budget&gt;") || svg.contains("Didn&apos;t ask about &lt;budget&gt;"),
            "{svg}"
        );
        assert!(svg.contains("4 lost · 50%") && svg.contains("(not yours)"));
        assert!(!svg.contains("Only on won"));
        assert!(!svg.contains("style="));
        assert_eq!(reasons("bars", &bars[2..], "Reasons", "none"), None);
    }

    #[test]
    fn long_labels_are_shortened() {
        assert_eq!(shorten("short"), "short");
        assert!(shorten(&"word ".repeat(20)).ends_with('…'));
    }
}
