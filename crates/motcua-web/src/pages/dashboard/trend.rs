//! The dashboard's trend: every indicator over the last twelve months, as small multiples
//! (one small inline SVG chart per indicator, each point with its value as a tooltip and the
//! last value written beside it) and as a table of the same figures for screen readers and
//! for reading exact values. Leading months without any figure are dropped, so the chart
//! starts where the data starts.

use std::fmt::Write as _;

use motcua_core::display;
use motcua_core::rates::{RateId, Rates};
use motcua_core::timestamp::Month;

/// One indicator's small chart.
pub struct TrendChart {
    pub name: &'static str,
    /// The chart as inline SVG (drawn on the server: no script, nothing fetched).
    pub svg: String,
    /// The last month's value (`33,8%`, or a dash).
    pub last: String,
}

/// The trend of the months shown: the charts and the table.
pub struct Trend {
    pub charts: Vec<TrendChart>,
    /// The table's month headers (`5/2024`) and rows (indicator, values by month).
    pub months: Vec<String>,
    pub rows: Vec<(&'static str, Vec<String>)>,
}

/// `5/24` under a point; `5/2024` in the table.
fn short_month(m: Month) -> String {
    format!("{}/{}", m.number(), m.year() % 100)
}

/// The months from the first that has dossiers: some rate on dossiers is defined. The share
/// of online services used is left out of that test: its denominator is the catalogue's
/// offerings, defined (0%) in months without a single dossier.
fn with_data(trend: &[(Month, Rates)]) -> &[(Month, Rates)] {
    let first = trend
        .iter()
        .position(|(_, r)| {
            RateId::ALL
                .iter()
                .filter(|&&id| id != RateId::OnlineServiceUsage)
                .any(|&id| display::rate_hundredths(r.get(id)).is_some())
        })
        .unwrap_or(trend.len());
    &trend[first..]
}

/// The trend of `trend`'s months (oldest first).
pub fn trend(trend: &[(Month, Rates)]) -> Trend {
    let shown = with_data(trend);
    let charts = RateId::ALL
        .iter()
        .map(|&id| TrendChart {
            name: id.name_vi(),
            svg: chart(id, shown),
            last: shown
                .last()
                .map_or_else(|| "–".to_owned(), |(_, r)| display::rate_percent(r.get(id))),
        })
        .collect();
    let rows = RateId::ALL
        .iter()
        .map(|&id| {
            let column: Vec<&motcua_core::rates::Rate> =
                shown.iter().map(|(_, r)| r.get(id)).collect();
            (id.name_vi(), display::rate_column(&column))
        })
        .collect();
    Trend {
        charts,
        months: shown
            .iter()
            .map(|(m, _)| format!("{}/{}", m.number(), m.year()))
            .collect(),
        rows,
    }
}

/// One indicator over the months, 0–100%, a point per month with a figure (its value in a
/// tooltip), a gap where a month has none.
fn chart(id: RateId, months: &[(Month, Rates)]) -> String {
    let (w, h, left, right, top, bottom) = (300.0, 130.0, 30.0, 8.0, 14.0, 20.0);
    let n = months.len().max(1) as f64;
    let x = |i: usize| left + (w - left - right) * (i as f64 + 0.5) / n;
    let y = |pct: f64| top + (h - top - bottom) * (1.0 - pct / 100.0);
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {h}\" aria-hidden=\"true\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for pct in [0.0, 50.0, 100.0] {
        let _ = write!(
            svg,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#dde3ea\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\" fill=\"#4a5866\">{pct}%</text>",
            w - right,
            left - 3.0,
            y(pct) + 3.5,
            y = y(pct)
        );
    }
    for (i, (m, _)) in months.iter().enumerate() {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#4a5866\">{}</text>",
            x(i),
            h - 5.0,
            short_month(*m)
        );
    }
    let mut path = String::new();
    let mut dots = String::new();
    let mut pen_down = false;
    for (i, (m, rates)) in months.iter().enumerate() {
        let rate = rates.get(id);
        match display::rate_hundredths(rate) {
            Some(hundredths) => {
                let (px, py) = (x(i), y(hundredths as f64 / 100.0));
                let _ = write!(path, "{}{px:.1},{py:.1} ", if pen_down { "L" } else { "M" });
                let _ = write!(
                    dots,
                    "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"3.5\" fill=\"#b3261e\"><title>{}/{}: {}</title></circle>",
                    m.number(),
                    m.year(),
                    display::rate_percent(rate)
                );
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    let _ = write!(
        svg,
        "<path d=\"{}\" fill=\"none\" stroke=\"#b3261e\" stroke-width=\"2\"/>{dots}</svg>",
        path.trim()
    );
    svg
}
