//! Follow-ups of units below target (theo dõi khắc phục): the unit above asks a unit for its
//! remediation report on a month's indicators by a date ("báo cáo kết quả khắc phục … trước
//! ngày 16/6/2024"), and tracks it until the unit submits it.

use time::Date;

use crate::timestamp::{Month, Timestamp};
use crate::unit::UnitCode;

/// The longest report text accepted.
pub const MAX_REPORT_CHARS: usize = 20_000;

/// Working days a unit is given, at least, to write its remediation report: a request made
/// after the report's usual date (the 16th of the next month) proposes today + this many
/// working days instead of a date already past.
pub const WORKING_DAYS_TO_REPORT: u16 = 5;

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
