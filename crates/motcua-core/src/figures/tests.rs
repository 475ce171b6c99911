#![allow(clippy::unwrap_used)]

use super::*;
use crate::collation::VietnameseOrder;
use crate::counts::CountId;
use crate::timestamp::Timestamp;
use crate::unit::{Unit, UnitKind};

fn code(c: &str) -> UnitCode {
    UnitCode::parse(c).unwrap()
}

/// A district `d` with two communes, `a` and `b`.
fn catalogue() -> Catalogue {
    let u = |c: &str, p: Option<&str>| Unit {
        code: code(c),
        name: format!("UBND xã {c}"),
        short_name: c.to_owned(),
        kind: UnitKind::Commune,
        label: "xã".to_owned(),
        parent: p.map(code),
        office_hours: None,
        address: None,
        phone: None,
    };
    let units = vec![u("d", None), u("a", Some("d")), u("b", Some("d"))];
    Catalogue::new(units, Vec::new(), &VietnameseOrder::new()).unwrap()
}

fn may() -> Month {
    Month::new(2024, 5).unwrap()
}

fn april() -> Month {
    Month::new(2024, 4).unwrap()
}

fn received(n: u64) -> Counts {
    Counts {
        received: n,
        ..Counts::default()
    }
}

fn frozen(month: Month, counts: &[(&str, u64)]) -> FrozenMonth {
    FrozenMonth {
        close: MonthClose {
            month,
            closed_at: Timestamp::parse("2024-06-05T09:30:00+07:00").unwrap(),
            actor: "user:district-admin".to_owned(),
        },
        counts: counts
            .iter()
            .map(|(u, n)| (code(u), received(*n)))
            .collect(),
    }
}

/// Live counts: `a` received 3 in May and 1 in April, `b` 5 in May and 2 in April.
fn live() -> HashMap<UnitCode, Vec<Counts>> {
    HashMap::from([
        (code("a"), vec![received(3), received(1)]),
        (code("b"), vec![received(5), received(2)]),
    ])
}

#[test]
fn an_open_month_shows_its_live_counts_and_no_close() {
    let counts = MonthCounts::new(vec![may(), april()], live(), Vec::new());
    let report = indicators(&catalogue(), &counts, &code("d"), may()).unwrap();
    assert_eq!(report.counts.received, 8);
    assert_eq!(report.previous.counts.received, 3);
    assert_eq!(report.closed, None);
    let rows: Vec<_> = report
        .units
        .iter()
        .map(|r| (r.code.as_str(), r.counts.received))
        .collect();
    assert_eq!(rows, vec![("a", 3), ("b", 5)]);
}

#[test]
fn a_closed_month_shows_its_frozen_counts_and_what_moved_since() {
    // Frozen: a 3 (unchanged since), b 4 (one dossier more since).
    let counts = MonthCounts::new(
        vec![may(), april()],
        live(),
        vec![frozen(may(), &[("a", 3), ("b", 4)])],
    );
    let report = indicators(&catalogue(), &counts, &code("d"), may()).unwrap();
    assert_eq!(report.counts.received, 7, "the frozen total");
    assert_eq!(report.previous.counts.received, 3, "April is open: live");
    let closed = report.closed.unwrap();
    assert_eq!(closed.by.as_deref(), Some("user:district-admin"));
    assert_eq!(
        closed.changes.into_iter().collect::<Vec<_>>(),
        vec![(CountId::Received, 1)]
    );
    assert_eq!(closed.units_changed, vec![code("b")]);
    assert_eq!(closed.live.unwrap().counts.received, 8);
}

#[test]
fn a_closed_month_without_changes_says_so() {
    let counts = MonthCounts::new(
        vec![may(), april()],
        live(),
        vec![frozen(may(), &[("a", 3), ("b", 5)])],
    );
    let closed = indicators(&catalogue(), &counts, &code("a"), may())
        .unwrap()
        .closed
        .unwrap();
    assert!(closed.changes.is_empty());
    assert!(closed.units_changed.is_empty());
    assert_eq!(closed.live, None);
}

#[test]
fn a_closed_previous_month_shows_its_frozen_counts() {
    let counts = MonthCounts::new(
        vec![may(), april()],
        live(),
        vec![frozen(april(), &[("a", 1), ("b", 1)])],
    );
    let report = indicators(&catalogue(), &counts, &code("d"), may()).unwrap();
    assert_eq!(report.counts.received, 8, "May is open: live");
    assert_eq!(report.previous.counts.received, 2, "April frozen");
    assert_eq!(
        report.closed, None,
        "only the month's own close is reported"
    );
}

#[test]
fn a_unit_created_after_the_close_shows_zero_in_the_closed_month() {
    // `b` did not exist when May was closed: no frozen counts, zero shown, and it moved.
    let counts = MonthCounts::new(
        vec![may(), april()],
        live(),
        vec![frozen(may(), &[("a", 3)])],
    );
    assert_eq!(counts.shown(&code("b"), may()), Counts::default());
    assert_eq!(counts.live(&code("b"), may()), received(5));
    let report = indicators(&catalogue(), &counts, &code("d"), may()).unwrap();
    assert_eq!(report.counts.received, 3);
    assert_eq!(report.closed.unwrap().units_changed, vec![code("b")]);
}

#[test]
fn totals_mix_frozen_and_live_months_in_order() {
    let counts = MonthCounts::new(
        vec![april(), may()],
        HashMap::from([
            (code("a"), vec![received(1), received(3)]),
            (code("b"), vec![received(2), received(5)]),
        ]),
        vec![frozen(april(), &[("a", 1), ("b", 1)])],
    );
    assert_eq!(counts.months(), &[april(), may()]);
    let scope = [code("a"), code("b")];
    let totals: Vec<u64> = counts
        .shown_totals(&scope)
        .iter()
        .map(|c| c.received)
        .collect();
    assert_eq!(totals, vec![2, 8]);
    // A month not loaded counts zero, live or shown.
    let march = Month::new(2024, 3).unwrap();
    assert_eq!(counts.shown(&code("a"), march), Counts::default());
}
