//! Due dates (ngày hẹn trả) of dossiers, and their step-by-step explanation.
//!
//! [`due_at`] applies the contract of `docs/spec/deadlines.md`: the clock starts when the complete
//! dossier is received (at the next session start when received outside a session, or the next
//! working day after 15:00 when the procedure has that cut-off, see [`DeadlineRules`]); it runs
//! [`ProcessingDays`] × one working day, only inside sessions of working days, so whole days
//! keep the clock time of the start; each [`Pause`] (supplement requested, suspension) stops
//! it, and it resumes where it stopped. A due time that lands on a session boundary is shown as
//! the start of the next session (07:00 of the next working day rather than 17:00, 13:30 rather
//! than 11:30): clock starts are always inside a session, so this is what keeps the clock time
//! of whole days, as the reference one-stop systems do (docs/research/regulations.md §4.2).
//!
//! [`explain`] recomputes the same due date and tells, in Vietnamese, why: the start, each
//! working day counted, each day skipped and why, each pause, the end ([`ExplanationStep`]).
//!
//! [`due_at`] allocates nothing: it is the fast path for recomputing millions of due dates.

use std::fmt;
use std::str::FromStr;

use time::{Date, OffsetDateTime};

use crate::calendar::{CalendarError, DayKind, Local, WorkCalendar, time_of};
use crate::format;

/// A processing time in working days, with up to three decimals (0,5 day = 4 working hours
/// with the default sessions). One day is the unit's daily working time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ProcessingDays {
    thousandths: u32,
}

impl ProcessingDays {
    /// `days` whole working days.
    pub const fn days(days: u16) -> Self {
        Self {
            // u16::MAX * 1000 fits in u32.
            thousandths: days as u32 * 1000,
        }
    }

    /// A processing time in thousandths of a working day (500 = half a day).
    pub const fn from_thousandths(thousandths: u32) -> Self {
        Self { thousandths }
    }

    /// The processing time in thousandths of a working day.
    pub const fn thousandths(self) -> u32 {
        self.thousandths
    }

    /// Working minutes for days of `daily_minutes`, rounded to the nearest minute.
    pub fn working_minutes(self, daily_minutes: u32) -> u64 {
        (u64::from(self.thousandths) * u64::from(daily_minutes) + 500) / 1000
    }
}

impl FromStr for ProcessingDays {
    type Err = DeadlineError;

    /// Parses "3", "0.5" or "0,5" (at most three decimals).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || DeadlineError::InvalidProcessingDays(text.to_owned());
        let trimmed = text.trim();
        let (whole, fraction) = match trimmed.split_once(['.', ',']) {
            Some((w, f)) => (w, Some(f)),
            None => (trimmed, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let fraction_ok = fraction.is_none_or(|f| digits(f) && f.len() <= 3);
        if !digits(whole) || !fraction_ok {
            return Err(invalid());
        }
        let whole: u32 = whole.parse().map_err(|_| invalid())?;
        let mut fraction_value = 0;
        for (i, b) in fraction.unwrap_or("").bytes().enumerate() {
            fraction_value += u32::from(b - b'0') * [100, 10, 1][i];
        }
        whole
            .checked_mul(1000)
            .and_then(|t| t.checked_add(fraction_value))
            .map(Self::from_thousandths)
            .ok_or_else(invalid)
    }
}

impl fmt::Display for ProcessingDays {
    /// Vietnamese decimal comma: "3", "0,5", "1,25".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, fraction) = (self.thousandths / 1000, self.thousandths % 1000);
        if fraction == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{fraction:03}");
            write!(f, "{whole},{}", digits.trim_end_matches('0'))
        }
    }
}

/// Per-procedure rules for starting the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeadlineRules {
    /// "Nếu tiếp nhận hồ sơ sau 15 giờ thì thời gian được tính bắt đầu từ ngày làm việc tiếp
    /// theo": a dossier received after 15:00 counts from the next working day.
    pub cutoff_15h: bool,
}

/// A period during which the clock is stopped: waiting for a supplement, a suspension.
///
/// For a pause still running, pass the current moment as `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    /// When the clock stopped.
    pub from: OffsetDateTime,
    /// When it resumed.
    pub to: OffsetDateTime,
    /// Why, in Vietnamese, e.g. "Yêu cầu bổ sung hồ sơ".
    pub reason: String,
}

/// The result of [`due_at`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueDate {
    /// When the clock started, in UTC+7.
    pub start: OffsetDateTime,
    /// The due date and time (ngày hẹn trả), in UTC+7.
    pub due_at: OffsetDateTime,
    /// Working minutes of the processing time.
    pub working_minutes: u64,
    /// Working minutes added by pauses.
    pub paused_minutes: u64,
}

/// An error computing a due date.
#[derive(Debug, thiserror::Error)]
pub enum DeadlineError {
    /// The calendar does not cover the dates involved.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// A pause ends before it starts.
    #[error("Khoảng tạm dừng thứ {} kết thúc trước khi bắt đầu", .index + 1)]
    PauseReversed {
        /// Index of the pause in the slice.
        index: usize,
    },
    /// Pauses must be in chronological order and must not overlap.
    #[error("Khoảng tạm dừng thứ {} bắt đầu trước khi khoảng trước đó kết thúc", .index + 1)]
    PausesOverlap {
        /// Index of the pause in the slice.
        index: usize,
    },
    /// Text that is not a number of days.
    #[error("Thời hạn không hợp lệ: \"{0}\" (ví dụ: 3 hoặc 0,5)")]
    InvalidProcessingDays(String),
}

/// The due date of a dossier received at `received_at` with `processing_days` of processing
/// time, the procedure's `rules` and the clock `pauses` (chronological, not overlapping).
///
/// Allocation-free; O(number of pauses + number of sessions).
pub fn due_at(
    received_at: OffsetDateTime,
    processing_days: ProcessingDays,
    rules: DeadlineRules,
    pauses: &[Pause],
    calendar: &WorkCalendar,
) -> Result<DueDate, DeadlineError> {
    let run = run(
        received_at,
        processing_days,
        rules,
        pauses,
        calendar,
        |_, _| {},
    )?;
    Ok(DueDate {
        start: calendar.to_instant(run.start)?,
        due_at: calendar.to_instant(run.due)?,
        working_minutes: run.working,
        paused_minutes: run.paused,
    })
}

/// What a pause did: the working positions it covered, or nothing.
type PauseEffect = Option<(u64, u64)>;

struct Run {
    received: Local,
    start: Local,
    due: Local,
    start_position: u64,
    due_position: u64,
    working: u64,
    paused: u64,
}

fn run(
    received_at: OffsetDateTime,
    processing_days: ProcessingDays,
    rules: DeadlineRules,
    pauses: &[Pause],
    calendar: &WorkCalendar,
    mut on_pause: impl FnMut(usize, PauseEffect),
) -> Result<Run, DeadlineError> {
    let received = calendar.local(received_at)?;
    let start = calendar.clock_start(received, rules.cutoff_15h)?;
    let start_position = calendar.position(start);
    let working = processing_days.working_minutes(calendar.office_hours().daily_minutes());

    // Walk the pauses in order: the clock runs from `cursor` until the next pause, and what
    // it has not used yet (`remaining`) is carried past the pause.
    let mut cursor = start_position;
    let mut remaining = working;
    let mut paused = 0;
    let mut previous_end: Option<OffsetDateTime> = None;
    for (index, pause) in pauses.iter().enumerate() {
        if pause.to < pause.from {
            return Err(DeadlineError::PauseReversed { index });
        }
        if previous_end.is_some_and(|end| pause.from < end) {
            return Err(DeadlineError::PausesOverlap { index });
        }
        previous_end = Some(pause.to);
        let from = calendar.position(calendar.local(pause.from)?).max(cursor);
        let to = calendar.position(calendar.local(pause.to)?).max(cursor);
        // A pause that starts once the time is used up, or covers no working time, changes
        // nothing.
        if from >= cursor + remaining || to == from {
            on_pause(index, None);
            continue;
        }
        remaining -= from - cursor;
        paused += to - from;
        cursor = to;
        on_pause(index, Some((from, to)));
    }
    let due_position = cursor + remaining;
    let due = if due_position == start_position {
        start
    } else {
        calendar.at_position(due_position)?
    };
    Ok(Run {
        received,
        start,
        due,
        start_position,
        due_position,
        working,
        paused,
    })
}

/// The kind of an [`ExplanationStep`], with its data for renderers that need more than text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// Reception and the start of the clock.
    Start,
    /// The processing time in days and working hours.
    Term,
    /// A working day and the working minutes counted on it.
    WorkingDay {
        /// The day.
        date: Date,
        /// Working minutes counted that day.
        minutes: u64,
    },
    /// A day not counted: weekend, day off, or a working day entirely paused.
    SkippedDay {
        /// The day.
        date: Date,
    },
    /// A pause of the clock.
    Pause {
        /// Index in the pauses given.
        index: usize,
        /// Working minutes it added to the due date.
        minutes: u64,
    },
    /// The due date.
    Due,
}

/// One line of the explanation of a due date: what happened, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplanationStep {
    /// What the step is about.
    pub kind: StepKind,
    /// The sentence shown to the user.
    pub text: String,
}

/// The due date of [`due_at`] explained step by step, in Vietnamese.
pub fn explain(
    received_at: OffsetDateTime,
    processing_days: ProcessingDays,
    rules: DeadlineRules,
    pauses: &[Pause],
    calendar: &WorkCalendar,
) -> Result<Vec<ExplanationStep>, DeadlineError> {
    let mut effects: Vec<PauseEffect> = vec![None; pauses.len()];
    let run = run(
        received_at,
        processing_days,
        rules,
        pauses,
        calendar,
        |index, effect| {
            if let Some(slot) = effects.get_mut(index) {
                *slot = effect;
            }
        },
    )?;
    let at = |local: Local| -> Result<String, DeadlineError> {
        Ok(format!(
            "{} {}",
            format::time(time_of(local.minute)),
            format::date(calendar.date_of(local.day)?)
        ))
    };
    let mut steps = Vec::new();

    steps.push(ExplanationStep {
        kind: StepKind::Start,
        text: start_text(&run, rules, calendar, &at)?,
    });
    let daily = u64::from(calendar.office_hours().daily_minutes());
    steps.push(ExplanationStep {
        kind: StepKind::Term,
        text: format!(
            "Thời hạn giải quyết: {processing_days} ngày làm việc, tức {} làm việc (mỗi ngày {}).",
            format::minutes(run.working),
            format::minutes(daily)
        ),
    });

    // Pauses are told on the day they were recorded (not before the clock's start).
    let mut pause_days = Vec::with_capacity(pauses.len());
    for pause in pauses {
        pause_days.push(calendar.local(pause.from)?.day.max(run.start.day));
    }
    let mut next_pause = 0;
    let pause_step = |index: usize| -> Result<ExplanationStep, DeadlineError> {
        let (pause, effect) = (&pauses[index], effects[index]);
        let from = at(calendar.local(pause.from)?)?;
        let to = at(calendar.local(pause.to)?)?;
        let (minutes, outcome) = match effect {
            Some((a, b)) => (
                b - a,
                format!("cộng thêm {} vào thời hạn", format::minutes(b - a)),
            ),
            None => (
                0,
                "không làm thay đổi thời hạn (ngoài giờ làm việc hoặc sau hạn trả)".to_owned(),
            ),
        };
        Ok(ExplanationStep {
            kind: StepKind::Pause { index, minutes },
            text: format!(
                "Tạm dừng tính thời gian từ {from} đến {to} ({}): {outcome}.",
                pause.reason
            ),
        })
    };

    let (start_time, due_time) = (time_of(run.start.minute), time_of(run.due.minute));
    let mut counted_total = 0;
    // Days between reception and the start of the clock are days off: tell them too.
    let first_day = if run.received.day < run.start.day {
        run.received.day + 1
    } else {
        run.start.day
    };
    for day in first_day..=run.due.day {
        while next_pause < pauses.len() && pause_days[next_pause] <= day {
            steps.push(pause_step(next_pause)?);
            next_pause += 1;
        }
        let date = calendar.date_of(day)?;
        let name = format::capitalize(&format::date(date));
        let kind = calendar.kind_of(day);
        if !kind.is_working() {
            let why = match (kind, calendar.reason_of(day)) {
                (DayKind::DayOff, Some(reason)) => format!("ngày nghỉ ({reason})"),
                _ => "nghỉ cuối tuần".to_owned(),
            };
            steps.push(ExplanationStep {
                kind: StepKind::SkippedDay { date },
                text: format!("{name}: {why}, không tính."),
            });
            continue;
        }
        let day_start = calendar.position(Local { day, minute: 0 });
        let day_end = day_start + daily;
        let overlap = |a: u64, b: u64| b.min(day_end).saturating_sub(a.max(day_start));
        let span = overlap(run.start_position, run.due_position);
        let paused_today: u64 = effects.iter().flatten().map(|&(a, b)| overlap(a, b)).sum();
        if span == 0 {
            continue;
        }
        let make_up = if kind == DayKind::MakeUp {
            " (ngày làm bù)"
        } else {
            ""
        };
        let counted = span.saturating_sub(paused_today);
        if counted == 0 {
            steps.push(ExplanationStep {
                kind: StepKind::SkippedDay { date },
                text: format!("{name}{make_up}: đang tạm dừng tính thời gian, không tính."),
            });
            continue;
        }
        counted_total += counted;
        let mut detail = Vec::new();
        let hours = calendar.office_hours().sessions();
        if day == run.start.day && hours.first().is_some_and(|s| s.start() != start_time) {
            detail.push(format!("từ {}", format::time(start_time)));
        }
        if day == run.due.day && hours.last().is_some_and(|s| s.end() != due_time) {
            detail.push(format!("đến {}", format::time(due_time)));
        }
        if paused_today > 0 {
            detail.push(format!("trừ {} tạm dừng", format::minutes(paused_today)));
        }
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", detail.join(", "))
        };
        steps.push(ExplanationStep {
            kind: StepKind::WorkingDay {
                date,
                minutes: counted,
            },
            text: format!(
                "{name}{make_up}: tính {}{detail}; lũy kế {}/{}.",
                format::minutes(counted),
                format::minutes(counted_total),
                format::minutes(run.working)
            ),
        });
    }
    while next_pause < pauses.len() {
        steps.push(pause_step(next_pause)?);
        next_pause += 1;
    }

    let mut due = format!("Hạn trả kết quả: {}", at(run.due)?);
    if run.paused > 0 {
        due.push_str(&format!(
            " (đã cộng {} tạm dừng)",
            format::minutes(run.paused)
        ));
    }
    due.push('.');
    steps.push(ExplanationStep {
        kind: StepKind::Due,
        text: due,
    });
    Ok(steps)
}

fn start_text(
    run: &Run,
    rules: DeadlineRules,
    calendar: &WorkCalendar,
    at: &dyn Fn(Local) -> Result<String, DeadlineError>,
) -> Result<String, DeadlineError> {
    let received = format!("Nhận hồ sơ lúc {}", at(run.received)?);
    if run.received == run.start {
        return Ok(format!(
            "{received}, trong giờ làm việc: bắt đầu tính thời gian ngay."
        ));
    }
    let kind = calendar.kind_of(run.received.day);
    let why = if !kind.is_working() {
        match (kind, calendar.reason_of(run.received.day)) {
            (DayKind::DayOff, Some(reason)) => format!("ngày nghỉ ({reason})"),
            _ => "ngày nghỉ cuối tuần".to_owned(),
        }
    } else if rules.cutoff_15h && run.received.minute > crate::calendar::CUTOFF_MINUTE {
        "sau 15:00".to_owned()
    } else {
        "ngoài giờ làm việc".to_owned()
    };
    let make_up = if calendar.kind_of(run.start.day) == DayKind::MakeUp {
        " (ngày làm bù)"
    } else {
        ""
    };
    Ok(format!(
        "{received}, {why}: bắt đầu tính từ {}{make_up}.",
        at(run.start)?
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::calendar::OfficeHours;
    use time::macros::datetime;

    fn cal() -> WorkCalendar {
        WorkCalendar::bundled(2024..=2026, OfficeHours::default()).unwrap()
    }

    const PLAIN: DeadlineRules = DeadlineRules { cutoff_15h: false };
    const CUTOFF: DeadlineRules = DeadlineRules { cutoff_15h: true };

    fn due(received: OffsetDateTime, days: &str, rules: DeadlineRules) -> OffsetDateTime {
        due_at(received, days.parse().unwrap(), rules, &[], &cal())
            .unwrap()
            .due_at
    }

    #[test]
    fn processing_days_parse_and_display() {
        let half: ProcessingDays = "0,5".parse().unwrap();
        assert_eq!(half, ProcessingDays::from_thousandths(500));
        assert_eq!(half.working_minutes(480), 240);
        assert_eq!(
            "1.25".parse::<ProcessingDays>().unwrap().to_string(),
            "1,25"
        );
        assert_eq!(
            " 3 ".parse::<ProcessingDays>().unwrap(),
            ProcessingDays::days(3)
        );
        assert_eq!(ProcessingDays::days(15).to_string(), "15");
        for bad in ["", "-1", "1.2345", "a", "1,", ".5", "1.5.5", "99999999999"] {
            assert!(bad.parse::<ProcessingDays>().is_err(), "{bad}");
        }
    }

    #[test]
    fn three_days_over_30_4_skip_the_holidays() {
        // Thu 25/4 09:00 + 3 days: Fri 26/4 (1), Sat 27–Wed 1/5 skipped (weekend, 29/4 swapped,
        // 30/4, 1/5), Thu 2/5 (2), Fri 3/5 (3) → Fri 3/5 09:00.
        assert_eq!(
            due(datetime!(2024-04-25 09:00 +7), "3", PLAIN),
            datetime!(2024-05-03 09:00 +7)
        );
        // Four days reach the make-up Saturday 4/5.
        assert_eq!(
            due(datetime!(2024-04-25 09:00 +7), "4", PLAIN),
            datetime!(2024-05-04 09:00 +7)
        );
    }

    #[test]
    fn cutoff_after_15h_starts_next_working_day() {
        // Friday 3/5 16:20, after 15:00: clock starts 07:00 Saturday 4/5 (make-up day), so one
        // day later is 07:00 of the next working day, Monday 6/5.
        let r = due_at(
            datetime!(2024-05-03 16:20 +7),
            ProcessingDays::days(1),
            CUTOFF,
            &[],
            &cal(),
        )
        .unwrap();
        assert_eq!(r.start, datetime!(2024-05-04 07:00 +7));
        assert_eq!(r.due_at, datetime!(2024-05-06 07:00 +7));
        // Without the cut-off the 40 minutes of Friday count: the make-up Saturday 16:20.
        assert_eq!(
            due(datetime!(2024-05-03 16:20 +7), "1", PLAIN),
            datetime!(2024-05-04 16:20 +7)
        );
        // 15:00 exactly is not after 15:00.
        assert_eq!(
            due(datetime!(2024-05-03 15:00 +7), "1", CUTOFF),
            datetime!(2024-05-04 15:00 +7)
        );
    }

    #[test]
    fn session_boundaries() {
        // Received at 17:00 Monday: outside sessions, clock starts 07:00 Tuesday; one day
        // later keeps the clock time: 07:00 Wednesday (the same working instant as 17:00
        // Tuesday).
        let r = due_at(
            datetime!(2024-05-06 17:00 +7),
            ProcessingDays::days(1),
            PLAIN,
            &[],
            &cal(),
        )
        .unwrap();
        assert_eq!(r.start, datetime!(2024-05-07 07:00 +7));
        assert_eq!(r.due_at, datetime!(2024-05-08 07:00 +7));
        // Half a day from 09:00 crosses lunch: 2 h 30 until 11:30, 1 h 30 from 13:30.
        assert_eq!(
            due(datetime!(2024-05-06 09:00 +7), "0.5", PLAIN),
            datetime!(2024-05-06 15:00 +7)
        );
        // Half a day from 07:00 ends at 11:00; from 09:30 it reaches the lunch boundary, shown
        // as 13:30.
        assert_eq!(
            due(datetime!(2024-05-06 07:00 +7), "0.5", PLAIN),
            datetime!(2024-05-06 11:00 +7)
        );
        assert_eq!(
            due(datetime!(2024-05-06 07:30 +7), "0.5", PLAIN),
            datetime!(2024-05-06 13:30 +7)
        );
        // Received at lunch: starts 13:30. One day later keeps the clock time: 13:30.
        let r = due_at(
            datetime!(2024-05-06 12:00 +7),
            ProcessingDays::days(1),
            PLAIN,
            &[],
            &cal(),
        )
        .unwrap();
        assert_eq!(r.start, datetime!(2024-05-06 13:30 +7));
        assert_eq!(r.due_at, datetime!(2024-05-07 13:30 +7));
        // Zero days: due at the start of the clock.
        assert_eq!(
            due(datetime!(2024-05-06 18:00 +7), "0", PLAIN),
            datetime!(2024-05-07 07:00 +7)
        );
    }

    #[test]
    fn tet_2024_is_skipped() {
        // Wed 7/2/2024 10:00 + 2 days: Thu 8 – Wed 14/2 off → Thu 15/2 10:00, Fri 16/2 10:00.
        assert_eq!(
            due(datetime!(2024-02-07 10:00 +7), "2", PLAIN),
            datetime!(2024-02-16 10:00 +7)
        );
    }

    #[test]
    fn pauses_stop_and_resume_the_clock() {
        let c = cal();
        let received = datetime!(2024-05-06 09:00 +7);
        let pause = Pause {
            from: datetime!(2024-05-07 09:00 +7),
            to: datetime!(2024-05-09 14:00 +7),
            reason: "Yêu cầu bổ sung hồ sơ".to_owned(),
        };
        let r = due_at(
            received,
            ProcessingDays::days(3),
            PLAIN,
            std::slice::from_ref(&pause),
            &c,
        )
        .unwrap();
        // Paused Tue 09:00 → Thu 14:00: 6 h on Tuesday, 8 h on Wednesday, 5 h on Thursday.
        assert_eq!(r.paused_minutes, 19 * 60);
        // 8 h were used before the pause; the other 16 h run from Thu 14:00: 3 h Thursday,
        // 8 h Friday, 5 h Monday → Mon 13/5 14:00.
        assert_eq!(r.due_at, datetime!(2024-05-13 14:00 +7));

        // A pause after the due date, or on a weekend, changes nothing.
        let late = Pause {
            from: datetime!(2024-06-03 09:00 +7),
            to: datetime!(2024-06-05 09:00 +7),
            reason: "Tạm dừng".to_owned(),
        };
        let weekend = Pause {
            from: datetime!(2024-05-11 08:00 +7),
            to: datetime!(2024-05-12 20:00 +7),
            reason: "Tạm dừng".to_owned(),
        };
        let base = due_at(received, ProcessingDays::days(3), PLAIN, &[], &c).unwrap();
        let other = due_at(
            received,
            ProcessingDays::days(3),
            PLAIN,
            std::slice::from_ref(&late),
            &c,
        )
        .unwrap();
        assert_eq!(base.due_at, other.due_at);
        let friday = datetime!(2024-05-10 09:00 +7);
        let base = due_at(friday, ProcessingDays::days(3), PLAIN, &[], &c).unwrap();
        assert_eq!(base.due_at, datetime!(2024-05-15 09:00 +7));
        let other = due_at(friday, ProcessingDays::days(3), PLAIN, &[weekend], &c).unwrap();
        assert_eq!(base.due_at, other.due_at);
        assert_eq!(other.paused_minutes, 0);

        // Out of order or reversed pauses are errors.
        let err = due_at(
            received,
            ProcessingDays::days(3),
            PLAIN,
            &[late.clone(), pause.clone()],
            &c,
        );
        assert!(matches!(
            err,
            Err(DeadlineError::PausesOverlap { index: 1 })
        ));
        let reversed = Pause {
            from: late.to,
            to: late.from,
            reason: String::new(),
        };
        let err = due_at(received, ProcessingDays::days(3), PLAIN, &[reversed], &c);
        assert!(matches!(
            err,
            Err(DeadlineError::PauseReversed { index: 0 })
        ));
    }

    #[test]
    fn out_of_range_is_an_error() {
        let c = cal();
        assert!(matches!(
            due_at(
                datetime!(2023-12-29 09:00 +7),
                ProcessingDays::days(1),
                PLAIN,
                &[],
                &c
            ),
            Err(DeadlineError::Calendar(
                CalendarError::DateOutOfRange { .. }
            ))
        ));
        assert!(
            due_at(
                datetime!(2026-12-30 09:00 +7),
                ProcessingDays::days(5),
                PLAIN,
                &[],
                &c
            )
            .is_err()
        );
    }

    #[test]
    fn explanation_of_a_cutoff_over_the_make_up_day() {
        let steps = explain(
            datetime!(2024-05-03 16:20 +7),
            ProcessingDays::days(2),
            CUTOFF,
            &[],
            &cal(),
        )
        .unwrap();
        let texts: Vec<&str> = steps.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Nhận hồ sơ lúc 16:20 thứ Sáu 03/05/2024, sau 15:00: bắt đầu tính từ 07:00 \
                 thứ Bảy 04/05/2024 (ngày làm bù).",
                "Thời hạn giải quyết: 2 ngày làm việc, tức 16 giờ làm việc (mỗi ngày 8 giờ).",
                "Thứ Bảy 04/05/2024 (ngày làm bù): tính 8 giờ; lũy kế 8 giờ/16 giờ.",
                "Chủ nhật 05/05/2024: nghỉ cuối tuần, không tính.",
                "Thứ Hai 06/05/2024: tính 8 giờ; lũy kế 16 giờ/16 giờ.",
                "Hạn trả kết quả: 07:00 thứ Ba 07/05/2024.",
            ]
        );
    }

    #[test]
    fn explanation_tells_the_days_off_before_the_start() {
        let steps = explain(
            datetime!(2026-04-25 10:00 +7),
            "0,5".parse().unwrap(),
            CUTOFF,
            &[],
            &cal(),
        )
        .unwrap();
        let texts: Vec<&str> = steps.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Nhận hồ sơ lúc 10:00 thứ Bảy 25/04/2026, ngày nghỉ cuối tuần: bắt đầu tính từ \
                 07:00 thứ Ba 28/04/2026.",
                "Thời hạn giải quyết: 0,5 ngày làm việc, tức 4 giờ làm việc (mỗi ngày 8 giờ).",
                "Chủ nhật 26/04/2026: ngày nghỉ (Giỗ Tổ Hùng Vương (10/3 âm lịch)), không tính.",
                "Thứ Hai 27/04/2026: ngày nghỉ (Nghỉ bù Giỗ Tổ Hùng Vương (ngày lễ trùng Chủ \
                 nhật)), không tính.",
                "Thứ Ba 28/04/2026: tính 4 giờ (đến 11:00); lũy kế 4 giờ/4 giờ.",
                "Hạn trả kết quả: 11:00 thứ Ba 28/04/2026.",
            ]
        );
        assert_eq!(
            steps[4].kind,
            StepKind::WorkingDay {
                date: time::macros::date!(2026 - 04 - 28),
                minutes: 240
            }
        );
    }

    #[test]
    fn explanation_with_holidays_and_a_pause() {
        let pause = Pause {
            from: datetime!(2024-05-02 14:00 +7),
            to: datetime!(2024-05-03 10:00 +7),
            reason: "Yêu cầu bổ sung hồ sơ".to_owned(),
        };
        let c = cal();
        let steps = explain(
            datetime!(2024-04-25 09:00 +7),
            ProcessingDays::days(3),
            PLAIN,
            std::slice::from_ref(&pause),
            &c,
        )
        .unwrap();
        let texts: Vec<&str> = steps.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Nhận hồ sơ lúc 09:00 thứ Năm 25/04/2024, trong giờ làm việc: bắt đầu tính \
                 thời gian ngay.",
                "Thời hạn giải quyết: 3 ngày làm việc, tức 24 giờ làm việc (mỗi ngày 8 giờ).",
                "Thứ Năm 25/04/2024: tính 6 giờ (từ 09:00); lũy kế 6 giờ/24 giờ.",
                "Thứ Sáu 26/04/2024: tính 8 giờ; lũy kế 14 giờ/24 giờ.",
                "Thứ Bảy 27/04/2024: nghỉ cuối tuần, không tính.",
                "Chủ nhật 28/04/2024: nghỉ cuối tuần, không tính.",
                "Thứ Hai 29/04/2024: ngày nghỉ (Nghỉ hoán đổi dịp 30/4–1/5 (làm bù thứ Bảy \
                 04/05/2024)), không tính.",
                "Thứ Ba 30/04/2024: ngày nghỉ (Ngày Chiến thắng (30/4)), không tính.",
                "Thứ Tư 01/05/2024: ngày nghỉ (Ngày Quốc tế Lao động (1/5)), không tính.",
                "Tạm dừng tính thời gian từ 14:00 thứ Năm 02/05/2024 đến 10:00 thứ Sáu \
                 03/05/2024 (Yêu cầu bổ sung hồ sơ): cộng thêm 6 giờ vào thời hạn.",
                "Thứ Năm 02/05/2024: tính 5 giờ (trừ 3 giờ tạm dừng); lũy kế 19 giờ/24 giờ.",
                "Thứ Sáu 03/05/2024: tính 5 giờ (trừ 3 giờ tạm dừng); lũy kế 24 giờ/24 giờ.",
                "Hạn trả kết quả: 07:00 thứ Bảy 04/05/2024 (đã cộng 6 giờ tạm dừng).",
            ]
        );
        let r = due_at(
            datetime!(2024-04-25 09:00 +7),
            ProcessingDays::days(3),
            PLAIN,
            &[pause],
            &c,
        )
        .unwrap();
        // The pause's 6 hours end exactly with Friday: the next working instant is the make-up
        // Saturday's first session.
        assert_eq!(r.due_at, datetime!(2024-05-04 07:00 +7));
        assert!(matches!(
            steps[9].kind,
            StepKind::Pause { minutes: 360, .. }
        ));
    }
}
