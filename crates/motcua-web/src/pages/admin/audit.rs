//! The audit trail (`/admin/audit`, root unit only), as people read it: actions by their
//! Vietnamese labels ([`motcua_core::audit::AuditAction`]), people by full name, units by
//! name, times `dd/mm/yyyy HH:MM`, what changed as a table of fields before and after.
//! Filters by person, action, unit and dates are chosen from lists; pages of 100 records by
//! keyset (`before` is the last record shown); the CSV export takes every matching record.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use motcua_app::AppError;
use motcua_core::Timestamp;
use motcua_core::access::{Action, AuditFilter, AuditRecord};
use motcua_core::audit::{
    ActorNames, AuditAction, FieldChange, action_label, changes, day_time, distinct_actors,
};
use motcua_core::display::count;
use motcua_core::timestamp::Month;
use motcua_core::unit::{UnitCode, UnitTree};
use serde::Deserialize;

use crate::authed::url_encode;
use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, UnitOption, unit_options};
use crate::{AppState, Authed, WebError};

/// Records on a page.
const PAGE_ROWS: u32 = 100;
/// Records read at a time for the CSV export.
const CSV_CHUNK: u32 = 2_000;

/// The audit trail's filter as the form sends it (and the URL keeps it).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// A stored actor (`user:NAME`…), chosen from the list of people.
    actor: String,
    /// A stored action, chosen from the list of actions.
    action: String,
    /// A unit: the records of its accounts and those of the units below.
    unit: String,
    /// First day, `dd/mm/yyyy` (or `yyyy-mm-dd`).
    from: String,
    /// Last day, included.
    to: String,
    /// Keyset: the records older than this one.
    before: String,
}

/// A date as typed: `20/05/2024`, `20/5/2024` or `2024-05-20`.
fn parse_day(text: &str) -> Result<Option<time::Date>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || format!("Nhập ngày dạng ngày/tháng/năm, ví dụ 20/05/2024 (đã nhập «{t}»)");
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(bad());
    };
    let (d, m, y) = if a.len() == 4 { (c, b, a) } else { (a, b, c) };
    let num = |s: &str| s.trim().parse::<u16>().map_err(|_| bad());
    let month =
        time::Month::try_from(u8::try_from(num(m)?).map_err(|_| bad())?).map_err(|_| bad())?;
    let day = u8::try_from(num(d)?).map_err(|_| bad())?;
    time::Date::from_calendar_date(i32::from(num(y)?), month, day)
        .map(Some)
        .map_err(|_| bad())
}

/// The filter's problems, beside their fields.
#[derive(Debug, Default)]
struct FilterErrors {
    from: String,
    to: String,
}

impl AuditQuery {
    async fn filter(
        &self,
        state: &AppState,
        tree: &UnitTree,
        limit: u32,
    ) -> Result<(AuditFilter, FilterErrors), WebError> {
        let nonempty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let mut errors = FilterErrors::default();
        let from = parse_day(&self.from).unwrap_or_else(|e| {
            errors.from = e;
            None
        });
        let to = parse_day(&self.to).unwrap_or_else(|e| {
            errors.to = e;
            None
        });
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.to = "Ngày cuối phải sau hoặc trùng ngày đầu".to_owned();
        }
        let actors = match UnitCode::parse(self.unit.trim())
            .ok()
            .filter(|u| tree.get(u).is_some())
        {
            Some(unit) if tree.root().is_none_or(|r| r.code != unit) => Some(
                state
                    .store
                    .users()
                    .await
                    .map_err(AppError::from)?
                    .into_iter()
                    .filter(|u| tree.is_within(&u.unit, &unit))
                    .map(|u| format!("user:{}", u.username))
                    .collect(),
            ),
            _ => None,
        };
        Ok((
            AuditFilter {
                actor: nonempty(&self.actor),
                actors,
                action: nonempty(&self.action),
                from: from.map(Timestamp::local_midnight),
                to: to
                    .and_then(time::Date::next_day)
                    .map(Timestamp::local_midnight),
                before_id: self.before.trim().parse().ok(),
                limit,
            },
            errors,
        ))
    }

    /// The filter in a URL, without the page.
    fn query_string(&self) -> String {
        [
            ("actor", &self.actor),
            ("action", &self.action),
            ("unit", &self.unit),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// What a record was done to, in words: a person by name, a month, a receipt.
fn target_text(r: &AuditRecord, names: &ActorNames, tree: &UnitTree) -> String {
    let action = AuditAction::parse(&r.action);
    let unit_name = |code: &str| {
        UnitCode::parse(code)
            .ok()
            .and_then(|c| tree.get(&c).map(|u| u.name.clone()))
            .unwrap_or_else(|| code.to_owned())
    };
    let month_text = |m: &str| {
        m.parse::<Month>().map_or_else(
            |_| m.to_owned(),
            |m| format!("tháng {}/{}", m.number(), m.year()),
        )
    };
    match action {
        Some(
            AuditAction::UserCreate
            | AuditAction::UserUpdate
            | AuditAction::UserDisable
            | AuditAction::UserEnable
            | AuditAction::UserUnlock
            | AuditAction::UserPassword
            | AuditAction::UserPasswordReset
            | AuditAction::LoginSuccess
            | AuditAction::LoginFailure
            | AuditAction::LoginLocked
            | AuditAction::LoginRefusedLocked
            | AuditAction::LoginRefusedDisabled,
        ) => names.label(&format!("user:{}", r.target), None),
        Some(AuditAction::Logout) => names.label(&r.target, None),
        Some(AuditAction::TokenCreate | AuditAction::TokenRevoke) => {
            names.label(&format!("token:{}", r.target), None)
        }
        Some(AuditAction::MonthClose) => capital(&month_text(&r.target)),
        Some(AuditAction::CalendarSet) => format!("Năm {}", r.target),
        Some(AuditAction::FollowupCreate | AuditAction::FollowupSubmit) => {
            match r.target.split_once('/') {
                Some((unit, month)) => format!("{}, {}", unit_name(unit), month_text(month)),
                None => r.target.clone(),
            }
        }
        Some(AuditAction::ReceiptIssue) => match r.target.splitn(3, '/').collect::<Vec<_>>()[..] {
            [unit, year, number] => format!("Biên lai số {number}/{year} của {}", unit_name(unit)),
            _ => r.target.clone(),
        },
        Some(AuditAction::Import) if r.target.is_empty() => "Dữ liệu nhập từ tệp".to_owned(),
        Some(AuditAction::DossierReceive | AuditAction::DossierStep(_))
        | Some(AuditAction::DossierScan | AuditAction::DossierPayment) => {
            format!("Hồ sơ {}", r.target)
        }
        _ => r.target.clone(),
    }
}

fn capital(text: &str) -> String {
    motcua_core::display::capitalise(text)
}

/// One record as the page shows it.
struct AuditRow {
    at: String,
    actor: String,
    remote_addr: String,
    action: String,
    target: String,
    changes: Vec<FieldChange>,
    /// Whether any field has a value before (the column is shown only then).
    has_before: bool,
}

/// The actors of records, and the accounts and tokens they acted on.
fn named_in(records: &[AuditRecord]) -> Vec<String> {
    records
        .iter()
        .flat_map(|r| {
            [
                r.actor.clone(),
                format!("user:{}", r.target),
                format!("token:{}", r.target),
            ]
        })
        .collect()
}

/// Everyone named, read in one statement.
async fn names_for(
    state: &AppState,
    tree: &UnitTree,
    actors: Vec<String>,
) -> Result<ActorNames, WebError> {
    let actors = distinct_actors(actors.iter().map(String::as_str));
    let known = state
        .store
        .known_actors(&actors)
        .await
        .map_err(AppError::from)?;
    Ok(ActorNames::new(known, tree))
}

fn row(r: &AuditRecord, names: &ActorNames, tree: &UnitTree) -> AuditRow {
    let changes = changes(r, tree);
    AuditRow {
        at: day_time(r.at),
        actor: names.of_record(r),
        remote_addr: r.remote_addr.clone().unwrap_or_default(),
        action: action_label(&r.action),
        target: target_text(r, names, tree),
        has_before: changes.iter().any(|c| !c.before.is_empty()),
        changes,
    }
}

/// A choice of a filter's list.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    nav: Nav,
    people: Vec<Choice>,
    actions: Vec<Choice>,
    units: Vec<UnitOption>,
    from: String,
    to: String,
    errors: FilterErrors,
    query: String,
    summary: String,
    rows: Vec<AuditRow>,
    /// The link to the next (older) page; empty on the last.
    next: String,
    /// Whether this is a later page (a link back to the first).
    later: bool,
}

/// `GET /admin/audit`: a page of the records matching the filter, newest first.
pub async fn audit(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    authed.check_root(&tree, Action::ViewAudit)?;
    let (filter, errors) = q.filter(&state, &tree, PAGE_ROWS + 1).await?;
    let store = &state.store;
    let mut records = store.audit(&filter).await.map_err(AppError::from)?;
    let more = records.len() > PAGE_ROWS as usize;
    records.truncate(PAGE_ROWS as usize);
    let total = store.audit_count(&filter).await.map_err(AppError::from)?;
    // One read names everyone on the page and in the list of people.
    let everyone = store.audit_actors().await.map_err(AppError::from)?;
    let mut named = named_in(&records);
    named.extend(everyone.iter().cloned());
    let names = names_for(&state, &tree, named).await?;
    let mut people: Vec<Choice> = everyone
        .iter()
        .map(|a| Choice {
            label: names.label(a, None),
            selected: *a == q.actor,
            value: a.clone(),
        })
        .collect();
    motcua_core::collation::VietnameseOrder::new().sort_by_key(&mut people, |c| &c.label);
    let actions = AuditAction::all()
        .into_iter()
        .map(|a| Choice {
            value: a.as_str(),
            label: a.label_vi(),
            selected: a.as_str() == q.action,
        })
        .collect();
    let root = tree.root().map(|r| r.code.clone());
    let selected_unit = UnitCode::parse(q.unit.trim()).ok().or(root.clone());
    let units = match (&root, &selected_unit) {
        (Some(r), Some(s)) => unit_options(&tree, r, s),
        _ => Vec::new(),
    };
    let query = q.query_string();
    let shown = records.len() as u64;
    let summary = if filter.before_id.is_some() || more {
        format!(
            "{} bản ghi phù hợp; trang này có {} bản ghi, mới nhất trước.",
            count(total),
            count(shown)
        )
    } else {
        format!("{} bản ghi phù hợp, mới nhất trước.", count(total))
    };
    let next = match records.last() {
        Some(last) if more => {
            let sep = if query.is_empty() { "" } else { "&" };
            format!("/admin/audit?{query}{sep}before={}", last.id)
        }
        _ => String::new(),
    };
    let page = AuditPage {
        nav: Nav::new(&authed, &tree),
        people,
        actions,
        units,
        from: q.from.clone(),
        to: q.to.clone(),
        errors,
        rows: records.iter().map(|r| row(r, &names, &tree)).collect(),
        summary,
        next,
        later: filter.before_id.is_some(),
        query,
    };
    Ok(Html(page.render()?).into_response())
}

/// A record's fields as one cell of the CSV: `Họ và tên: Nguyễn Văn A; Vai trò: Chuyên viên`.
fn fields_text(changes: &[FieldChange], before: bool) -> String {
    changes
        .iter()
        .filter_map(|c| {
            let v = if before { &c.before } else { &c.after };
            (!v.is_empty()).then(|| format!("{}: {v}", c.label))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The export's columns.
const EXPORT_HEADERS: [&str; 8] = [
    "Số thứ tự bản ghi",
    "Thời điểm",
    "Người thực hiện",
    "Địa chỉ máy",
    "Thao tác",
    "Đối tượng",
    "Trước",
    "Sau",
];

/// Every record matching the filter, newest first, as the export's rows of words: read by
/// keyset in chunks, each chunk's people named in one statement.
async fn export_rows(
    state: &AppState,
    authed: &Authed,
    q: &AuditQuery,
) -> Result<Vec<[String; 8]>, WebError> {
    let tree = tree(&state.store).await?;
    authed.check_root(&tree, Action::ViewAudit)?;
    let (mut filter, errors) = q.filter(state, &tree, CSV_CHUNK).await?;
    if !errors.from.is_empty() || !errors.to.is_empty() {
        return Err(WebError::BadRequest(
            format!("{} {}", errors.from, errors.to).trim().to_owned(),
        ));
    }
    filter.before_id = None;
    let mut out = Vec::new();
    loop {
        let records = state.store.audit(&filter).await.map_err(AppError::from)?;
        let names = names_for(state, &tree, named_in(&records)).await?;
        for r in &records {
            let row = row(r, &names, &tree);
            out.push([
                r.id.to_string(),
                row.at,
                row.actor,
                row.remote_addr,
                row.action,
                row.target,
                fields_text(&row.changes, true),
                fields_text(&row.changes, false),
            ]);
        }
        match records.last() {
            Some(last) if records.len() == CSV_CHUNK as usize => filter.before_id = Some(last.id),
            _ => break,
        }
    }
    Ok(out)
}

fn download(bytes: Vec<u8>, content_type: &'static str, file_name: &'static str) -> Response {
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(CONTENT_DISPOSITION, HeaderValue::from_static(file_name));
    response
}

/// `GET /admin/audit.csv`: every record matching the filter as CSV (UTF-8 with a byte-order
/// mark, so that spreadsheet programs read the diacritics right), with the page's words.
pub async fn audit_csv(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let rows = export_rows(&state, &authed, &q).await?;
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let csv_err = |e: csv::Error| WebError::Internal(e.to_string());
    out.write_record(EXPORT_HEADERS).map_err(csv_err)?;
    for row in &rows {
        out.write_record(row).map_err(csv_err)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(download(
        bytes,
        "text/csv; charset=utf-8",
        "attachment; filename=\"nhat-ky-he-thong.csv\"",
    ))
}

/// `GET /admin/audit.xlsx`: the same rows as a spreadsheet (sheet «Nhật ký hệ thống»).
pub async fn audit_xlsx(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let rows = export_rows(&state, &authed, &q).await?;
    let bytes = spreadsheet(&rows).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "attachment; filename=\"nhat-ky-he-thong.xlsx\"",
    ))
}

fn spreadsheet(rows: &[[String; 8]]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Nhật ký hệ thống")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, text) in (0u16..).zip(EXPORT_HEADERS) {
        sheet.write_string_with_format(0, col, text, &bold)?;
    }
    for (r, row) in (1u32..).zip(rows) {
        for (col, text) in (0u16..).zip(row) {
            sheet.write_string(r, col, text)?;
        }
    }
    for (col, width) in (0u16..).zip([10.0, 17.0, 28.0, 14.0, 30.0, 28.0, 40.0, 40.0]) {
        sheet.set_column_width(col, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}
