//! [`Figure`]: a figure of the dashboard whose dossiers can be listed.

use super::{CountId, Counts};

/// A figure whose dossiers can be listed (a click on the dashboard): a count of dossiers, or
/// those resolved in time (early and on time together, `on_time_rate`'s numerator).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Count(CountId),
    ResolvedInTime,
}

impl Figure {
    /// What `/dossiers?count=` takes: a count's id, or `resolved_in_time`.
    pub fn key(self) -> &'static str {
        match self {
            Figure::Count(id) => id.id(),
            Figure::ResolvedInTime => "resolved_in_time",
        }
    }

    /// The figure of a key; `None` for an unknown key or a count of procedures.
    pub fn from_key(key: &str) -> Option<Self> {
        if key == Figure::ResolvedInTime.key() {
            return Some(Figure::ResolvedInTime);
        }
        CountId::from_id(key)
            .filter(|c| c.counts_dossiers())
            .map(Figure::Count)
    }

    /// Its value in `counts`.
    pub fn of(self, counts: &Counts) -> u64 {
        match self {
            Figure::Count(id) => counts.get(id),
            Figure::ResolvedInTime => counts.resolved_in_time(),
        }
    }

    /// The title of the list of its dossiers: `Hồ sơ giải quyết quá hạn`.
    pub fn title_vi(self) -> &'static str {
        match self {
            Figure::Count(id) => id.title_vi(),
            Figure::ResolvedInTime => "Hồ sơ giải quyết trước hạn và đúng hạn",
        }
    }
}
