//! The dashboard's view model: the report of a month as the strings the template prints.

use askama::Template;
use motcua_core::counts::{CountId, Figure};
use motcua_core::display::{self, Change, Direction};
use motcua_core::followup::{FollowUp, FollowUpState};
use motcua_core::indicators::{IndicatorReport, LateEntry};
use motcua_core::rates::RateId;
use motcua_core::report::Judgement;
use motcua_core::unit::{UnitCode, UnitTree};

use super::trend::Trend;
use crate::WebError;
use crate::view::{MonthOption, Nav, UnitOption, month_label, unit_label, unit_options};

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
pub const DASHBOARD_FIGURES: [(Figure, &str); 14] = [
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
    (
        Figure::Count(CountId::ResolvedRated),
        "Được công dân đánh giá",
    ),
    (
        Figure::Count(CountId::ResolvedRatedDissatisfied),
        "– không hài lòng",
    ),
];

/// One leaf unit's row.
pub struct UnitView {
    pub code: String,
    /// `Xã Vĩnh Khê`, `Phòng Tư pháp`: the unit's kind kept, so departments read as such.
    pub name: String,
    /// The rank by the sorted indicator (`1`, `2`, equal figures share a rank); empty when
    /// the table is not sorted by an indicator or the unit has no figure for it.
    pub rank: String,
    /// The indicators under target, as text; empty when the unit meets every target.
    pub below: String,
    /// The indicators not judged for want of dossiers in an unfinished month; empty otherwise
    /// or when the unit is below target anyway.
    pub too_few: String,
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
    pub month_options: Vec<MonthOption>,
    pub rates: Vec<RateView>,
    pub counts: Vec<CountView>,
    /// The unit table's indicator columns.
    pub rate_headers: Vec<RateHeader>,
    pub sorted: bool,
    pub units: Vec<UnitView>,
    /// The units under target and what the viewer may do about each.
    pub below_target: Vec<BelowView>,
    /// The deadline the request form proposes (`24/06/2024`).
    pub deadline: String,
    /// Whether the month has ended (a follow-up is asked only then).
    pub finished: bool,
    /// The rule of "chưa đủ dữ liệu", for the note under the table.
    pub min_dossiers: u64,
    /// The trend of every indicator over twelve months.
    pub trend: Trend,
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

/// A rate column's header: its link sorts by it (highest first; a second click lowest first).
pub struct RateHeader {
    pub id: &'static str,
    pub label: &'static str,
    /// `descending`, `ascending` or `none` (the `aria-sort` value).
    pub sort: &'static str,
    /// The direction its link asks for.
    pub next_dir: &'static str,
}

/// A unit below target, and the follow-up of it.
pub struct BelowView {
    pub code: String,
    /// `xã Vĩnh Khê: tỷ lệ … (chỉ tiêu 90%)`.
    pub text: String,
    /// The follow-up already asked: `Đã yêu cầu báo cáo, hạn 24/06/2024 – Chờ báo cáo`; empty
    /// when none.
    pub status: String,
    /// Whether the viewer may ask it now (allowed, finished month, not asked yet, not itself).
    pub can_ask: bool,
}

/// Which way the unit table is sorted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SortDir {
    Descending,
    Ascending,
}

impl SortDir {
    pub fn parse(text: &str) -> Self {
        if text == "asc" {
            SortDir::Ascending
        } else {
            SortDir::Descending
        }
    }
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
        RateId::DossierSatisfaction => "Hài lòng",
        RateId::RatingSatisfaction => "Đánh giá hài lòng",
        RateId::PetitionOnTime => "PAKN đúng hạn",
        RateId::PetitionSatisfaction => "Hài lòng xử lý PAKN",
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
    /// Rank the unit table by this indicator, this way.
    pub sort: Option<(RateId, SortDir)>,
    /// The trend chart's months, oldest first.
    pub trend: &'a [(motcua_core::Month, motcua_core::rates::Rates)],
    /// Whether the viewer may ask units below for remediation reports.
    pub may_follow_up: bool,
    /// The targets in force.
    pub targets: &'a motcua_core::report::Targets,
    /// Whether the month has ended.
    pub finished: bool,
    /// The follow-ups of the month in the viewer's subtree.
    pub follow_ups: &'a [(FollowUp, FollowUpState)],
    /// The deadline a request proposes.
    pub proposed_due: time::Date,
    /// The month of today, for the month selector.
    pub this_month: motcua_core::Month,
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
            may_follow_up,
            targets,
            finished,
            follow_ups,
            proposed_due,
            this_month,
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
                    change: change.as_ref().map_or_else(
                        || "chưa có số liệu tháng trước".to_owned(),
                        Change::text_points,
                    ),
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
        let judged = motcua_core::report::judge(report, targets, finished);
        let judgement =
            |code: &UnitCode| -> Option<&Judgement> { judged.iter().find(|j| &j.unit == code) };
        let mut rows: Vec<&motcua_core::indicators::UnitRow> = report.units.iter().collect();
        if let Some((id, dir)) = sort {
            // Units without a figure last either way; the alphabetical order among equals.
            rows.sort_by_key(|u| {
                let h = display::rate_hundredths(u.rates.get(id));
                (
                    h.is_none(),
                    match dir {
                        SortDir::Descending => -h.unwrap_or(0),
                        SortDir::Ascending => h.unwrap_or(0),
                    },
                )
            });
        }
        let rank_of = |u: &motcua_core::indicators::UnitRow| -> String {
            let Some((id, dir)) = sort else {
                return String::new();
            };
            let Some(mine) = display::rate_hundredths(u.rates.get(id)) else {
                return String::new();
            };
            let ahead = report
                .units
                .iter()
                .filter(|o| {
                    display::rate_hundredths(o.rates.get(id)).is_some_and(|h| match dir {
                        SortDir::Descending => h > mine,
                        SortDir::Ascending => h < mine,
                    })
                })
                .count();
            (ahead + 1).to_string()
        };
        // Every rate column with one number of decimals, in the rows' order.
        let columns: Vec<Vec<String>> = RateId::ALL
            .iter()
            .map(|&id| {
                let column: Vec<&motcua_core::rates::Rate> =
                    rows.iter().map(|u| u.rates.get(id)).collect();
                display::rate_column(&column)
            })
            .collect();
        let month_text = report.month.to_string();
        let units = rows
            .iter()
            .enumerate()
            .map(|(i, &u)| {
                let j = judgement(&u.code);
                UnitView {
                    code: u.code.to_string(),
                    name: display::capitalise(&format!("{} {}", u.label, u.short_name)),
                    rank: rank_of(u),
                    below: j.map(|j| j.misses.join("; ")).unwrap_or_default(),
                    too_few: j
                        .filter(|j| j.lacks_data())
                        .map(|j| j.too_few.join("; "))
                        .unwrap_or_default(),
                    received: display::count(u.counts.received),
                    resolved: display::count(u.counts.resolved),
                    late: display::count(u.counts.resolved_late),
                    rates: columns.iter().map(|c| c[i].clone()).collect(),
                }
            })
            .collect();
        let below_target = judged
            .iter()
            .filter(|j| j.is_below())
            .map(|j| {
                let asked = follow_ups.iter().find(|(f, _)| f.unit == j.unit);
                BelowView {
                    code: j.unit.to_string(),
                    text: format!("{}: {}", display::capitalise(&j.name), j.misses.join("; ")),
                    status: asked
                        .map(|(f, s)| {
                            format!(
                                "Đã yêu cầu báo cáo khắc phục, hạn {} – {}",
                                display::date(f.due),
                                s.name_vi()
                            )
                        })
                        .unwrap_or_default(),
                    can_ask: may_follow_up && finished && asked.is_none() && &j.unit != scope,
                }
            })
            .collect();
        let lists = &report.lists;
        Self {
            title: format!("{unit_title} – {}", month_label(report.month)),
            unit_code: report.unit.to_string(),
            month: month_text,
            month_label: month_label(report.month),
            previous_label: month_label(report.month.previous()),
            nav,
            units_options: unit_options(tree, scope, &report.unit),
            month_options: crate::view::month_options(Some(report.month), this_month),
            sorted: sort.is_some(),
            below_target,
            deadline: display::date(proposed_due),
            finished,
            min_dossiers: motcua_core::report::MIN_DOSSIERS_UNFINISHED,
            trend: super::trend::trend(trend),
            rates,
            counts,
            rate_headers: RateId::ALL
                .iter()
                .map(|&id| {
                    let current = sort.filter(|(s, _)| *s == id).map(|(_, d)| d);
                    RateHeader {
                        id: id.id(),
                        label: short_header(id),
                        sort: match current {
                            Some(SortDir::Descending) => "descending",
                            Some(SortDir::Ascending) => "ascending",
                            None => "none",
                        },
                        next_dir: if current == Some(SortDir::Descending) {
                            "asc"
                        } else {
                            "desc"
                        },
                    }
                })
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
