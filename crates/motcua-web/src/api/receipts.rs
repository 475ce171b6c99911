//! The fee of a dossier: its payment and its e-receipt (`/api/dossiers/{code}/payment`,
//! `/api/dossiers/{code}/receipt`), with the Idempotency-Key replays of the dossier API.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use motcua_app::desk::{self, Handled, ReceiptSeries};
use motcua_core::dossier::PaymentChannel;
use motcua_core::fees::Receipt;
use serde::{Deserialize, Serialize};

use super::dossiers::{csrf, idempotent, to_json};
use crate::error::ErrorBody;
use crate::extract::{ApiBody, ApiPath, parse_json as parse};
use crate::{AppState, Authed, WebError};

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
pub async fn payment(
    State(state): State<AppState>,
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
pub async fn issue_receipt(
    State(state): State<AppState>,
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
pub async fn receipt(
    State(state): State<AppState>,
    authed: Authed,
    ApiPath(code): ApiPath<String>,
) -> Result<Response, WebError> {
    let receipt = desk::receipts(&state.store, &authed.principal, &code)
        .await?
        .pop()
        .ok_or_else(|| WebError::NotFound(format!("hồ sơ «{code}» chưa có biên lai")))?;
    Ok(Json(receipt_json(&receipt)?).into_response())
}
