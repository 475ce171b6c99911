//! The officers' pages of feedback and petitions (phản ánh, kiến nghị — PAKN,
//! `motcua_app::petitions`): the list of the signed-in officer's subtree, due soonest first
//! (`GET /petitions`, [`list`]), and a PAKN's page with its stages, history and the step forms
//! that apply now (`GET /petitions/{code}`, `POST /petitions/{code}/step`, [`show`]).

mod list;
mod show;

pub use list::list;
pub use show::{show, step};

use motcua_calendar::WorkCalendar;
use motcua_core::timestamp::Timestamp;

/// What is left before `due` as of `now`, in words, and whether it is overdue:
/// `còn 3 ngày làm việc`, `hạn trong hôm nay`, `quá hạn`. The working days are those of
/// `calendar` (the unit's) after today up to the due date; the due date itself only when some
/// of its office hours come before `due` (a deadline shown as the next session's start,
/// 07:00, ends with the working day before).
fn time_left(calendar: &WorkCalendar, now: Timestamp, due: Timestamp) -> (String, bool) {
    if due < now {
        return ("Quá hạn".to_owned(), true);
    }
    let (today, last) = (now.local_date(), due.local_date());
    let opens = calendar
        .office_hours()
        .sessions()
        .first()
        .map(|s| s.start());
    let due_opens_its_day = opens.is_some_and(|o| due.to_local().time() <= o);
    let mut days = 0u32;
    let mut d = today;
    while d < last {
        let Some(next) = d.next_day() else { break };
        d = next;
        if d == last && due_opens_its_day {
            break;
        }
        if calendar.is_working_day(d).unwrap_or(true) {
            days += 1;
        }
    }
    if days == 0 {
        ("Hạn trong hôm nay".to_owned(), false)
    } else {
        (format!("Còn {days} ngày làm việc"), false)
    }
}

#[cfg(test)]
mod tests {
    use motcua_calendar::{OfficeHours, WorkCalendar};
    use motcua_core::timestamp::Timestamp;

    use super::time_left;

    fn left(now: &str, due: &str) -> (String, bool) {
        let calendar = WorkCalendar::bundled(2026..=2026, OfficeHours::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let at = |s: &str| Timestamp::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        time_left(&calendar, at(now), at(due))
    }

    #[test]
    fn a_deadline_at_the_opening_of_a_day_leaves_the_working_days_before_it() {
        // Friday 4/12/2026 late: due when Wednesday opens, so Monday and Tuesday are left.
        assert_eq!(
            left("2026-12-04T23:57:00+07:00", "2026-12-09T07:00:00+07:00").0,
            "Còn 2 ngày làm việc"
        );
        // Due within Wednesday's hours: Wednesday counts.
        assert_eq!(
            left("2026-12-04T23:57:00+07:00", "2026-12-09T10:00:00+07:00").0,
            "Còn 3 ngày làm việc"
        );
        // Monday afternoon, due when Tuesday opens: today is the last day.
        assert_eq!(
            left("2026-12-07T14:00:00+07:00", "2026-12-08T07:00:00+07:00"),
            ("Hạn trong hôm nay".to_owned(), false)
        );
        assert_eq!(
            left("2026-12-08T07:30:00+07:00", "2026-12-08T07:00:00+07:00"),
            ("Quá hạn".to_owned(), true)
        );
    }
}
