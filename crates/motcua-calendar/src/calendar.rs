//! The working calendar of a unit: which days are worked, and its office sessions.
//!
//! A [`WorkCalendar`] is built once from yearly [`Schedule`]s (generated provisionally for the
//! years without one) and the unit's [`OfficeHours`] (made of [`Session`]s, by default
//! 07:00–11:30 and 13:30–17:00, 8 hours a day). It then answers, in constant time, whether a
//! day is worked and how much working time lies between two instants.
//!
//! All arithmetic is in whole minutes on the legal time of Vietnam, [`VN_OFFSET`] (UTC+7):
//! instants given in any offset are converted to it, and the machine's time zone is never read.
//! Seconds are dropped, as on the receipt form ("16 giờ 20 phút").
//!
//! Internally every instant maps to a *working position*: the number of working minutes
//! between the start of the calendar and that instant. Adding working time is adding to the
//! position; the precomputed list of working days turns a position back into a date in O(1).

use std::collections::HashMap;
use std::ops::RangeInclusive;

use time::macros::offset;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

use crate::schedule::{Schedule, ScheduleError};

/// The legal time of Vietnam, in which all working time is counted.
pub const VN_OFFSET: UtcOffset = offset!(+7);

/// Years a calendar can span at most; a guard against building a huge table by mistake.
const MAX_YEARS: i32 = 400;

/// An error building or querying a calendar.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    /// A date outside the years the calendar was built for.
    #[error("Ngày {date} nằm ngoài lịch làm việc đã nạp ({first}–{last})")]
    DateOutOfRange {
        /// The date asked for.
        date: Date,
        /// First year of the calendar.
        first: i32,
        /// Last year of the calendar.
        last: i32,
    },
    /// The result would fall after the last working day of the calendar.
    #[error("Kết quả vượt quá lịch làm việc đã nạp ({first}–{last})")]
    BeyondCalendar {
        /// First year of the calendar.
        first: i32,
        /// Last year of the calendar.
        last: i32,
    },
    /// The range of years is empty or too large.
    #[error("Khoảng năm của lịch không hợp lệ: {0}–{1}")]
    InvalidYears(i32, i32),
    /// Two schedules were given for the same year.
    #[error("Có hai lịch nghỉ cho năm {0}")]
    DuplicateSchedule(i32),
    /// The office sessions are empty, reversed, overlapping or not in whole minutes.
    #[error("Giờ làm việc không hợp lệ: {0}")]
    InvalidOfficeHours(&'static str),
    /// A schedule is invalid or cannot be generated.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
}

/// A working session of a day, e.g. 07:00–11:30, in whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    start: u16,
    end: u16,
}

impl Session {
    /// A session from `start` to `end` (exclusive), both in whole minutes, `start < end`.
    pub fn new(start: Time, end: Time) -> Result<Self, CalendarError> {
        if start.second() != 0
            || end.second() != 0
            || start.nanosecond() != 0
            || end.nanosecond() != 0
        {
            return Err(CalendarError::InvalidOfficeHours("giờ phải tròn phút"));
        }
        let (start, end) = (minute_of_day(start), minute_of_day(end));
        if start >= end {
            return Err(CalendarError::InvalidOfficeHours(
                "giờ bắt đầu phải trước giờ kết thúc",
            ));
        }
        Ok(Self { start, end })
    }

    /// Start of the session.
    pub fn start(&self) -> Time {
        time_of(self.start)
    }

    /// End of the session.
    pub fn end(&self) -> Time {
        time_of(self.end)
    }

    /// Length in minutes.
    pub fn minutes(&self) -> u32 {
        u32::from(self.end - self.start)
    }
}

/// The office sessions of a working day, in order. A working day is their total length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeHours {
    sessions: Vec<Session>,
    daily_minutes: u32,
}

impl OfficeHours {
    /// Office hours from sessions in chronological order that do not overlap.
    pub fn new(sessions: Vec<Session>) -> Result<Self, CalendarError> {
        if sessions.is_empty() {
            return Err(CalendarError::InvalidOfficeHours("cần ít nhất một buổi"));
        }
        if sessions.windows(2).any(|w| w[0].end > w[1].start) {
            return Err(CalendarError::InvalidOfficeHours(
                "các buổi phải theo thứ tự và không chồng lấn",
            ));
        }
        let daily_minutes = sessions.iter().map(Session::minutes).sum();
        Ok(Self {
            sessions,
            daily_minutes,
        })
    }

    /// The sessions, in order.
    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    /// Working minutes in a day (480 by default): the length of one "ngày làm việc".
    pub fn daily_minutes(&self) -> u32 {
        self.daily_minutes
    }

    /// Working minutes of the day before `minute` (minutes after midnight).
    fn worked_before(&self, minute: u16) -> u32 {
        self.sessions
            .iter()
            .map(|s| u32::from(minute.clamp(s.start, s.end) - s.start))
            .sum()
    }

    /// The minute of the day at which `offset` working minutes (0..daily) have been worked,
    /// inside a session: an offset that ends a session gives the next session's start.
    fn minute_at(&self, mut offset: u32) -> u16 {
        for s in &self.sessions {
            if offset < s.minutes() {
                // offset < session length < 1440, so it fits.
                return s.start + u16::try_from(offset).unwrap_or(0);
            }
            offset -= s.minutes();
        }
        self.sessions.last().map_or(0, |s| s.end)
    }
}

impl std::fmt::Display for OfficeHours {
    /// `07:00-11:30;13:30-17:00`: the form accepted by [`OfficeHours::from_str`].
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, s) in self.sessions.iter().enumerate() {
            if i > 0 {
                f.write_str(";")?;
            }
            write!(
                f,
                "{:02}:{:02}-{:02}:{:02}",
                s.start / 60,
                s.start % 60,
                s.end / 60,
                s.end % 60
            )?;
        }
        Ok(())
    }
}

impl std::str::FromStr for OfficeHours {
    type Err = CalendarError;

    /// Parses `07:00-11:30;13:30-17:00` (sessions separated by `;`, times as HH:MM).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        const FORM: &str = "cần dạng 07:00-11:30;13:30-17:00";
        let clock = |t: &str| -> Result<Time, CalendarError> {
            let (h, m) = t
                .trim()
                .split_once(':')
                .ok_or(CalendarError::InvalidOfficeHours(FORM))?;
            let (h, m) = (
                h.parse::<u8>()
                    .map_err(|_| CalendarError::InvalidOfficeHours(FORM))?,
                m.parse::<u8>()
                    .map_err(|_| CalendarError::InvalidOfficeHours(FORM))?,
            );
            Time::from_hms(h, m, 0).map_err(|_| CalendarError::InvalidOfficeHours(FORM))
        };
        let sessions = text
            .split(';')
            .filter(|part| !part.trim().is_empty())
            .map(|part| {
                let (a, b) = part
                    .split_once('-')
                    .ok_or(CalendarError::InvalidOfficeHours(FORM))?;
                Session::new(clock(a)?, clock(b)?)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(sessions)
    }
}

impl Default for OfficeHours {
    /// 07:00–11:30 and 13:30–17:00: 8 working hours.
    fn default() -> Self {
        let sessions = vec![
            Session {
                start: 7 * 60,
                end: 11 * 60 + 30,
            },
            Session {
                start: 13 * 60 + 30,
                end: 17 * 60,
            },
        ];
        Self {
            daily_minutes: sessions.iter().map(Session::minutes).sum(),
            sessions,
        }
    }
}

/// What kind of day a date is in the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayKind {
    /// An ordinary working day (Monday to Friday).
    Working,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A day off from a schedule: holiday, day off in lieu, swapped day.
    DayOff,
    /// A Saturday or Sunday worked from a schedule (ngày làm bù).
    MakeUp,
}

impl DayKind {
    /// Whether the office works that day.
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Working | DayKind::MakeUp)
    }
}

/// A day of the calendar, with the schedule's reason for days off and make-up days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayInfo<'a> {
    /// The kind of day.
    pub kind: DayKind,
    /// The reason from the schedule, for [`DayKind::DayOff`] and [`DayKind::MakeUp`].
    pub reason: Option<&'a str>,
}

/// A local instant of the calendar: day index and minute of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Local {
    pub(crate) day: usize,
    pub(crate) minute: u16,
}

/// The working calendar of a unit over a range of years. Cheap to query, built once.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    years: RangeInclusive<i32>,
    /// Julian day of 1 January of the first year: the day index origin.
    first_jd: i32,
    kinds: Vec<DayKind>,
    /// For each day, the number of working days strictly before it.
    rank: Vec<u32>,
    /// Day indexes of the working days, in order.
    working: Vec<u32>,
    reasons: HashMap<usize, String>,
    sources: Vec<(String, bool)>,
    hours: OfficeHours,
}

impl WorkCalendar {
    /// Builds the calendar of `years` from `schedules` and the unit's office hours.
    ///
    /// A year without a schedule gets the provisional one of [`Schedule::generate`] (which
    /// supports 1800–2199). Entries of any schedule are applied when their date is in range,
    /// in year order.
    pub fn new(
        years: RangeInclusive<i32>,
        schedules: &[Schedule],
        hours: OfficeHours,
    ) -> Result<Self, CalendarError> {
        let (first, last) = (*years.start(), *years.end());
        if first > last || last - first >= MAX_YEARS {
            return Err(CalendarError::InvalidYears(first, last));
        }
        for (i, s) in schedules.iter().enumerate() {
            s.validate()?;
            if schedules[..i].iter().any(|t| t.year == s.year) {
                return Err(CalendarError::DuplicateSchedule(s.year));
            }
        }
        let start = Date::from_ordinal_date(first, 1)
            .map_err(|_| CalendarError::InvalidYears(first, last))?;
        let end = Date::from_calendar_date(last, time::Month::December, 31)
            .map_err(|_| CalendarError::InvalidYears(first, last))?;
        let first_jd = start.to_julian_day();
        let len = usize::try_from(end.to_julian_day() - first_jd + 1)
            .map_err(|_| CalendarError::InvalidYears(first, last))?;

        let mut kinds = Vec::with_capacity(len);
        let mut day = start;
        for _ in 0..len {
            kinds.push(match day.weekday() {
                Weekday::Saturday | Weekday::Sunday => DayKind::Weekend,
                _ => DayKind::Working,
            });
            day = day.next_day().unwrap_or(day);
        }

        let mut generated = Vec::new();
        for year in years.clone() {
            if !schedules.iter().any(|s| s.year == year) {
                generated.push(Schedule::generate(year)?);
            }
        }
        let mut all: Vec<&Schedule> = schedules.iter().chain(&generated).collect();
        all.sort_by_key(|s| s.year);

        let mut reasons = HashMap::new();
        let index = |date: Date| usize::try_from(date.to_julian_day() - first_jd).ok();
        for s in &all {
            for (entries, kind) in [
                (&s.days_off, DayKind::DayOff),
                (&s.make_up_days, DayKind::MakeUp),
            ] {
                for entry in entries {
                    if let Some(i) = index(entry.date).filter(|&i| i < len) {
                        kinds[i] = kind;
                        reasons.insert(i, entry.reason.clone());
                    }
                }
            }
        }
        let sources = years
            .clone()
            .map(|year| {
                all.iter()
                    .find(|s| s.year == year)
                    .map(|s| (s.source.clone(), s.provisional))
                    .unwrap_or_default()
            })
            .collect();

        let mut rank = Vec::with_capacity(len);
        let mut working = Vec::new();
        for (i, kind) in kinds.iter().enumerate() {
            rank.push(u32::try_from(working.len()).unwrap_or(u32::MAX));
            if kind.is_working() {
                working.push(u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
        Ok(Self {
            years,
            first_jd,
            kinds,
            rank,
            working,
            reasons,
            sources,
            hours,
        })
    }

    /// The calendar of `years` from the bundled announced schedules, generated ones elsewhere.
    pub fn bundled(years: RangeInclusive<i32>, hours: OfficeHours) -> Result<Self, CalendarError> {
        let schedules = crate::schedule::bundled()?;
        Self::new(years, &schedules, hours)
    }

    /// The same days with other office hours (a unit with its own sessions).
    pub fn with_office_hours(&self, hours: OfficeHours) -> Self {
        Self {
            hours,
            ..self.clone()
        }
    }

    /// The years covered.
    pub fn years(&self) -> RangeInclusive<i32> {
        self.years.clone()
    }

    /// The unit's office hours.
    pub fn office_hours(&self) -> &OfficeHours {
        &self.hours
    }

    /// Citation of the schedule used for `year`.
    pub fn schedule_source(&self, year: i32) -> Option<&str> {
        self.year_slot(year).map(|(s, _)| s.as_str())
    }

    /// Whether the schedule used for `year` is provisional (generated, not announced).
    pub fn is_provisional(&self, year: i32) -> Option<bool> {
        self.year_slot(year).map(|&(_, p)| p)
    }

    fn year_slot(&self, year: i32) -> Option<&(String, bool)> {
        let i = usize::try_from(year.checked_sub(*self.years.start())?).ok()?;
        self.sources.get(i)
    }

    /// The kind of `date` and the schedule's reason, or `None` outside the calendar's years.
    pub fn day(&self, date: Date) -> Option<DayInfo<'_>> {
        let i = self.index(date)?;
        Some(DayInfo {
            kind: self.kinds[i],
            reason: self.reasons.get(&i).map(String::as_str),
        })
    }

    /// Whether the office works on `date`, or `None` outside the calendar's years.
    pub fn is_working_day(&self, date: Date) -> Option<bool> {
        Some(self.kinds[self.index(date)?].is_working())
    }

    /// The instant `minutes` working minutes after `at`, counted inside sessions of working
    /// days. A result exactly at the end of a session is shown as the next session's start
    /// (13:30 rather than 11:30; 07:00 of the next working day rather than 17:00). With `minutes == 0`, the start of the clock: `at`, or the next session
    /// start when `at` is outside a session.
    pub fn add_working_minutes(
        &self,
        at: OffsetDateTime,
        minutes: u32,
    ) -> Result<OffsetDateTime, CalendarError> {
        let local = self.local(at)?;
        if minutes == 0 {
            let start = self.clock_start(local, false)?;
            return self.to_instant(start);
        }
        let position = self.position(local) + u64::from(minutes);
        self.to_instant(self.at_position(position)?)
    }

    /// Working minutes from `from` to `to` (negative when `to` is earlier).
    pub fn working_minutes_between(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<i64, CalendarError> {
        let a = self.position(self.local(from)?);
        let b = self.position(self.local(to)?);
        // Positions are bounded by 400 years of minutes, far below i64::MAX.
        Ok(i64::try_from(b).unwrap_or(i64::MAX) - i64::try_from(a).unwrap_or(i64::MAX))
    }

    // ---- internals shared with the deadline module --------------------------------------

    fn bounds(&self) -> (i32, i32) {
        (*self.years.start(), *self.years.end())
    }

    fn beyond(&self) -> CalendarError {
        let (first, last) = self.bounds();
        CalendarError::BeyondCalendar { first, last }
    }

    fn index(&self, date: Date) -> Option<usize> {
        usize::try_from(date.to_julian_day() - self.first_jd)
            .ok()
            .filter(|&i| i < self.kinds.len())
    }

    pub(crate) fn date_of(&self, day: usize) -> Result<Date, CalendarError> {
        i32::try_from(day)
            .ok()
            .and_then(|d| self.first_jd.checked_add(d))
            .and_then(|jd| Date::from_julian_day(jd).ok())
            .ok_or_else(|| self.beyond())
    }

    pub(crate) fn kind_of(&self, day: usize) -> DayKind {
        self.kinds.get(day).copied().unwrap_or(DayKind::Weekend)
    }

    pub(crate) fn reason_of(&self, day: usize) -> Option<&str> {
        self.reasons.get(&day).map(String::as_str)
    }

    /// `at` in Vietnamese local time, truncated to the minute.
    pub(crate) fn local(&self, at: OffsetDateTime) -> Result<Local, CalendarError> {
        let local = at
            .checked_to_offset(VN_OFFSET)
            .ok_or_else(|| self.beyond())?;
        let date = local.date();
        let day = self.index(date).ok_or_else(|| {
            let (first, last) = self.bounds();
            CalendarError::DateOutOfRange { date, first, last }
        })?;
        Ok(Local {
            day,
            minute: u16::from(local.hour()) * 60 + u16::from(local.minute()),
        })
    }

    pub(crate) fn to_instant(&self, local: Local) -> Result<OffsetDateTime, CalendarError> {
        let date = self.date_of(local.day)?;
        Ok(PrimitiveDateTime::new(date, time_of(local.minute)).assume_offset(VN_OFFSET))
    }

    /// Working position of a local instant: working minutes since the calendar's start.
    pub(crate) fn position(&self, local: Local) -> u64 {
        let daily = u64::from(self.hours.daily_minutes);
        let before = u64::from(self.rank.get(local.day).copied().unwrap_or(u32::MAX));
        let today = if self.kind_of(local.day).is_working() {
            u64::from(self.hours.worked_before(local.minute))
        } else {
            0
        };
        before * daily + today
    }

    /// The local instant at a working position. A position on a session boundary is shown as
    /// the start of the next session (13:30 rather than 11:30, 07:00 of the next working day
    /// rather than 17:00): clock starts are always inside a session, so whole days then keep
    /// the clock time of the start, as the law's "N ngày làm việc" is read.
    pub(crate) fn at_position(&self, position: u64) -> Result<Local, CalendarError> {
        let daily = u64::from(self.hours.daily_minutes);
        let rank = usize::try_from(position / daily).map_err(|_| self.beyond())?;
        let day = self.working.get(rank).ok_or_else(|| self.beyond())?;
        // Below `daily`, so it fits in u32.
        let offset = u32::try_from(position % daily).unwrap_or(0);
        Ok(Local {
            day: usize::try_from(*day).map_err(|_| self.beyond())?,
            minute: self.hours.minute_at(offset),
        })
    }

    fn first_session_of_rank(&self, rank: usize) -> Result<Local, CalendarError> {
        let day = self.working.get(rank).ok_or_else(|| self.beyond())?;
        Ok(Local {
            day: usize::try_from(*day).map_err(|_| self.beyond())?,
            minute: self.hours.sessions.first().map_or(0, |s| s.start),
        })
    }

    /// The first session start of the next working day strictly after `day`.
    pub(crate) fn next_working_day_start(&self, day: usize) -> Result<Local, CalendarError> {
        let rank = usize::try_from(self.rank.get(day).copied().unwrap_or(u32::MAX))
            .map_err(|_| self.beyond())?;
        let skip = usize::from(self.kind_of(day).is_working());
        self.first_session_of_rank(rank + skip)
    }

    /// When the clock starts for something received at `local`: at once inside a session,
    /// else at the next session start. With `cutoff_15h`, after 15:00 on a working day it
    /// starts at the next working day's first session.
    pub(crate) fn clock_start(
        &self,
        local: Local,
        cutoff_15h: bool,
    ) -> Result<Local, CalendarError> {
        if self.kind_of(local.day).is_working() {
            if cutoff_15h && local.minute > CUTOFF_MINUTE {
                return self.next_working_day_start(local.day);
            }
            if let Some(s) = self.hours.sessions.iter().find(|s| local.minute < s.end) {
                return Ok(Local {
                    day: local.day,
                    minute: local.minute.max(s.start),
                });
            }
        }
        self.next_working_day_start(local.day)
    }
}

/// 15:00: dossiers received after it count from the next working day when a procedure says so.
pub(crate) const CUTOFF_MINUTE: u16 = 15 * 60;

fn minute_of_day(time: Time) -> u16 {
    u16::from(time.hour()) * 60 + u16::from(time.minute())
}

pub(crate) fn time_of(minute: u16) -> Time {
    // Wrapping addition: `minute` is below 1440 by construction.
    Time::MIDNIGHT + Duration::minutes(i64::from(minute))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::{date, datetime, time};

    fn cal() -> WorkCalendar {
        WorkCalendar::bundled(2024..=2026, OfficeHours::default()).unwrap()
    }

    #[test]
    fn office_hours_as_text() {
        assert_eq!(
            OfficeHours::default().to_string(),
            "07:00-11:30;13:30-17:00"
        );
        let h: OfficeHours = "07:30-11:30; 13:00-16:30".parse().unwrap();
        assert_eq!(h.daily_minutes(), 450);
        assert_eq!(h.to_string(), "07:30-11:30;13:00-16:30");
        for bad in [
            "",
            "7h-11h",
            "11:30-07:00",
            "07:00-12:00;11:00-17:00",
            "25:00-26:00",
        ] {
            assert!(bad.parse::<OfficeHours>().is_err(), "{bad}");
        }
        let unit = cal().with_office_hours(h.clone());
        assert_eq!(unit.office_hours(), &h);
        assert_eq!(unit.is_working_day(date!(2024 - 05 - 04)), Some(true));
    }

    #[test]
    fn fixture_2024_days() {
        let c = cal();
        let off = [
            date!(2024 - 01 - 01),
            date!(2024 - 02 - 08),
            date!(2024 - 02 - 09),
            date!(2024 - 02 - 12),
            date!(2024 - 02 - 13),
            date!(2024 - 02 - 14),
            date!(2024 - 04 - 18),
            date!(2024 - 04 - 29),
            date!(2024 - 04 - 30),
            date!(2024 - 05 - 01),
            date!(2024 - 09 - 02),
            date!(2024 - 09 - 03),
        ];
        for d in off {
            assert_eq!(c.is_working_day(d), Some(false), "{d}");
            assert_eq!(c.day(d).unwrap().kind, DayKind::DayOff, "{d}");
        }
        let working = [
            date!(2024 - 02 - 07),
            date!(2024 - 02 - 15),
            date!(2024 - 04 - 17),
            date!(2024 - 04 - 19),
            date!(2024 - 05 - 02),
            date!(2024 - 05 - 04),
            date!(2024 - 09 - 04),
        ];
        for d in working {
            assert_eq!(c.is_working_day(d), Some(true), "{d}");
        }
        let make_up = c.day(date!(2024 - 05 - 04)).unwrap();
        assert_eq!(make_up.kind, DayKind::MakeUp);
        assert!(make_up.reason.unwrap().contains("29/04/2024"));
        assert_eq!(c.is_working_day(date!(2024 - 05 - 05)), Some(false));
        assert_eq!(c.day(date!(2024 - 04 - 27)).unwrap().kind, DayKind::Weekend);
        assert_eq!(c.is_working_day(date!(2023 - 12 - 31)), None);
        assert_eq!(c.is_working_day(date!(2027 - 01 - 01)), None);
        assert_eq!(c.is_provisional(2024), Some(false));
        assert!(c.schedule_source(2024).unwrap().contains("2450/VPCP-KGVX"));
    }

    #[test]
    fn fixture_2025_and_2026_days() {
        let c = cal();
        for d in [
            date!(2025 - 01 - 27),
            date!(2025 - 01 - 31),
            date!(2025 - 04 - 07),
            date!(2025 - 05 - 02),
            date!(2025 - 09 - 01),
            date!(2026 - 01 - 02),
            date!(2026 - 02 - 16),
            date!(2026 - 02 - 20),
            date!(2026 - 04 - 27),
            date!(2026 - 08 - 31),
        ] {
            assert_eq!(c.is_working_day(d), Some(false), "{d}");
        }
        for d in [
            date!(2025 - 02 - 03),
            date!(2025 - 04 - 26),
            date!(2026 - 01 - 10),
            date!(2026 - 02 - 23),
            date!(2026 - 08 - 22),
        ] {
            assert_eq!(c.is_working_day(d), Some(true), "{d}");
        }
    }

    #[test]
    fn missing_years_are_generated_and_provisional() {
        let c = WorkCalendar::bundled(2026..=2027, OfficeHours::default()).unwrap();
        assert_eq!(c.is_provisional(2026), Some(false));
        assert_eq!(c.is_provisional(2027), Some(true));
        assert_eq!(c.is_provisional(2028), None);
        // Tết Đinh Mùi 2027: 6/2 (Saturday); eve 5/2.
        assert_eq!(c.is_working_day(date!(2027 - 02 - 05)), Some(false));
    }

    #[test]
    fn invalid_construction_is_an_error() {
        let (first, last) = (2026, 2024);
        assert!(WorkCalendar::bundled(first..=last, OfficeHours::default()).is_err());
        assert!(WorkCalendar::bundled(1..=2026, OfficeHours::default()).is_err());
        let twice = [
            Schedule::generate(2030).unwrap(),
            Schedule::generate(2030).unwrap(),
        ];
        assert!(WorkCalendar::new(2030..=2030, &twice, OfficeHours::default()).is_err());
        assert!(Session::new(time!(11:00), time!(7:00)).is_err());
        assert!(OfficeHours::new(vec![]).is_err());
        let overlapping = vec![
            Session::new(time!(7:00), time!(12:00)).unwrap(),
            Session::new(time!(11:00), time!(17:00)).unwrap(),
        ];
        assert!(OfficeHours::new(overlapping).is_err());
    }

    #[test]
    fn default_office_hours_are_8_hours() {
        let h = OfficeHours::default();
        assert_eq!(h.daily_minutes(), 480);
        assert_eq!(h.sessions()[0].start(), time!(7:00));
        assert_eq!(h.sessions()[1].end(), time!(17:00));
        let explicit = OfficeHours::new(vec![
            Session::new(time!(7:00), time!(11:30)).unwrap(),
            Session::new(time!(13:30), time!(17:00)).unwrap(),
        ])
        .unwrap();
        assert_eq!(explicit, h);
    }

    #[test]
    fn adding_working_minutes() {
        let c = cal();
        let thu = datetime!(2024-04-25 09:00 +7);
        assert_eq!(
            c.add_working_minutes(thu, 150).unwrap(),
            datetime!(2024-04-25 13:30 +7)
        );
        assert_eq!(
            c.add_working_minutes(thu, 151).unwrap(),
            datetime!(2024-04-25 13:31 +7)
        );
        // Friday 26/4 09:00 + 8 h skips Sat 27 to Wed 1/5 → Thursday 2/5 09:00.
        assert_eq!(
            c.add_working_minutes(datetime!(2024-04-26 09:00 +7), 480)
                .unwrap(),
            datetime!(2024-05-02 09:00 +7)
        );
        // Lunch break and evenings are not counted; a start at 12:00 waits for 13:30.
        assert_eq!(
            c.add_working_minutes(datetime!(2024-04-25 12:00 +7), 0)
                .unwrap(),
            datetime!(2024-04-25 13:30 +7)
        );
        assert_eq!(
            c.add_working_minutes(datetime!(2024-04-25 12:00 +7), 210)
                .unwrap(),
            // The whole afternoon: the next working instant is 07:00 Friday.
            datetime!(2024-04-26 07:00 +7)
        );
        // The same instant written in UTC gives the same answer.
        assert_eq!(
            c.add_working_minutes(datetime!(2024-04-25 02:00 UTC), 480)
                .unwrap(),
            datetime!(2024-04-26 09:00 +7)
        );
        assert_eq!(
            c.working_minutes_between(thu, datetime!(2024-05-02 09:00 +7))
                .unwrap(),
            2 * 480
        );
        assert!(
            c.add_working_minutes(datetime!(2026-12-31 16:00 +7), 120)
                .is_err()
        );
        assert!(
            c.add_working_minutes(datetime!(2030-01-01 16:00 +7), 1)
                .is_err()
        );
    }
}
