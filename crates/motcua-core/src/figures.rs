//! Which figures a month shows (chốt số liệu): a closed month shows the counts frozen at its
//! close, any other month its live counts (the aggregates), and the indicators of a closed
//! month say how the live counts differ from the frozen ones ([`ClosedFigures`]).
//!
//! The store keeps both kinds of counts; the application layer loads them into a
//! [`MonthCounts`] and asks it, through [`indicators`] or [`MonthCounts::shown_totals`]:
//! the choice between frozen and live is made here and nowhere else.

use std::collections::HashMap;

use crate::catalogue::Catalogue;
use crate::close::{ClosedFigures, MonthClose};
use crate::counts::Counts;
use crate::indicators::{self, IndicatorError, IndicatorReport};
use crate::timestamp::Month;
use crate::unit::UnitCode;

/// A closed month's snapshot for a scope: the close, and each unit's frozen counts (a unit
/// created after the close has none, and shows zero).
#[derive(Debug, Clone, PartialEq)]
pub struct FrozenMonth {
    pub close: MonthClose,
    pub counts: HashMap<UnitCode, Counts>,
}

/// The counts of a scope's units over some months: the live ones, and the frozen ones of
/// the closed months among them.
#[derive(Debug, Clone, Default)]
pub struct MonthCounts {
    months: Vec<Month>,
    live: HashMap<UnitCode, Vec<Counts>>,
    frozen: Vec<FrozenMonth>,
}

impl MonthCounts {
    /// `live` maps each unit to its counts for `months`, in that order (a unit without a row
    /// counts zero); `frozen` holds the snapshots of the closed months among `months`.
    pub fn new(
        months: Vec<Month>,
        live: HashMap<UnitCode, Vec<Counts>>,
        frozen: Vec<FrozenMonth>,
    ) -> Self {
        Self {
            months,
            live,
            frozen,
        }
    }

    /// The months loaded, in the order `new` was given them.
    pub fn months(&self) -> &[Month] {
        &self.months
    }

    /// The snapshot of `month`, when it is closed.
    pub fn frozen(&self, month: Month) -> Option<&FrozenMonth> {
        self.frozen.iter().find(|f| f.close.month == month)
    }

    /// The live counts of `unit` in `month` (zero for a unit without a row or a month not
    /// loaded).
    pub fn live(&self, unit: &UnitCode, month: Month) -> Counts {
        self.months
            .iter()
            .position(|m| *m == month)
            .and_then(|i| self.live.get(unit)?.get(i))
            .copied()
            .unwrap_or_default()
    }

    /// The counts shown for `unit` in `month`: those frozen at the close of a closed month,
    /// the live ones otherwise.
    pub fn shown(&self, unit: &UnitCode, month: Month) -> Counts {
        match self.frozen(month) {
            Some(f) => f.counts.get(unit).copied().unwrap_or_default(),
            None => self.live(unit, month),
        }
    }

    /// The counts shown for the units of `scope` added up, one total per month loaded, in
    /// their order (the dashboard's trend).
    pub fn shown_totals<'a>(&self, scope: impl IntoIterator<Item = &'a UnitCode>) -> Vec<Counts> {
        let mut totals = vec![Counts::default(); self.months.len()];
        for unit in scope {
            for (total, month) in totals.iter_mut().zip(&self.months) {
                *total += self.shown(unit, *month);
            }
        }
        totals
    }
}

/// The indicators of `unit`'s scope for `month`, with the previous month (both loaded in
/// `counts`), from the counts each month shows. For a closed month, `closed` says when and by
/// whom it was closed and how the scope's and each leaf unit's live counts differ from the
/// frozen ones shown.
pub fn indicators(
    catalogue: &Catalogue,
    counts: &MonthCounts,
    unit: &UnitCode,
    month: Month,
) -> Result<IndicatorReport, IndicatorError> {
    let previous = month.previous();
    let figures = |u: &UnitCode| [counts.shown(u, month), counts.shown(u, previous)];
    let mut report =
        indicators::assemble(&catalogue.tree, &catalogue.order, &figures, unit, month)?;
    if let Some(frozen) = counts.frozen(month) {
        let mut live = Counts::default();
        for u in catalogue.tree.scope(unit) {
            live += counts.live(&u.code, month);
        }
        let leaves = report.units.iter().map(|row| {
            let shown = frozen.counts.get(&row.code).copied().unwrap_or_default();
            (&row.code, shown, counts.live(&row.code, month))
        });
        let closed = ClosedFigures::new(&frozen.close, &report.counts, &live, leaves);
        report.closed = Some(closed);
    }
    Ok(report)
}

#[cfg(test)]
mod tests;
