//! Aggregates: the indicator counts of every unit and month, kept up to date by each dossier
//! write so that the indicators of a scope cost O(units), not O(dossiers).
//!
//! A dossier counts in several months: in the month it is received (`received`…), in the
//! month it is settled (`resolved`…), and in every month between as `carried_over` or
//! `pending`. Its contribution, month by month, is piecewise constant: it can only change
//! at a handful of months (reception, settlement, appointment, and the month after each).
//! [`footprint`] evaluates [`Counts::tally`] itself at those months, so an aggregate is by
//! construction the sum of the tallies, never a second reading of the rules. A PAKN
//! (phản ánh, kiến nghị) contributes the same way ([`petition_footprint`], from
//! [`Counts::tally_petition`]) to the same rows of its unit.
//!
//! A unit's stored **series** is one [`Row`] per month, dense from its first month to its
//! last. Every change point of every dossier of the unit lies within, so the value of any
//! month outside is known without a row: before the first month, zero; after the last, the
//! last row (only the open-ended spans, e.g. `pending` of an open dossier, are left there).
//! See [`value_at`].
//!
//! A write turns the dossier before and after into a [`Delta`]: per unit, a difference
//! array over months. [`UnitDelta::window`] says which stored rows to read and
//! [`UnitDelta::rewrite`] returns the rows to write back: usually one or two.
//!
//! `online_services_used` counts procedures, not dossiers: the store keeps the number of
//! online dossiers per (unit, procedure, month) ([`UnitDelta::usage`]) and adds one to the
//! month's `online_services_used` when such a number leaves zero for a procedure the unit
//! offers online (and takes it back when it returns to zero).

use std::collections::BTreeMap;

use crate::counts::{CountId, Counts};
use crate::dossier::{Channel, Dossier};
use crate::petition::Petition;
use crate::procedure::ProcedureCode;
use crate::timestamp::Month;
use crate::unit::UnitCode;

mod footprint;

pub use footprint::{footprint, petition_footprint};

/// The stored counts, in column order: every [`CountId`] but `online_services_offered`,
/// which depends on the catalogue only ([`CountId::is_stored`]).
pub const STORED: [CountId; CountId::ALL.len() - 1] = {
    let mut out = [CountId::Received; CountId::ALL.len() - 1];
    let (mut i, mut j) = (0, 0);
    while i < CountId::ALL.len() {
        if !matches!(CountId::ALL[i], CountId::OnlineServicesOffered) {
            out[j] = CountId::ALL[i];
            j += 1;
        }
        i += 1;
    }
    out
};

/// The column names of [`STORED`], in order (`received, received_online, …`).
pub fn stored_columns() -> impl Iterator<Item = &'static str> {
    STORED.iter().map(|c| c.id())
}

/// The position of `online_services_used` in a [`Row`].
pub const USED: usize = {
    let mut i = 0;
    while !matches!(STORED[i], CountId::OnlineServicesUsed) {
        i += 1;
    }
    i
};

/// One unit's counts for one month, in the order of [`STORED`].
pub type Row = [i64; STORED.len()];

/// The row of nothing counted.
pub const ZERO: Row = [0; STORED.len()];

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn unsigned(n: i64) -> u64 {
    // A negative count can only come from a damaged aggregate; `motcua verify` reports it.
    u64::try_from(n).unwrap_or(0)
}

/// The row of a [`Counts`].
pub fn row_of(c: &Counts) -> Row {
    STORED.map(|id| signed(c.get(id)))
}

/// The [`Counts`] of a row (`online_services_offered` zero).
pub fn counts_of(r: &Row) -> Counts {
    let mut c = Counts::default();
    for (id, v) in STORED.iter().zip(r) {
        *c.get_mut(*id) = unsigned(*v);
    }
    c
}

pub(crate) fn add(a: &mut Row, b: &Row, sign: i64) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += sign * y;
    }
}

pub(crate) fn is_zero(r: &Row) -> bool {
    r.iter().all(|&x| x == 0)
}

/// The change of one unit's aggregates: a difference array over months, and the change of
/// its online dossiers per procedure and month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitDelta {
    points: BTreeMap<i32, Row>,
    usage: BTreeMap<(ProcedureCode, i32), i64>,
}

/// What a set of dossier writes changes in the aggregates, by unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delta {
    units: BTreeMap<UnitCode, UnitDelta>,
}

impl Delta {
    /// Adds (`sign` = 1) or takes away (`sign` = −1) a dossier's contribution.
    pub fn add(&mut self, d: &Dossier, sign: i64) {
        let unit = self.units.entry(d.unit_code.clone()).or_default();
        for (m, step) in footprint(d) {
            add(unit.points.entry(m).or_insert(ZERO), &step, sign);
        }
        if d.channel == Channel::Online {
            *unit
                .usage
                .entry((d.procedure_code.clone(), Month::of(d.received_at).index()))
                .or_default() += sign;
        }
    }

    /// Adds (`sign` = 1) or takes away (`sign` = −1) a PAKN's contribution.
    pub fn add_petition(&mut self, p: &Petition, sign: i64) {
        let unit = self.units.entry(p.unit_code.clone()).or_default();
        for (m, step) in petition_footprint(p) {
            add(unit.points.entry(m).or_insert(ZERO), &step, sign);
        }
    }

    /// A PAKN written: `before` is what was stored (`None` for a new one), `after` what is
    /// stored now.
    pub fn change_petition(&mut self, before: Option<&Petition>, after: Option<&Petition>) {
        if let (Some(b), Some(a)) = (before, after)
            && b == a
        {
            return;
        }
        if let Some(b) = before {
            self.add_petition(b, -1);
        }
        if let Some(a) = after {
            self.add_petition(a, 1);
        }
    }

    /// A dossier written: `before` is what was stored (`None` for a new one), `after` what
    /// is stored now.
    pub fn change(&mut self, before: Option<&Dossier>, after: Option<&Dossier>) {
        if let (Some(b), Some(a)) = (before, after)
            && b == a
        {
            return;
        }
        if let Some(b) = before {
            self.add(b, -1);
        }
        if let Some(a) = after {
            self.add(a, 1);
        }
    }

    /// The units whose aggregates change, with their changes (nothing that cancels out).
    pub fn into_units(self) -> impl Iterator<Item = (UnitCode, UnitDelta)> {
        self.units.into_iter().filter_map(|(code, mut d)| {
            d.prune();
            (!d.is_empty()).then_some((code, d))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.units.values().all(UnitDelta::is_empty)
    }
}

/// What to write back for one unit: its new month range and the rows that change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    pub range: (i32, i32),
    pub rows: Vec<(i32, Row)>,
}

impl UnitDelta {
    fn prune(&mut self) {
        self.points.retain(|_, r| !is_zero(r));
        self.usage.retain(|_, n| *n != 0);
    }

    pub fn is_empty(&self) -> bool {
        self.points.values().all(is_zero) && self.usage.values().all(|n| *n == 0)
    }

    /// The change of the number of online dossiers, by procedure and month index.
    pub fn usage(&self) -> impl Iterator<Item = (&ProcedureCode, i32, i64)> {
        self.usage.iter().map(|((p, m), n)| (p, *m, *n))
    }

    /// Adds `n` to field `field` of month `month` only (a count of that month alone, such
    /// as `online_services_used`).
    pub fn add_to_month(&mut self, field: usize, month: i32, n: i64) {
        if let Some(x) = self.points.entry(month).or_insert(ZERO).get_mut(field) {
            *x += n;
        }
        if let Some(x) = self.points.entry(month + 1).or_insert(ZERO).get_mut(field) {
            *x -= n;
        }
    }

    /// The stored rows [`rewrite`](Self::rewrite) needs, as an inclusive month range, given
    /// the unit's stored range (`None` when it has no rows); `None` when it needs none.
    pub fn window(&self, range: Option<(i32, i32)>) -> Option<(i32, i32)> {
        let (first, last) = range?;
        let lo = *self.points.keys().next()?;
        Some((lo.max(first).min(last), last))
    }

    /// The new range of the unit's series and the rows to write (each with its whole new
    /// value), from the stored range and the stored rows of [`window`](Self::window).
    pub fn rewrite(&self, range: Option<(i32, i32)>, stored: &BTreeMap<i32, Row>) -> Rewrite {
        let (Some(&lo), Some(&hi)) = (self.points.keys().next(), self.points.keys().next_back())
        else {
            return Rewrite {
                range: range.unwrap_or((0, 0)),
                rows: Vec::new(),
            };
        };
        let new_range = match range {
            Some((first, last)) => (first.min(lo), last.max(hi)),
            None => (lo, hi),
        };
        let mut rows = Vec::new();
        let mut cumulative = ZERO;
        let mut points = self.points.iter().peekable();
        // Months between the stored last one and the first change are new rows too: the
        // series stays dense.
        let start = range.map_or(lo, |(_, last)| lo.min(last + 1));
        for m in start..=new_range.1 {
            while let Some((_, step)) = points.next_if(|(p, _)| **p <= m) {
                add(&mut cumulative, step, 1);
            }
            let is_new = range.is_none_or(|(first, last)| m < first || m > last);
            if is_new || !is_zero(&cumulative) {
                let mut value = value_at(range, stored, m);
                add(&mut value, &cumulative, 1);
                rows.push((m, value));
            }
        }
        Rewrite {
            range: new_range,
            rows,
        }
    }
}

/// The counts of month `m` of a unit whose series covers `range` (`None`: no rows), from
/// its stored rows (which must include `m` when within the range, and the last row).
pub fn value_at(range: Option<(i32, i32)>, rows: &BTreeMap<i32, Row>, m: i32) -> Row {
    match range {
        Some((first, last)) if m >= first => rows.get(&m.min(last)).copied().unwrap_or(ZERO),
        _ => ZERO,
    }
}

/// A unit's series as a recount from the raw rows builds it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Series {
    pub range: Option<(i32, i32)>,
    pub rows: BTreeMap<i32, Row>,
}

impl Series {
    /// The series of a unit from nothing but `delta` (every dossier of the unit added).
    pub fn from_delta(delta: &UnitDelta) -> Self {
        let r = delta.rewrite(None, &BTreeMap::new());
        if r.rows.is_empty() {
            return Self::default();
        }
        Self {
            range: Some(r.range),
            rows: r.rows.into_iter().collect(),
        }
    }

    pub fn value_at(&self, m: i32) -> Row {
        value_at(self.range, &self.rows, m)
    }
}

/// A unit's aggregates as a recount builds them: its series and its online dossiers by
/// procedure and month (only the non-zero ones).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recounted {
    pub series: Series,
    pub usage: BTreeMap<(ProcedureCode, i32), i64>,
}

impl Delta {
    /// The aggregates of every unit, when this delta holds every stored dossier added once;
    /// `offers(unit, procedure)` tells the online service offerings.
    pub fn recount(
        self,
        offers: &dyn Fn(&UnitCode, &ProcedureCode) -> bool,
    ) -> BTreeMap<UnitCode, Recounted> {
        self.into_units()
            .map(|(unit, mut d)| {
                let used: Vec<i32> = d
                    .usage
                    .iter()
                    .filter(|((p, _), n)| **n > 0 && offers(&unit, p))
                    .map(|((_, m), _)| *m)
                    .collect();
                for m in used {
                    d.add_to_month(USED, m, 1);
                }
                d.prune();
                let recounted = Recounted {
                    series: Series::from_delta(&d),
                    usage: d.usage,
                };
                (unit, recounted)
            })
            .collect()
    }
}

/// One difference between a stored aggregate and the recount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub unit: UnitCode,
    pub month: Month,
    /// A column of [`STORED`], or `online_dossiers[PROCEDURE]` for the per-procedure count.
    pub field: String,
    pub stored: i64,
    pub recounted: i64,
}

/// Compares a unit's stored series with its recount, month by month over both ranges.
pub fn compare(unit: &UnitCode, stored: &Series, recounted: &Series) -> Vec<Difference> {
    let bounds = [stored.range, recounted.range];
    let lo = bounds.iter().flatten().map(|r| r.0).min();
    let hi = bounds.iter().flatten().map(|r| r.1).max();
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in lo..=hi + 1 {
        let (a, b) = (stored.value_at(m), recounted.value_at(m));
        for (i, field) in stored_columns().enumerate() {
            if a[i] != b[i] {
                out.push(Difference {
                    unit: unit.clone(),
                    month: Month::from_index(m),
                    field: field.to_owned(),
                    stored: a[i],
                    recounted: b[i],
                });
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Timestamp;
    use crate::dossier::{DossierCode, Outcome, SourceSystem, SubmissionLevel};

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    fn dossier(received: &str, due: &str, resolved: Option<&str>) -> Dossier {
        Dossier {
            code: DossierCode::parse("H1").unwrap(),
            procedure_code: ProcedureCode::parse("P1").unwrap(),
            unit_code: UnitCode::parse("u1").unwrap(),
            channel: Channel::Online,
            online_level: Some(SubmissionLevel::Full),
            received_at: ts(received),
            due_at: ts(due),
            resolved_at: resolved.map(ts),
            outcome: resolved.map(|_| Outcome::Approved),
            returned_at: None,
            components_total: 2,
            components_digitized: 2,
            result_digitized: Some(true),
            fee_vnd: 0,
            payment_channel: None,
            paid_at: None,
            e_receipt: None,
            source_system: SourceSystem::Old,
            rating: None,
        }
    }

    fn tally(ds: &[Dossier], m: i32) -> Row {
        let mut c = Counts::default();
        for d in ds {
            c.tally(d, Month::from_index(m));
        }
        row_of(&c)
    }

    #[test]
    fn the_series_of_a_recount_equals_the_tally_of_every_month() {
        let ds = vec![
            dossier(
                "2024-01-10T08:00:00+07:00",
                "2024-03-02T08:00:00+07:00",
                None,
            ),
            dossier(
                "2024-01-31T16:00:00+07:00",
                "2024-02-01T09:00:00+07:00",
                Some("2024-04-05T10:00:00+07:00"),
            ),
            dossier(
                "2024-02-03T08:00:00+07:00",
                "2024-02-20T08:00:00+07:00",
                Some("2024-02-10T10:00:00+07:00"),
            ),
        ];
        let mut delta = Delta::default();
        for d in &ds {
            delta.change(None, Some(d));
        }
        let (_, unit) = delta.into_units().next().unwrap();
        let series = Series::from_delta(&unit);
        let jan = Month::new(2024, 1).unwrap().index();
        for m in jan - 3..jan + 30 {
            assert_eq!(series.value_at(m), tally(&ds, m), "month {m}");
        }
        // Open-ended: the open dossier is still pending (and overdue) years later.
        assert_eq!(series.value_at(jan + 1000)[13], 1);
        assert_eq!(series.value_at(jan + 1000)[15], 1);
    }

    #[test]
    fn a_write_rewrites_only_the_months_it_changes() {
        let open = dossier(
            "2024-01-10T08:00:00+07:00",
            "2024-01-20T08:00:00+07:00",
            None,
        );
        let mut first = Delta::default();
        first.change(None, Some(&open));
        let (_, unit) = first.into_units().next().unwrap();
        let stored = Series::from_delta(&unit);

        // Resolved in March: the months from March on change, and April is added (the
        // series must cover the month after every change point).
        let mut resolved = open.clone();
        resolved.resolved_at = Some(ts("2024-03-15T08:00:00+07:00"));
        resolved.outcome = Some(Outcome::Approved);
        let mut d = Delta::default();
        d.change(Some(&open), Some(&resolved));
        let (_, unit) = d.into_units().next().unwrap();
        let window = unit.window(stored.range).unwrap();
        let read: BTreeMap<i32, Row> = stored
            .rows
            .range(window.0..=window.1)
            .map(|(m, r)| (*m, *r))
            .collect();
        let rw = unit.rewrite(stored.range, &read);
        let march = Month::new(2024, 3).unwrap().index();
        assert_eq!(
            rw.rows.iter().map(|(m, _)| *m).collect::<Vec<_>>(),
            vec![march, march + 1]
        );
        let mut after = stored.clone();
        after.range = Some(rw.range);
        after.rows.extend(rw.rows);
        for m in march - 5..march + 10 {
            assert_eq!(after.value_at(m), tally(std::slice::from_ref(&resolved), m));
        }
        assert!(compare(&UnitCode::parse("u1").unwrap(), &after, &after).is_empty());
        assert!(!compare(&UnitCode::parse("u1").unwrap(), &after, &stored).is_empty());
    }

    /// Applies `after` over `before` to a stored series as the store does.
    fn write(stored: &Series, before: Option<&Dossier>, after: &Dossier) -> Series {
        let mut d = Delta::default();
        d.change(before, Some(after));
        let Some((_, unit)) = d.into_units().next() else {
            return stored.clone();
        };
        let read: BTreeMap<i32, Row> = match unit.window(stored.range) {
            Some((a, b)) => stored.rows.range(a..=b).map(|(m, r)| (*m, *r)).collect(),
            None => BTreeMap::new(),
        };
        let rw = unit.rewrite(stored.range, &read);
        let mut out = stored.clone();
        if !rw.rows.is_empty() {
            out.range = Some(rw.range);
        }
        out.rows.extend(rw.rows);
        out
    }

    #[test]
    fn writes_months_apart_keep_the_series_dense() {
        let mut a = dossier(
            "2024-01-10T08:00:00+07:00",
            "2024-01-20T08:00:00+07:00",
            None,
        );
        let mut b = dossier(
            "2024-06-10T08:00:00+07:00",
            "2024-06-20T08:00:00+07:00",
            None,
        );
        b.code = DossierCode::parse("H2").unwrap();
        // Later first, then earlier, each months away from what is stored.
        let s = write(&Series::default(), None, &a);
        let s = write(&s, None, &b);
        a.code = DossierCode::parse("H3").unwrap();
        a.received_at = ts("2023-09-01T08:00:00+07:00");
        let s = write(&s, None, &a);
        let (first, last) = s.range.unwrap();
        assert_eq!(s.rows.len() as i32, last - first + 1, "dense");
        let all = [
            dossier(
                "2024-01-10T08:00:00+07:00",
                "2024-01-20T08:00:00+07:00",
                None,
            ),
            b.clone(),
            a.clone(),
        ];
        for m in first - 2..last + 3 {
            assert_eq!(s.value_at(m), tally(&all, m), "month {m}");
        }
    }

    proptest::proptest! {
        /// Any sequence of writes (new dossiers, corrections of any date, settlements)
        /// leaves the series equal to the tally of the dossiers as they now are.
        #[test]
        fn any_writes_leave_the_series_equal_to_the_tally(
            writes in proptest::collection::vec(
                (0usize..6, 0i64..900, 0i64..200, proptest::option::of(0i64..300), 0u8..3),
                1..40,
            )
        ) {
            let base = ts("2023-01-01T08:00:00+07:00").as_micros();
            let day = 86_400_000_000i64;
            let mut current: BTreeMap<usize, Dossier> = BTreeMap::new();
            let mut series = Series::default();
            for (slot, received, due, resolved, kind) in writes {
                let mut d = dossier("2024-01-10T08:00:00+07:00", "2024-01-20T08:00:00+07:00", None);
                d.code = DossierCode::parse(&format!("H{slot}")).unwrap();
                d.received_at = Timestamp::from_micros(base + received * day);
                d.due_at = Timestamp::from_micros(base + (received + due) * day);
                d.resolved_at = resolved.map(|r| Timestamp::from_micros(base + (received + r) * day));
                d.outcome = resolved.map(|_| [Outcome::Approved, Outcome::Rejected, Outcome::Withdrawn][usize::from(kind)]);
                d.source_system = if kind == 0 { SourceSystem::Old } else { SourceSystem::New };
                // A rating on the resolved ones, of any kind: the rating counts follow too.
                d.rating = (kind < 2 && resolved.is_some()).then(|| crate::dossier::Rating::ALL[(received % 3) as usize]);
                series = write(&series, current.get(&slot), &d);
                current.insert(slot, d);
            }
            let all: Vec<Dossier> = current.into_values().collect();
            let (first, last) = series.range.unwrap_or((0, 0));
            proptest::prop_assert_eq!(series.rows.len() as i32, last - first + 1);
            for m in first - 2..last + 3 {
                proptest::prop_assert_eq!(series.value_at(m), tally(&all, m), "month {}", m);
            }
        }
    }

    #[test]
    fn an_unchanged_write_changes_nothing() {
        let d = dossier(
            "2024-01-10T08:00:00+07:00",
            "2024-01-20T08:00:00+07:00",
            None,
        );
        let mut delta = Delta::default();
        delta.change(Some(&d), Some(&d));
        assert!(delta.is_empty());
        let mut e = d.clone();
        e.components_digitized = 1;
        delta.change(Some(&d), Some(&e));
        let units: Vec<_> = delta.into_units().collect();
        assert_eq!(units.len(), 1);
        // Only January's received_fully_digitized changes.
        assert_eq!(units[0].1.points.len(), 2);
        assert!(units[0].1.usage.is_empty());
    }
}
