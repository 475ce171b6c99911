//! Each unit's report settings (`motcua_core::letterhead::ReportSettings`): the issuing-body
//! lines, number symbol, place, signature and recipients its reports print. Stored as one
//! audited setting per unit (`report.settings.<unit code>`, JSON); a unit with none stored
//! gets the defaults of its kind.

use motcua_core::access::AuditContext;
use motcua_core::letterhead::ReportSettings;
use motcua_core::unit::UnitTree;
use motcua_store::{SqlStore, StoreError};

use crate::AppError;

/// The setting that holds `unit`'s report settings.
pub fn report_settings_key(unit: &str) -> String {
    format!("report.settings.{unit}")
}

/// The report settings of `unit` (a code or a name): stored, or the defaults of its kind.
pub async fn report_settings(store: &SqlStore, unit: &str) -> Result<ReportSettings, AppError> {
    let tree = UnitTree::new(store.units().await?)?;
    settings_in(store, &tree, unit).await
}

pub(crate) async fn settings_in(
    store: &SqlStore,
    tree: &UnitTree,
    unit: &str,
) -> Result<ReportSettings, AppError> {
    let u = tree
        .find(unit)
        .ok_or_else(|| AppError::UnknownUnit(unit.to_owned()))?;
    let key = report_settings_key(u.code.as_str());
    match store.setting(&key).await? {
        None => Ok(ReportSettings::default_for(tree, u)),
        Some(text) => serde_json::from_str(&text).map_err(|e| {
            AppError::Store(StoreError::Corrupt {
                table: "settings",
                key,
                reason: e.to_string(),
            })
        }),
    }
}

/// Stores `settings` for `unit`, checked first (every problem at once), audited.
pub async fn set_report_settings(
    store: &SqlStore,
    unit: &str,
    settings: &ReportSettings,
    ctx: &AuditContext,
) -> Result<ReportSettings, AppError> {
    settings
        .check()
        .map_err(|problems| AppError::Refused(problems.join("; ")))?;
    let tree = UnitTree::new(store.units().await?)?;
    let u = tree
        .find(unit)
        .ok_or_else(|| AppError::UnknownUnit(unit.to_owned()))?;
    let text = serde_json::to_string(settings).map_err(|e| AppError::Refused(e.to_string()))?;
    store
        .set_setting(&report_settings_key(u.code.as_str()), &text, ctx)
        .await?;
    Ok(settings.clone())
}
