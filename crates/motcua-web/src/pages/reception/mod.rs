//! The reception form (`/desk/new`), its review page and the confirmation that creates the
//! dossier.
//!
//! The form (`receive.html`) picks a procedure among those the receiving unit offers (a
//! `<select>`, which `reception.js` turns into a type-ahead box), fills the component
//! checklist from the procedure's own list, and takes a scan per line (multipart: `upload`
//! reads it). Sending it shows the review page (`review.html`, nothing written but the scans,
//! stored by their hash); "Sửa lại" brings the form back as it was, "Xác nhận tiếp nhận"
//! creates the dossier. A refusal brings the form back with everything typed, the scans
//! already accepted, and every problem beside its field. Each form carries a one-time token,
//! used as the Idempotency-Key of the reception: the same form confirmed twice gives one
//! dossier, and the second answer is the first one's page.

mod form;
mod view;

use axum::Json;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::desk;
use motcua_core::access::Action;
use motcua_core::details::Slot;
use motcua_core::procedure::{Procedure, ProcedureCode};
use motcua_core::unit::{Unit, UnitCode, UnitTree};
use motcua_store::{Answer, IdempotencyRecord, Prior, StoreError};
use serde::Deserialize;

use crate::catalogue::tree;
use crate::error::PageError;
use crate::upload::{self, UploadForm};
use crate::{AppState, Authed, WebError};
use form::{Errors, KeptScan, Line, Typed};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnitQuery {
    pub(super) unit: String,
    pub(super) procedure: String,
}

/// The procedures `unit` receives, in Vietnamese alphabetical order of their names.
async fn offered(state: &AppState, unit: &Unit) -> Result<Vec<Procedure>, PageError> {
    let mut list: Vec<Procedure> = state
        .store
        .procedures()
        .await
        .map_err(AppError::from)?
        .into_iter()
        .filter(|p| p.offered_by_unit(unit))
        .collect();
    motcua_core::collation::VietnameseOrder::new().sort_by_key(&mut list, |p| &p.name);
    Ok(list)
}

fn unit_of<'a>(tree: &'a UnitTree, code: &UnitCode) -> Result<&'a Unit, WebError> {
    tree.get(code)
        .ok_or_else(|| crate::error::unknown_unit(code.as_str()))
}

/// `GET /desk/new?unit=CODE&procedure=CODE`: a fresh form (with the procedure's component
/// checklist when one is given).
pub async fn receive_form(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::ReceiveDossier, &unit)?;
    let procedures = offered(&state, unit_of(&tree, &unit)?).await?;
    let mut typed = Typed {
        token: motcua_app::auth::random_secret()?,
        unit: unit.to_string(),
        channel: "direct".to_owned(),
        ..Typed::default()
    };
    match procedures
        .iter()
        .find(|p| p.code.as_str() == q.procedure.trim())
    {
        Some(p) => {
            typed.procedure = p.code.to_string();
            typed.fee = fee_text(p.fee_vnd);
            typed.fill_from(p);
        }
        None => typed.lines = vec![Line::default(); form::BLANK_LINES],
    }
    view::form_page(
        &state,
        &authed,
        &tree,
        &procedures,
        &typed,
        &Errors::new(),
        StatusCode::OK,
    )
}

/// A procedure's fee as the form shows it: `15.000`, empty when there is none.
fn fee_text(fee: i64) -> String {
    if fee == 0 {
        String::new()
    } else {
        motcua_core::display::count(fee.unsigned_abs())
    }
}

/// `GET /desk/new/procedures?unit=CODE`: the procedures the unit receives, with their
/// component lists, for the type-ahead box and the checklist (JSON).
pub async fn procedures_json(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<UnitQuery>,
) -> Result<Response, WebError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::ReceiveDossier, &unit)?;
    let procedures = offered(&state, unit_of(&tree, &unit)?)
        .await
        .map_err(|e| e.0)?;
    let list: Vec<serde_json::Value> = procedures
        .iter()
        .map(|p| {
            serde_json::json!({
                "code": p.code.as_str(),
                "label": view::procedure_label(p),
                "fee": fee_text(p.fee_vnd),
                "components": p.component_list,
            })
        })
        .collect();
    Ok(Json(serde_json::json!({ "procedures": list })).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApplicantQuery {
    unit: String,
    id: String,
}

/// `GET /desk/new/applicant?unit=CODE&id=NUMBER`: the applicant of the latest dossier whose
/// applicant has this ID number, received inside the unit's subtree (JSON; `found: false`
/// when there is none), to fill in the form.
pub async fn applicant_json(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<ApplicantQuery>,
) -> Result<Response, WebError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::ReceiveDossier, &unit)?;
    let units: Vec<UnitCode> = tree
        .scope(&unit)
        .into_iter()
        .map(|u| u.code.clone())
        .collect();
    let found = state
        .store
        .latest_applicant(&units, &q.id)
        .await
        .map_err(AppError::from)?;
    let body = match found {
        Some((code, a)) => serde_json::json!({
            "found": true,
            "code": code.as_str(),
            "name": a.name,
            "phone": a.phone,
            "email": a.email,
            "address": a.address,
        }),
        None => serde_json::json!({ "found": false }),
    };
    Ok(Json(body).into_response())
}

/// `GET /assets/reception.js`: the form's script (type-ahead, checklist, keyboard), embedded.
pub async fn script() -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/javascript; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("reception.js"),
    )
        .into_response()
}

/// What the form's button asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Intent {
    /// Check and show the review page (the form's own button, and Enter without script).
    Review,
    /// Back from the review page to the form, everything kept.
    Edit,
    /// One more component line (without script).
    AddLine,
    /// The procedures of another receiving unit (without script).
    ChangeUnit,
    /// Create the dossier (the review page's button).
    Confirm,
}

impl Intent {
    fn of(text: &str) -> Self {
        match text {
            "edit" => Self::Edit,
            "add_line" => Self::AddLine,
            "unit" => Self::ChangeUnit,
            "confirm" => Self::Confirm,
            _ => Self::Review,
        }
    }
}

/// `POST /desk/new` (multipart): the form or its review page, sent. Scans chosen are checked
/// and stored first (by hash; nothing refers to them until a dossier does), so that a
/// refusal never asks for them again.
pub async fn receive(
    State(state): State<AppState>,
    authed: Authed,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let sent = upload::read(multipart, &state.files).await?;
    authed.check_csrf(Some(sent.text("csrf")))?;
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(sent.text("unit")))?;
    authed.check(&tree, Action::ReceiveDossier, &unit)?;
    let procedures = offered(&state, unit_of(&tree, &unit)?).await?;
    let mut typed = Typed::read(&sent);
    typed.unit = unit.to_string();
    if typed.token.is_empty() {
        typed.token = motcua_app::auth::random_secret()?;
    }
    let mut errors = keep_scans(&state, &sent, &mut typed).await?;
    for (field, message) in check_kept_scans(&state.files, &sent, &mut typed).await? {
        errors.entry(field).or_insert(message);
    }
    let procedure = ProcedureCode::parse(&typed.procedure)
        .and_then(|code| procedures.iter().find(|p| p.code == code));
    let intent = Intent::of(sent.text("action"));
    let page = |typed: &Typed, errors: &Errors, status| {
        view::form_page(&state, &authed, &tree, &procedures, typed, errors, status)
    };
    match intent {
        Intent::Edit | Intent::ChangeUnit if errors.is_empty() => {
            return page(&typed, &errors, StatusCode::OK);
        }
        Intent::AddLine if errors.is_empty() => {
            if typed.lines.len() < form::MAX_LINES {
                typed.lines.push(Line::default());
            }
            return page(&typed, &errors, StatusCode::OK);
        }
        _ => {}
    }
    // A procedure chosen without a script, its checklist left blank: its own list, to check.
    if typed.lines_blank()
        && let Some(p) = procedure
        && !p.component_list.is_empty()
    {
        typed.fill_from(p);
        errors.entry("components".to_owned()).or_insert(
            "Đã điền thành phần hồ sơ theo thủ tục: kiểm tra, đính kèm bản quét rồi gửi lại."
                .to_owned(),
        );
    }
    let reception = match typed.check(procedure) {
        Ok(r) if errors.is_empty() => r,
        Ok(_) => return page(&typed, &errors, refusal_status(&errors)),
        Err(more) => {
            for (k, v) in more {
                errors.entry(k).or_insert(v);
            }
            return page(&typed, &errors, refusal_status(&errors));
        }
    };
    let Some(procedure) = procedure else {
        return page(&typed, &errors, StatusCode::BAD_REQUEST);
    };
    if intent != Intent::Confirm {
        return view::review_page(&state, &authed, &tree, procedure, &typed, &reception).await;
    }
    match confirm(&state, &authed, &typed, &reception).await {
        Ok(code) => Ok(Redirect::to(&format!("/dossiers/{code}?da-tiep-nhan")).into_response()),
        Err(AppError::Refused(message)) => {
            errors.insert("procedure".to_owned(), message);
            page(&typed, &errors, StatusCode::BAD_REQUEST)
        }
        Err(e) => Err(e.into()),
    }
}

/// A file over the limit answers 413, any other refusal 400.
fn refusal_status(errors: &Errors) -> StatusCode {
    if errors.values().any(|m| m.contains("vượt giới hạn")) {
        StatusCode::PAYLOAD_TOO_LARGE
    } else {
        StatusCode::BAD_REQUEST
    }
}

/// Checks and stores the scans chosen in this sending, line by line; a scan refused is a
/// problem of its line, and the line keeps the scan accepted before, if any.
async fn keep_scans(
    state: &AppState,
    sent: &UploadForm,
    typed: &mut Typed,
) -> Result<Errors, AppError> {
    let mut errors = Errors::new();
    for (field, message) in &sent.oversized {
        errors.insert(field.clone(), message.clone());
    }
    for (i, line) in typed.lines.iter_mut().enumerate() {
        let Some(file) = sent.file(&format!("scan_{i}")) else {
            continue;
        };
        let refused = |e: motcua_store::FileError| match e {
            motcua_store::FileError::Io { .. } => Err(AppError::Files(e.to_string())),
            other => Ok(view::file_refusal(&other, state.files.max_bytes())),
        };
        match state.files.put(&file.file_name, &file.bytes).await {
            Ok(scan) => {
                line.scan = Some(KeptScan {
                    sha256: scan.sha256,
                    file_name: scan.file_name,
                });
            }
            Err(e) => {
                errors.insert(format!("scan_{i}"), refused(e)?);
            }
        }
    }
    Ok(errors)
}

/// Verifies the scans the form sent back by their hash (hidden fields, so anything a client
/// chose): each must be a file of the scan store, whole and of an accepted type. A line whose
/// scan fails loses it and says so beside its file field; nothing is written.
async fn check_kept_scans(
    files: &motcua_store::Files,
    sent: &UploadForm,
    typed: &mut Typed,
) -> Result<Errors, AppError> {
    let mut errors = Errors::new();
    for (i, line) in typed.lines.iter_mut().enumerate() {
        if sent.file(&format!("scan_{i}")).is_some() {
            continue; // stored from this very sending by `keep_scans`
        }
        let Some(scan) = &line.scan else { continue };
        let whole = files
            .verify(&scan.sha256)
            .await
            .map_err(|e| AppError::Files(e.to_string()))?;
        if !whole {
            errors.insert(
                format!("scan_{i}"),
                format!(
                    "Không tìm thấy bản quét «{}» đã tải lên trước đó (hoặc tệp đã bị thay đổi); hãy chọn lại tệp.",
                    scan.file_name
                ),
            );
            line.scan = None;
        }
    }
    Ok(errors)
}

/// Creates the dossier once per form token, then attaches the scans the form holds. The same
/// token again finds the dossier created by the first sending.
async fn confirm(
    state: &AppState,
    authed: &Authed,
    typed: &Typed,
    reception: &desk::Reception,
) -> Result<String, AppError> {
    let record = IdempotencyRecord::new(
        authed.principal.actor(),
        format!("form:{}", typed.token),
        "POST /desk/new",
        |h: &desk::Handled| {
            Ok(Answer {
                status: 303,
                body: h.dossier.code.to_string(),
            })
        },
    );
    let ctx = authed.ctx();
    let handled = match desk::receive_keyed(
        &state.store,
        &authed.principal,
        reception,
        &ctx,
        Some(record),
    )
    .await
    {
        Ok(h) => h,
        Err(AppError::Store(StoreError::KeyUsed(Prior::Answered(a)))) => return Ok(a.body),
        Err(AppError::Store(StoreError::KeyUsed(Prior::Mismatch))) => {
            return Err(AppError::Refused(
                "Biểu mẫu này đã được dùng; hãy mở biểu mẫu tiếp nhận mới.".to_owned(),
            ));
        }
        Err(e) => return Err(e),
    };
    let code = handled.dossier.code.to_string();
    // The lines without a name were left out of the checklist: the index follows the kept ones.
    let named = typed.lines.iter().filter(|l| !l.name.is_empty());
    for (index, line) in named.enumerate() {
        let Some(scan) = &line.scan else { continue };
        let bytes = state
            .files
            .get(&scan.sha256)
            .await
            .map_err(|e| AppError::Files(e.to_string()))?
            .ok_or_else(|| {
                AppError::Files(format!("không còn bản quét «{}» đã nhận", scan.file_name))
            })?;
        desk::attach_scan(
            &state.store,
            &state.files,
            &authed.principal,
            &code,
            Slot::Component(index),
            &scan.file_name,
            &bytes,
            &ctx,
        )
        .await?;
    }
    Ok(code)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sent_back(hashes: &[&str]) -> UploadForm {
        let mut fields = std::collections::HashMap::new();
        fields.insert("lines".to_owned(), hashes.len().to_string());
        for (i, h) in hashes.iter().enumerate() {
            fields.insert(format!("component_{i}"), format!("Giấy tờ {i}"));
            fields.insert(format!("scan_hash_{i}"), (*h).to_owned());
            fields.insert(format!("scan_name_{i}"), format!("ban-quet-{i}.pdf"));
        }
        UploadForm {
            fields,
            files: Vec::new(),
            too_large: None,
            oversized: Vec::new(),
        }
    }

    // The review and confirm steps trust no hash sent back: only a stored, whole scan stays.
    #[tokio::test]
    async fn a_scan_sent_back_by_its_hash_must_be_the_stored_upload() {
        let dir = tempfile::tempdir().unwrap();
        let files = motcua_store::Files::new(dir.path(), 1024);
        let stored = files
            .put("to-khai.pdf", b"%PDF-1.7\nto khai")
            .await
            .unwrap();
        // A hash of nothing stored, and a stored file altered on disk since.
        let unknown = "ab".repeat(32);
        let altered = files.put("anh.pdf", b"%PDF-1.7\nanh").await.unwrap();
        let path = dir
            .path()
            .join(&altered.sha256[0..2])
            .join(&altered.sha256[2..4])
            .join(&altered.sha256);
        std::fs::write(path, b"%PDF-1.7\nkhac").unwrap();
        let sent = sent_back(&[&stored.sha256, &unknown, &altered.sha256]);
        let mut typed = Typed::read(&sent);
        assert!(typed.lines.iter().all(|l| l.scan.is_some()));
        let errors = check_kept_scans(&files, &sent, &mut typed).await.unwrap();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["scan_1", "scan_2"],
            "{errors:?}"
        );
        assert!(errors["scan_1"].starts_with("Không tìm thấy bản quét «ban-quet-1.pdf»"));
        let kept: Vec<bool> = typed.lines.iter().map(|l| l.scan.is_some()).collect();
        assert_eq!(kept, [true, false, false]);
    }
}
