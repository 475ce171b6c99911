//! A dossier's page (`/dossiers/{code}`) and the writes it posts: a step (transfer and
//! apology included), a scan, the payment, the e-receipt; and the scans it links to.

mod actions;
mod correct;
mod model;
mod refund;
mod step_form;
mod transfer;

pub use correct::{correct, correct_form};
pub use refund::refund;
pub use transfer::confirm_transfer;

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::desk;
use motcua_core::access::Action;
use motcua_core::dossier::PaymentChannel;
use serde::Deserialize;

use crate::error::PageError;
use crate::upload;
use crate::{AppState, Authed, WebError};
use model::dossier_page;

/// `GET /dossiers/{code}`: the dossier, its appointment, the clock's pauses, its history and
/// the steps the officer may take.
pub async fn dossier(
    State(state): State<AppState>,
    authed: Authed,
    Path(code): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, PageError> {
    // `?da-tiep-nhan`: the reception form's confirmation has just created it.
    let received = query.as_deref() == Some("da-tiep-nhan");
    model::dossier_page_with(&state, &authed, &code, StatusCode::OK, "", None, received).await
}

/// `POST /dossiers/{code}/steps`: takes the step and shows the dossier again (with the
/// reason when the rules refuse it).
pub async fn step(
    State(state): State<AppState>,
    authed: Authed,
    Path(code): Path<String>,
    Form(form): Form<step_form::StepForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let step = match form.step() {
        Ok(step) => step,
        Err(errors) => {
            // Every reason at the top too (a step not offered has no form to show them in),
            // a sentence each.
            let msg = std::iter::once("Chưa thực hiện được.".to_owned())
                .chain(errors.iter().map(|e| {
                    let m = motcua_core::display::capitalise(e.message.trim_end_matches('.'));
                    format!("{m}.")
                }))
                .collect::<Vec<_>>()
                .join(" ");
            let refused = Some((&form, errors));
            return dossier_page(
                &state,
                &authed,
                &code,
                StatusCode::BAD_REQUEST,
                &msg,
                refused,
            )
            .await;
        }
    };
    match desk::take_step(&state.store, &authed.principal, &code, &step, &authed.ctx()).await {
        Ok(h) => Ok(Redirect::to(&format!("/dossiers/{}", h.dossier.code)).into_response()),
        Err(AppError::Refused(msg)) => {
            let beside = vec![step_form::FieldError {
                field: "",
                message: msg.clone(),
            }];
            let refused = Some((&form, beside));
            dossier_page(&state, &authed, &code, StatusCode::CONFLICT, &msg, refused).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A refusal shown on the dossier's page, or a failure.
async fn refused_or(
    state: &AppState,
    authed: &Authed,
    code: &str,
    e: AppError,
) -> Result<Response, PageError> {
    match e {
        AppError::Refused(msg) => {
            dossier_page(state, authed, code, StatusCode::CONFLICT, &msg, None).await
        }
        other => Err(other.into()),
    }
}

/// `POST /dossiers/{code}/scans` (multipart: `slot` = a component's number from 1 or
/// `result`, `file`): stores the scan and shows the dossier; a file over the limit or of a
/// type not accepted is refused on the page and nothing is stored.
pub async fn scan(
    State(state): State<AppState>,
    authed: Authed,
    Path(code): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let form = upload::read(multipart, &state.files).await?;
    authed.check_csrf(Some(form.text("csrf")))?;
    if let Some(e) = form.too_large {
        let status = e.status();
        return dossier_page(&state, &authed, &code, status, &e.to_string(), None).await;
    }
    let slot = crate::api::dossiers::slot_of(form.text("slot"))?;
    let Some(file) = form.file("file") else {
        return dossier_page(
            &state,
            &authed,
            &code,
            StatusCode::BAD_REQUEST,
            "hãy chọn tệp bản quét",
            None,
        )
        .await;
    };
    match desk::attach_scan(
        &state.store,
        &state.files,
        &authed.principal,
        &code,
        slot,
        &file.file_name,
        &file.bytes,
        &authed.ctx(),
    )
    .await
    {
        Ok(h) => Ok(Redirect::to(&format!("/dossiers/{}", h.dossier.code)).into_response()),
        Err(e) => refused_or(&state, &authed, &code, e).await,
    }
}

/// `GET /dossiers/{code}/files/{sha256}`: a scan of the dossier (only a file the dossier
/// refers to, for a principal who may see the dossier).
pub async fn file(
    State(state): State<AppState>,
    authed: Authed,
    Path((code, sha256)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let h = desk::get(&state.store, &authed.principal, &code).await?;
    // The scope is checked (above); the papers are only for roles that handle dossiers.
    authed.check_action(Action::ViewPersonalData)?;
    let details = h.details.unwrap_or_default();
    let not_found = || WebError::NotFound(format!("hồ sơ «{code}» không có tệp này"));
    let scan = details
        .components
        .iter()
        .filter_map(|c| c.scan.as_ref())
        .chain(details.result_scan.as_ref())
        .find(|s| s.sha256 == sha256)
        .ok_or_else(not_found)?
        .clone();
    let bytes = state
        .files
        .get(&scan.sha256)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .ok_or_else(not_found)?;
    Ok(scan_response(&scan, bytes))
}

/// A stored scan shown in the browser (inline, under its own name; cached privately).
pub(crate) fn scan_response(scan: &motcua_core::details::Scan, bytes: Vec<u8>) -> Response {
    let disposition = format!(
        "inline; filename*=UTF-8''{}",
        crate::authed::url_encode(&scan.file_name)
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (axum::http::header::CONTENT_TYPE, scan.media_type.as_str()),
        (
            axum::http::header::CONTENT_DISPOSITION,
            disposition.as_str(),
        ),
        (axum::http::header::CACHE_CONTROL, "private, max-age=3600"),
    ] {
        if let Ok(v) = axum::http::HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    }
    response
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PaymentForm {
    csrf: String,
    channel: String,
}

/// `POST /dossiers/{code}/payment`: records the payment of the fee.
pub async fn payment(
    State(state): State<AppState>,
    authed: Authed,
    Path(code): Path<String>,
    Form(form): Form<PaymentForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let channel = PaymentChannel::parse(&form.channel).ok_or_else(|| {
        WebError::BadRequest(format!("hình thức nộp không hợp lệ: «{}»", form.channel))
    })?;
    match desk::record_payment(
        &state.store,
        &authed.principal,
        &code,
        channel,
        &authed.ctx(),
    )
    .await
    {
        Ok(h) => Ok(Redirect::to(&format!("/dossiers/{}", h.dossier.code)).into_response()),
        Err(e) => refused_or(&state, &authed, &code, e).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReceiptForm {
    csrf: String,
    form_symbol: String,
    series: String,
    fee_kind: String,
}

/// `POST /dossiers/{code}/receipt`: issues the e-receipt and opens it.
pub async fn issue_receipt(
    State(state): State<AppState>,
    authed: Authed,
    Path(code): Path<String>,
    Form(form): Form<ReceiptForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let series = desk::ReceiptSeries {
        form_symbol: form.form_symbol,
        series: form.series,
        fee_kind: match form.fee_kind.as_str() {
            "fee" => Some(motcua_core::fees::FeeKind::Fee),
            "charge" => Some(motcua_core::fees::FeeKind::Charge),
            _ => None,
        },
    };
    match desk::issue_receipt(
        &state.store,
        &authed.principal,
        &code,
        &series,
        &authed.ctx(),
    )
    .await
    {
        Ok(r) => Ok(Redirect::to(&format!("/dossiers/{}/receipt", r.dossier)).into_response()),
        Err(e) => refused_or(&state, &authed, &code, e).await,
    }
}
