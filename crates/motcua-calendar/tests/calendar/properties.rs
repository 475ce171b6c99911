//! Property tests of working-time arithmetic and due dates.
//!
//! They run over the bundled 2024–2026 schedules and generated 2027–2030 ones. Nothing here
//! (or in the crate) reads the machine's time zone: CI runs them under `TZ=UTC` and
//! `TZ=Asia/Ho_Chi_Minh` and the results must not change.
#![allow(clippy::unwrap_used)]

use std::sync::LazyLock;

use motcua_calendar::{
    DeadlineRules, OfficeHours, Pause, ProcessingDays, VN_OFFSET, WorkCalendar, due_at,
};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use time::macros::{date, offset};
use time::{Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

static CALENDAR: LazyLock<WorkCalendar> =
    LazyLock::new(|| WorkCalendar::bundled(2024..=2030, OfficeHours::default()).unwrap());

/// An instant between 2024-01-01 and about 2029-06, in UTC+7, whole minutes.
fn instant() -> impl Strategy<Value = OffsetDateTime> {
    (0i64..(5 * 365 + 150), 0i64..1440).prop_map(|(day, minute)| {
        PrimitiveDateTime::new(date!(2024 - 01 - 01), Time::MIDNIGHT).assume_offset(VN_OFFSET)
            + Duration::days(day)
            + Duration::minutes(minute)
    })
}

/// Up to 60 working days, in thousandths.
fn days() -> impl Strategy<Value = ProcessingDays> {
    prop_oneof![
        (0u16..60).prop_map(ProcessingDays::days),
        (0u32..60_000).prop_map(ProcessingDays::from_thousandths),
    ]
}

fn rules() -> impl Strategy<Value = DeadlineRules> {
    any::<bool>().prop_map(|cutoff_15h| DeadlineRules { cutoff_15h })
}

fn offset_strategy() -> impl Strategy<Value = UtcOffset> {
    prop_oneof![
        Just(offset!(UTC)),
        Just(offset!(-5)),
        Just(offset!(+9:30)),
        Just(offset!(+14)),
        Just(offset!(-12)),
    ]
}

/// Whether a local instant lies in a session of a working day; `end_inclusive` allows the
/// session end itself (due dates), otherwise it must be before it (clock starts).
fn in_session(at: OffsetDateTime, end_inclusive: bool) -> bool {
    let cal = &*CALENDAR;
    if at.offset() != VN_OFFSET || cal.is_working_day(at.date()) != Some(true) {
        return false;
    }
    let t = at.time();
    cal.office_hours().sessions().iter().any(|s| {
        s.start() <= t
            && if end_inclusive {
                t <= s.end()
            } else {
                t < s.end()
            }
    })
}

proptest! {
    // Failures are kept next to this file (proptest's default looks beside the binary's
    // main.rs instead).
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn due_dates_fall_inside_sessions(received in instant(), days in days(), rules in rules()) {
        let r = due_at(received, days, rules, &[], &CALENDAR).unwrap();
        prop_assert!(in_session(r.start, false), "start {}", r.start);
        prop_assert!(in_session(r.due_at, true), "due {}", r.due_at);
        prop_assert!(r.start >= received);
        prop_assert!(r.due_at >= r.start);
        let counted = CALENDAR.working_minutes_between(r.start, r.due_at).unwrap();
        prop_assert_eq!(u64::try_from(counted).unwrap(), r.working_minutes);
    }

    #[test]
    fn adding_n_then_m_equals_adding_n_plus_m(
        start in instant(),
        n in 1u32..20_000,
        m in 1u32..20_000,
    ) {
        let cal = &*CALENDAR;
        let once = cal.add_working_minutes(start, n + m).unwrap();
        let twice = cal.add_working_minutes(cal.add_working_minutes(start, n).unwrap(), m).unwrap();
        prop_assert_eq!(once, twice);
        prop_assert_eq!(cal.working_minutes_between(start, once).unwrap(), i64::from(n + m));
        // Adding zero only moves to the start of the clock, which is the same working time.
        let zero = cal.add_working_minutes(start, 0).unwrap();
        prop_assert_eq!(cal.working_minutes_between(start, zero).unwrap(), 0);
    }

    #[test]
    fn a_pause_moves_the_due_date_by_its_working_time(
        received in instant(),
        days in (1u32..30_000).prop_map(ProcessingDays::from_thousandths),
        rules in rules(),
        at in 0.0f64..1.0,
        length in 0i64..(20 * 1440),
    ) {
        let cal = &*CALENDAR;
        let base = due_at(received, days, rules, &[], cal).unwrap();
        // The pause starts somewhere between the start of the clock and the due date.
        let span = (base.due_at - base.start).whole_minutes();
        let from = base.start + Duration::minutes((span as f64 * at) as i64);
        let to = from + Duration::minutes(length);
        let k = cal.working_minutes_between(from, to).unwrap();
        prop_assume!(cal.working_minutes_between(from, base.due_at).unwrap() > 0);
        let pause = Pause { from, to, reason: "Yêu cầu bổ sung hồ sơ".to_owned() };
        let paused = due_at(received, days, rules, &[pause], cal).unwrap();
        prop_assert_eq!(cal.working_minutes_between(base.due_at, paused.due_at).unwrap(), k);
        prop_assert_eq!(i64::try_from(paused.paused_minutes).unwrap(), k);
        prop_assert!(in_session(paused.due_at, true));
    }

    #[test]
    fn results_do_not_depend_on_the_offset_of_the_input(
        received in instant(),
        days in days(),
        rules in rules(),
        offset in offset_strategy(),
    ) {
        let a = due_at(received, days, rules, &[], &CALENDAR).unwrap();
        let b = due_at(received.to_offset(offset), days, rules, &[], &CALENDAR).unwrap();
        prop_assert_eq!(a, b);
        prop_assert_eq!(b.due_at.offset(), VN_OFFSET);
    }

    #[test]
    fn whole_days_keep_the_clock_time(
        received in instant(),
        n in 1u16..40,
    ) {
        let r = due_at(received, ProcessingDays::days(n), DeadlineRules::default(), &[], &CALENDAR)
            .unwrap();
        // Starts are always inside a session, and so are due times: N whole days later the
        // clock shows the same time, on a later working day.
        prop_assert_eq!(r.due_at.time(), r.start.time());
        prop_assert_eq!(CALENDAR.is_working_day(r.due_at.date()), Some(true));
        prop_assert!(r.due_at.date() > r.start.date());
    }

    #[test]
    fn later_receipt_never_gives_an_earlier_due_date(
        a in instant(),
        b in instant(),
        days in days(),
        rules in rules(),
    ) {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        let da = due_at(a, days, rules, &[], &CALENDAR).unwrap();
        let db = due_at(b, days, rules, &[], &CALENDAR).unwrap();
        prop_assert!(da.due_at <= db.due_at);
    }

    #[test]
    fn processing_days_display_round_trips(t in 0u32..10_000_000) {
        let days = ProcessingDays::from_thousandths(t);
        prop_assert_eq!(days.to_string().parse::<ProcessingDays>().unwrap(), days);
    }
}
