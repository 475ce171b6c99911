//! The dashboard's trend chart: twelve months of some rates as inline SVG.

use motcua_core::display;
use motcua_core::rates::RateId;

/// The rates the trend chart draws, with their colours.
const TREND_SERIES: [(RateId, &str); 4] = [
    (RateId::OnlineFull, "#b3261e"),
    (RateId::Online, "#1f5fa8"),
    (RateId::InputDigitization, "#1b7f3b"),
    (RateId::EReceipt, "#c96a00"),
];

/// A line chart of some rates over the months given, as inline SVG (drawn on the server: no
/// script, nothing fetched). Months without a figure leave a gap.
pub fn trend_svg(trend: &[(motcua_core::Month, motcua_core::rates::Rates)]) -> String {
    use std::fmt::Write as _;
    let (w, h, left, right, top, bottom) = (720.0, 260.0, 40.0, 10.0, 10.0, 30.0);
    let n = trend.len().max(1) as f64;
    let x = |i: usize| left + (w - left - right) * (i as f64 + 0.5) / n;
    let y = |pct: f64| top + (h - top - bottom) * (1.0 - pct / 100.0);
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Diễn biến các chỉ số trong 12 tháng\" class=\"trend\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for pct in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let _ = write!(
            svg,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#dde3ea\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6b7c\">{pct}%</text>",
            w - right,
            left - 4.0,
            y(pct) + 4.0,
            y = y(pct)
        );
    }
    for (i, (m, _)) in trend.iter().enumerate() {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6b7c\">{}/{}</text>",
            x(i),
            h - 10.0,
            m.number(),
            m.year() % 100
        );
    }
    for (id, colour) in TREND_SERIES {
        let mut path = String::new();
        let mut dots = String::new();
        let mut pen_down = false;
        for (i, (_, rates)) in trend.iter().enumerate() {
            match display::rate_hundredths(rates.get(id)) {
                Some(hundredths) => {
                    let _ = write!(
                        path,
                        "{}{:.1},{:.1} ",
                        if pen_down { "L" } else { "M" },
                        x(i),
                        y(hundredths as f64 / 100.0)
                    );
                    let _ = write!(
                        dots,
                        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"/>",
                        x(i),
                        y(hundredths as f64 / 100.0)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let _ = write!(
            svg,
            "<path d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"><title>{}</title></path>",
            path.trim(),
            id.name_vi()
        );
        svg.push_str(&dots);
    }
    svg.push_str("</svg>");
    svg
}

/// The legend of the trend chart: (colour, name).
pub fn trend_legend() -> Vec<(&'static str, &'static str)> {
    TREND_SERIES
        .iter()
        .map(|(id, c)| (*c, id.name_vi()))
        .collect()
}
