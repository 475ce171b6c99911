//! The dossier API: receive, read, take a step. Writes accept an `Idempotency-Key`: a retried
//! request with the same key gets the first successful answer, never a second dossier; the
//! answer is stored in the transaction of the write (`motcua_store::IdempotencyRecord`).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::desk::{self, Handled, Reception};
use motcua_core::details::{Details, Slot};
use motcua_core::dossier::Dossier;
use motcua_core::fees::Receipt;
use motcua_core::history::DossierEvent;
use motcua_core::lifecycle::{Lifecycle, Step};
use motcua_store::{Answer, IdempotencyRecord, Prior, StoreError};
use serde::{Deserialize, Serialize};

use crate::authed::CSRF_HEADER;
use crate::error::ErrorBody;
use crate::extract::{ApiBody, ApiMultipart, ApiPath, parse_json as parse};
use crate::{AppState, Authed, WebError};

/// The header of a client's retry key.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

pub(super) fn csrf(authed: &Authed, headers: &HeaderMap) -> Result<(), WebError> {
    authed.check_csrf(headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()))
}

pub(super) fn json_response(status: StatusCode, body: String, replayed: bool) -> Response {
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

/// The answer of a request as the client gets it, fresh or replayed: the status and the JSON
/// body made of the result by `view`.
pub(super) fn answer<T>(
    status: StatusCode,
    view: fn(&T) -> Result<serde_json::Value, WebError>,
    value: &T,
) -> Result<Answer, WebError> {
    Ok(Answer {
        status: status.as_u16(),
        body: view(value)?.to_string(),
    })
}

pub(super) fn respond(a: Answer, replayed: bool) -> Response {
    json_response(
        StatusCode::from_u16(a.status).unwrap_or(StatusCode::OK),
        a.body,
        replayed,
    )
}

/// What an Idempotency-Key already holds: the first answer again, or a refusal when the key
/// was used for another request.
pub(super) fn replay(prior: Prior) -> Result<Response, WebError> {
    match prior {
        Prior::Answered(a) => Ok(respond(a, true)),
        Prior::Mismatch => Err(WebError::Conflict(
            "Idempotency-Key này đã được dùng cho một yêu cầu khác".to_owned(),
        )),
    }
}

/// Runs `work` at most once per (principal, Idempotency-Key). With a key, `work` gets the
/// record that makes the store keep the answer (`status` and `view` of the result) in the
/// transaction of the write itself, so a retry, even after a crash, gets that answer
/// (`Idempotent-Replayed: true`) or does the work; a refusal or a failure keeps nothing, and
/// a retry is judged afresh.
pub(super) async fn idempotent<T, Fut>(
    authed: &Authed,
    headers: &HeaderMap,
    request: String,
    status: StatusCode,
    view: fn(&T) -> Result<serde_json::Value, WebError>,
    work: impl FnOnce(Option<IdempotencyRecord<T>>) -> Fut,
) -> Result<Response, WebError>
where
    T: 'static,
    Fut: Future<Output = Result<T, AppError>>,
{
    let key = match headers.get(IDEMPOTENCY_HEADER) {
        None => {
            let value = work(None).await?;
            return Ok(respond(answer(status, view, &value)?, false));
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
    let record = IdempotencyRecord::new(who, key, request, move |value: &T| {
        answer(status, view, value).map_err(|e| e.to_string())
    });
    match work(Some(record)).await {
        Ok(value) => Ok(respond(answer(status, view, &value)?, false)),
        Err(AppError::Store(StoreError::KeyUsed(prior))) => replay(prior),
        Err(e) => Err(e.into()),
    }
}

/// A value as a JSON answer's body.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, WebError> {
    serde_json::to_value(value).map_err(|e| WebError::Internal(e.to_string()))
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
        `Idempotency-Key` nhận lại đúng câu trả lời thành công lần đầu, không tạo hồ sơ thứ hai.",
    params(
        ("Idempotency-Key" = Option<String>, Header, nullable = false, min_length = 1, max_length = 255,
            description = "Khóa chống gửi trùng do máy khách chọn (1–255 ký tự ASCII): yêu cầu \
                lặp lại với cùng khóa nhận lại câu trả lời thành công đầu tiên, kể cả khi máy chủ \
                dừng đột ngột sau khi ghi, và không được thực hiện lần thứ hai. Yêu cầu bị từ chối \
                hoặc lỗi không được ghi nhớ: gửi lại thì được xét lại."),
    ),
    request_body(content = Reception, content_type = "application/json",
        description = "Thông tin tiếp nhận hồ sơ."),
    responses(
        (status = 201, description = "Đã tiếp nhận: hồ sơ (mã, ngày hẹn trả) và trạng thái xử lý.",
            body = Handled,
            headers(("Idempotent-Replayed" = String,
                description = "`true` khi đây là câu trả lời đã lưu của một yêu cầu trước với cùng Idempotency-Key."))),
        (status = 400, description = "Nội dung không phải JSON UTF-8 hợp lệ hay trái lược đồ (trường nào, vì sao: quá độ dài tối đa, có ký tự điều khiển…), hoặc Idempotency-Key sai dạng.", body = ErrorBody),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Vai trò không được tiếp nhận hồ sơ (đơn vị trong phạm vi), hoặc thiếu mã chống giả mạo (phiên đăng nhập).", body = ErrorBody),
        (status = 404, description = "Không có đơn vị mã này, hoặc đơn vị ngoài phạm vi của người gọi (cùng một câu trả lời, dù vai trò nào).", body = ErrorBody),
        (status = 409, description = "Bị từ chối theo quy tắc (thủ tục không có hoặc không thuộc thẩm quyền của đơn vị, số liệu mâu thuẫn), hoặc Idempotency-Key đã dùng cho một yêu cầu khác.", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [], "csrf" = [])),
)]
pub async fn receive(
    State(state): State<AppState>,
    authed: Authed,
    headers: HeaderMap,
    ApiBody(body): ApiBody,
) -> Result<Response, WebError> {
    csrf(&authed, &headers)?;
    let request = format!("POST /api/dossiers\n{body}");
    let reception: Reception = parse(&body)?;
    let ctx = authed.ctx();
    let work = |key| desk::receive_keyed(&state.store, &authed.principal, &reception, &ctx, key);
    let (status, view) = (StatusCode::CREATED, to_json::<Handled>);
    idempotent(&authed, &headers, request, status, view, work).await
}

/// The answer of `GET /api/dossiers/{code}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DossierDetail {
    pub dossier: Dossier,
    pub lifecycle: Lifecycle,
    /// The status as people read it, e.g. "Đang giải quyết".
    pub status_name: String,
    /// What the desk recorded (applicant, component checklist with scans); absent for a
    /// dossier imported from another system.
    pub details: Option<Details>,
    /// What happened to the dossier, oldest first.
    pub events: Vec<DossierEvent>,
    /// The e-receipts issued for its fee.
    pub receipts: Vec<Receipt>,
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
        (status = 400, description = "Đường dẫn không hợp lệ (mã hồ sơ không phải UTF-8).", body = ErrorBody),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Vai trò không được xem hồ sơ.", body = ErrorBody),
        (status = 404, description = "Không có hồ sơ mã này trong phạm vi của người gọi (hồ sơ của đơn vị khác được trả lời như hồ sơ không có).", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])),
)]
pub async fn get(
    State(state): State<AppState>,
    authed: Authed,
    ApiPath(code): ApiPath<String>,
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
    Ok(Json(DossierDetail {
        status_name: handled.lifecycle.status.name_vi().to_owned(),
        dossier: handled.dossier,
        lifecycle: handled.lifecycle,
        details: handled.details,
        events,
        receipts,
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
    description = "Bắt đầu xử lý, chuyển xử lý cho chuyên viên (`assign`), yêu cầu bổ sung, nhận hồ sơ \
        bổ sung (kèm giấy tờ bổ sung), tạm dừng, chuyển liên thông, trình lãnh đạo \
        (`propose_approval`, `propose_rejection`), trả lại chuyên viên (`send_back`), phê duyệt, \
        từ chối, trả kết quả (kèm người nhận), rút hồ sơ, xin lỗi và hẹn lại… (trường `step`). \
        Chuyên viên trình kết quả, lãnh đạo phê duyệt hoặc từ chối; mã truy cập tích hợp có quyền \
        ghi được phê duyệt, từ chối trực tiếp (hồ sơ xử lý ở hệ thống khác). Bước trái quy định \
        hoặc vai trò không được phép bị từ chối với lý do (409, 403). Gửi lại cùng `Idempotency-Key` \
        nhận lại đúng câu trả lời thành công lần đầu.",
    params(
        ("code" = String, Path, description = "Mã hồ sơ.", example = "HO-XA-240520-0001"),
        ("Idempotency-Key" = Option<String>, Header, nullable = false, min_length = 1, max_length = 255,
            description = "Khóa chống gửi trùng do máy khách chọn (1–255 ký tự ASCII): yêu cầu \
                lặp lại với cùng khóa nhận lại câu trả lời thành công đầu tiên, kể cả khi máy chủ \
                dừng đột ngột sau khi ghi, và không được thực hiện lần thứ hai. Yêu cầu bị từ chối \
                hoặc lỗi không được ghi nhớ: gửi lại thì được xét lại."),
    ),
    request_body(content = Step, content_type = "application/json",
        description = "Bước xử lý, ví dụ `{\"step\":\"request_supplement\",\"reason\":\"…\"}`."),
    responses(
        (status = 200, description = "Bước đã được ghi: hồ sơ và trạng thái mới.", body = Handled,
            headers(("Idempotent-Replayed" = String,
                description = "`true` khi đây là câu trả lời đã lưu của một yêu cầu trước với cùng Idempotency-Key."))),
        (status = 400, description = "Nội dung không phải JSON UTF-8 hợp lệ hay trái lược đồ (bước không có, lý do quá 2000 ký tự hoặc có ký tự điều khiển…), hoặc Idempotency-Key sai dạng.", body = ErrorBody),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Vai trò không được thực hiện bước này (hồ sơ trong phạm vi), hoặc thiếu mã chống giả mạo (phiên đăng nhập).", body = ErrorBody),
        (status = 404, description = "Không có hồ sơ mã này trong phạm vi của người gọi (dù vai trò nào), hoặc đơn vị nhận chuyển liên thông không tồn tại.", body = ErrorBody),
        (status = 409, description = "Bước không được phép ở trạng thái hiện tại (lý do trong thông báo; ví dụ ngày hẹn mới không sau ngày hẹn cũ, hay quá 365 ngày sau đó), hồ sơ vừa được người khác cập nhật, hoặc Idempotency-Key đã dùng cho một yêu cầu khác.", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [], "csrf" = [])),
)]
pub async fn step(
    State(state): State<AppState>,
    authed: Authed,
    ApiPath(code): ApiPath<String>,
    headers: HeaderMap,
    ApiBody(body): ApiBody,
) -> Result<Response, WebError> {
    csrf(&authed, &headers)?;
    let request = format!("POST /api/dossiers/{code}/steps\n{body}");
    let step: Step = parse(&body)?;
    let ctx = authed.ctx();
    let work =
        |key| desk::take_step_keyed(&state.store, &authed.principal, &code, &step, &ctx, key);
    let (status, view) = (StatusCode::OK, to_json::<Handled>);
    idempotent(&authed, &headers, request, status, view, work).await
}

/// The slot a form names: a component's number from 1 (at most three digits), or `result`:
/// `^(result|[1-9][0-9]{0,2})$`, as [`ScanUpload`]'s schema says.
pub(crate) fn slot_of(text: &str) -> Result<Slot, WebError> {
    let digits = !text.is_empty()
        && text.len() <= 3
        && !text.starts_with('0')
        && text.bytes().all(|b| b.is_ascii_digit());
    match text.parse::<usize>() {
        _ if text == "result" => Ok(Slot::Result),
        Ok(n) if digits => Ok(Slot::Component(n - 1)),
        _ => Err(WebError::BadRequest(format!(
            "vị trí tệp không hợp lệ «{text}»: số thứ tự thành phần (từ 1) hoặc «result»"
        ))),
    }
}

/// The multipart body of a scan upload: these two fields and no other.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ScanUpload {
    /// The component's number in the checklist (from 1), or `result` for the result document.
    #[schema(example = "1", pattern = "^(result|[1-9][0-9]{0,2})$")]
    slot: String,
    /// The scan: PDF, JPEG or PNG, within the server's size limit.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[utoipa::path(
    post,
    path = "/api/dossiers/{code}/scans",
    tag = "Hồ sơ",
    summary = "Tải lên bản quét (số hóa) một thành phần hoặc kết quả",
    description = "Lưu bản quét theo mã băm SHA-256; thành phần được đánh dấu đã số hóa. Tệp vượt \
        giới hạn (413) hoặc không phải PDF, JPEG, PNG (409) bị từ chối và không có gì được lưu.",
    params(
        ("code" = String, Path, description = "Mã hồ sơ.", example = "HO-XA-240520-0001"),
    ),
    request_body(content = ScanUpload, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Hồ sơ sau khi số hóa.", body = Handled),
        (status = 400, description = "Biểu mẫu không đọc được (không phải multipart/form-data, thiếu boundary), có trường khác «slot» và «file», thiếu tệp hoặc vị trí sai.", body = ErrorBody),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Vai trò không được thu nhận hồ sơ, hoặc thiếu mã chống giả mạo (phiên đăng nhập).", body = ErrorBody),
        (status = 404, description = "Không có hồ sơ mã này trong phạm vi của người gọi.", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
        (status = 409, description = "Tệp không phải loại được nhận, thành phần không có, hoặc hồ sơ nhập từ hệ thống khác.", body = ErrorBody),
        (status = 413, description = "Tệp vượt giới hạn dung lượng.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [], "csrf" = [])),
)]
/// `POST /api/dossiers/{code}/scans` (multipart: `slot` = a component's number from 1 or
/// `result`, `file` = the scan): stores the scan; 413 over the size limit, 409 for a type
/// not accepted, and then nothing is stored.
pub async fn scan(
    State(state): State<AppState>,
    authed: Authed,
    ApiPath(code): ApiPath<String>,
    headers: HeaderMap,
    ApiMultipart(multipart): ApiMultipart,
) -> Result<Response, WebError> {
    csrf(&authed, &headers)?;
    let form = crate::upload::read(multipart, &state.files).await?;
    if let Some(e) = form.too_large {
        return Err(e);
    }
    if let Some(other) = form
        .fields
        .keys()
        .map(String::as_str)
        .chain(form.files.iter().map(|f| f.field.as_str()))
        .find(|name| !matches!(*name, "slot" | "file"))
    {
        return Err(WebError::BadRequest(format!(
            "biểu mẫu tải bản quét chỉ có hai trường «slot» và «file», không có «{other}»"
        )));
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
