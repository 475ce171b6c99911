//! What the indicators of a unit's scope are computed from, loaded from the store: the
//! counts of each unit and month (live, and frozen for the closed months), or the dossiers
//! themselves.

use motcua_core::catalogue::Catalogue;
use motcua_core::counts::Counts;
use motcua_core::dossier::Dossier;
use motcua_core::figures::MonthCounts;
use motcua_core::procedure::Procedure;
use motcua_core::timestamp::Month;
use motcua_core::unit::{UnitCode, UnitTree};
use motcua_store::SqlStore;

use crate::AppError;
use crate::close::frozen_months;

/// What the indicators of a scope and month are computed from when they are recounted.
pub(crate) struct ScopeData {
    pub tree: UnitTree,
    pub code: UnitCode,
    pub procedures: Vec<Procedure>,
    pub dossiers: Vec<Dossier>,
}

/// The unit tree, the code of `unit` (a code or a name `tree.find` accepts), the catalogue,
/// and the scope's dossiers that may count in `month` or the month before.
pub(crate) async fn scope_data(
    store: &SqlStore,
    unit: &str,
    month: Month,
) -> Result<ScopeData, AppError> {
    let tree = UnitTree::new(store.units().await?)?;
    let top = tree
        .find(unit)
        .ok_or_else(|| AppError::UnknownUnit(unit.to_owned()))?;
    let scope: Vec<UnitCode> = tree
        .scope(&top.code)
        .iter()
        .map(|u| u.code.clone())
        .collect();
    let code = top.code.clone();
    let procedures = store.procedures().await?;
    let dossiers = store.dossiers_for_indicators(&scope, month).await?;
    Ok(ScopeData {
        tree,
        code,
        procedures,
        dossiers,
    })
}

/// The units of `unit`'s scope, and whether it is the whole tree (a store read then takes
/// every unit, without binding the list).
pub(crate) fn scope_of(catalogue: &Catalogue, unit: &UnitCode) -> (Vec<UnitCode>, bool) {
    let whole = catalogue.tree.root().is_some_and(|r| &r.code == unit);
    let scope = catalogue
        .tree
        .scope(unit)
        .iter()
        .map(|u| u.code.clone())
        .collect();
    (scope, whole)
}

/// The code of the unit `unit` names (a code or a name `tree.find` accepts).
pub(crate) fn unit_in(catalogue: &Catalogue, unit: &str) -> Result<UnitCode, AppError> {
    Ok(catalogue
        .tree
        .find(unit)
        .ok_or_else(|| AppError::UnknownUnit(unit.to_owned()))?
        .code
        .clone())
}

/// The counts of each unit of `unit`'s scope for `months`: live from the aggregates, with
/// the online services offered filled in from the catalogue, and frozen for the closed
/// months among them. O(units × months), whatever the number of dossiers.
pub(crate) async fn month_counts(
    store: &SqlStore,
    catalogue: &Catalogue,
    unit: &UnitCode,
    months: Vec<Month>,
) -> Result<MonthCounts, AppError> {
    let (scope, whole) = scope_of(catalogue, unit);
    let filter = (!whole).then_some(scope.as_slice());
    let mut live = store.unit_counts(filter, &months).await?;
    let frozen = frozen_months(store, filter, &months).await?;
    for code in scope {
        let offered = catalogue.offered(&code);
        let row = live
            .entry(code)
            .or_insert_with(|| vec![Counts::default(); months.len()]);
        for c in row.iter_mut() {
            c.online_services_offered = offered;
        }
    }
    Ok(MonthCounts::new(months, live, frozen))
}
