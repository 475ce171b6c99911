//! The dossier API: receive, read, take a step. Writes accept an `Idempotency-Key`: a retried
//! request with the same key gets the first successful answer, never a second dossier; the
//! answer is stored in the transaction of the write (`motcua_store::IdempotencyRecord`).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::desk::{self, Handled, ReceiptSeries, Reception};
use motcua_core::details::{Details, Slot};
use motcua_core::dossier::{Dossier, PaymentChannel};
use motcua_core::fees::Receipt;
use motcua_core::history::DossierEvent;
use motcua_core::lifecycle::{Lifecycle, Step};
use motcua_store::{Answer, IdempotencyRecord, Prior, Store, StoreError};
use serde::{Deserialize, Serialize};

use crate::error::ErrorBody;
use crate::extract::{ApiBody, ApiMultipart, ApiPath, parse_json as parse};
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

/// The answer of a request as the client gets it, fresh or replayed: the status and the JSON
/// body made of the result by `view`.
fn answer<T>(
    status: StatusCode,
    view: fn(&T) -> Result<serde_json::Value, WebError>,
    value: &T,
) -> Result<Answer, WebError> {
    Ok(Answer {
        status: status.as_u16(),
        body: view(value)?.to_string(),
    })
}

fn respond(a: Answer, replayed: bool) -> Response {
    json_response(
        StatusCode::from_u16(a.status).unwrap_or(StatusCode::OK),
        a.body,
        replayed,
    )
}

/// What an Idempotency-Key already holds: the first answer again, or a refusal when the key
/// was used for another request.
fn replay(prior: Prior) -> Result<Response, WebError> {
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
async fn idempotent<T, Fut>(
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
pub async fn receive<S: Store>(
    State(state): State<AppState<S>>,
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
pub async fn get<S: Store>(
    State(state): State<AppState<S>>,
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
    description = "Chuyển xử lý, yêu cầu bổ sung, tạm dừng, chuyển liên thông, phê duyệt, từ chối, \
        trả kết quả, rút hồ sơ, xin lỗi và hẹn lại… (trường `step`). Bước trái quy định bị từ chối \
        với lý do (409). Gửi lại cùng `Idempotency-Key` nhận lại đúng câu trả lời thành công lần đầu.",
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
pub async fn step<S: Store>(
    State(state): State<AppState<S>>,
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
pub async fn scan<S: Store>(
    State(state): State<AppState<S>>,
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

/// The body of a payment record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PaymentBody {
    payment_channel: PaymentChannel,
}

#[utoipa::path(
    post,
    path = "/api/dossiers/{code}/payment",
    tag = "Hồ sơ",
    summary = "Ghi nhận nộp phí, lệ phí",
    description = "Ghi nhận hồ sơ đã nộp phí, lệ phí (trực tuyến hoặc tại Bộ phận Một cửa) vào lúc này.",
    params(
        ("code" = String, Path, description = "Mã hồ sơ.", example = "HO-XA-240520-0001"),
        ("Idempotency-Key" = Option<String>, Header, nullable = false, min_length = 1, max_length = 255,
            description = "Khóa chống gửi trùng do máy khách chọn (1–255 ký tự ASCII): yêu cầu \
                lặp lại với cùng khóa nhận lại câu trả lời thành công đầu tiên, kể cả khi máy chủ \
                dừng đột ngột sau khi ghi, và không được thực hiện lần thứ hai. Yêu cầu bị từ chối \
                hoặc lỗi không được ghi nhớ: gửi lại thì được xét lại."),
    ),
    request_body(content = PaymentBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Hồ sơ sau khi ghi nhận.", body = Handled,
            headers(("Idempotent-Replayed" = String,
                description = "`true` khi đây là câu trả lời đã lưu của một yêu cầu trước với cùng Idempotency-Key."))),
        (status = 400, description = "Nội dung không phải JSON UTF-8 hợp lệ hay trái lược đồ, hoặc Idempotency-Key sai dạng.", body = ErrorBody),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Vai trò không được thu nhận hồ sơ, hoặc thiếu mã chống giả mạo (phiên đăng nhập).", body = ErrorBody),
        (status = 404, description = "Không có hồ sơ mã này trong phạm vi của người gọi.", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
        (status = 409, description = "Hồ sơ không có phí hoặc đã nộp, Idempotency-Key đã dùng cho một yêu cầu khác, hoặc một yêu cầu cùng Idempotency-Key đang được xử lý.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [], "csrf" = [])),
)]
/// `POST /api/dossiers/{code}/payment` (body `{"payment_channel":"online"|"offline"}`):
/// records that the fee was paid now.
pub async fn payment<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    ApiPath(code): ApiPath<String>,
    headers: HeaderMap,
    ApiBody(body): ApiBody,
) -> Result<Response, WebError> {
    csrf(&authed, &headers)?;
    let request = format!("POST /api/dossiers/{code}/payment\n{body}");
    let p: PaymentBody = parse(&body)?;
    let ctx = authed.ctx();
    let work = |key| {
        let channel = p.payment_channel;
        desk::record_payment_keyed(&state.store, &authed.principal, &code, channel, &ctx, key)
    };
    let (status, view) = (StatusCode::OK, to_json::<Handled>);
    idempotent(&authed, &headers, request, status, view, work).await
}

#[utoipa::path(
    post,
    path = "/api/dossiers/{code}/receipt",
    tag = "Hồ sơ",
    summary = "Cấp biên lai điện tử",
    description = "Cấp biên lai điện tử cho phí, lệ phí đã nộp, với số tiếp theo của đơn vị trong năm \
        (tối đa 7 chữ số, bắt đầu lại từ 1 mỗi ngày 1/1). Thân yêu cầu rỗng hoặc `null`: dùng ký hiệu đang dùng của đơn vị. \
        Mỗi hồ sơ một biên lai.",
    params(
        ("code" = String, Path, description = "Mã hồ sơ.", example = "HO-XA-240520-0001"),
        ("Idempotency-Key" = Option<String>, Header, nullable = false, min_length = 1, max_length = 255,
            description = "Khóa chống gửi trùng do máy khách chọn (1–255 ký tự ASCII): yêu cầu \
                lặp lại với cùng khóa nhận lại câu trả lời thành công đầu tiên, kể cả khi máy chủ \
                dừng đột ngột sau khi ghi, và không được thực hiện lần thứ hai. Yêu cầu bị từ chối \
                hoặc lỗi không được ghi nhớ: gửi lại thì được xét lại."),
    ),
    request_body(content = Option<ReceiptSeries>, content_type = "application/json"),
    responses(
        (status = 201, description = "Biên lai đã cấp.", body = ReceiptAnswer,
            headers(("Idempotent-Replayed" = String,
                description = "`true` khi đây là câu trả lời đã lưu của một yêu cầu trước với cùng Idempotency-Key."))),
        (status = 400, description = "Nội dung không phải JSON UTF-8 hợp lệ hay trái lược đồ, hoặc Idempotency-Key sai dạng.", body = ErrorBody),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Vai trò không được thu nhận hồ sơ, hoặc thiếu mã chống giả mạo (phiên đăng nhập).", body = ErrorBody),
        (status = 404, description = "Không có hồ sơ mã này trong phạm vi của người gọi.", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
        (status = 409, description = "Chưa ghi nhận nộp phí, đã có biên lai, ký hiệu sai, hết dãy số, Idempotency-Key đã dùng cho một yêu cầu khác, hoặc một yêu cầu cùng Idempotency-Key đang được xử lý.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [], "csrf" = [])),
)]
/// `POST /api/dossiers/{code}/receipt` (body `{"form_symbol":…, "series":…}`, or empty for
/// the unit's current series): issues the e-receipt of the paid fee; 201 with the receipt.
pub async fn issue_receipt<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    ApiPath(code): ApiPath<String>,
    headers: HeaderMap,
    ApiBody(body): ApiBody,
) -> Result<Response, WebError> {
    csrf(&authed, &headers)?;
    let request = format!("POST /api/dossiers/{code}/receipt\n{body}");
    // An empty body or `null`: the unit's current series.
    let given: Option<ReceiptSeries> = match body.trim() {
        "" => None,
        text => parse(text)?,
    };
    let ctx = authed.ctx();
    let work = |key| async {
        let series = match given {
            Some(s) => s,
            None => {
                let h = desk::get(&state.store, &authed.principal, &code).await?;
                desk::receipt_series(&state.store, &h.dossier.unit_code, authed.at).await?
            }
        };
        desk::issue_receipt_keyed(&state.store, &authed.principal, &code, &series, &ctx, key).await
    };
    let (status, view) = (StatusCode::CREATED, receipt_json);
    idempotent(&authed, &headers, request, status, view, work).await
}

/// An e-receipt as the API gives it: with its number as printed and its amount in words.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReceiptAnswer {
    /// The unit that issued it.
    #[schema(value_type = String)]
    unit: motcua_core::unit::UnitCode,
    /// The year (UTC+7) its number belongs to.
    year: i32,
    number: i64,
    /// The number as printed, seven digits: `0000042`.
    number_text: String,
    form_symbol: String,
    series: String,
    #[schema(value_type = String)]
    dossier: motcua_core::dossier::DossierCode,
    amount_vnd: i64,
    /// The amount in Vietnamese words: `Tám nghìn đồng`.
    amount_in_words: String,
    payment_channel: PaymentChannel,
    #[schema(value_type = String, format = DateTime)]
    issued_at: motcua_core::Timestamp,
    issued_by: String,
}

fn receipt_json(r: &Receipt) -> Result<serde_json::Value, WebError> {
    to_json(&ReceiptAnswer {
        unit: r.unit.clone(),
        year: r.year,
        number: r.number,
        number_text: r.number_text(),
        form_symbol: r.form_symbol.clone(),
        series: r.series.clone(),
        dossier: r.dossier.clone(),
        amount_vnd: r.amount_vnd,
        amount_in_words: motcua_core::money::vnd_in_words(r.amount_vnd),
        payment_channel: r.payment_channel,
        issued_at: r.issued_at,
        issued_by: r.issued_by.clone(),
    })
}

#[utoipa::path(
    get,
    path = "/api/dossiers/{code}/receipt",
    tag = "Hồ sơ",
    summary = "Xem biên lai điện tử của hồ sơ",
    params(
        ("code" = String, Path, description = "Mã hồ sơ.", example = "HO-XA-240520-0001"),
    ),
    responses(
        (status = 200, description = "Biên lai.", body = ReceiptAnswer),
        (status = 400, description = "Đường dẫn không hợp lệ (mã hồ sơ không phải UTF-8).", body = ErrorBody),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Vai trò không được xem hồ sơ.", body = ErrorBody),
        (status = 404, description = "Không có hồ sơ mã này trong phạm vi của người gọi, hoặc hồ sơ chưa có biên lai.", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])),
)]
/// `GET /api/dossiers/{code}/receipt`: the dossier's e-receipt; 404 when none was issued.
pub async fn receipt<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    ApiPath(code): ApiPath<String>,
) -> Result<Response, WebError> {
    let receipt = desk::receipts(&state.store, &authed.principal, &code)
        .await?
        .pop()
        .ok_or_else(|| WebError::NotFound(format!("hồ sơ «{code}» chưa có biên lai")))?;
    Ok(Json(receipt_json(&receipt)?).into_response())
}
