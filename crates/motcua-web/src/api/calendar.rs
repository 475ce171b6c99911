//! The working-day calendar of a year: `GET` and `PUT /api/calendar/{year}`.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use motcua_calendar::Schedule;
use motcua_core::Timestamp;
use motcua_core::access::Action;
use motcua_core::dossier::DossierCode;
use serde::Serialize;

use crate::authed::CSRF_HEADER;
use crate::catalogue::tree;
use crate::error::ErrorBody;
use crate::extract::{ApiBody, ApiPath};
use crate::{AppState, Authed, WebError};

/// A year of the calendar, four digits within [`motcua_app::calendar::YEARS`].
fn parse_year(text: &str) -> Result<i32, WebError> {
    Some(text)
        .filter(|t| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse().ok())
        .filter(|y| motcua_app::calendar::YEARS.contains(y))
        .ok_or_else(|| WebError::BadRequest(format!("năm không hợp lệ: «{text}»")))
}

/// `GET /api/calendar/{year}`: the schedule in force for a year (days off, make-up days,
/// source, provisional flag), in the JSON that `PUT` and `motcua calendar set` accept.
#[utoipa::path(
    get,
    path = "/api/calendar/{year}",
    tag = "Lịch làm việc",
    summary = "Lịch nghỉ, làm bù của một năm",
    description = "Lịch đang áp dụng của năm (chung cho mọi đơn vị): các ngày nghỉ, ngày làm bù, \
        căn cứ và cờ `provisional` khi lịch được suy ra từ Bộ luật Lao động. Cùng dạng JSON mà \
        `PUT` nhận.",
    params(("year" = i32, Path, minimum = 1990, maximum = 2100, description = "Năm dương lịch.", example = 2024)),
    responses(
        (status = 200, description = "Lịch của năm.", body = Schedule),
        (status = 400, description = "Năm không hợp lệ hoặc ngoài khoảng hỗ trợ.", body = ErrorBody),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Vai trò không được xem lịch.", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])),
)]
pub async fn api_calendar(
    State(state): State<AppState>,
    authed: Authed,
    ApiPath(year): ApiPath<String>,
) -> Result<Response, WebError> {
    authed.check_action(Action::ViewCalendar)?;
    let year = parse_year(&year)?;
    let calendars = motcua_app::calendar::load(&state.store).await?;
    let json = calendars
        .schedule(year)?
        .to_json()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(Json(value).into_response())
}

/// The answer of `PUT /api/calendar/{year}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarChange {
    pub year: i32,
    /// The open dossiers whose appointment moved.
    pub moved: Vec<MovedDue>,
}

/// An appointment moved by a calendar change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MovedDue {
    pub code: DossierCode,
    pub before: Timestamp,
    pub after: Timestamp,
}

/// `PUT /api/calendar/{year}`: replaces a year's schedule (administrators of the root unit:
/// the calendar is the same for every unit) and re-plans the open dossiers; answers with
/// the dossiers whose due date moved.
#[utoipa::path(
    put,
    path = "/api/calendar/{year}",
    tag = "Lịch làm việc",
    summary = "Thay lịch nghỉ, làm bù của một năm",
    description = "Thay lịch của năm (chỉ quản trị của đơn vị gốc: lịch chung cho mọi đơn vị) và \
        tính lại ngày hẹn trả của các hồ sơ đang giải quyết mà ngày hẹn do lịch cũ tính ra; trả \
        về các hồ sơ được dời ngày hẹn.",
    params(("year" = i32, Path, minimum = 1990, maximum = 2100, description = "Năm dương lịch; phải trùng trường `year` của lịch gửi lên.", example = 2024)),
    request_body(content = Schedule, content_type = "application/json",
        description = "Lịch của năm, cùng dạng JSON mà `GET` trả về."),
    responses(
        (status = 200, description = "Đã thay lịch; các hồ sơ được dời ngày hẹn.", body = CalendarChange),
        (status = 400, description = "Năm không hợp lệ, nội dung không phải UTF-8, lịch sai dạng hoặc trái quy tắc, hay lịch của năm khác.", body = ErrorBody),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Thuộc đơn vị gốc nhưng không phải quản trị (mã truy cập không sửa được lịch), hoặc thiếu mã chống giả mạo (phiên đăng nhập).", body = ErrorBody),
        (status = 404, description = "Người gọi không thuộc đơn vị gốc: với họ, thao tác này không có.", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [], "csrf" = [])),
)]
pub async fn api_set_calendar(
    State(state): State<AppState>,
    authed: Authed,
    ApiPath(year): ApiPath<String>,
    headers: HeaderMap,
    ApiBody(body): ApiBody,
) -> Result<Response, WebError> {
    let tree = tree(&state.store).await?;
    authed.check_root(&tree, Action::EditCalendar)?;
    authed.check_csrf(headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()))?;
    let year = parse_year(&year)?;
    let schedule = Schedule::from_json(&body)
        .map_err(|e| WebError::BadRequest(format!("lịch không hợp lệ: {e}")))?;
    if schedule.year != year {
        return Err(WebError::BadRequest(format!(
            "lịch gửi lên là của năm {}, không phải năm {year}",
            schedule.year
        )));
    }
    let moves = motcua_app::calendar::set_schedule(&state.store, schedule, &authed.ctx()).await?;
    let moved = moves
        .into_iter()
        .map(|m| MovedDue {
            code: m.code,
            before: m.before,
            after: m.after,
        })
        .collect();
    Ok(Json(CalendarChange { year, moved }).into_response())
}
