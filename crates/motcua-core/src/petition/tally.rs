//! The PAKN counts of the contract (`docs/spec/indicators.md`, "Phản ánh, kiến nghị"):
//! [`Counts::tally_petition`] adds one PAKN's contribution to a month.

use std::collections::BTreeSet;

use super::Petition;
use crate::counts::Counts;
use crate::timestamp::{Month, Timestamp};

impl Counts {
    /// Adds one PAKN's contribution for `month` (the PAKN counts only).
    pub fn tally_petition(&mut self, p: &Petition, month: Month) {
        let (start, end) = (month.start(), month.end());
        let within = |t: Timestamp| start <= t && t < end;
        let completed = p.completed_at();
        if within(p.received_at) {
            self.petitions_received += 1;
            let at = completed.map_or(end, |c| c.min(end));
            if p.dissatisfied_at.is_some() || p.repeat_of.is_some() || p.late_as_of(at) {
                self.petitions_received_unsatisfactory += 1;
            }
        }
        if p.is_refused() {
            if p.decided_at.is_some_and(within) {
                self.petitions_rejected += 1;
            }
        } else if let Some(published) = p.published_at.filter(|t| within(*t)) {
            self.petitions_answered += 1;
            if !p.late_as_of(published) {
                self.petitions_answered_in_time += 1;
            }
        }
        if p.received_at < end && completed.is_none_or(|c| c >= end) {
            self.petitions_pending += 1;
            if !p.late_as_of(end) {
                self.petitions_pending_within_due += 1;
            }
        }
    }
}

/// The months (indexes) at which a PAKN's contribution may change: those of every instant
/// and due time it holds, and the month after each.
pub fn change_points(p: &Petition) -> BTreeSet<i32> {
    let d = &p.deadlines;
    let mut points = BTreeSet::new();
    for t in [
        Some(p.received_at),
        p.decided_at,
        p.asked_at,
        p.replied_at,
        p.answered_at,
        p.published_at,
        p.dissatisfied_at,
        Some(d.decide),
        Some(d.ask),
        d.answer,
        d.publish,
    ]
    .into_iter()
    .flatten()
    {
        let m = Month::of(t).index();
        points.insert(m);
        points.insert(m + 1);
    }
    points
}
