//! Follow-ups of units below target (theo dõi khắc phục): the unit above asks a unit for its
//! remediation report on a month's indicators by a date ("báo cáo kết quả khắc phục … trước
//! ngày 16/6/2024"), and tracks it until the unit submits it.

use time::Date;

use crate::display;
use crate::indicators::IndicatorReport;
use crate::report::Targets;
use crate::timestamp::{Month, Timestamp};
use crate::unit::UnitCode;

/// The longest report text accepted.
pub const MAX_REPORT_CHARS: usize = 20_000;

/// Working days a unit is given, at least, to write its remediation report: a request made
/// after the report's usual date (the 16th of the next month) proposes today + this many
/// working days instead of a date already past.
pub const WORKING_DAYS_TO_REPORT: u16 = 5;

/// The fewest dossiers behind a rate for it to be judged against its target while the month is
/// not finished. Below that (one late dossier of one received on the 2nd), the unit is shown
/// as "chưa đủ dữ liệu" rather than "chưa đạt": the month can still change the figure. Once
/// the month has ended every defined rate is judged, as the monthly report does.
pub const MIN_DOSSIERS_UNFINISHED: u64 = 10;

/// Whether `month` has ended on `today` (Vietnam's date): a remediation report is asked only
/// of a finished month.
pub fn month_finished(month: Month, today: Date) -> bool {
    month.next().first_day() <= today
}

/// The deadline proposed for the remediation reports of `month`: the report's usual date (the
/// 16th of the next month, [`crate::report::default_deadline`]) unless it comes before
/// `earliest` (today + [`WORKING_DAYS_TO_REPORT`] working days, from the calendar), then
/// `earliest`. Never a date the request form would refuse.
pub fn proposed_due(month: Month, earliest: Date) -> Date {
    crate::report::default_deadline(month).max(earliest)
}

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

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A follow-up: one per unit and month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub unit: UnitCode,
    /// The month whose indicators were below target.
    pub month: Month,
    /// The report is due before the end of this day (Vietnam's time).
    pub due: Date,
    /// What was asked: the indicators under target.
    pub note: String,
    pub created_at: Timestamp,
    pub created_by: String,
    pub submitted: Option<Submission>,
}

/// The unit's remediation report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub at: Timestamp,
    pub by: String,
    pub report: String,
}

/// Where a follow-up stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpState {
    /// Not submitted, not yet due.
    Open,
    /// Not submitted, past its due date.
    Overdue,
    /// Submitted by the due date.
    Submitted,
    /// Submitted after the due date.
    SubmittedLate,
}

impl FollowUpState {
    pub fn name_vi(self) -> &'static str {
        match self {
            FollowUpState::Open => "Chờ báo cáo",
            FollowUpState::Overdue => "Quá hạn báo cáo",
            FollowUpState::Submitted => "Đã báo cáo đúng hạn",
            FollowUpState::SubmittedLate => "Đã báo cáo muộn",
        }
    }
}

impl FollowUp {
    /// Its state at `now`.
    pub fn state(&self, now: Timestamp) -> FollowUpState {
        match &self.submitted {
            Some(s) if s.at.local_date() <= self.due => FollowUpState::Submitted,
            Some(_) => FollowUpState::SubmittedLate,
            None if now.local_date() > self.due => FollowUpState::Overdue,
            None => FollowUpState::Open,
        }
    }

    /// Checks a report before it is submitted.
    pub fn check_report(text: &str) -> Result<(), String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("hãy ghi nội dung báo cáo kết quả khắc phục".to_owned());
        }
        if t.chars().count() > MAX_REPORT_CHARS {
            return Err(format!(
                "báo cáo dài quá {MAX_REPORT_CHARS} ký tự; hãy tóm tắt"
            ));
        }
        crate::freetext::check_note(t, MAX_REPORT_CHARS).map_err(|e| format!("báo cáo {e}"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_a_finished_month_is_followed_up_and_never_with_a_past_deadline() {
        let may = Month::new(2024, 5).unwrap();
        let day = |m: time::Month, d: u8| Date::from_calendar_date(2024, m, d).unwrap();
        assert!(!month_finished(may, day(time::Month::May, 31)));
        assert!(month_finished(may, day(time::Month::June, 1)));
        // Early in June: the report's date, the 16th.
        assert_eq!(
            proposed_due(may, day(time::Month::June, 10)),
            day(time::Month::June, 16)
        );
        // Later: the earliest date allowed, never the past 16th.
        assert_eq!(
            proposed_due(may, day(time::Month::December, 9)),
            day(time::Month::December, 9)
        );
    }

    #[test]
    fn a_follow_up_is_open_overdue_or_submitted() {
        let ts = |s: &str| Timestamp::parse(s).unwrap();
        let mut f = FollowUp {
            unit: UnitCode::parse("vinh-khe").unwrap(),
            month: Month::new(2024, 5).unwrap(),
            due: Date::from_calendar_date(2024, time::Month::June, 16).unwrap(),
            note: String::new(),
            created_at: ts("2024-06-03T08:00:00+07:00"),
            created_by: "user:lanh-dao".into(),
            submitted: None,
        };
        assert_eq!(
            f.state(ts("2024-06-16T23:59:00+07:00")),
            FollowUpState::Open
        );
        // 17:00 UTC on the 16th is already the 17th in Vietnam.
        assert_eq!(f.state(ts("2024-06-16T17:00:00Z")), FollowUpState::Overdue);
        f.submitted = Some(Submission {
            at: ts("2024-06-16T16:59:00Z"),
            by: "user:khe".into(),
            report: "Đã khắc phục".into(),
        });
        assert_eq!(
            f.state(ts("2024-07-01T08:00:00+07:00")),
            FollowUpState::Submitted
        );
        f.submitted = Some(Submission {
            at: ts("2024-06-17T08:00:00+07:00"),
            by: "user:khe".into(),
            report: "Đã khắc phục".into(),
        });
        assert_eq!(
            f.state(ts("2024-07-01T08:00:00+07:00")),
            FollowUpState::SubmittedLate
        );
        assert!(FollowUp::check_report("  ").is_err());
        assert!(FollowUp::check_report(&"x".repeat(MAX_REPORT_CHARS + 1)).is_err());
        assert!(FollowUp::check_report("Đã số hóa đủ").is_ok());
        assert!(FollowUp::check_report("Đã số hóa\r\nđủ").is_ok());
        assert_eq!(
            FollowUp::check_report("Đã số hóa\u{0}đủ"),
            Err("báo cáo chứa ký tự điều khiển U+0000".to_owned())
        );
    }
}
