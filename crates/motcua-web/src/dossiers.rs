//! The dossier API: receive, read, take a step. Writes accept an `Idempotency-Key`: a retried
//! request with the same key gets the first answer, never a second dossier.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use motcua_app::desk::{self, Handled, Reception};
use motcua_core::dossier::{Dossier, DossierEvent};
use motcua_core::lifecycle::{Lifecycle, Step};
use motcua_store::{Claim, Store};
use serde::Serialize;

use crate::error::ErrorBody;
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
#[utoipa::path(
    post,
    path = "/api/dossiers",
    tag = "Hồ sơ",
    summary = "Tiếp nhận hồ sơ",
    description = "Tiếp nhận một hồ sơ tại đơn vị (trong phạm vi của người gọi): cấp mã hồ sơ \
        `ĐƠNVỊ-YYMMDD-NNNN` và tính ngày hẹn trả theo lịch làm việc. Gửi lại cùng \
        `Idempotency-Key` nhận lại đúng câu trả lời lần đầu, không tạo hồ sơ thứ hai.",
    params(
        ("Idempotency-Key" = Option<String>, Header, nullable = false, min_length = 1, max_length = 255,
            description = "Khóa chống gửi trùng do máy khách chọn (1–255 ký tự ASCII): yêu cầu \
                lặp lại với cùng khóa nhận lại câu trả lời đầu tiên."),
    ),
    request_body(content = Reception, content_type = "application/json",
        description = "Thông tin tiếp nhận hồ sơ."),
    responses(
        (status = 201, description = "Đã tiếp nhận: hồ sơ (mã, ngày hẹn trả) và trạng thái xử lý.",
            body = Handled,
            headers(("Idempotent-Replayed" = String,
                description = "`true` khi đây là câu trả lời đã lưu của một yêu cầu trước với cùng Idempotency-Key."))),
        (status = 400, description = "JSON không hợp lệ, hoặc Idempotency-Key sai dạng hay đã dùng cho yêu cầu khác.", body = ErrorBody),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Vai trò không được tiếp nhận hồ sơ, đơn vị ngoài phạm vi, hoặc thiếu mã chống giả mạo (phiên đăng nhập).", body = ErrorBody),
        (status = 404, description = "Không có đơn vị mã này.", body = ErrorBody),
        (status = 409, description = "Bị từ chối theo quy tắc (thủ tục không có hoặc không thuộc thẩm quyền của đơn vị, số liệu mâu thuẫn), hoặc một yêu cầu cùng Idempotency-Key đang được xử lý.", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [], "csrf" = [])),
)]
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
        let value =
            serde_json::to_value(&handled).map_err(|e| WebError::Internal(e.to_string()))?;
        Ok((StatusCode::CREATED, value))
    };
    idempotent(&state, &authed, &headers, request, work).await
}

/// The answer of `GET /api/dossiers/{code}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DossierDetail {
    pub dossier: Dossier,
    pub lifecycle: Lifecycle,
    /// The status as people read it, e.g. "Đang giải quyết".
    pub status_name: String,
    /// What happened to the dossier, oldest first.
    pub events: Vec<DossierEvent>,
}

/// `GET /api/dossiers/{code}`: the dossier, its lifecycle and its history.
#[utoipa::path(
    get,
    path = "/api/dossiers/{code}",
    tag = "Hồ sơ",
    summary = "Xem hồ sơ",
    description = "Hồ sơ, trạng thái xử lý và toàn bộ lịch sử của nó, nếu đơn vị tiếp nhận hoặc \
        đơn vị đang giải quyết thuộc phạm vi của người gọi.",
    params(("code" = String, Path, description = "Mã hồ sơ.", example = "HO-XA-240520-0001")),
    responses(
        (status = 200, description = "Hồ sơ, trạng thái và lịch sử.", body = DossierDetail),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Vai trò không được xem hồ sơ.", body = ErrorBody),
        (status = 404, description = "Không có hồ sơ mã này trong phạm vi của người gọi.", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])),
)]
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
    Ok(Json(DossierDetail {
        status_name: handled.lifecycle.status.name_vi().to_owned(),
        dossier: handled.dossier,
        lifecycle: handled.lifecycle,
        events,
    })
    .into_response())
}

/// `POST /api/dossiers/{code}/steps`: takes a step (body: a `motcua_core::lifecycle::Step`,
/// e.g. `{"step":"request_supplement","reason":"…"}`); 409 with the reason when the rules
/// refuse it.
#[utoipa::path(
    post,
    path = "/api/dossiers/{code}/steps",
    tag = "Hồ sơ",
    summary = "Thực hiện một bước xử lý hồ sơ",
    description = "Chuyển xử lý, yêu cầu bổ sung, tạm dừng, chuyển liên thông, phê duyệt, từ chối, \
        trả kết quả, rút hồ sơ, xin lỗi và hẹn lại… (trường `step`). Bước trái quy định bị từ chối \
        với lý do (409). Gửi lại cùng `Idempotency-Key` nhận lại đúng câu trả lời lần đầu.",
    params(
        ("code" = String, Path, description = "Mã hồ sơ.", example = "HO-XA-240520-0001"),
        ("Idempotency-Key" = Option<String>, Header, nullable = false, min_length = 1, max_length = 255,
            description = "Khóa chống gửi trùng do máy khách chọn (1–255 ký tự ASCII): yêu cầu \
                lặp lại với cùng khóa nhận lại câu trả lời đầu tiên."),
    ),
    request_body(content = Step, content_type = "application/json",
        description = "Bước xử lý, ví dụ `{\"step\":\"request_supplement\",\"reason\":\"…\"}`."),
    responses(
        (status = 200, description = "Bước đã được ghi: hồ sơ và trạng thái mới.", body = Handled,
            headers(("Idempotent-Replayed" = String,
                description = "`true` khi đây là câu trả lời đã lưu của một yêu cầu trước với cùng Idempotency-Key."))),
        (status = 400, description = "JSON không hợp lệ (bước không có), hoặc Idempotency-Key sai dạng hay đã dùng cho yêu cầu khác.", body = ErrorBody),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Vai trò không được thực hiện bước này, hoặc thiếu mã chống giả mạo (phiên đăng nhập).", body = ErrorBody),
        (status = 404, description = "Không có hồ sơ mã này trong phạm vi của người gọi, hoặc đơn vị nhận chuyển liên thông không tồn tại.", body = ErrorBody),
        (status = 409, description = "Bước không được phép ở trạng thái hiện tại (lý do trong thông báo), hồ sơ vừa được người khác cập nhật, hoặc một yêu cầu cùng Idempotency-Key đang được xử lý.", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [], "csrf" = [])),
)]
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
        let value =
            serde_json::to_value(&handled).map_err(|e| WebError::Internal(e.to_string()))?;
        Ok((StatusCode::OK, value))
    };
    idempotent(&state, &authed, &headers, request, work).await
}
