//! Month close (chốt số liệu): a month's indicators frozen as a snapshot ([`MonthClose`]),
//! and what changed since, said out loud ([`ClosedFigures`]) rather than silently.
//!
//! Once a month is closed, its figures are those of the snapshot. Dossiers of that month may
//! still be corrected (a late import, a step recorded afterwards): the live aggregates follow
//! them as always, and the indicators show the difference live − frozen per count id
//! ([`changes`]) and the leaf units whose live counts moved. The report says it in one
//! sentence ([`changes_sentence`]). Everything here is pure: the store keeps the snapshot,
//! the application layer compares.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::counts::{CountId, Counts};

use crate::rates::IndicatorSet;
use crate::timestamp::{Month, Timestamp};
use crate::unit::UnitCode;

/// A month closed: when, and by whom (the audit trail's actor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthClose {
    #[serde(with = "crate::timestamp::month_text")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$", examples("2024-05"))
    )]
    pub month: Month,
    pub closed_at: Timestamp,
    pub actor: String,
}

/// Why a month cannot be closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CloseError {
    #[error(
        "Tháng {} đã được chốt số liệu ngày {} ({}); số liệu đã chốt không thay đổi, mọi thay đổi sau đó được hiển thị là chênh lệch",
        month_vi(.0.month),
        date_vi(.0.closed_at),
        .0.actor
    )]
    AlreadyClosed(MonthClose),
    #[error(
        "Tháng {} chưa kết thúc (hết ngày {}): chỉ chốt được số liệu của tháng đã qua",
        month_vi(*.0),
        last_day_vi(*.0)
    )]
    NotEnded(Month),
}

/// `05/2024`.
pub fn month_vi(m: Month) -> String {
    format!("{:02}/{}", m.number(), m.year())
}

/// `05/06/2024`: the local date of an instant.
pub fn date_vi(t: Timestamp) -> String {
    let d = t.local_date();
    format!("{:02}/{:02}/{}", d.day(), d.month() as u8, d.year())
}

fn last_day_vi(m: Month) -> String {
    let d = m.next().first_day().previous_day().unwrap_or(m.first_day());
    format!("{:02}/{:02}/{}", d.day(), d.month() as u8, d.year())
}

/// Refuses to close a month that has not ended at `now`: its figures still move with every
/// dossier received.
pub fn check_ended(month: Month, now: Timestamp) -> Result<(), CloseError> {
    if month.end() <= now {
        Ok(())
    } else {
        Err(CloseError::NotEnded(month))
    }
}

/// `live − frozen` for every count that differs (count id → difference); empty when the
/// live figures are still the frozen ones.
pub fn changes(frozen: &Counts, live: &Counts) -> BTreeMap<CountId, i64> {
    CountId::ALL
        .into_iter()
        .filter(|&id| frozen.get(id) != live.get(id))
        .map(|id| {
            let d = i128::from(live.get(id)) - i128::from(frozen.get(id));
            let d = i64::try_from(d).unwrap_or(if d < 0 { i64::MIN } else { i64::MAX });
            (id, d)
        })
        .collect()
}

/// The `closed` key of the indicators of a closed month: when and by whom it was closed,
/// and how the live figures differ from the frozen ones the report shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosedFigures {
    /// When the month was closed.
    pub at: Timestamp,
    /// Who closed it: the audit trail's actor (`user:NAME`, `cli:NAME`) as computed; the
    /// HTTP API replaces it with the account's full name for principals of the root unit
    /// and leaves it out for everyone else (no login is shown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Live − frozen, per count id of the scope, only where they differ.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, i64>))]
    pub changes: BTreeMap<CountId, i64>,
    /// The leaf units of the scope whose live counts differ from the frozen ones.
    pub units_changed: Vec<UnitCode>,
    /// The live counts and rates of the scope, when they differ from the frozen ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<IndicatorSet>,
}

impl ClosedFigures {
    /// The figures of a scope for a closed month: `frozen` and `live` are the scope's totals,
    /// `leaves` each leaf unit with its frozen and live counts (in the report's order).
    pub fn new<'a>(
        close: &MonthClose,
        frozen: &Counts,
        live: &Counts,
        leaves: impl IntoIterator<Item = (&'a UnitCode, Counts, Counts)>,
    ) -> Self {
        let changes = changes(frozen, live);
        let units_changed = leaves
            .into_iter()
            .filter(|(_, f, l)| f != l)
            .map(|(u, _, _)| u.clone())
            .collect();
        let live = (!changes.is_empty()).then(|| IndicatorSet::from_counts(*live));
        Self {
            at: close.closed_at,
            by: Some(close.actor.clone()),
            changes,
            units_changed,
            live,
        }
    }

    /// The close itself, in Vietnamese: `Số liệu tháng 05/2024 đã chốt ngày 05/06/2024.`
    pub fn banner(&self, month: Month) -> String {
        format!(
            "Số liệu tháng {} đã chốt ngày {}.",
            month_vi(month),
            date_vi(self.at)
        )
    }
}

/// A difference with its sign, counts grouped the Vietnamese way: `+2`, `-1.204`.
pub fn signed_count(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "+" };
    format!("{sign}{}", crate::display::count(n.unsigned_abs()))
}

/// One sentence saying what changed after the close, in the contract's order of counts:
/// `Sau khi chốt số liệu ngày 05/06/2024, có thay đổi: số hồ sơ tiếp nhận +2, số hồ sơ đã
/// giải quyết +1.`; `None` when nothing changed.
pub fn changes_sentence(closed: &ClosedFigures) -> Option<String> {
    if closed.changes.is_empty() {
        return None;
    }
    let parts: Vec<String> = closed
        .changes
        .iter()
        .map(|(id, d)| format!("{} {}", id.name_vi(), signed_count(*d)))
        .collect();
    Some(format!(
        "Sau khi chốt số liệu ngày {}, có thay đổi: {}.",
        date_vi(closed.at),
        parts.join(", ")
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn may() -> Month {
        Month::new(2024, 5).unwrap()
    }

    fn close() -> MonthClose {
        MonthClose {
            month: may(),
            closed_at: Timestamp::parse("2024-06-05T09:30:00+07:00").unwrap(),
            actor: "user:district-admin".to_owned(),
        }
    }

    #[test]
    fn a_month_closes_only_once_it_has_ended() {
        let last_instant = Timestamp::from_micros(may().end().as_micros() - 1);
        assert_eq!(
            check_ended(may(), last_instant),
            Err(CloseError::NotEnded(may()))
        );
        assert_eq!(check_ended(may(), may().end()), Ok(()));
        assert_eq!(
            CloseError::NotEnded(may()).to_string(),
            "Tháng 05/2024 chưa kết thúc (hết ngày 31/05/2024): chỉ chốt được số liệu của tháng đã qua"
        );
        assert!(CloseError::AlreadyClosed(close()).to_string().starts_with(
            "Tháng 05/2024 đã được chốt số liệu ngày 05/06/2024 (user:district-admin)"
        ));
    }

    #[test]
    fn changes_are_live_minus_frozen_and_only_nonzero() {
        let frozen = Counts {
            received: 10,
            resolved: 7,
            pending: 3,
            online_services_offered: 4,
            ..Counts::default()
        };
        assert!(changes(&frozen, &frozen).is_empty());
        let live = Counts {
            received: 12,
            resolved: 6,
            ..frozen
        };
        let c = changes(&frozen, &live);
        assert_eq!(
            c.into_iter().collect::<Vec<_>>(),
            vec![(CountId::Received, 2), (CountId::Resolved, -1)]
        );
    }

    #[test]
    fn closed_figures_name_the_units_that_moved_and_keep_the_live_figures() {
        let frozen = Counts {
            received: 10,
            ..Counts::default()
        };
        let live = Counts {
            received: 11,
            ..Counts::default()
        };
        let (a, b) = (
            UnitCode::parse("ho-xa").unwrap(),
            UnitCode::parse("vinh-khe").unwrap(),
        );
        let one = Counts {
            received: 1,
            ..Counts::default()
        };
        let two = Counts {
            received: 2,
            ..Counts::default()
        };
        let f = ClosedFigures::new(&close(), &frozen, &live, [(&a, one, one), (&b, one, two)]);
        assert_eq!(f.units_changed, vec![b.clone()]);
        assert_eq!(f.live.map(|l| l.counts.received), Some(11));
        assert_eq!(
            changes_sentence(&f).as_deref(),
            Some("Sau khi chốt số liệu ngày 05/06/2024, có thay đổi: số hồ sơ tiếp nhận +1.")
        );
        assert_eq!(
            f.banner(may()),
            "Số liệu tháng 05/2024 đã chốt ngày 05/06/2024."
        );

        let same = ClosedFigures::new(&close(), &frozen, &frozen, [(&a, one, one)]);
        assert!(same.changes.is_empty() && same.units_changed.is_empty());
        assert!(same.live.is_none());
        assert_eq!(changes_sentence(&same), None);
        let json = serde_json::to_value(&same).unwrap();
        assert_eq!(json["at"], "2024-06-05T09:30:00+07:00");
        assert!(json.get("live").is_none());
    }

    #[test]
    fn the_sentence_follows_the_contract_order_and_groups_thousands() {
        let frozen = Counts {
            received: 2000,
            resolved: 5,
            pending_overdue: 3,
            ..Counts::default()
        };
        let live = Counts {
            received: 3234,
            resolved: 6,
            pending_overdue: 1,
            ..Counts::default()
        };
        let f = ClosedFigures::new(&close(), &frozen, &live, []);
        assert_eq!(
            changes_sentence(&f).as_deref(),
            Some(
                "Sau khi chốt số liệu ngày 05/06/2024, có thay đổi: số hồ sơ tiếp nhận +1.234, số hồ sơ đã giải quyết +1, số hồ sơ đang giải quyết quá hạn -2."
            )
        );
    }
}
