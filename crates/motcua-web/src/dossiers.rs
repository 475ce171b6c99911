//! The dossier API: receive, read, take a step. Writes accept an `Idempotency-Key`: a retried
//! request with the same key gets the first answer, never a second dossier.

use axum::Json;
use axum::extract::Multipart;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use motcua_app::desk::{self, ReceiptSeries, Reception};
use motcua_core::details::Slot;
use motcua_core::dossier::PaymentChannel;
use motcua_core::lifecycle::Step;
use motcua_store::{Claim, Store};
use serde::Deserialize;

use crate::handlers::CSRF_HEADER;
use crate::{AppState, Authed, WebError};

/// The header of a client's retry key.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

fn csrf(authed: &Authed, headers: &HeaderMap) -> Result<(), WebError> {
    authed.check_csrf(headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()))
}

fn json_response(status: StatusCode, body: String, replayed: bool) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if replayed {
        r.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    r
}

/// Runs `work` at most once per (principal, Idempotency-Key). Answers other than server
/// errors are kept and replayed; a server error releases the key so the client may retry.
async fn idempotent<S, Fut>(
    state: &AppState<S>,
    authed: &Authed,
    headers: &HeaderMap,
    request: String,
    work: Fut,
) -> Result<Response, WebError>
where
    S: Store,
    Fut: Future<Output = Result<(StatusCode, serde_json::Value), WebError>>,
{
    let key = match headers.get(IDEMPOTENCY_HEADER) {
        None => {
            let (status, value) = work.await?;
            return Ok(json_response(status, value.to_string(), false));
        }
        Some(v) => v
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|k| !k.is_empty() && k.len() <= 255)
            .ok_or_else(|| {
                WebError::BadRequest("Idempotency-Key phải có từ 1 đến 255 ký tự ASCII".to_owned())
            })?
            .to_owned(),
    };
    let who = authed.principal.actor();
    let claim = state
        .store
        .claim_idempotency(&who, &key, &request, authed.at)
        .await
        .map_err(motcua_app::AppError::from)?;
    match claim {
        Claim::Answered { status, body } => Ok(json_response(
            StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            body,
            true,
        )),
        Claim::InFlight => Err(WebError::Conflict(
            "một yêu cầu khác với cùng Idempotency-Key đang được xử lý; hãy thử lại sau giây lát"
                .to_owned(),
        )),
        Claim::Mismatch => Err(WebError::BadRequest(
            "Idempotency-Key này đã được dùng cho một yêu cầu khác".to_owned(),
        )),
        Claim::New => {
            let (answer, keep) = match work.await {
                Ok((status, value)) => (json_response(status, value.to_string(), false), true),
                Err(e) => {
                    let keep = !e.status().is_server_error();
                    (e.into_response(), keep)
                }
            };
            let (parts, body) = answer.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .map_err(|e| WebError::Internal(e.to_string()))?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let record = keep.then_some((parts.status.as_u16(), text.as_str()));
            state
                .store
                .finish_idempotency(&who, &key, record)
                .await
                .map_err(motcua_app::AppError::from)?;
            Ok(Response::from_parts(parts, axum::body::Body::from(text)))
        }
    }
}

/// A value as a JSON answer's body.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, WebError> {
    serde_json::to_value(value).map_err(|e| WebError::Internal(e.to_string()))
}

fn parse<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, WebError> {
    serde_json::from_str(body).map_err(|e| {
        WebError::BadRequest(format!(
            "nội dung JSON không hợp lệ (dòng {}, cột {}): {e}",
            e.line(),
            e.column()
        ))
    })
}

/// `POST /api/dossiers`: receives a dossier (body: `motcua_app::desk::Reception`); 201 with
/// the dossier, its code and its appointment.
pub async fn receive<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    headers: HeaderMap,
    body: String,
) -> Result<Response, WebError> {
    csrf(&authed, &headers)?;
    let request = format!("POST /api/dossiers\n{body}");
    let work = async {
        let reception: Reception = parse(&body)?;
        let handled =
            desk::receive(&state.store, &authed.principal, &reception, &authed.ctx()).await?;
        Ok((StatusCode::CREATED, to_json(&handled)?))
    };
    idempotent(&state, &authed, &headers, request, work).await
}

/// `GET /api/dossiers/{code}`: the dossier, its lifecycle and its history.
pub async fn get<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let handled = desk::get(&state.store, &authed.principal, &code).await?;
    let events = state
        .store
        .dossier_events(&handled.dossier.code)
        .await
        .map_err(motcua_app::AppError::from)?;
    let receipts = state
        .store
        .dossier_receipts(&handled.dossier.code)
        .await
        .map_err(motcua_app::AppError::from)?;
    Ok(Json(serde_json::json!({
        "dossier": handled.dossier,
        "lifecycle": handled.lifecycle,
        "details": handled.details,
        "status_name": handled.lifecycle.status.name_vi(),
        "events": events,
        "receipts": receipts,
    }))
    .into_response())
}

/// `POST /api/dossiers/{code}/steps`: takes a step (body: a `motcua_core::lifecycle::Step`,
/// e.g. `{"step":"request_supplement","reason":"…"}`); 409 with the reason when the rules
/// refuse it.
pub async fn step<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Result<Response, WebError> {
    csrf(&authed, &headers)?;
    let request = format!("POST /api/dossiers/{code}/steps\n{body}");
    let work = async {
        let step: Step = parse(&body)?;
        let handled =
            desk::take_step(&state.store, &authed.principal, &code, &step, &authed.ctx()).await?;
        Ok((StatusCode::OK, to_json(&handled)?))
    };
    idempotent(&state, &authed, &headers, request, work).await
}

/// The slot a form names: a component's number from 1, or `result`.
pub(crate) fn slot_of(text: &str) -> Result<Slot, WebError> {
    let t = text.trim();
    if t == "result" {
        return Ok(Slot::Result);
    }
    match t.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(Slot::Component(n - 1)),
        _ => Err(WebError::BadRequest(format!(
            "vị trí tệp không hợp lệ «{t}»: số thứ tự thành phần (từ 1) hoặc «result»"
        ))),
    }
}

/// `POST /api/dossiers/{code}/scans` (multipart: `slot` = a component's number from 1 or
/// `result`, `file` = the scan): stores the scan; 413 over the size limit, 409 for a type
/// not accepted, and then nothing is stored.
pub async fn scan<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Path(code): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, WebError> {
    csrf(&authed, &headers)?;
    let form = crate::upload::read(multipart, &state.files).await?;
    if let Some(e) = form.too_large {
        return Err(e);
    }
    let slot = slot_of(form.text("slot"))?;
    let file = form
        .file("file")
        .ok_or_else(|| WebError::BadRequest("thiếu tệp (trường «file»)".to_owned()))?;
    let handled = desk::attach_scan(
        &state.store,
        &state.files,
        &authed.principal,
        &code,
        slot,
        &file.file_name,
        &file.bytes,
        &authed.ctx(),
    )
    .await?;
    Ok(Json(to_json(&handled)?).into_response())
}

#[derive(Debug, Deserialize)]
struct PaymentBody {
    payment_channel: PaymentChannel,
}

/// `POST /api/dossiers/{code}/payment` (body `{"payment_channel":"online"|"offline"}`):
/// records that the fee was paid now.
pub async fn payment<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Result<Response, WebError> {
    csrf(&authed, &headers)?;
    let request = format!("POST /api/dossiers/{code}/payment\n{body}");
    let work = async {
        let p: PaymentBody = parse(&body)?;
        let handled = desk::record_payment(
            &state.store,
            &authed.principal,
            &code,
            p.payment_channel,
            &authed.ctx(),
        )
        .await?;
        Ok((StatusCode::OK, to_json(&handled)?))
    };
    idempotent(&state, &authed, &headers, request, work).await
}

/// `POST /api/dossiers/{code}/receipt` (body `{"form_symbol":…, "series":…}`, or empty for
/// the unit's current series): issues the e-receipt of the paid fee; 201 with the receipt.
pub async fn issue_receipt<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Result<Response, WebError> {
    csrf(&authed, &headers)?;
    let request = format!("POST /api/dossiers/{code}/receipt\n{body}");
    let work = async {
        let series: ReceiptSeries = if body.trim().is_empty() {
            let h = desk::get(&state.store, &authed.principal, &code).await?;
            desk::receipt_series(&state.store, &h.dossier.unit_code, authed.at).await?
        } else {
            parse(&body)?
        };
        let receipt = desk::issue_receipt(
            &state.store,
            &authed.principal,
            &code,
            &series,
            &authed.ctx(),
        )
        .await?;
        Ok((StatusCode::CREATED, receipt_json(&receipt)?))
    };
    idempotent(&state, &authed, &headers, request, work).await
}

fn receipt_json(r: &motcua_core::fees::Receipt) -> Result<serde_json::Value, WebError> {
    let mut value = to_json(r)?;
    if let Some(map) = value.as_object_mut() {
        map.insert("number_text".to_owned(), r.number_text().into());
        map.insert(
            "amount_in_words".to_owned(),
            motcua_core::money::vnd_in_words(r.amount_vnd).into(),
        );
    }
    Ok(value)
}

/// `GET /api/dossiers/{code}/receipt`: the dossier's e-receipt; 404 when none was issued.
pub async fn receipt<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let receipt = desk::receipts(&state.store, &authed.principal, &code)
        .await?
        .pop()
        .ok_or_else(|| WebError::NotFound(format!("hồ sơ «{code}» chưa có biên lai")))?;
    Ok(Json(receipt_json(&receipt)?).into_response())
}
