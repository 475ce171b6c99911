//! The service indicators of `docs/spec/indicators.md`, computed from units, procedures and
//! dossiers for one unit's scope and one month.
//!
//! Every count is additive over units, so [`compute`] tallies each unit of the scope once per
//! month ([`Counts`]) and sums; rates ([`Rates`]) are derived from the sums, never averaged.
//! The result ([`IndicatorReport`]) serializes to the JSON of the contract.
//! [`counts_by_field`] tallies the same way by procedure field ([`FieldRow`]: the rows of
//! Biểu 06/VPCP/KSTT).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::collation::VietnameseOrder;
use crate::counts::Counts;
use crate::dossier::{Channel, Dossier};
use crate::procedure::{Procedure, ProcedureCode};
use crate::rates::{IndicatorSet, Rates};
use crate::timestamp::Month;
use crate::unit::{Unit, UnitCode, UnitTree};

/// One leaf unit's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRow {
    pub code: UnitCode,
    pub short_name: String,
    pub name: String,
    pub label: String,
    pub counts: Counts,
    pub rates: Rates,
    pub previous: IndicatorSet,
}

/// A late-dossier entry: `1 hồ sơ ở xã Vĩnh Khê` (see [`LateEntry::text`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LateEntry {
    pub code: UnitCode,
    pub short_name: String,
    pub label: String,
    pub count: u64,
}

impl LateEntry {
    /// `1 hồ sơ ở xã Vĩnh Khê`, as the report and the dashboard say it.
    pub fn text(&self) -> String {
        format!(
            "{} hồ sơ ở {} {}",
            crate::display::count(self.count),
            self.label,
            self.short_name
        )
    }
}

/// The unit lists of the monthly report (`docs/spec/indicators.md`, "Unit lists").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitLists {
    /// Short names of units at 100% input and result digitization, alphabetical.
    pub digitized_100: Vec<String>,
    /// Units with late dossiers.
    pub late: Vec<LateEntry>,
    /// Short names of units doing well on online payment and e-receipts, best first.
    pub good_payment: Vec<String>,
}

/// The indicators of one unit's scope for one month, with the previous month and the leaf
/// units: the JSON of the contract (plus the extra keys `lists` and, for a closed month, `closed`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorReport {
    pub unit: UnitCode,
    /// The unit's short name and label (extra keys): `Vĩnh Linh`, `huyện`.
    pub unit_short_name: String,
    pub unit_label: String,
    #[serde(with = "crate::timestamp::month_text")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$", examples("2024-05"))
    )]
    pub month: Month,
    pub counts: Counts,
    pub rates: Rates,
    pub previous: IndicatorSet,
    pub units: Vec<UnitRow>,
    pub lists: UnitLists,
    /// When the month is closed (chốt số liệu, extra key): the counts and rates above are
    /// the frozen ones, and this says when, by whom, and how the live figures differ.
    /// Absent when the month is not closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<crate::close::ClosedFigures>,
}

/// Why indicators cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndicatorError {
    #[error("không có đơn vị mã «{0}»")]
    UnknownUnit(String),
}

/// Computes the indicators of `unit`'s scope for `month`.
///
/// `dossiers` may hold more than the scope and the two months; what does not belong is
/// ignored. It must hold every dossier of the scope received before the end of `month` and not
/// settled before the start of the previous month.
pub fn compute(
    tree: &UnitTree,
    procedures: &[Procedure],
    dossiers: &[Dossier],
    unit: &UnitCode,
    month: Month,
    order: &VietnameseOrder,
) -> Result<IndicatorReport, IndicatorError> {
    if tree.get(unit).is_none() {
        return Err(IndicatorError::UnknownUnit(unit.to_string()));
    }
    let scope = tree.scope(unit);
    let previous = month.previous();

    // Per unit: [month, previous month].
    let mut per_unit: HashMap<&UnitCode, [Counts; 2]> = scope
        .iter()
        .map(|u| (&u.code, [Counts::default(); 2]))
        .collect();
    let procedures_by_code: HashMap<&ProcedureCode, &Procedure> =
        procedures.iter().map(|p| (&p.code, p)).collect();
    let units_by_code: HashMap<&UnitCode, &Unit> = scope.iter().map(|u| (&u.code, *u)).collect();
    let mut used: [HashSet<(&UnitCode, &ProcedureCode)>; 2] = Default::default();

    for d in dossiers {
        let Some(slot) = per_unit.get_mut(&d.unit_code) else {
            continue;
        };
        for (i, m) in [month, previous].into_iter().enumerate() {
            slot[i].tally(d, m);
            if d.channel == Channel::Online && m.contains(d.received_at) {
                let offered = procedures_by_code
                    .get(&d.procedure_code)
                    .zip(units_by_code.get(&d.unit_code))
                    .is_some_and(|(p, u)| p.is_online_offering_of(u));
                if offered {
                    used[i].insert((&d.unit_code, &d.procedure_code));
                }
            }
        }
    }
    for u in &scope {
        let offered = procedures
            .iter()
            .filter(|p| p.is_online_offering_of(u))
            .count() as u64;
        if let Some(slot) = per_unit.get_mut(&u.code) {
            for (i, counts) in slot.iter_mut().enumerate() {
                counts.online_services_offered = offered;
                counts.online_services_used =
                    used[i].iter().filter(|(c, _)| **c == u.code).count() as u64;
            }
        }
    }

    let order = UnitOrder::new(tree.iter_preorder(), order);
    assemble(tree, &order, &code_counts(&per_unit), unit, month)
}

fn code_counts<'a>(
    per_unit: &'a HashMap<&UnitCode, [Counts; 2]>,
) -> impl Fn(&UnitCode) -> [Counts; 2] + 'a {
    |code| per_unit.get(code).copied().unwrap_or_default()
}

/// The units of a tree ranked by name and by short name in Vietnamese order, once, so that
/// sorting a report's units costs integer comparisons.
#[derive(Debug, Clone, Default)]
pub struct UnitOrder {
    by_name: HashMap<UnitCode, u32>,
    by_short_name: HashMap<UnitCode, u32>,
}

impl UnitOrder {
    pub fn new<'a>(units: impl Iterator<Item = &'a Unit>, order: &VietnameseOrder) -> Self {
        let mut units: Vec<&Unit> = units.collect();
        let rank = |units: &[&Unit]| -> HashMap<UnitCode, u32> {
            units
                .iter()
                .enumerate()
                .map(|(i, u)| (u.code.clone(), u32::try_from(i).unwrap_or(u32::MAX)))
                .collect()
        };
        order.sort_by_key(&mut units, |u| &u.name);
        let by_name = rank(&units);
        order.sort_by_key(&mut units, |u| &u.short_name);
        let by_short_name = rank(&units);
        Self {
            by_name,
            by_short_name,
        }
    }

    fn name(&self, code: &UnitCode) -> u32 {
        self.by_name.get(code).copied().unwrap_or(u32::MAX)
    }

    fn short_name(&self, code: &UnitCode) -> u32 {
        self.by_short_name.get(code).copied().unwrap_or(u32::MAX)
    }
}

/// The report of `unit`'s scope for `month` from the counts of each unit of the scope for
/// the month and the month before (`counts(code)` = `[month, previous]`, with the online
/// services filled in).
pub fn assemble(
    tree: &UnitTree,
    order: &UnitOrder,
    counts: &dyn Fn(&UnitCode) -> [Counts; 2],
    unit: &UnitCode,
    month: Month,
) -> Result<IndicatorReport, IndicatorError> {
    let top = tree
        .get(unit)
        .ok_or_else(|| IndicatorError::UnknownUnit(unit.to_string()))?;
    let mut totals = [Counts::default(); 2];
    for u in tree.scope(unit) {
        let [now, before] = counts(&u.code);
        totals[0] += now;
        totals[1] += before;
    }
    let mut leaves = tree.leaves(unit);
    // Departments ("Phòng …"), then towns ("UBND thị trấn …"), then communes ("UBND xã …"),
    // each alphabetical: the order of the district's own reports.
    leaves.sort_by_key(|u| order.name(&u.code));
    let units: Vec<UnitRow> = leaves
        .into_iter()
        .map(|u| {
            let [now, before] = counts(&u.code);
            UnitRow {
                code: u.code.clone(),
                short_name: u.short_name.clone(),
                name: u.name.clone(),
                label: u.label.clone(),
                counts: now,
                rates: Rates::from_counts(&now),
                previous: IndicatorSet::from_counts(before),
            }
        })
        .collect();
    let lists = unit_lists(&units, order);
    Ok(IndicatorReport {
        unit: top.code.clone(),
        unit_short_name: top.short_name.clone(),
        unit_label: top.label.clone(),
        month,
        counts: totals[0],
        rates: Rates::from_counts(&totals[0]),
        previous: IndicatorSet::from_counts(totals[1]),
        units,
        lists,
        closed: None,
    })
}

/// One row of the table of results by field (Biểu 06/VPCP/KSTT): a field (lĩnh vực) and
/// its counts for the month, tallied exactly as [`compute`] tallies a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldRow {
    /// The procedure's field, e.g. `Hộ tịch`.
    pub field: String,
    pub counts: Counts,
}

/// The field of a dossier whose procedure is not in the catalogue (the import refuses such
/// dossiers, so this only keeps the rows adding up should one ever be stored).
pub const UNKNOWN_FIELD: &str = "Chưa xác định lĩnh vực";

/// The counts of `unit`'s scope for `month` by the field of each dossier's procedure, in
/// Vietnamese alphabetical order; fields with nothing to count in the month are left out.
///
/// Each dossier goes through [`Counts::tally`], as in [`compute`], so the rows add up to the
/// scope's counts (except the online services, which belong to units, not fields, and stay
/// zero here). `dossiers` has the same requirement as in [`compute`] (the previous month
/// is not needed).
pub fn counts_by_field(
    tree: &UnitTree,
    procedures: &[Procedure],
    dossiers: &[Dossier],
    unit: &UnitCode,
    month: Month,
    order: &VietnameseOrder,
) -> Result<Vec<FieldRow>, IndicatorError> {
    if tree.get(unit).is_none() {
        return Err(IndicatorError::UnknownUnit(unit.to_string()));
    }
    let scope: HashSet<&UnitCode> = tree.scope(unit).into_iter().map(|u| &u.code).collect();
    let field_of: HashMap<&ProcedureCode, &str> = procedures
        .iter()
        .map(|p| (&p.code, p.field.as_str()))
        .collect();
    let mut by_field: HashMap<&str, Counts> = HashMap::new();
    for d in dossiers.iter().filter(|d| scope.contains(&d.unit_code)) {
        let field = field_of
            .get(&d.procedure_code)
            .copied()
            .unwrap_or(UNKNOWN_FIELD);
        by_field.entry(field).or_default().tally(d, month);
    }
    let mut rows: Vec<FieldRow> = by_field
        .into_iter()
        .filter(|(_, counts)| *counts != Counts::default())
        .map(|(field, counts)| FieldRow {
            field: field.to_owned(),
            counts,
        })
        .collect();
    order.sort_by_key(&mut rows, |r| &r.field);
    // "Khác" (other) and the unknown field close the list, as on the form.
    rows.sort_by_key(|r| matches!(r.field.as_str(), OTHER_FIELD | UNKNOWN_FIELD));
    Ok(rows)
}

/// The field of the procedures that belong to no named field; listed last.
pub const OTHER_FIELD: &str = "Khác";

/// The rows of Biểu 06 of one level of government (`Cấp huyện`, `Cấp xã`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelRows {
    pub level: String,
    pub rows: Vec<FieldRow>,
}

/// The level of government a unit's dossiers are handled at: a department's is that of
/// the People's Committee above it.
fn level_of(tree: &UnitTree, unit: &UnitCode) -> (u8, &'static str) {
    let mut at = tree.get(unit);
    while let Some(u) = at.filter(|u| u.kind == crate::unit::UnitKind::Department) {
        at = u.parent.as_ref().and_then(|p| tree.get(p));
    }
    match at.map(|u| u.kind) {
        Some(crate::unit::UnitKind::Province) => (0, "Cấp tỉnh"),
        Some(crate::unit::UnitKind::Commune) => (2, "Cấp xã"),
        _ => (1, "Cấp huyện"),
    }
}

/// [`counts_by_field`] grouped by the level of the units that handle the dossiers (province,
/// district, commune, in that order); levels with nothing to count are left out.
pub fn counts_by_level_and_field(
    tree: &UnitTree,
    procedures: &[Procedure],
    dossiers: &[Dossier],
    unit: &UnitCode,
    month: Month,
    order: &VietnameseOrder,
) -> Result<Vec<LevelRows>, IndicatorError> {
    if tree.get(unit).is_none() {
        return Err(IndicatorError::UnknownUnit(unit.to_string()));
    }
    let mut levels: Vec<((u8, &'static str), Vec<Dossier>)> = Vec::new();
    let scope: HashSet<&UnitCode> = tree.scope(unit).into_iter().map(|u| &u.code).collect();
    for d in dossiers.iter().filter(|d| scope.contains(&d.unit_code)) {
        let level = level_of(tree, &d.unit_code);
        match levels.iter_mut().find(|(l, _)| *l == level) {
            Some((_, list)) => list.push(d.clone()),
            None => levels.push((level, vec![d.clone()])),
        }
    }
    levels.sort_by_key(|((rank, _), _)| *rank);
    let mut out = Vec::new();
    for ((_, level), list) in levels {
        let rows = counts_by_field(tree, procedures, &list, unit, month, order)?;
        if !rows.is_empty() {
            out.push(LevelRows {
                level: level.to_owned(),
                rows,
            });
        }
    }
    Ok(out)
}

/// The three unit lists of the monthly report, from the leaf rows.
pub fn unit_lists(units: &[UnitRow], order: &UnitOrder) -> UnitLists {
    let mut digitized: Vec<&UnitRow> = units
        .iter()
        .filter(|u| {
            u.counts.received_with_components >= 1
                && u.counts.resolved_approved >= 1
                && u.rates.input_digitization_rate.at_least(100)
                && u.rates.result_digitization_rate.at_least(100)
        })
        .collect();
    digitized.sort_by_key(|u| order.short_name(&u.code));

    let mut late: Vec<&UnitRow> = units
        .iter()
        .filter(|u| u.counts.resolved_late >= 1)
        .collect();
    late.sort_by(|a, b| {
        b.counts
            .resolved_late
            .cmp(&a.counts.resolved_late)
            .then_with(|| order.short_name(&a.code).cmp(&order.short_name(&b.code)))
    });

    let mut good: Vec<&UnitRow> = units
        .iter()
        .filter(|u| {
            u.counts.fee_received >= 1
                && u.rates.online_payment_rate.at_least(90)
                && u.rates.e_receipt_rate.at_least(90)
        })
        .collect();
    good.sort_by(|a, b| {
        b.rates
            .online_payment_rate
            .cmp_exact(&a.rates.online_payment_rate)
            .then_with(|| b.rates.e_receipt_rate.cmp_exact(&a.rates.e_receipt_rate))
            .then_with(|| b.counts.fee_received.cmp(&a.counts.fee_received))
            .then_with(|| order.short_name(&a.code).cmp(&order.short_name(&b.code)))
    });

    UnitLists {
        digitized_100: digitized.iter().map(|u| u.short_name.clone()).collect(),
        late: late
            .iter()
            .map(|u| LateEntry {
                code: u.code.clone(),
                short_name: u.short_name.clone(),
                label: u.label.clone(),
                count: u.counts.resolved_late,
            })
            .collect(),
        good_payment: good.iter().map(|u| u.short_name.clone()).collect(),
    }
}
