//! Reception's bank statement import: `GET /desk/statements` "Nhập sao kê tài khoản" (the
//! unit whose account it is, the CSV file of docs/spec/interchange.md "Bank statements") and
//! `POST /desk/statements`, which reads it through `motcua_app::desk::import_statement` and
//! shows each line with what became of it: the fee recorded, an amount that differs, a fee
//! paid already, no dossier named, a dossier outside the officer's units. A file with any
//! problem writes nothing: each problem is listed beside the file field, with its line and
//! column. Importing the same statement again records nothing more.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::desk::{self, StatementReport, TransferOutcome};
use motcua_core::access::Action;
use motcua_core::money;
use motcua_core::unit::{UnitCode, UnitTree};
use serde::Deserialize;

use crate::catalogue::tree;
use crate::error::{PageError, WebError};
use crate::upload;
use crate::view::{Nav, UnitOption, local_time, unit_options};
use crate::{AppState, Authed};

struct Row {
    line: u64,
    transaction_id: String,
    booked_at: String,
    amount: String,
    description: String,
    dossier: String,
    outcome: String,
    matched: bool,
}

#[derive(Template)]
#[template(path = "statements.html")]
struct StatementsPage {
    nav: Nav,
    units: Vec<UnitOption>,
    /// Errors beside the file field, and their summary: (field id, message).
    file_errors: Vec<String>,
    summary: Vec<(&'static str, String)>,
    /// The result of an import: its counts and lines.
    result: String,
    rows: Vec<Row>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatementsQuery {
    unit: String,
}

fn page(state_units: Vec<UnitOption>, nav: Nav) -> StatementsPage {
    StatementsPage {
        nav,
        units: state_units,
        file_errors: Vec::new(),
        summary: Vec::new(),
        result: String::new(),
        rows: Vec::new(),
    }
}

/// `GET /desk/statements`: the upload form.
pub async fn statements(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<StatementsQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let selected = unit_of(&tree, &authed, &q.unit)?;
    authed.check(&tree, Action::ReceiveDossier, &selected)?;
    let own = &authed.principal.unit;
    let p = page(
        unit_options(&tree, own, &selected),
        Nav::new(&authed, &tree),
    );
    Ok(Html(p.render()?).into_response())
}

/// `POST /desk/statements` (multipart: `unit`, `file`): imports the statement and shows the
/// result, or the form again with every problem beside its field.
pub async fn import(
    State(state): State<AppState>,
    authed: Authed,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let form = upload::read(multipart, &state.files).await?;
    authed.check_csrf(Some(form.text("csrf")))?;
    let tree = tree(&state.store).await?;
    // The unit is chosen from a list of the officer's units: another one is no unit to them.
    let selected = unit_of(&tree, &authed, form.text("unit"))?;
    authed.check(&tree, Action::ReceiveDossier, &selected)?;
    let own = authed.principal.unit.clone();
    let mut p = page(
        unit_options(&tree, &own, &selected),
        Nav::new(&authed, &tree),
    );
    if let Some(e) = &form.too_large {
        p.file_errors
            .push(motcua_core::display::capitalise(&e.to_string()));
    }
    let file = form.file("file").filter(|f| !f.bytes.is_empty());
    if file.is_none() && p.file_errors.is_empty() {
        p.file_errors
            .push("Chọn tệp sao kê (CSV) tải về từ ngân hàng".to_owned());
    }
    if let (Some(file), true) = (file, p.file_errors.is_empty()) {
        match desk::import_statement(
            &state.store,
            &authed.principal,
            selected.as_str(),
            &file.file_name,
            &file.bytes,
            &authed.ctx(),
        )
        .await
        {
            Ok(report) => {
                show(&mut p, &report);
                return Ok(Html(p.render()?).into_response());
            }
            Err(AppError::Invalid(issues)) => {
                p.file_errors = issues.iter().take(50).map(ToString::to_string).collect();
                if issues.len() > 50 {
                    p.file_errors
                        .push(format!("… và {} lỗi khác", issues.len() - 50));
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !p.file_errors.is_empty() {
        let n = p.file_errors.len();
        p.summary.push((
            "file",
            if n == 1 {
                p.file_errors[0].clone()
            } else {
                format!("Tệp sao kê có {n} lỗi, chưa ghi nhận giao dịch nào")
            },
        ));
    }
    Ok((StatusCode::BAD_REQUEST, Html(p.render()?)).into_response())
}

/// The unit named by the form or the address, the officer's own when none.
fn unit_of(tree: &UnitTree, authed: &Authed, text: &str) -> Result<UnitCode, WebError> {
    if text.trim().is_empty() {
        return Ok(authed.principal.unit.clone());
    }
    UnitCode::parse(text.trim())
        .ok()
        .filter(|c| tree.get(c).is_some())
        .ok_or_else(|| crate::error::unknown_unit(text.trim()))
}

fn show(p: &mut StatementsPage, report: &StatementReport) {
    let n = |o: TransferOutcome| report.count(o.id());
    p.result = format!(
        "Đã đọc {} giao dịch: ghi nhận nộp phí, lệ phí {} hồ sơ; số tiền khác {}; đã nộp trước đó {}; không tìm thấy hồ sơ {}; ngoài phạm vi {}.",
        motcua_core::display::count(report.rows.len() as u64),
        n(TransferOutcome::Matched),
        n(TransferOutcome::AmountDiffers { fee_vnd: 0 }),
        n(TransferOutcome::AlreadyPaid),
        n(TransferOutcome::NoDossier),
        n(TransferOutcome::OutOfScope),
    );
    p.rows = report
        .rows
        .iter()
        .map(|r| Row {
            line: r.line,
            transaction_id: r.transaction_id.clone(),
            booked_at: local_time(r.booked_at),
            amount: money::vnd_in_figures(r.amount_vnd),
            description: r.description.clone(),
            dossier: r
                .dossier
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default(),
            outcome: r.outcome.label_vi(),
            matched: r.outcome == TransferOutcome::Matched,
        })
        .collect();
}
