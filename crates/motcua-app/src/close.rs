//! Month close (chốt số liệu): [`close_month`], [`month_closes`], and the frozen counts a
//! scope's closed months show.

use motcua_core::access::AuditContext;
use motcua_core::close::MonthClose;
use motcua_core::figures::FrozenMonth;
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitCode;
use motcua_store::SqlStore;

use crate::AppError;

/// Closes `month` (chốt số liệu): freezes the indicators of every unit for the month, as they
/// read now (`ctx.at`), audited. Refused when the month has not ended yet or is closed
/// already ([`AppError::Close`]). Dossiers of the month may still change afterwards: the
/// indicators then show the difference against the frozen figures.
pub async fn close_month(
    store: &SqlStore,
    month: Month,
    ctx: &AuditContext,
) -> Result<MonthClose, AppError> {
    Ok(store.close_month(month, ctx).await?)
}

/// Every closed month, oldest first.
pub async fn month_closes(store: &SqlStore) -> Result<Vec<MonthClose>, AppError> {
    Ok(store.month_closes().await?)
}

/// The snapshots of those of `months` that are closed, for the units of `scope` (`None`
/// for every unit): each maps a unit to its frozen counts (none for a unit created after the
/// close).
pub(crate) async fn frozen_months(
    store: &SqlStore,
    scope: Option<&[UnitCode]>,
    months: &[Month],
) -> Result<Vec<FrozenMonth>, AppError> {
    let closes: Vec<MonthClose> = store
        .month_closes()
        .await?
        .into_iter()
        .filter(|c| months.contains(&c.month))
        .collect();
    if closes.is_empty() {
        return Ok(Vec::new());
    }
    let closed: Vec<Month> = closes.iter().map(|c| c.month).collect();
    let mut frozen = store.closed_counts(scope, &closed).await?;
    Ok(closes
        .into_iter()
        .map(|close| {
            let counts = frozen.remove(&close.month).unwrap_or_default();
            FrozenMonth { close, counts }
        })
        .collect())
}
