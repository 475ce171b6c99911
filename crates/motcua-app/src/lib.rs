//! Application services of motcua: the operations that the command line and the web app
//! share, composed from a [`Store`] and the pure core.
//!
//! - [`import_dir`]: read an interchange folder, validate it whole, write it in one transaction;
//! - [`export_dir`]: write the interchange files of everything stored;
//! - [`indicators`]: the indicator report of a unit's scope for a month; [`monthly_report`]:
//!   with its narrative; [`report_by_field`]: the results by field (Biểu 06);
//! - [`close_month`]: month close (chốt số liệu); the indicators and the report of a closed
//!   month are its frozen figures, with the changes since;
//! - [`calendar`]: the working-day calendar in force, due-date explanations, schedule changes.
//!
//! This is where reading files happens; the core only ever sees bytes.

#![forbid(unsafe_code)]

pub mod auth;
pub mod calendar;
pub mod desk;
pub mod followup;
mod import;
pub mod ingest;
pub mod io_text;

pub use import::{import_dir, import_dir_with, import_files};

use std::path::{Path, PathBuf};

use motcua_core::access::AuditContext;
use motcua_core::catalogue::Catalogue;
use motcua_core::close::{ClosedFigures, MonthClose};
use motcua_core::collation::VietnameseOrder;
use motcua_core::counts::{Counts, Figure};
use motcua_core::indicators::{self, FieldRow, IndicatorReport};
use motcua_core::interchange::{self, DOSSIERS_FILE, Issue, PROCEDURES_FILE, UNITS_FILE};
use motcua_core::timestamp::Month;
use motcua_core::unit::{UnitCode, UnitTree};
pub use motcua_store::ImportSummary;
use motcua_store::{Store, StoreError};

/// What an operation can fail with. Every variant reads as one paragraph for a person.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("thư mục «{0}» không tồn tại hoặc không phải thư mục")]
    NotADirectory(PathBuf),
    #[error(
        "thư mục «{0}» không có tệp nào để nhập (cần ít nhất một trong units.csv, procedures.csv, dossiers.csv)"
    )]
    NothingToImport(PathBuf),
    #[error("«{0}» không phải tệp: units.csv, procedures.csv và dossiers.csv phải là tệp")]
    NotAFile(PathBuf),
    #[error("không đọc/ghi được «{path}»: {}", io_text::reason(error))]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("dữ liệu nhập có {} lỗi, không có gì được ghi vào cơ sở dữ liệu:\n{}", .0.len(), issues_text(.0))]
    Invalid(Vec<Issue>),
    #[error("không có đơn vị mã «{0}»")]
    UnknownUnit(String),
    #[error("danh sách đơn vị đã lưu không tạo thành một cây: {0}")]
    BrokenTree(#[from] motcua_core::unit::TreeError),
    #[error("không có hồ sơ mã «{0}»")]
    UnknownDossier(String),
    #[error("{0}")]
    Auth(String),
    #[error("lịch làm việc: {0}")]
    Calendar(String),
    #[error("{0}")]
    Denied(#[from] motcua_core::access::Denied),
    /// A step or a request refused by a rule; the message says which.
    #[error("{0}")]
    Refused(String),
    /// A month close refused: closed already, or not ended yet.
    #[error("{0}")]
    Close(#[from] motcua_core::close::CloseError),
    #[error("{0}")]
    Store(StoreError),
    /// The scan store failed (disk full, permissions): an operator's problem.
    #[error("kho tệp: {0}")]
    Files(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(m) => AppError::Refused(m),
            StoreError::Close(e) => AppError::Close(e),
            other => AppError::Store(other),
        }
    }
}

impl From<motcua_core::lifecycle::LifecycleError> for AppError {
    fn from(e: motcua_core::lifecycle::LifecycleError) -> Self {
        AppError::Refused(e.to_string())
    }
}

fn issues_text(issues: &[Issue]) -> String {
    issues
        .iter()
        .map(|i| format!("  - {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportSummary {
    pub units: usize,
    pub procedures: usize,
    pub dossiers: usize,
}

fn create(
    dir: &Path,
    name: &str,
) -> Result<(PathBuf, std::io::BufWriter<std::fs::File>), AppError> {
    let path = dir.join(name);
    let file = std::fs::File::create(&path).map_err(|error| AppError::Io {
        path: path.clone(),
        error,
    })?;
    Ok((path, std::io::BufWriter::new(file)))
}

/// Writes `units.csv`, `procedures.csv` and `dossiers.csv` of everything stored into `dir`
/// (created when missing).
pub async fn export_dir<S: Store>(store: &S, dir: &Path) -> Result<ExportSummary, AppError> {
    std::fs::create_dir_all(dir).map_err(|error| AppError::Io {
        path: dir.to_owned(),
        error,
    })?;
    let tree = UnitTree::new(store.units().await?)?;
    let procedures = store.procedures().await?;
    let dossiers = store.dossiers().await?;

    let (path, out) = create(dir, UNITS_FILE)?;
    interchange::write_units(out, tree.iter_preorder())
        .map_err(|error| AppError::Io { path, error })?;
    let (path, out) = create(dir, PROCEDURES_FILE)?;
    interchange::write_procedures(out, &procedures)
        .map_err(|error| AppError::Io { path, error })?;
    let (path, out) = create(dir, DOSSIERS_FILE)?;
    interchange::write_dossiers(out, &dossiers).map_err(|error| AppError::Io { path, error })?;
    Ok(ExportSummary {
        units: tree.iter_preorder().count(),
        procedures: procedures.len(),
        dossiers: dossiers.len(),
    })
}

/// What the indicators of a scope and month are computed from.
struct ScopeData {
    tree: UnitTree,
    code: UnitCode,
    procedures: Vec<motcua_core::procedure::Procedure>,
    dossiers: Vec<motcua_core::dossier::Dossier>,
}

/// The unit tree, the code of `unit` (a code or a name `tree.find` accepts), the catalogue,
/// and the scope's dossiers that may count in `month` or the month before.
async fn scope_data<S: Store>(store: &S, unit: &str, month: Month) -> Result<ScopeData, AppError> {
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

/// The units of `unit`'s scope, and the filter a store read takes for them (`None` for the
/// whole tree: every unit, without binding the list).
fn scope_of(catalogue: &Catalogue, unit: &UnitCode) -> (Vec<UnitCode>, bool) {
    let whole = catalogue.tree.root().is_some_and(|r| &r.code == unit);
    let scope = catalogue
        .tree
        .scope(unit)
        .iter()
        .map(|u| u.code.clone())
        .collect();
    (scope, whole)
}

/// The counts of each unit of `unit`'s scope for `months`, from the aggregates, with the
/// online services offered filled in from the catalogue: O(units × months), whatever the
/// number of dossiers.
async fn scope_counts<S: Store>(
    store: &S,
    catalogue: &Catalogue,
    unit: &UnitCode,
    months: &[Month],
) -> Result<std::collections::HashMap<UnitCode, Vec<Counts>>, AppError> {
    let (scope, whole) = scope_of(catalogue, unit);
    let mut counts = store
        .unit_counts((!whole).then_some(scope.as_slice()), months)
        .await?;
    for code in scope {
        let offered = catalogue.offered(&code);
        let row = counts
            .entry(code)
            .or_insert_with(|| vec![Counts::default(); months.len()]);
        for c in row.iter_mut() {
            c.online_services_offered = offered;
        }
    }
    Ok(counts)
}

/// The frozen counts of `unit`'s scope for those of `months` that are closed (chốt số liệu),
/// with their closes: a closed month maps each unit of the scope to its frozen counts (zero
/// for a unit created after the close).
async fn scope_frozen<S: Store>(
    store: &S,
    catalogue: &Catalogue,
    unit: &UnitCode,
    months: &[Month],
) -> Result<Vec<(MonthClose, std::collections::HashMap<UnitCode, Counts>)>, AppError> {
    let closes: Vec<MonthClose> = store
        .month_closes()
        .await?
        .into_iter()
        .filter(|c| months.contains(&c.month))
        .collect();
    if closes.is_empty() {
        return Ok(Vec::new());
    }
    let (scope, whole) = scope_of(catalogue, unit);
    let closed: Vec<Month> = closes.iter().map(|c| c.month).collect();
    let mut frozen = store
        .closed_counts((!whole).then_some(scope.as_slice()), &closed)
        .await?;
    Ok(closes
        .into_iter()
        .map(|c| {
            let counts = frozen.remove(&c.month).unwrap_or_default();
            (c, counts)
        })
        .collect())
}

/// The code of the unit `unit` names (a code or a name `tree.find` accepts).
fn unit_in(catalogue: &Catalogue, unit: &str) -> Result<UnitCode, AppError> {
    Ok(catalogue
        .tree
        .find(unit)
        .ok_or_else(|| AppError::UnknownUnit(unit.to_owned()))?
        .code
        .clone())
}

/// The indicators of the scope of unit `unit` for `month`, with the previous month and the
/// leaf units (docs/spec/indicators.md), from the aggregates.
///
/// A closed month (chốt số liệu) reads its frozen counts, the previous month too when it is
/// closed; the report of a closed month carries `closed`: when and by whom it was closed,
/// and live − frozen wherever a dossier changed since.
pub async fn indicators<S: Store>(
    store: &S,
    unit: &str,
    month: Month,
) -> Result<IndicatorReport, AppError> {
    let catalogue = store.catalogue().await?;
    indicators_with(store, &catalogue, unit, month).await
}

/// [`indicators`] with the catalogue the caller holds already (the web layer reads it for the
/// access check): one revision check per request, not two.
pub async fn indicators_with<S: Store>(
    store: &S,
    catalogue: &Catalogue,
    unit: &str,
    month: Month,
) -> Result<IndicatorReport, AppError> {
    let code = unit_in(catalogue, unit)?;
    let months = [month, month.previous()];
    let live = scope_counts(store, catalogue, &code, &months).await?;
    let frozen = scope_frozen(store, catalogue, &code, &months).await?;
    let frozen_of = |m: Month| frozen.iter().find(|(c, _)| c.month == m);
    let live_of = |u: &UnitCode| match live.get(u).map(Vec::as_slice) {
        Some([now, before]) => [*now, *before],
        _ => [Counts::default(); 2],
    };
    let figures = |u: &UnitCode| {
        let mut out = live_of(u);
        for (i, m) in months.into_iter().enumerate() {
            if let Some((_, counts)) = frozen_of(m) {
                out[i] = counts.get(u).copied().unwrap_or_default();
            }
        }
        out
    };
    let mut report =
        indicators::assemble(&catalogue.tree, &catalogue.order, &figures, &code, month)
            .map_err(|e| AppError::UnknownUnit(e.to_string()))?;
    if let Some((close, counts)) = frozen_of(month) {
        let mut total = Counts::default();
        for u in catalogue.tree.scope(&code) {
            total += live_of(&u.code)[0];
        }
        let leaves = report.units.iter().map(|row| {
            let frozen = counts.get(&row.code).copied().unwrap_or_default();
            (&row.code, frozen, live_of(&row.code)[0])
        });
        let closed = ClosedFigures::new(close, &report.counts, &total, leaves);
        report.closed = Some(closed);
    }
    Ok(report)
}

/// Closes `month` (chốt số liệu): freezes the indicators of every unit for the month, as they
/// read now (`ctx.at`), audited. Refused when the month has not ended yet or is closed
/// already ([`AppError::Close`]). Dossiers of the month may still change afterwards: the
/// indicators then show the difference against the frozen figures.
pub async fn close_month<S: Store>(
    store: &S,
    month: Month,
    ctx: &AuditContext,
) -> Result<MonthClose, AppError> {
    Ok(store.close_month(month, ctx).await?)
}

/// Every closed month, oldest first.
pub async fn month_closes<S: Store>(store: &S) -> Result<Vec<MonthClose>, AppError> {
    Ok(store.month_closes().await?)
}

/// The indicators of `unit`'s scope for `month` computed from the dossiers themselves, as
/// `motcua verify` and the tests recount them: what [`indicators`] must equal.
pub async fn indicators_recounted<S: Store>(
    store: &S,
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
pub async fn verify<S: Store>(
    store: &S,
) -> Result<Vec<motcua_core::aggregate::Difference>, AppError> {
    Ok(store.check_aggregates().await?)
}

/// The setting that holds the report's targets.
pub const TARGETS_SETTING: &str = "report.targets";

/// The targets in force: those set (`motcua targets set`), or the defaults.
pub async fn targets<S: Store>(store: &S) -> Result<motcua_core::report::Targets, AppError> {
    match store.setting(TARGETS_SETTING).await? {
        None => Ok(motcua_core::report::Targets::default()),
        Some(text) => motcua_core::report::Targets::parse(&text).map_err(|e| {
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
pub async fn set_targets<S: Store>(
    store: &S,
    text: &str,
    ctx: &AuditContext,
) -> Result<motcua_core::report::Targets, AppError> {
    let given = motcua_core::report::Targets::parse(text).map_err(AppError::Refused)?;
    let current = targets(store).await?;
    let merged = format!("{} {}", current.to_text(), given.to_text());
    let t = motcua_core::report::Targets::parse(&merged).map_err(AppError::Refused)?;
    store
        .set_setting(TARGETS_SETTING, &t.to_text(), ctx)
        .await?;
    Ok(t)
}

/// The monthly report of a unit's scope (`docs/spec/report.md`): its indicators and their
/// narrative, with the targets in force and the default deadline of the remediation reports
/// (the 16th of the next month).
pub async fn monthly_report<S: Store>(
    store: &S,
    unit: &str,
    month: Month,
) -> Result<(IndicatorReport, motcua_core::report::Narrative), AppError> {
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
        motcua_core::report::default_deadline(month),
    );
    Ok((report, narrative))
}

/// The dossiers behind a figure of a unit's scope for a month (what a click on a dashboard
/// figure lists): each dossier is tallied alone with the indicators' own rule, so the list
/// always has exactly as many dossiers as the figure counts.
pub async fn dossiers_behind<S: Store>(
    store: &S,
    unit: &str,
    month: Month,
    figure: Figure,
) -> Result<Vec<motcua_core::dossier::Dossier>, AppError> {
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
pub async fn trend<S: Store>(
    store: &S,
    unit: &str,
    month: Month,
    months: usize,
) -> Result<Vec<(Month, motcua_core::rates::Rates)>, AppError> {
    let catalogue = store.catalogue().await?;
    trend_with(store, &catalogue, unit, month, months).await
}

/// [`trend`] with the catalogue the caller holds already.
pub async fn trend_with<S: Store>(
    store: &S,
    catalogue: &Catalogue,
    unit: &str,
    month: Month,
    months: usize,
) -> Result<Vec<(Month, motcua_core::rates::Rates)>, AppError> {
    let mut list = vec![month];
    while list.len() < months {
        let first = list[list.len() - 1].previous();
        list.push(first);
    }
    list.reverse();
    let code = unit_in(catalogue, unit)?;
    let counts = scope_counts(store, catalogue, &code, &list).await?;
    let mut totals = vec![Counts::default(); list.len()];
    for row in counts.values() {
        for (total, c) in totals.iter_mut().zip(row) {
            *total += *c;
        }
    }
    // Closed months draw their frozen figures, as their indicators show them.
    let (scope, _) = scope_of(catalogue, &code);
    for (close, frozen) in scope_frozen(store, catalogue, &code, &list).await? {
        if let Some(i) = list.iter().position(|m| *m == close.month) {
            let mut total = Counts::default();
            for u in &scope {
                total += frozen.get(u).copied().unwrap_or_default();
            }
            totals[i] = total;
        }
    }
    Ok(list
        .into_iter()
        .zip(totals.iter().map(motcua_core::rates::Rates::from_counts))
        .collect())
}

/// The results of a unit's scope for `month` by field (lĩnh vực): the rows of Biểu
/// 06/VPCP/KSTT (Circular 01/2020/TT-VPCP), in Vietnamese order, for
/// `motcua_report::xlsx`. They add up to the counts of [`indicators`] for the same scope.
pub async fn report_by_field<S: Store>(
    store: &S,
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
pub async fn report_file<S: Store>(
    store: &S,
    unit: &str,
    month: Month,
    xlsx: bool,
    now: motcua_core::Timestamp,
) -> Result<Vec<u8>, AppError> {
    let (report, narrative) = monthly_report(store, unit, month).await?;
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
