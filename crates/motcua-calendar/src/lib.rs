//! Working-day calendar and deadline engine of motcua.
//!
//! Legal processing times (thời hạn giải quyết) are counted in working time of the receiving
//! unit: weekdays minus the holidays and days off the government announces each year, plus the
//! Saturdays it makes working days (ngày làm bù), and only inside office sessions. This crate
//! computes that, and nothing else: it knows nothing of dossiers, does no IO and never reads
//! the clock or the machine's time zone. `now`, dates and the calendar are parameters; all
//! arithmetic happens in the legal time of Vietnam ([`VN_OFFSET`], UTC+7).
//!
//! - [`lunar`]: the Vietnamese lunar calendar at UTC+7 ([`LunarDate`], [`lunar::tet`],
//!   [`lunar::hung_kings`], [`lunar::solar_to_lunar`], [`lunar::lunar_to_solar`]).
//! - [`schedule`]: a year of days off and make-up days as data ([`Schedule`]), bundled for
//!   2024–2026 with their citations, parsed from JSON at run time, or generated provisionally
//!   from the Labour Code for other years.
//! - [`calendar`]: [`WorkCalendar`], built from schedules and [`OfficeHours`]; working days and
//!   working-minute arithmetic.
//! - [`deadline`]: [`due_at`] (allocation-free) and [`explain`] (Vietnamese steps), with
//!   [`ProcessingDays`], [`DeadlineRules`] (15:00 cut-off) and [`Pause`]s that stop the clock.
//! - [`format`](mod@format): Vietnamese dates ("thứ Sáu 03/05/2024") and durations ("6 giờ 30 phút").
//!
//! ```
//! use motcua_calendar::{DeadlineRules, OfficeHours, ProcessingDays, WorkCalendar, due_at};
//! use time::macros::datetime;
//!
//! let calendar = WorkCalendar::bundled(2024..=2026, OfficeHours::default())?;
//! let due = due_at(
//!     datetime!(2024-04-25 09:00 +7),
//!     ProcessingDays::days(3),
//!     DeadlineRules { cutoff_15h: true },
//!     &[],
//!     &calendar,
//! )?;
//! // 29/4 (swapped), 30/4 and 1/5 are days off.
//! assert_eq!(due.due_at, datetime!(2024-05-03 09:00 +7));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod calendar;
pub mod deadline;
pub mod format;
pub mod lunar;
pub mod schedule;

pub use calendar::{
    CalendarError, DayInfo, DayKind, OfficeHours, Session, VN_OFFSET, WorkCalendar,
};
pub use deadline::{
    DeadlineError, DeadlineRules, DueDate, ExplanationStep, Pause, ProcessingDays, StepKind,
    due_at, explain,
};
pub use lunar::LunarDate;
pub use schedule::{Schedule, ScheduleDay, ScheduleError};
