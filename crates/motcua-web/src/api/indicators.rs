//! `GET /api/indicators`: the JSON of docs/spec/indicators.md for a unit and a month.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use motcua_core::access::Action;
use motcua_core::indicators::IndicatorReport;
use serde::Deserialize;

use crate::catalogue::tree;
use crate::error::ErrorBody;
use crate::extract::{ApiQuery, parse_month};
use crate::{AppState, Authed, WebError};

/// The query of indicator requests: a unit code and a month, both optional.
#[derive(Debug, Deserialize)]
pub struct IndicatorQuery {
    pub unit: Option<String>,
    pub month: Option<String>,
}

/// `GET /api/indicators?unit=CODE&month=YYYY-MM`: the JSON of docs/spec/indicators.md, for a unit
/// inside the caller's subtree (its own unit when `unit` is omitted).
#[utoipa::path(
    get,
    path = "/api/indicators",
    tag = "Chỉ số",
    summary = "Chỉ số phục vụ của một đơn vị trong một tháng",
    description = "Số liệu và tỷ lệ của đơn vị và mọi đơn vị trực thuộc trong tháng, kèm tháng \
        trước, từng đơn vị cấp dưới cùng và các danh sách của báo cáo tháng. Tỷ lệ giữ tử số và \
        mẫu số chính xác; `value` chưa làm tròn, `null` khi mẫu số bằng 0.",
    params(
        ("unit" = Option<String>, Query,
            description = "Mã đơn vị trong phạm vi của người gọi; bỏ trống là đơn vị của người gọi.",
            example = "vinh-linh"),
        ("month" = String, Query, pattern = "^(19[0-9]{2}|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-(0[1-9]|1[0-2])$",
            description = "Tháng, dạng YYYY-MM.", example = "2024-05"),
    ),
    responses(
        (status = 200, description = "Các chỉ số của tháng.", body = IndicatorReport),
        (status = 400, description = "Thiếu hoặc sai tham số month, hay một tham số lặp lại.", body = ErrorBody),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Vai trò không được xem chỉ số.", body = ErrorBody),
        (status = 404, description = "Không có đơn vị mã này, hoặc đơn vị ngoài phạm vi của người gọi (cùng một câu trả lời).", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])),
)]
pub async fn api_indicators(
    State(state): State<AppState>,
    authed: Authed,
    ApiQuery(q): ApiQuery<IndicatorQuery>,
) -> Result<Response, WebError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(q.unit.as_deref())?;
    authed.check(&tree, Action::ViewIndicators, &unit)?;
    let month = parse_month(
        q.month
            .as_deref()
            .ok_or_else(|| WebError::BadRequest("thiếu tham số month (YYYY-MM)".to_owned()))?,
    )?;
    let mut report =
        motcua_app::indicators_with(&state.store, tree.catalogue(), unit.as_str(), month).await?;
    if let Some(closed) = report.closed.as_mut() {
        // Who closed the month: by full name, and to principals of the root unit only.
        let actor = closed.by.take().unwrap_or_default();
        if authed.is_root(&tree) {
            closed.by = super::months::closer_name(&state.store, &actor).await?;
        }
    }
    Ok(Json(report).into_response())
}
