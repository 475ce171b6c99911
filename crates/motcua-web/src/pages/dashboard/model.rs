//! The dashboard's view model: the report of a month as the strings the template prints.

use askama::Template;
use motcua_core::counts::{CountId, Figure};
use motcua_core::display::{self, Change, Direction};
use motcua_core::indicators::{IndicatorReport, LateEntry};
use motcua_core::rates::RateId;
use motcua_core::unit::{UnitCode, UnitTree};

use super::trend::{trend_legend, trend_svg};
use crate::WebError;
use crate::view::{Nav, UnitOption, month_label, unit_label, unit_options};

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

/// The dashboard page.
#[derive(Template)]
#[template(path = "dashboard/dashboard.html")]
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
#[template(path = "dashboard/empty.html")]
struct EmptyPage {
    nav: Nav,
}

pub fn empty_page(nav: Nav) -> Result<String, WebError> {
    Ok(EmptyPage { nav }.render()?)
}

impl DashboardPage {
    /// Renders the page.
    pub fn render(&self) -> Result<String, WebError> {
        Ok(Template::render(self)?)
    }
}
