//! The monthly report's narrative (`docs/spec/report.md`): Vietnamese prose built from an
//! [`IndicatorReport`], in the article's order: online services, digitization, results,
//! payment and e-receipts, the old system's backlog, the units below target with the deadline
//! of their remediation reports.
//!
//! Sentences are built from the data: a change of zero reads "không đổi", a missing previous
//! month is said, an empty list reads "không có đơn vị nào…". The renderers (text here; HTML,
//! DOCX, XLSX at the edges) all take the same [`Narrative`].

mod targets;
mod words;

use std::cell::Cell;

use serde::Serialize;
use time::Date;

use crate::counts::Counts;
use crate::display::{self, Change, Direction, capitalise};
use crate::indicators::IndicatorReport;
use crate::rates::{RateId, Rates};
use crate::timestamp::Month;

pub use targets::{Judgement, MIN_DOSSIERS_UNFINISHED, Targets, judge};
pub use words::unit_name;
use words::{join_vi, lower_first};

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

/// What the narrative says besides the indicators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts<'a> {
    /// The issuing unit's name (`UBND huyện Vĩnh Linh`): the units below target report to it.
    pub issuer: &'a str,
    pub targets: &'a Targets,
    /// The deadline of the remediation reports ([`crate::letterhead::remediation_deadline`]).
    pub deadline: Date,
    /// The day the scope received its first dossier on the new system, if any: said when it
    /// falls in the month reported on (the go-live).
    pub go_live: Option<Date>,
    /// Whether the month has ended by the report's date: in a running month a rate on too few
    /// dossiers is "chưa đủ dữ liệu", not "chưa đạt" ([`judge`]).
    pub finished: bool,
}

fn month_text(m: Month) -> String {
    format!("tháng {}/{}", m.number(), m.year())
}

fn date_text(d: Date) -> String {
    format!("{}/{}/{}", d.day(), d.month() as u8, d.year())
}

/// `2.074 hồ sơ`.
fn dossiers(n: u64) -> String {
    format!("{} hồ sơ", display::count(n))
}

/// The rates' phrases: the first says what the change is measured against
/// (`đạt 33,8% (tăng 8,8 điểm phần trăm so với tháng 4/2024)`), the others only the change
/// (`đạt 76,9% (tăng 48,3 điểm phần trăm)`).
struct Phrases<'a> {
    rates: &'a Rates,
    previous: &'a Rates,
    previous_month: String,
    compared: Cell<bool>,
}

impl Phrases<'_> {
    fn against(&self) -> String {
        if self.compared.replace(true) {
            String::new()
        } else {
            format!(" so với {}", self.previous_month)
        }
    }

    fn of(&self, id: RateId) -> String {
        let (current, previous) = (self.rates.get(id), self.previous.get(id));
        let Some(value) = display::rate(current) else {
            return "chưa phát sinh hồ sơ để tính".to_owned();
        };
        match Change::between(current, previous) {
            Some(c) if c.direction == Direction::Unchanged => {
                format!("đạt {value}% (không đổi{})", self.against())
            }
            Some(c) => format!(
                "đạt {value}% ({} điểm phần trăm{})",
                c.text(),
                self.against()
            ),
            None => format!(
                "đạt {value}% (chưa có số liệu {} để so sánh)",
                self.previous_month
            ),
        }
    }

    /// How a group of indicators moved: all up, all down, mixed, unchanged or not
    /// comparable, against the previous month.
    fn trend(&self, ids: &[RateId], what: &str) -> String {
        let direction = |id: &RateId| {
            Change::between(self.rates.get(*id), self.previous.get(*id)).map(|c| c.direction)
        };
        let changes: Vec<Direction> = ids.iter().filter_map(direction).collect();
        if changes.is_empty() {
            return format!("Chưa có số liệu {} để so sánh {what}.", self.previous_month);
        }
        let all = |d: Direction| changes.iter().all(|c| *c == d);
        if all(Direction::Up) {
            format!("Các chỉ số về {what} đều tăng so với tháng trước.")
        } else if all(Direction::Down) {
            format!("Các chỉ số về {what} đều giảm so với tháng trước.")
        } else if all(Direction::Unchanged) {
            format!("Các chỉ số về {what} không đổi so với tháng trước.")
        } else {
            let named = |d: Direction| -> Vec<String> {
                ids.iter()
                    .filter(|id| direction(id) == Some(d))
                    .map(|id| lower_first(id.name_vi()))
                    .collect()
            };
            let (up, down) = (named(Direction::Up), named(Direction::Down));
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
            format!("{s} so với tháng trước.")
        }
    }
}

/// `a, b` of the parts that are not empty.
fn parts(items: Vec<Option<String>>) -> String {
    items.into_iter().flatten().collect::<Vec<_>>().join(", ")
}

/// Section 3: what was to be handled (received and carried over) and what became of it,
/// so that the reader can add it up; no "0 hồ sơ".
fn results(report: &IndicatorReport, scope: &str, month: &str, own: bool) -> Vec<String> {
    let c = &report.counts;
    let to_handle = c.received + c.carried_over;
    if to_handle == 0 {
        return vec![format!(
            "Trong {month}, {scope} không tiếp nhận hồ sơ mới và không có hồ sơ từ kỳ trước chuyển sang."
        )];
    }
    let intake = match (c.received, c.carried_over) {
        (0, carried) => format!(
            "Trong {month}, {scope} không tiếp nhận hồ sơ mới; có {} từ kỳ trước chuyển sang cần giải quyết.",
            dossiers(carried)
        ),
        (received, 0) => format!(
            "Trong {month}, {scope} đã tiếp nhận {} mới (không có hồ sơ từ kỳ trước chuyển sang).",
            dossiers(received)
        ),
        (received, carried) => format!(
            "Trong {month}, {scope} đã tiếp nhận {} mới; cùng với {} từ kỳ trước chuyển sang, tổng số hồ sơ phải giải quyết là {}.",
            dossiers(received),
            dossiers(carried),
            dossiers(to_handle)
        ),
    };
    let in_time = c.resolved_early + c.resolved_on_time;
    let late = if c.resolved_late == 0 {
        None
    } else {
        let places: Vec<String> = report
            .lists
            .late
            .iter()
            .map(|l| {
                format!(
                    "{} ở {}",
                    dossiers(l.count),
                    unit_name(&l.label, &l.short_name)
                )
            })
            .collect();
        Some(match places.as_slice() {
            _ if own => format!("quá hạn {}", dossiers(c.resolved_late)),
            [one] => format!("quá hạn {one}"),
            _ => format!(
                "quá hạn {}, gồm: {}",
                dossiers(c.resolved_late),
                join_vi(&places)
            ),
        })
    };
    let resolved = if c.resolved == 0 {
        "Chưa có hồ sơ nào được giải quyết xong".to_owned()
    } else {
        let detail = parts(vec![
            (in_time > 0).then(|| format!("trước hạn và đúng hạn {}", dossiers(in_time))),
            late,
            (c.resolved_late == 0).then(|| "không có hồ sơ quá hạn".to_owned()),
        ]);
        format!("Đã giải quyết {} ({detail})", dossiers(c.resolved))
    };
    let pending = if c.pending == 0 {
        "không còn hồ sơ đang giải quyết".to_owned()
    } else if c.pending_overdue == 0 {
        format!("đang giải quyết {}, đều còn trong hạn", dossiers(c.pending))
    } else if c.pending_within_due == 0 {
        format!("đang giải quyết {}, đều đã quá hạn", dossiers(c.pending))
    } else {
        format!(
            "đang giải quyết {} ({} còn trong hạn, {} đã quá hạn)",
            dossiers(c.pending),
            dossiers(c.pending_within_due),
            dossiers(c.pending_overdue)
        )
    };
    let withdrawn = if c.withdrawn > 0 {
        format!(
            "; {} được rút theo đề nghị của người nộp",
            dossiers(c.withdrawn)
        )
    } else {
        String::new()
    };
    vec![intake, format!("{resolved}; {pending}{withdrawn}.")]
}

/// The sentence on the citizens' satisfaction (issue 19): the indicator of regulations.md
/// §2.2 and the ratings behind it.
fn satisfaction(p: &Phrases<'_>, c: &Counts) -> String {
    let rated = if c.resolved_rated == 0 {
        "chưa có hồ sơ nào được công dân đánh giá".to_owned()
    } else {
        format!(
            "{} được công dân đánh giá, trong đó {} không hài lòng; tỷ lệ đánh giá hài lòng {}",
            dossiers(c.resolved_rated),
            display::count(c.resolved_rated_dissatisfied),
            p.of(RateId::RatingSatisfaction),
        )
    };
    format!(
        "Tỷ lệ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính {}; {rated}.",
        p.of(RateId::DossierSatisfaction),
    )
}

/// The narrative of `report`, with the units below `facts.targets` and the deadline of
/// their remediation reports. A unit's own report (a scope of one unit) names no unit: its
/// lists would only name itself, and it asks no one for a remediation report.
pub fn monthly(report: &IndicatorReport, facts: &Facts<'_>) -> Narrative {
    let month = month_text(report.month);
    let scope = unit_name(&report.unit_label, &report.unit_short_name);
    let own = report.units.iter().all(|u| u.code == report.unit);
    let c = &report.counts;
    let p = Phrases {
        rates: &report.rates,
        previous: &report.previous.rates,
        previous_month: month_text(report.month.previous()),
        compared: Cell::new(false),
    };

    let online_ids = [
        RateId::OnlineFull,
        RateId::Online,
        RateId::OnlineServiceUsage,
    ];
    let online = Section {
        heading: "1. Dịch vụ công trực tuyến".to_owned(),
        paragraphs: vec![
            format!(
                "Trong {month}, {scope} có tỷ lệ hồ sơ trực tuyến toàn trình {}; tỷ lệ hồ sơ trực tuyến một phần và toàn trình trên tổng số hồ sơ tiếp nhận trực tiếp và trực tuyến {}; tỷ lệ dịch vụ công trực tuyến toàn trình và một phần phát sinh hồ sơ trực tuyến {}.",
                p.of(RateId::OnlineFull),
                p.of(RateId::Online),
                p.of(RateId::OnlineServiceUsage),
            ),
            p.trend(&online_ids, "dịch vụ công trực tuyến"),
        ],
    };

    let mut paragraphs = vec![format!(
        "Tỷ lệ số hóa đầy đủ thành phần hồ sơ đầu vào {}; tỷ lệ số hóa kết quả giải quyết thủ tục hành chính {}.",
        p.of(RateId::InputDigitization),
        p.of(RateId::ResultDigitization),
    )];
    let not_digitized = c
        .received_with_components
        .saturating_sub(c.received_fully_digitized);
    if not_digitized > 0 {
        paragraphs.push(format!(
            "Còn {} tiếp nhận trong tháng chưa được số hóa đầy đủ thành phần hồ sơ.",
            dossiers(not_digitized)
        ));
    }
    paragraphs.push(p.trend(
        &[RateId::InputDigitization, RateId::ResultDigitization],
        "số hóa",
    ));
    let digitized = &report.lists.digitized_100;
    if !own {
        paragraphs.push(if digitized.is_empty() {
            "Không có đơn vị nào đạt 100% cả số hóa hồ sơ và kết quả.".to_owned()
        } else {
            format!(
                "Có {} đơn vị đạt 100% cả số hóa hồ sơ và kết quả gồm: {}.",
                display::count(digitized.len() as u64),
                join_vi(digitized)
            )
        });
    }
    let digitization = Section {
        heading: "2. Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính".to_owned(),
        paragraphs,
    };

    let mut paragraphs = results(report, &scope, &month, own);
    paragraphs.push(satisfaction(&p, c));
    let results = Section {
        heading: "3. Kết quả giải quyết hồ sơ thủ tục hành chính".to_owned(),
        paragraphs,
    };

    let good = &report.lists.good_payment;
    let mut paragraphs = vec![format!(
        "Tỷ lệ hồ sơ phát sinh thanh toán trực tuyến trên Cổng Dịch vụ công quốc gia {}; tỷ lệ phát hành biên lai điện tử trên phần mềm một cửa điện tử {}.",
        p.of(RateId::OnlinePayment),
        p.of(RateId::EReceipt),
    )];
    if !own {
        paragraphs.push(if good.is_empty() {
            "Không có đơn vị nào đạt từ 90% cả thanh toán trực tuyến và biên lai điện tử."
                .to_owned()
        } else {
            format!("Các đơn vị thực hiện tốt gồm: {}.", join_vi(good))
        });
    }
    let payment = Section {
        heading: "4. Thanh toán trực tuyến và biên lai điện tử".to_owned(),
        paragraphs,
    };

    let mut paragraphs = Vec::new();
    if let Some(day) = facts.go_live.filter(|d| report.month.first_day() <= *d)
        && day < report.month.next().first_day()
    {
        paragraphs.push(format!(
            "Từ ngày {}, {scope} tiếp nhận hồ sơ trên hệ thống giải quyết TTHC mới; hồ sơ tiếp nhận trước đó tiếp tục được giải quyết trên Hệ thống Một cửa cũ.",
            date_text(day)
        ));
    }
    let old: Vec<String> = report
        .units
        .iter()
        .filter(|u| u.counts.pending_old_system > 0)
        .map(|u| {
            format!(
                "{} {}",
                unit_name(&u.label, &u.short_name),
                dossiers(u.counts.pending_old_system)
            )
        })
        .collect();
    paragraphs.push(if c.pending_old_system == 0 {
        "Không còn hồ sơ đang giải quyết trên Hệ thống Một cửa cũ.".to_owned()
    } else if own || old.is_empty() {
        format!(
            "Còn {} đang giải quyết trên Hệ thống Một cửa cũ, cần thường xuyên theo dõi và xử lý dứt điểm.",
            dossiers(c.pending_old_system)
        )
    } else {
        format!(
            "Còn {} đang giải quyết trên Hệ thống Một cửa cũ, gồm: {}; các đơn vị cần thường xuyên theo dõi và xử lý dứt điểm.",
            dossiers(c.pending_old_system),
            join_vi(&old)
        )
    });
    let old_system = Section {
        heading: "5. Hồ sơ còn tồn trên Hệ thống Một cửa cũ".to_owned(),
        paragraphs,
    };

    let judged = judge(report, facts.targets, facts.finished);
    let below: Vec<&Judgement> = judged.iter().filter(|j| j.is_below()).collect();
    let next = month_text(report.month.next());
    let mut paragraphs = Vec::new();
    let heading = if own {
        match below.first() {
            None => paragraphs.push(format!(
                "Trong {month}, các chỉ số của {scope} đều đạt chỉ tiêu."
            )),
            Some(b) => {
                paragraphs.push(format!(
                    "Các chỉ số chưa đạt chỉ tiêu trong {month}: {}.",
                    b.misses.join("; ")
                ));
                paragraphs.push(format!(
                    "{} cần tập trung thực hiện các giải pháp nhằm cải thiện các chỉ số này trong {next}.",
                    capitalise(&scope)
                ));
            }
        }
        "6. Chỉ số chưa đạt chỉ tiêu"
    } else {
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
                "Các đơn vị có chỉ số chưa đạt cần tập trung thực hiện các giải pháp nhằm cải thiện chỉ số trong {next}, đồng thời báo cáo kết quả khắc phục về {} trước ngày {}.",
                facts.issuer,
                date_text(facts.deadline)
            ));
        }
        "6. Đơn vị chưa đạt chỉ tiêu"
    };
    let lacking: Vec<String> = judged
        .iter()
        .filter(|j| j.lacks_data())
        .map(|j| {
            if own {
                j.too_few.join(", ")
            } else {
                format!("{} ({})", j.name, j.too_few.join(", "))
            }
        })
        .collect();
    if !lacking.is_empty() {
        paragraphs.push(format!(
            "{} chưa kết thúc; chưa đủ dữ liệu để đánh giá (dưới {MIN_DOSSIERS_UNFINISHED} hồ sơ): {}.",
            capitalise(&month),
            join_vi(&lacking)
        ));
    }
    let follow_up = Section {
        heading: heading.to_owned(),
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
    for (abbr, full) in words::ABBREVIATIONS {
        words::spell_out(&mut sections, abbr, full);
    }
    Narrative {
        title: format!("Kết quả thực hiện cải cách thủ tục hành chính {month} – {scope}"),
        issuer: facts.issuer.to_owned(),
        period: month,
        sections,
    }
}

/// The default deadline of the remediation reports: that of a report dated by default, the
/// day after the month (the 16th of the next month, as the article's "trước ngày
/// 16/6/2024").
pub fn default_deadline(month: Month) -> Date {
    crate::letterhead::remediation_deadline(month.next().first_day())
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
