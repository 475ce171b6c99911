//! The indicators of a unit's scope: [`indicators`] from the aggregates (a closed month from
//! its frozen counts, as [`motcua_core::figures`] decides), [`trend`] over several months,
//! and the recount from the dossiers themselves ([`indicators_recounted`], [`verify`],
//! [`dossiers_behind`]).

use motcua_core::catalogue::Catalogue;
use motcua_core::collation::VietnameseOrder;
use motcua_core::counts::{Counts, Figure};
use motcua_core::dossier::Dossier;
use motcua_core::figures;
use motcua_core::indicators::{self, IndicatorReport};
use motcua_core::rates::Rates;
use motcua_core::timestamp::Month;
use motcua_store::SqlStore;

use crate::AppError;
use crate::scope::{ScopeData, month_counts, scope_data, scope_of, unit_in};

/// The indicators of the scope of unit `unit` for `month`, with the previous month and the
/// leaf units (docs/spec/indicators.md), from the aggregates.
///
/// A closed month (chốt số liệu) reads its frozen counts, the previous month too when it is
/// closed; the report of a closed month carries `closed`: when and by whom it was closed,
/// and live − frozen wherever a dossier changed since.
pub async fn indicators(
    store: &SqlStore,
    unit: &str,
    month: Month,
) -> Result<IndicatorReport, AppError> {
    let catalogue = store.catalogue().await?;
    indicators_with(store, &catalogue, unit, month).await
}

/// [`indicators`] with the catalogue the caller holds already (the web layer reads it for the
/// access check): one revision check per request, not two.
pub async fn indicators_with(
    store: &SqlStore,
    catalogue: &Catalogue,
    unit: &str,
    month: Month,
) -> Result<IndicatorReport, AppError> {
    let code = unit_in(catalogue, unit)?;
    let counts = month_counts(store, catalogue, &code, vec![month, month.previous()]).await?;
    figures::indicators(catalogue, &counts, &code, month)
        .map_err(|e| AppError::UnknownUnit(e.to_string()))
}

/// The indicators of `unit`'s scope for `month` computed from the dossiers themselves, as
/// `motcua verify` and the tests recount them: what [`indicators`] must equal.
pub async fn indicators_recounted(
    store: &SqlStore,
    unit: &str,
    month: Month,
) -> Result<IndicatorReport, AppError> {
    let ScopeData {
        tree,
        code,
        procedures,
        dossiers,
    } = scope_data(store, unit, month).await?;
    indicators::compute(
        &tree,
        &procedures,
        &dossiers,
        &code,
        month,
        &VietnameseOrder::new(),
    )
    .map_err(|e| AppError::UnknownUnit(e.to_string()))
}

/// Recounts every aggregate from the dossiers and returns the differences (`motcua
/// verify`); empty when the aggregates are right.
pub async fn verify(store: &SqlStore) -> Result<Vec<motcua_core::aggregate::Difference>, AppError> {
    Ok(store.check_aggregates().await?)
}

/// The dossiers behind a figure of a unit's scope for a month (what a click on a dashboard
/// figure lists): each dossier is tallied alone with the indicators' own rule, so the list
/// always has exactly as many dossiers as the figure counts.
pub async fn dossiers_behind(
    store: &SqlStore,
    unit: &str,
    month: Month,
    figure: Figure,
) -> Result<Vec<Dossier>, AppError> {
    let mut out = Vec::new();
    for d in scope_data(store, unit, month).await?.dossiers {
        let mut one = Counts::default();
        one.tally(&d, month);
        if figure.of(&one) > 0 {
            out.push(d);
        }
    }
    out.sort_by(|a, b| (a.received_at, &a.code).cmp(&(b.received_at, &b.code)));
    Ok(out)
}

/// The rates of a unit's scope over the `months` months ending with `month`, oldest first
/// (the dashboard's trend chart), from the aggregates in one read; a closed month draws its
/// frozen figures.
pub async fn trend(
    store: &SqlStore,
    unit: &str,
    month: Month,
    months: usize,
) -> Result<Vec<(Month, Rates)>, AppError> {
    let catalogue = store.catalogue().await?;
    trend_with(store, &catalogue, unit, month, months).await
}

/// [`trend`] with the catalogue the caller holds already.
pub async fn trend_with(
    store: &SqlStore,
    catalogue: &Catalogue,
    unit: &str,
    month: Month,
    months: usize,
) -> Result<Vec<(Month, Rates)>, AppError> {
    let mut list = vec![month];
    while list.len() < months {
        let first = list[list.len() - 1].previous();
        list.push(first);
    }
    list.reverse();
    let code = unit_in(catalogue, unit)?;
    let (scope, _) = scope_of(catalogue, &code);
    let counts = month_counts(store, catalogue, &code, list).await?;
    let totals = counts.shown_totals(&scope);
    Ok(counts
        .months()
        .iter()
        .copied()
        .zip(totals.iter().map(Rates::from_counts))
        .collect())
}
