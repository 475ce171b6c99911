//! Follow-ups of units below target (theo dõi khắc phục): the unit above asks a unit for its
//! remediation report on a month's indicators by a date ("báo cáo kết quả khắc phục … trước
//! ngày 16/6/2024"), and tracks it until the unit submits it.

use time::Date;

use crate::timestamp::{Month, Timestamp};
use crate::unit::UnitCode;

/// The longest report text accepted.
pub const MAX_REPORT_CHARS: usize = 20_000;

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
