//! The monthly report (`docs/spec/report.md`): its targets ([`targets`], [`set_targets`]),
//! its date ([`report_date`]), its narrative and letterhead ([`monthly_report`]), the results
//! by field ([`report_by_field`]) and the report as a DOCX or XLSX file ([`report_file`]).

use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::collation::VietnameseOrder;
use motcua_core::indicators::{self, IndicatorReport, LevelRows};
use motcua_core::letterhead::{self, Letterhead};
use motcua_core::report::{Facts, Narrative, Targets};
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitCode;
use motcua_store::{SqlStore, StoreError};
use time::Date;

use crate::AppError;
use crate::indicators::indicators;
use crate::report_settings::settings_in;
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

/// A monthly report ready to be rendered: the indicators, their narrative and the letterhead
/// (issuer, number, place and date, signature, recipients) of the unit's report settings.
#[derive(Debug, Clone)]
pub struct MonthlyReport {
    pub indicators: IndicatorReport,
    pub narrative: Narrative,
    pub letterhead: Letterhead,
}

/// The date of a report of `month`: the one chosen (not before the month), else the day
/// after the month ends, or today (`now`'s day in Vietnam) while it runs.
pub fn report_date(month: Month, chosen: Option<Date>, now: Timestamp) -> Result<Date, AppError> {
    match chosen {
        Some(d) => {
            letterhead::check_report_date(month, d).map_err(|e| AppError::Refused(e.to_string()))
        }
        None => Ok(letterhead::default_report_date(month, now.local_date())),
    }
}

/// The monthly report of a unit's scope (`docs/spec/report.md`) dated `date`: its indicators,
/// their narrative with the targets in force and the remediation deadline that follows the
/// date, and the letterhead of the unit's report settings.
pub async fn monthly_report(
    store: &SqlStore,
    unit: &str,
    month: Month,
    date: Date,
) -> Result<MonthlyReport, AppError> {
    let report = indicators(store, unit, month).await?;
    let catalogue = store.catalogue().await?;
    let tree = &catalogue.tree;
    let issuer = tree
        .get(&report.unit)
        .map_or_else(|| report.unit.to_string(), |u| u.name.clone());
    let scope: Vec<UnitCode> = tree
        .scope(&report.unit)
        .iter()
        .map(|u| u.code.clone())
        .collect();
    let go_live = store
        .first_received_on_new_system(&scope)
        .await?
        .map(Timestamp::local_date);
    let targets = targets(store).await?;
    let narrative = motcua_core::report::monthly(
        &report,
        &Facts {
            issuer: &issuer,
            targets: &targets,
            deadline: letterhead::remediation_deadline(date),
            go_live,
            finished: motcua_core::followup::month_finished(month, date),
        },
    );
    let settings = settings_in(store, tree, report.unit.as_str()).await?;
    Ok(MonthlyReport {
        letterhead: settings.letterhead(date),
        indicators: report,
        narrative,
    })
}

/// The results of a unit's scope for `month` by level of government and field (lĩnh vực):
/// the rows of Biểu 06/VPCP/KSTT (Circular 01/2020/TT-VPCP), in Vietnamese order ("Khác"
/// last), for `motcua_report::xlsx`. They add up to the counts of [`indicators`] for the
/// same scope.
pub async fn report_by_field(
    store: &SqlStore,
    unit: &str,
    month: Month,
) -> Result<Vec<LevelRows>, AppError> {
    let data = scope_data(store, unit, month).await?;
    indicators::counts_by_level_and_field(
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
/// indicators by unit, and Biểu 06 by field, dated as the report).
pub async fn report_file(
    store: &SqlStore,
    report: &MonthlyReport,
    xlsx: bool,
) -> Result<Vec<u8>, AppError> {
    let result = if xlsx {
        let i = &report.indicators;
        let by_field = report_by_field(store, i.unit.as_str(), i.month).await?;
        motcua_report::xlsx(i, &by_field, &report.letterhead)
    } else {
        motcua_report::docx(&report.narrative, &report.letterhead)
    };
    result.map_err(|e| AppError::Refused(e.to_string()))
}
