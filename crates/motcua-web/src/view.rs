//! View models: domain values turned into the Vietnamese strings the templates print.
//!
//! Templates only place strings; every number is formatted here with the display rules of
//! `motcua_core::display`.

use askama::Template;
use motcua_core::access::{Action, Role};
use motcua_core::counts::{CountId, Figure};
use motcua_core::display::{self, Change, Direction};
use motcua_core::indicators::{IndicatorReport, LateEntry};
use motcua_core::rates::RateId;
use motcua_core::timestamp::Month;
use motcua_core::unit::{UnitCode, UnitTree};

use crate::{Authed, WebError};

/// `tháng 5/2024`.
pub fn month_label(m: Month) -> String {
    format!("tháng {}/{}", m.number(), m.year())
}

/// One rate on the dashboard.
pub struct RateView {
    pub name: &'static str,
    pub value: String,
    pub change: String,
    /// `up`, `down` or `flat`, for the colour of the change.
    pub trend: &'static str,
}

/// One count on the dashboard.
pub struct CountView {
    pub name: &'static str,
    pub value: String,
    /// What `/dossiers?count=` lists the dossiers of (`motcua_app::dossiers_behind`).
    pub key: &'static str,
}

/// The dashboard's figures, in order, with their labels there (a dash marks a part of the
/// figure above it). The title of each one's list of dossiers is [`Figure::title_vi`].
pub const DASHBOARD_FIGURES: [(Figure, &str); 12] = [
    (Figure::Count(CountId::Received), "Hồ sơ tiếp nhận"),
    (Figure::Count(CountId::ReceivedOnline), "– trực tuyến"),
    (
        Figure::Count(CountId::ReceivedDirect),
        "– trực tiếp và qua bưu chính",
    ),
    (Figure::Count(CountId::CarriedOver), "Kỳ trước chuyển sang"),
    (Figure::Count(CountId::Resolved), "Đã giải quyết"),
    (Figure::ResolvedInTime, "– trước hạn và đúng hạn"),
    (Figure::Count(CountId::ResolvedLate), "– quá hạn"),
    (Figure::Count(CountId::Withdrawn), "Rút hồ sơ"),
    (Figure::Count(CountId::Pending), "Đang giải quyết"),
    (Figure::Count(CountId::PendingWithinDue), "– trong hạn"),
    (Figure::Count(CountId::PendingOverdue), "– quá hạn"),
    (
        Figure::Count(CountId::PendingOldSystem),
        "– còn trên hệ thống cũ",
    ),
];

/// One leaf unit's row.
pub struct UnitView {
    pub code: String,
    pub name: String,
    /// The rank by the sorted indicator (`1`, `2`, equal figures share a rank); empty when
    /// the table is not sorted by an indicator or the unit has no figure for it.
    pub rank: String,
    /// The indicators under target, as text; empty when the unit meets every target.
    pub below: String,
    pub received: String,
    pub resolved: String,
    pub late: String,
    pub rates: Vec<String>,
}

/// A choice of the unit selector.
pub struct UnitOption {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

pub use motcua_core::display::local_time;

/// The choices of a unit selector: `scope` and every unit below it, `selected` marked.
pub fn unit_options(tree: &UnitTree, scope: &UnitCode, selected: &UnitCode) -> Vec<UnitOption> {
    tree.scope(scope)
        .into_iter()
        .map(|u| UnitOption {
            code: u.code.to_string(),
            name: format!("{} {}", u.label, u.short_name),
            selected: &u.code == selected,
        })
        .collect()
}

/// A unit as pages name it: `thị trấn Hồ Xá` (the code when the unit is unknown).
pub fn unit_label(tree: &UnitTree, code: &UnitCode) -> String {
    tree.get(code).map_or_else(
        || code.to_string(),
        |u| format!("{} {}", u.label, u.short_name),
    )
}

/// The dashboard page.
#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub title: String,
    /// The unit shown, for the report's download links.
    pub unit_code: String,
    pub month: String,
    pub month_label: String,
    pub previous_label: String,
    pub nav: Nav,
    pub units_options: Vec<UnitOption>,
    pub rates: Vec<RateView>,
    pub counts: Vec<CountView>,
    /// The unit table's indicator columns: contract id, short header, whether sorted by it.
    pub rate_headers: Vec<(&'static str, &'static str, bool)>,
    pub sorted: bool,
    pub units: Vec<UnitView>,
    /// The units under target (code, what they missed) and the deadline of their remediation
    /// reports (as shown, and as a date input's value).
    pub below_target: Vec<(String, String)>,
    pub deadline: String,
    pub deadline_iso: String,
    /// Whether the viewer may ask the units below for remediation reports, and the viewer's
    /// unit (it does not ask itself).
    pub may_follow_up: bool,
    pub viewer_unit: String,
    /// The 12-month trend chart (inline SVG) and its legend (colour, name).
    pub trend_svg: String,
    pub legend: Vec<(&'static str, &'static str)>,
    pub digitized_100: String,
    pub late: String,
    pub good_payment: String,
    /// When the month is closed (chốt số liệu): `Số liệu tháng 05/2024 đã chốt ngày …`;
    /// empty otherwise.
    pub closed_banner: String,
    /// What changed after the close, as one sentence, and the units it changed; empty when
    /// nothing did.
    pub closed_changes: String,
    pub closed_units: String,
}

/// Short column headers of the unit table, in [`RateId::ALL`] order.
fn short_header(id: RateId) -> &'static str {
    match id {
        RateId::OnlineFull => "Trực tuyến toàn trình",
        RateId::Online => "Trực tuyến",
        RateId::OnlineServiceUsage => "DVC phát sinh hồ sơ",
        RateId::InputDigitization => "Số hóa đầu vào",
        RateId::ResultDigitization => "Số hóa kết quả",
        RateId::OnTime => "Đúng hạn",
        RateId::OnlinePayment => "Thanh toán trực tuyến",
        RateId::EReceipt => "Biên lai điện tử",
    }
}

fn or_none(items: Vec<String>, none: &str) -> String {
    if items.is_empty() {
        none.to_owned()
    } else {
        items.join("; ")
    }
}

/// What the dashboard shows besides the month's report.
#[derive(Clone, Copy)]
pub struct DashboardOptions<'a> {
    /// Rank the unit table by this indicator.
    pub sort: Option<RateId>,
    /// The trend chart's months, oldest first.
    pub trend: &'a [(motcua_core::Month, motcua_core::rates::Rates)],
    /// Whether the viewer may ask units below for remediation reports.
    pub may_follow_up: bool,
    /// The targets in force.
    pub targets: &'a motcua_core::report::Targets,
}

impl DashboardPage {
    /// The page of `report`; the unit selector offers the units of `scope` (the viewer's
    /// unit and everything below it).
    pub fn new(
        tree: &UnitTree,
        scope: &UnitCode,
        report: &IndicatorReport,
        nav: Nav,
        options: &DashboardOptions<'_>,
    ) -> Self {
        let DashboardOptions {
            sort,
            trend,
            may_follow_up: nav_may_follow_up,
            targets,
        } = *options;
        let unit = tree.get(&report.unit);
        let unit_title = unit.map_or_else(
            || report.unit.to_string(),
            |u| format!("{} {}", u.label, u.short_name),
        );
        let rates = RateId::ALL
            .iter()
            .map(|&id| {
                let now = report.rates.get(id);
                let change = Change::between(now, report.previous.rates.get(id));
                RateView {
                    name: id.name_vi(),
                    value: display::rate_percent(now),
                    change: change
                        .as_ref()
                        .map_or_else(|| "chưa có số liệu tháng trước".to_owned(), Change::text),
                    trend: match change.map(|c| c.direction) {
                        Some(Direction::Up) => "up",
                        Some(Direction::Down) => "down",
                        _ => "flat",
                    },
                }
            })
            .collect();
        let counts = DASHBOARD_FIGURES
            .iter()
            .map(|(figure, label)| CountView {
                name: label,
                value: display::count(figure.of(&report.counts)),
                key: figure.key(),
            })
            .collect();
        let below = motcua_core::report::below_target(report, targets);
        let mut rows: Vec<&motcua_core::indicators::UnitRow> = report.units.iter().collect();
        if let Some(id) = sort {
            // Highest first, units without a figure last; the alphabetical order otherwise.
            rows.sort_by_key(|u| std::cmp::Reverse(display::rate_hundredths(u.rates.get(id))));
        }
        let rank_of = |u: &motcua_core::indicators::UnitRow| -> String {
            let Some(id) = sort else { return String::new() };
            let Some(mine) = display::rate_hundredths(u.rates.get(id)) else {
                return String::new();
            };
            let better = report
                .units
                .iter()
                .filter(|o| display::rate_hundredths(o.rates.get(id)).is_some_and(|h| h > mine))
                .count();
            (better + 1).to_string()
        };
        let units = rows
            .into_iter()
            .map(|u| UnitView {
                code: u.code.to_string(),
                name: u.short_name.clone(),
                rank: rank_of(u),
                below: below
                    .iter()
                    .find(|b| b.unit == format!("{} {}", u.label, u.short_name))
                    .map(|b| b.misses.join("; "))
                    .unwrap_or_default(),
                received: display::count(u.counts.received),
                resolved: display::count(u.counts.resolved),
                late: display::count(u.counts.resolved_late),
                rates: RateId::ALL
                    .iter()
                    .map(|&id| display::rate_percent(u.rates.get(id)))
                    .collect(),
            })
            .collect();
        let lists = &report.lists;
        Self {
            title: format!("{unit_title} – {}", month_label(report.month)),
            unit_code: report.unit.to_string(),
            month: report.month.to_string(),
            month_label: month_label(report.month),
            previous_label: month_label(report.month.previous()),
            nav,
            units_options: unit_options(tree, scope, &report.unit),
            sorted: sort.is_some(),
            below_target: below
                .iter()
                .map(|b| {
                    let code = report
                        .units
                        .iter()
                        .find(|u| format!("{} {}", u.label, u.short_name) == b.unit)
                        .map(|u| u.code.to_string())
                        .unwrap_or_default();
                    (code, format!("{}: {}", b.unit, b.misses.join("; ")))
                })
                .collect(),
            deadline: {
                let d = motcua_core::report::default_deadline(report.month);
                format!("{}/{}/{}", d.day(), d.month() as u8, d.year())
            },
            deadline_iso: motcua_core::report::default_deadline(report.month).to_string(),
            may_follow_up: nav_may_follow_up,
            viewer_unit: scope.to_string(),
            trend_svg: trend_svg(trend),
            legend: trend_legend(),
            rates,
            counts,
            rate_headers: RateId::ALL
                .iter()
                .map(|&id| (id.id(), short_header(id), sort == Some(id)))
                .collect(),
            units,
            digitized_100: or_none(
                lists.digitized_100.clone(),
                "Không có đơn vị nào đạt 100% cả số hóa hồ sơ và kết quả.",
            ),
            late: or_none(
                lists.late.iter().map(LateEntry::text).collect(),
                "Không có hồ sơ quá hạn.",
            ),
            good_payment: or_none(
                lists.good_payment.clone(),
                "Không có đơn vị nào đạt từ 90% cả thanh toán trực tuyến và biên lai điện tử.",
            ),
            closed_banner: report
                .closed
                .as_ref()
                .map(|c| c.banner(report.month))
                .unwrap_or_default(),
            closed_changes: report
                .closed
                .as_ref()
                .and_then(motcua_core::close::changes_sentence)
                .unwrap_or_default(),
            closed_units: report
                .closed
                .as_ref()
                .map(|c| {
                    c.units_changed
                        .iter()
                        .map(|u| unit_label(tree, u))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default(),
        }
    }
}

/// The page shown before any dossier is loaded.
#[derive(Template)]
#[template(path = "empty.html")]
struct EmptyPage {
    nav: Nav,
}

pub fn empty_page(nav: Nav) -> Result<String, WebError> {
    Ok(EmptyPage { nav }.render()?)
}

/// The header's account block: who is signed in, where, and the menu their role opens.
#[derive(Debug, Clone)]
pub struct Nav {
    pub name: String,
    pub role: String,
    pub unit: String,
    /// The session's CSRF token for the sign-out form; empty for API tokens.
    pub csrf: String,
    pub is_user: bool,
    pub manages_users: bool,
    pub sees_audit: bool,
}

impl Nav {
    pub fn new(authed: &Authed, tree: &UnitTree) -> Self {
        let p = &authed.principal;
        let root_admin = tree
            .root()
            .is_some_and(|r| p.check(tree, Action::ViewAudit, &r.code).is_ok());
        Self {
            name: authed
                .user
                .as_ref()
                .map_or_else(|| p.name.clone(), |u| u.display_name.clone()),
            role: p
                .role()
                .map_or("Mã truy cập tích hợp", Role::name_vi)
                .to_owned(),
            unit: tree
                .get(&p.unit)
                .map_or_else(|| p.unit.to_string(), |u| u.name.clone()),
            csrf: authed.csrf().unwrap_or_default().to_owned(),
            is_user: authed.user.is_some(),
            manages_users: p.may(Action::ManageUsers),
            sees_audit: root_admin,
        }
    }
}

impl DashboardPage {
    /// Renders the page.
    pub fn render(&self) -> Result<String, WebError> {
        Ok(Template::render(self)?)
    }
}

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
