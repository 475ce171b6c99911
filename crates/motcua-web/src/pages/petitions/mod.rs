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
/// `calendar` (the unit's) after today up to the due date.
fn time_left(calendar: &WorkCalendar, now: Timestamp, due: Timestamp) -> (String, bool) {
    if due < now {
        return ("Quá hạn".to_owned(), true);
    }
    let (today, last) = (now.local_date(), due.local_date());
    let mut days = 0u32;
    let mut d = today;
    while d < last {
        let Some(next) = d.next_day() else { break };
        d = next;
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
