//! Request handlers of the dashboard and the API: identify, check, call the application
//! services, answer.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use motcua_calendar::Schedule;
use motcua_core::Timestamp;
use motcua_core::access::Action;
use motcua_core::dossier::DossierCode;
use motcua_core::indicators::IndicatorReport;
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitTree;
use motcua_store::Store;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorBody, PageError};
use crate::extract::{ApiBody, ApiPath, ApiQuery};
use crate::view::{DashboardPage, Nav};
use crate::{AppState, Authed, WebError};

/// `GET /health`: 200 when the database answers, 503 otherwise.
pub async fn health<S: Store>(State(state): State<AppState<S>>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ok", "database": "ok" })).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" })),
            )
                .into_response()
        }
    }
}

/// The query of indicator requests: a unit code and a month, both optional.
#[derive(Debug, Deserialize)]
pub struct IndicatorQuery {
    pub unit: Option<String>,
    pub month: Option<String>,
    /// The dashboard's unit table: rank the units by this indicator (contract id).
    pub sort: Option<String>,
}

/// A month as the API documents it, `YYYY-MM` exactly: the pattern
/// `^(19[0-9]{2}|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-(0[1-9]|1[0-2])$`, years
/// 1900–9998 (those of [`Month`]); nothing around it, no sign.
pub(crate) fn parse_month(text: &str) -> Result<Month, WebError> {
    let b = text.as_bytes();
    let shaped = b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit());
    if !shaped {
        let e = motcua_core::timestamp::MonthError(text.to_owned());
        return Err(WebError::BadRequest(e.to_string()));
    }
    text.parse::<Month>()
        .map_err(|e| WebError::BadRequest(e.to_string()))
}

/// The unit tree, as stored: the catalogue's, shared until the catalogue changes.
pub(crate) async fn tree<S: Store>(store: &S) -> Result<Tree, WebError> {
    let catalogue = store
        .catalogue()
        .await
        .map_err(motcua_app::AppError::from)?;
    Ok(Tree(catalogue))
}

/// The unit tree of a shared catalogue.
pub(crate) struct Tree(std::sync::Arc<motcua_core::catalogue::Catalogue>);

impl Tree {
    /// The whole catalogue, for the app calls that take it.
    pub(crate) fn catalogue(&self) -> &motcua_core::catalogue::Catalogue {
        &self.0
    }
}

impl std::ops::Deref for Tree {
    type Target = UnitTree;

    fn deref(&self) -> &UnitTree {
        &self.0.tree
    }
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
pub async fn api_indicators<S: Store>(
    State(state): State<AppState<S>>,
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
            closed.by = crate::months::closer_name(&state.store, &actor).await?;
        }
    }
    Ok(Json(report).into_response())
}

/// `GET /?unit=CODE&month=YYYY-MM`: the indicator dashboard; defaults to the caller's unit
/// and the month of the latest dossier.
pub async fn dashboard<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Query(q): Query<IndicatorQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(q.unit.as_deref())?;
    authed.check(&tree, Action::ViewIndicators, &unit)?;
    let nav = Nav::new(&authed, &tree);
    let month = match q.month.as_deref().filter(|m| !m.is_empty()) {
        Some(m) => parse_month(m)?,
        None => {
            let last = state
                .store
                .last_received_at()
                .await
                .map_err(motcua_app::AppError::from)?;
            match last {
                Some(t) => {
                    let d = t.local_date();
                    Month::new(d.year(), d.month() as u8)
                        .map_err(|e| WebError::Internal(e.to_string()))?
                }
                None => return Ok(Html(crate::view::empty_page(nav)?).into_response()),
            }
        }
    };
    let report =
        motcua_app::indicators_with(&state.store, tree.catalogue(), unit.as_str(), month).await?;
    let sort =
        match q.sort.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(id) => Some(motcua_core::rates::RateId::from_id(id).ok_or_else(|| {
                WebError::BadRequest(format!("không có chỉ số «{id}» để xếp hạng"))
            })?),
        };
    let trend =
        motcua_app::trend_with(&state.store, tree.catalogue(), unit.as_str(), month, 12).await?;
    let may_follow_up = authed.principal.may(Action::FollowUp);
    let targets = motcua_app::targets(&state.store).await?;
    let options = crate::view::DashboardOptions {
        sort,
        trend: &trend,
        may_follow_up,
        targets: &targets,
    };
    let page = DashboardPage::new(&tree, &authed.principal.unit, &report, nav, &options);
    Ok(Html(page.render()?).into_response())
}

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
pub async fn api_calendar<S: Store>(
    State(state): State<AppState<S>>,
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

/// The header a signed-in browser's script sends its session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

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
pub async fn api_set_calendar<S: Store>(
    State(state): State<AppState<S>>,
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

/// Anything else.
pub async fn not_found() -> WebError {
    crate::authed::not_found()
}
