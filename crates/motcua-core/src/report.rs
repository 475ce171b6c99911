//! The monthly report's narrative (`docs/spec/report.md`): Vietnamese prose built from an
//! [`IndicatorReport`], in the article's order: online services, digitization, results,
//! payment and e-receipts, the old system's backlog, the units below target with the deadline
//! of their remediation reports.
//!
//! Sentences are built from the data: a change of zero reads "không đổi", a missing previous
//! month is said, an empty list reads "không có đơn vị nào…". The renderers (text here; HTML,
//! DOCX, XLSX at the edges) all take the same [`Narrative`].

use serde::Serialize;
use time::Date;

use crate::display::{self, Change, Direction, capitalise};
use crate::indicators::{IndicatorReport, LateEntry};
use crate::rates::{Rate, RateId, Rates};
use crate::timestamp::Month;
use crate::unit::UnitCode;

/// The level below which a unit is flagged, per indicator, in hundredths of a percent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    /// `(indicator, minimum percent)`: a unit whose rate is defined and below the minimum is
    /// flagged.
    pub minimums: Vec<(RateId, u64)>,
}

impl Targets {
    /// The targets as text: `online_rate=50 input_digitization_rate=90 …`.
    pub fn to_text(&self) -> String {
        self.minimums
            .iter()
            .map(|(id, min)| format!("{}={min}", id.id()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Reads targets written as `ID=PERCENT` pairs separated by spaces or commas (the ids of
    /// docs/spec/indicators.md); an empty text means no target at all.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut minimums: Vec<(RateId, u64)> = Vec::new();
        for pair in text
            .split([' ', ',', '\n'])
            .filter(|p| !p.trim().is_empty())
        {
            let (id, pct) = pair.split_once('=').ok_or_else(|| {
                format!("«{pair}»: cần dạng MÃ_CHỈ_SỐ=PHẦN_TRĂM, ví dụ e_receipt_rate=90")
            })?;
            let rate = RateId::from_id(id.trim()).ok_or_else(|| {
                format!(
                    "không có chỉ số «{}»; các mã: {}",
                    id.trim(),
                    RateId::ALL
                        .iter()
                        .map(|r| r.id())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            let pct: u64 = pct
                .trim()
                .parse()
                .ok()
                .filter(|p| *p <= 100)
                .ok_or_else(|| format!("«{pair}»: chỉ tiêu phải là số nguyên từ 0 đến 100"))?;
            minimums.retain(|(r, _)| *r != rate);
            minimums.push((rate, pct));
        }
        minimums.sort_by_key(|(r, _)| RateId::ALL.iter().position(|a| a == r));
        Ok(Targets { minimums })
    }
}

impl Default for Targets {
    /// The defaults (docs/REPORT.md): online dossiers at least half of those received, inputs
    /// and results fully digitized at 90%, e-receipts at 90%, online payment at 50%, every
    /// dossier on time.
    fn default() -> Self {
        Targets {
            minimums: vec![
                (RateId::Online, 50),
                (RateId::InputDigitization, 90),
                (RateId::ResultDigitization, 90),
                (RateId::OnTime, 100),
                (RateId::OnlinePayment, 50),
                (RateId::EReceipt, 90),
            ],
        }
    }
}

/// The fewest dossiers behind a rate for it to be judged against its target while the month is
/// not finished. Below that (one late dossier of one received on the 2nd), the unit is shown
/// as "chưa đủ dữ liệu" rather than "chưa đạt": the month can still change the figure. Once
/// the month has ended every defined rate is judged, as the monthly report does.
pub const MIN_DOSSIERS_UNFINISHED: u64 = 10;

/// A leaf unit of a report judged against the targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    pub unit: UnitCode,
    /// `xã Vĩnh Khê`.
    pub name: String,
    /// The indicators under target, as text (`tỷ lệ phát hành biên lai điện tử 45,2% (chỉ
    /// tiêu 90%)`); empty when it meets them or has too few dossiers.
    pub misses: Vec<String>,
    /// The indicators not judged for want of dossiers ([`MIN_DOSSIERS_UNFINISHED`]), by name.
    pub too_few: Vec<String>,
}

impl Judgement {
    /// Below target on at least one indicator.
    pub fn is_below(&self) -> bool {
        !self.misses.is_empty()
    }

    /// Not below target, but some indicator not judged for want of dossiers.
    pub fn lacks_data(&self) -> bool {
        self.misses.is_empty() && !self.too_few.is_empty()
    }
}

/// Judges every unit row of `report` against `targets`; `finished` says whether the month
/// has ended (see [`MIN_DOSSIERS_UNFINISHED`]). Rows in the report's order.
pub fn judge(report: &IndicatorReport, targets: &Targets, finished: bool) -> Vec<Judgement> {
    report
        .units
        .iter()
        .map(|u| {
            let mut misses = Vec::new();
            let mut too_few = Vec::new();
            for (id, min) in &targets.minimums {
                let rate = u.rates.get(*id);
                let Some(h) = display::rate_hundredths(rate) else {
                    continue;
                };
                if h >= i128::from(*min) * 100 {
                    continue;
                }
                if !finished && rate.den < MIN_DOSSIERS_UNFINISHED {
                    too_few.push(lower_first(id.name_vi()));
                } else {
                    misses.push(format!(
                        "{} {} (chỉ tiêu {min}%)",
                        lower_first(id.name_vi()),
                        display::rate_percent(rate)
                    ));
                }
            }
            Judgement {
                unit: u.code.clone(),
                name: format!("{} {}", u.label, u.short_name),
                misses,
                too_few,
            }
        })
        .collect()
}

/// A section: its heading and paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// The report as prose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Narrative {
    pub title: String,
    /// The unit issuing it (`UBND huyện Vĩnh Linh`) and the period (`tháng 5/2024`).
    pub issuer: String,
    pub period: String,
    pub sections: Vec<Section>,
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

fn month_text(m: Month) -> String {
    format!("tháng {}/{}", m.number(), m.year())
}

fn date_text(d: Date) -> String {
    format!("{}/{}/{}", d.day(), d.month() as u8, d.year())
}

/// `đạt 33,8% (tăng 8,8 điểm phần trăm so với tháng 4/2024)`, or what can be said.
fn rate_phrase(current: &Rate, previous: &Rate, previous_month: &str) -> String {
    let Some(value) = display::rate(current) else {
        return "chưa phát sinh hồ sơ để tính".to_owned();
    };
    match Change::between(current, previous) {
        Some(c) if c.direction == Direction::Unchanged => {
            format!("đạt {value}% (không đổi so với {previous_month})")
        }
        Some(c) => format!(
            "đạt {value}% ({} điểm phần trăm so với {previous_month})",
            c.text()
        ),
        None => format!("đạt {value}% (chưa có số liệu {previous_month} để so sánh)"),
    }
}

/// How a group of indicators moved: all up, all down, mixed, unchanged or not comparable.
fn trend_sentence(
    rates: &Rates,
    previous: &Rates,
    ids: &[RateId],
    what: &str,
    previous_month: &str,
) -> String {
    let changes: Vec<Direction> = ids
        .iter()
        .filter_map(|id| Change::between(rates.get(*id), previous.get(*id)))
        .map(|c| c.direction)
        .collect();
    if changes.is_empty() {
        return format!("Chưa có số liệu {previous_month} để so sánh {what}.");
    }
    let all = |d: Direction| changes.iter().all(|c| *c == d);
    if all(Direction::Up) {
        format!("Các chỉ số về {what} đều tăng so với {previous_month}.")
    } else if all(Direction::Down) {
        format!("Các chỉ số về {what} đều giảm so với {previous_month}.")
    } else if all(Direction::Unchanged) {
        format!("Các chỉ số về {what} không đổi so với {previous_month}.")
    } else {
        let named = |d: Direction| -> Vec<String> {
            ids.iter()
                .filter(|id| {
                    Change::between(rates.get(**id), previous.get(**id))
                        .is_some_and(|c| c.direction == d)
                })
                .map(|id| lower_first(id.name_vi()))
                .collect()
        };
        let up = named(Direction::Up);
        let down = named(Direction::Down);
        let mut s = String::new();
        if !up.is_empty() {
            s.push_str(&format!("{} tăng", capitalise(&up.join(", "))));
        }
        if !down.is_empty() {
            if s.is_empty() {
                s.push_str(&format!("{} giảm", capitalise(&down.join(", "))));
            } else {
                s.push_str(&format!("; tuy nhiên {} giảm", down.join(", ")));
            }
        }
        format!("{s} so với {previous_month}.")
    }
}

/// `Cửa Tùng, Vĩnh Chấp và Vĩnh Lâm`.
fn join_vi(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} và {last}", init.join(", ")),
    }
}

/// The narrative of `report`, with the units below `targets` (judged by [`judge`]: in a
/// month not `finished`, a rate on too few dossiers is "chưa đủ dữ liệu", not "chưa đạt")
/// and the deadline of their remediation reports.
pub fn monthly(
    report: &IndicatorReport,
    issuer: &str,
    targets: &Targets,
    finished: bool,
    deadline: Date,
) -> Narrative {
    let month = month_text(report.month);
    let previous_month = month_text(report.month.previous());
    let scope = format!("{} {}", report.unit_label, report.unit_short_name);
    let r = &report.rates;
    let p = &report.previous.rates;
    let c = &report.counts;
    let phrase = |id: RateId| rate_phrase(r.get(id), p.get(id), &previous_month);

    let online = Section {
        heading: "1. Dịch vụ công trực tuyến".to_owned(),
        paragraphs: vec![
            format!(
                "Trong {month}, {scope} có tỷ lệ hồ sơ trực tuyến toàn trình {}; tỷ lệ hồ sơ trực tuyến một phần và toàn trình trên tổng số hồ sơ tiếp nhận trực tiếp và trực tuyến {}; tỷ lệ dịch vụ công trực tuyến toàn trình và một phần phát sinh hồ sơ trực tuyến {}.",
                phrase(RateId::OnlineFull),
                phrase(RateId::Online),
                phrase(RateId::OnlineServiceUsage),
            ),
            trend_sentence(
                r,
                p,
                &[
                    RateId::OnlineFull,
                    RateId::Online,
                    RateId::OnlineServiceUsage,
                ],
                "dịch vụ công trực tuyến",
                &previous_month,
            ),
        ],
    };

    let digitized = &report.lists.digitized_100;
    let digitization = Section {
        heading: "2. Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính".to_owned(),
        paragraphs: vec![
            format!(
                "Tỷ lệ số hóa đầy đủ thành phần hồ sơ đầu vào {}; tỷ lệ số hóa kết quả giải quyết thủ tục hành chính {}.",
                phrase(RateId::InputDigitization),
                phrase(RateId::ResultDigitization),
            ),
            trend_sentence(
                r,
                p,
                &[RateId::InputDigitization, RateId::ResultDigitization],
                "số hóa",
                &previous_month,
            ),
            if digitized.is_empty() {
                "Không có đơn vị nào đạt 100% cả số hóa hồ sơ và kết quả.".to_owned()
            } else {
                format!(
                    "Có {} đơn vị đạt 100% cả số hóa hồ sơ và kết quả gồm: {}.",
                    display::count(digitized.len() as u64),
                    join_vi(digitized)
                )
            },
        ],
    };

    let late_text = if c.resolved_late == 0 {
        "không có hồ sơ quá hạn".to_owned()
    } else {
        let places: Vec<String> = report.lists.late.iter().map(LateEntry::text).collect();
        if places.len() == 1 {
            format!("quá hạn {}", places[0])
        } else {
            format!(
                "quá hạn {} hồ sơ, gồm: {}",
                display::count(c.resolved_late),
                join_vi(&places)
            )
        }
    };
    let results = Section {
        heading: "3. Kết quả giải quyết hồ sơ thủ tục hành chính".to_owned(),
        paragraphs: vec![
            format!(
                "Trong {month}, {scope} đã tiếp nhận {} hồ sơ, trong đó đã giải quyết {} hồ sơ (giải quyết trước hạn và đúng hạn {} hồ sơ, {late_text}).",
                display::count(c.received),
                display::count(c.resolved),
                display::count(c.resolved_early + c.resolved_on_time),
            ),
            format!(
                "Số hồ sơ đang giải quyết là {}, trong đó {} hồ sơ còn trong hạn và {} hồ sơ đã quá hạn.",
                display::count(c.pending),
                display::count(c.pending_within_due),
                display::count(c.pending_overdue),
            ),
        ],
    };

    let good = &report.lists.good_payment;
    let payment = Section {
        heading: "4. Thanh toán trực tuyến và biên lai điện tử".to_owned(),
        paragraphs: vec![
            format!(
                "Tỷ lệ hồ sơ phát sinh thanh toán trực tuyến trên Cổng Dịch vụ công quốc gia {}; tỷ lệ phát hành biên lai điện tử trên phần mềm một cửa điện tử {}.",
                phrase(RateId::OnlinePayment),
                phrase(RateId::EReceipt),
            ),
            if good.is_empty() {
                "Không có đơn vị nào đạt từ 90% cả thanh toán trực tuyến và biên lai điện tử."
                    .to_owned()
            } else {
                format!("Các đơn vị thực hiện tốt gồm: {}.", join_vi(good))
            },
        ],
    };

    let old: Vec<String> = report
        .units
        .iter()
        .filter(|u| u.counts.pending_old_system > 0)
        .map(|u| {
            format!(
                "{} {} {} hồ sơ",
                u.label,
                u.short_name,
                display::count(u.counts.pending_old_system)
            )
        })
        .collect();
    let old_system = Section {
        heading: "5. Hồ sơ còn tồn trên Hệ thống Một cửa cũ".to_owned(),
        paragraphs: vec![if c.pending_old_system == 0 {
            "Không còn hồ sơ đang giải quyết trên Hệ thống Một cửa cũ.".to_owned()
        } else if old.is_empty() {
            format!(
                "Còn {} hồ sơ đang giải quyết trên Hệ thống Một cửa cũ.",
                display::count(c.pending_old_system)
            )
        } else {
            format!(
                "Còn {} hồ sơ đang giải quyết trên Hệ thống Một cửa cũ, gồm: {}; các đơn vị cần thường xuyên theo dõi và xử lý dứt điểm.",
                display::count(c.pending_old_system),
                join_vi(&old)
            )
        }],
    };

    let judged = judge(report, targets, finished);
    let below: Vec<&Judgement> = judged.iter().filter(|j| j.is_below()).collect();
    let mut paragraphs = Vec::new();
    if below.is_empty() {
        paragraphs.push(format!(
            "Trong {month}, tất cả các đơn vị đều đạt chỉ tiêu."
        ));
    } else {
        paragraphs.push(format!(
            "Có {} đơn vị có chỉ số chưa đạt chỉ tiêu trong {month}:",
            display::count(below.len() as u64)
        ));
        for b in &below {
            paragraphs.push(format!(
                "- {}: {}.",
                capitalise(&b.name),
                b.misses.join("; ")
            ));
        }
        paragraphs.push(format!(
            "Các đơn vị có chỉ số chưa đạt cần tập trung thực hiện các giải pháp nhằm cải thiện chỉ số trong {}, đồng thời báo cáo kết quả khắc phục về {issuer} trước ngày {}.",
            month_text(report.month.next()),
            date_text(deadline)
        ));
    }
    let lacking: Vec<String> = judged
        .iter()
        .filter(|j| j.lacks_data())
        .map(|j| format!("{} ({})", j.name, j.too_few.join(", ")))
        .collect();
    if !lacking.is_empty() {
        paragraphs.push(format!(
            "{} chưa kết thúc; chưa đủ dữ liệu để đánh giá (dưới {MIN_DOSSIERS_UNFINISHED} hồ sơ): {}.",
            capitalise(&month),
            join_vi(&lacking)
        ));
    }
    let follow_up = Section {
        heading: "6. Đơn vị chưa đạt chỉ tiêu".to_owned(),
        paragraphs,
    };

    let mut sections = vec![
        online,
        digitization,
        results,
        payment,
        old_system,
        follow_up,
    ];
    // A closed month is reported with its frozen figures; what changed after the close is
    // said, never folded in silently.
    if let Some(sentence) = report
        .closed
        .as_ref()
        .and_then(crate::close::changes_sentence)
    {
        sections.push(Section {
            heading: "7. Số liệu thay đổi sau khi chốt".to_owned(),
            paragraphs: vec![sentence],
        });
    }
    Narrative {
        title: format!("Kết quả thực hiện cải cách thủ tục hành chính {month} – {scope}"),
        issuer: issuer.to_owned(),
        period: month,
        sections,
    }
}

/// The default deadline of the remediation reports: the 16th of the next month (as the
/// article's "trước ngày 16/6/2024").
pub fn default_deadline(month: Month) -> Date {
    month
        .next()
        .first_day()
        .replace_day(16)
        .unwrap_or(month.next().first_day())
}

impl Narrative {
    /// The report as plain text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.title.to_uppercase());
        out.push_str("\n\n");
        for s in &self.sections {
            out.push_str(&s.heading);
            out.push('\n');
            for p in &s.paragraphs {
                out.push_str(p);
                out.push('\n');
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_and_write_as_text() -> Result<(), String> {
        let d = Targets::default();
        assert_eq!(Targets::parse(&d.to_text())?, d);
        let t = Targets::parse("e_receipt_rate=95, online_rate=60 e_receipt_rate=97")?;
        assert_eq!(
            t.minimums,
            vec![(RateId::Online, 60), (RateId::EReceipt, 97)]
        );
        assert!(Targets::parse("")?.minimums.is_empty());
        assert!(
            Targets::parse("e_receipt=90")
                .unwrap_err()
                .contains("không có chỉ số")
        );
        assert!(
            Targets::parse("e_receipt_rate=120")
                .unwrap_err()
                .contains("từ 0 đến 100")
        );
        assert!(
            Targets::parse("e_receipt_rate")
                .unwrap_err()
                .contains("cần dạng")
        );
        Ok(())
    }
}
