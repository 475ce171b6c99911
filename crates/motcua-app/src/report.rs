//! The monthly report (`docs/spec/report.md`): its targets ([`targets`], [`set_targets`]),
//! its narrative ([`monthly_report`]), the results by field ([`report_by_field`]) and the
//! report as a DOCX or XLSX file ([`report_file`]).

use motcua_core::access::AuditContext;
use motcua_core::collation::VietnameseOrder;
use motcua_core::indicators::{self, FieldRow, IndicatorReport};
use motcua_core::report::{Narrative, Targets};
use motcua_core::timestamp::Month;
use motcua_store::{SqlStore, StoreError};

use crate::AppError;
use crate::indicators::indicators;
use crate::scope::scope_data;

/// The setting that holds the report's targets.
pub const TARGETS_SETTING: &str = "report.targets";

/// The targets in force: those set (`motcua targets set`), or the defaults.
pub async fn targets(store: &SqlStore) -> Result<Targets, AppError> {
    match store.setting(TARGETS_SETTING).await? {
        None => Ok(Targets::default()),
        Some(text) => Targets::parse(&text).map_err(|e| {
            AppError::Store(StoreError::Corrupt {
                table: "settings",
                key: TARGETS_SETTING.to_owned(),
                reason: e,
            })
        }),
    }
}

/// Changes the targets named in `ID=PERCENT` pairs, keeping the others (`ID=0` turns one off);
/// checked first, audited.
pub async fn set_targets(
    store: &SqlStore,
    text: &str,
    ctx: &AuditContext,
) -> Result<Targets, AppError> {
    let given = Targets::parse(text).map_err(AppError::Refused)?;
    let current = targets(store).await?;
    let merged = format!("{} {}", current.to_text(), given.to_text());
    let t = Targets::parse(&merged).map_err(AppError::Refused)?;
    store
        .set_setting(TARGETS_SETTING, &t.to_text(), ctx)
        .await?;
    Ok(t)
}

/// The monthly report of a unit's scope (`docs/spec/report.md`): its indicators and their
/// narrative, with the targets in force and the default deadline of the remediation reports
/// (the 16th of the next month).
pub async fn monthly_report(
    store: &SqlStore,
    unit: &str,
    month: Month,
    now: motcua_core::Timestamp,
) -> Result<(IndicatorReport, Narrative), AppError> {
    let report = indicators(store, unit, month).await?;
    let catalogue = store.catalogue().await?;
    let issuer = catalogue
        .tree
        .get(&report.unit)
        .map_or_else(|| report.unit.to_string(), |u| u.name.clone());
    let narrative = motcua_core::report::monthly(
        &report,
        &issuer,
        &targets(store).await?,
        motcua_core::followup::month_finished(month, now.local_date()),
        motcua_core::report::default_deadline(month),
    );
    Ok((report, narrative))
}

/// The results of a unit's scope for `month` by field (lĩnh vực): the rows of Biểu
/// 06/VPCP/KSTT (Circular 01/2020/TT-VPCP), in Vietnamese order, for
/// `motcua_report::xlsx`. They add up to the counts of [`indicators`] for the same scope.
pub async fn report_by_field(
    store: &SqlStore,
    unit: &str,
    month: Month,
) -> Result<Vec<FieldRow>, AppError> {
    let data = scope_data(store, unit, month).await?;
    indicators::counts_by_field(
        &data.tree,
        &data.procedures,
        &data.dossiers,
        &data.code,
        month,
        &VietnameseOrder::new(),
    )
    .map_err(|e| AppError::UnknownUnit(e.to_string()))
}

/// The monthly report as a file: DOCX (administrative layout, Decree 30/2020) or XLSX (the
/// indicators by unit, and Biểu 06 by field). `now` dates the DOCX.
pub async fn report_file(
    store: &SqlStore,
    unit: &str,
    month: Month,
    xlsx: bool,
    now: motcua_core::Timestamp,
) -> Result<Vec<u8>, AppError> {
    let (report, narrative) = monthly_report(store, unit, month, now).await?;
    let result = if xlsx {
        let by_field = report_by_field(store, unit, month).await?;
        motcua_report::xlsx(&report, &by_field)
    } else {
        let catalogue = store.catalogue().await?;
        let tree = &catalogue.tree;
        let top = tree.get(&report.unit);
        let parent = top
            .and_then(|u| u.parent.as_ref())
            .and_then(|p| tree.get(p))
            .map(|p| p.name.clone());
        let d = now.local_date();
        let header = motcua_report::DocxHeader {
            parent,
            issuer: narrative.issuer.clone(),
            place_date: format!(
                "{}, ngày {:02} tháng {:02} năm {}",
                top.map_or("", |u| u.short_name.as_str()),
                d.day(),
                d.month() as u8,
                d.year()
            ),
        };
        motcua_report::docx(&narrative, &header)
    };
    result.map_err(|e| AppError::Refused(e.to_string()))
}
