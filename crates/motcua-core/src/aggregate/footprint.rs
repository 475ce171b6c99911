//! A dossier's or a PAKN's contribution to its unit's series as a difference array, from
//! the tally itself evaluated at the months where it may change.

use std::collections::BTreeSet;

use super::{Row, ZERO, add, is_zero, row_of};
use crate::counts::Counts;
use crate::dossier::Dossier;
use crate::petition::{Petition, change_points as petition_points};
use crate::timestamp::Month;

/// The months (indexes, see [`Month::index`]) at which a dossier's contribution may change.
fn change_points(d: &Dossier) -> BTreeSet<i32> {
    let mut points = BTreeSet::new();
    for t in [Some(d.received_at), d.resolved_at, Some(d.due_at)]
        .into_iter()
        .flatten()
    {
        let m = Month::of(t).index();
        points.insert(m);
        points.insert(m + 1);
    }
    points
}

/// At each of `points`, the tally of that month minus the tally of the month before.
fn differences(points: BTreeSet<i32>, tally: impl Fn(&mut Counts, Month)) -> Vec<(i32, Row)> {
    let mut out = Vec::new();
    let mut before = ZERO;
    for m in points {
        let mut counts = Counts::default();
        tally(&mut counts, Month::from_index(m));
        let now = row_of(&counts);
        let mut step = now;
        add(&mut step, &before, -1);
        if !is_zero(&step) {
            out.push((m, step));
        }
        before = now;
    }
    out
}

/// A dossier's contribution as a difference array: at each month of the list, what it adds
/// to the counts from that month on (the tally of that month minus the tally of the month
/// before). The contribution is zero before the first month and constant after the last.
pub fn footprint(d: &Dossier) -> Vec<(i32, Row)> {
    differences(change_points(d), |c, m| c.tally(d, m))
}

/// A PAKN's contribution as a difference array, as [`footprint`] for a dossier.
pub fn petition_footprint(p: &Petition) -> Vec<(i32, Row)> {
    differences(petition_points(p), |c, m| c.tally_petition(p, m))
}
