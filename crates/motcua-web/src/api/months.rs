//! Month close (chốt số liệu) over the API: close a month, list the closed months. Who closed
//! a month is shown by the account's full name, and only to principals of the root unit (who
//! may close months themselves); no login ever leaves the server.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use motcua_core::Timestamp;
use motcua_core::access::{Action, Username};
use motcua_core::close::MonthClose;
use motcua_store::SqlStore;
use serde::Serialize;

use crate::authed::CSRF_HEADER;
use crate::catalogue::tree;
use crate::error::ErrorBody;
use crate::extract::{ApiPath, parse_month};
use crate::{AppState, Authed, WebError};

/// A closed month as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClosedMonth {
    /// The month, `YYYY-MM`.
    #[schema(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$", example = "2024-05")]
    pub month: String,
    /// When it was closed.
    pub closed_at: Timestamp,
    /// Who closed it: the account's full name (họ tên), or «Quản trị hệ thống (dòng lệnh)»
    /// for a close made on the command line. Only principals of the root unit see it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<String>,
}

/// The full name behind an audit actor: the account's display name for `user:NAME`, the
/// command line for `cli:…`; nothing for anything else (an account since removed…).
pub(crate) async fn closer_name(store: &SqlStore, actor: &str) -> Result<Option<String>, WebError> {
    if actor.starts_with("cli:") {
        return Ok(Some("Quản trị hệ thống (dòng lệnh)".to_owned()));
    }
    let Some(name) = actor
        .strip_prefix("user:")
        .and_then(|n| Username::parse(n).ok())
    else {
        return Ok(None);
    };
    let user = store
        .user_by_name(&name)
        .await
        .map_err(motcua_app::AppError::from)?;
    Ok(user.map(|(u, _)| u.display_name))
}

/// The API's view of a close: the name of who closed it only when `show_who`.
async fn closed_month(
    store: &SqlStore,
    close: &MonthClose,
    show_who: bool,
) -> Result<ClosedMonth, WebError> {
    Ok(ClosedMonth {
        month: close.month.to_string(),
        closed_at: close.closed_at,
        closed_by: if show_who {
            closer_name(store, &close.actor).await?
        } else {
            None
        },
    })
}

/// `POST /api/months/{month}/close`: closes a month (chốt số liệu): freezes the indicators
/// of every unit for it. Leaders and administrators of the root unit only: the close spans
/// every unit.
#[utoipa::path(
    post,
    path = "/api/months/{month}/close",
    tag = "Chỉ số",
    summary = "Chốt số liệu của một tháng",
    description = "Chốt số liệu tháng (chỉ lãnh đạo, quản trị của đơn vị gốc: việc chốt áp dụng \
        cho mọi đơn vị). Số liệu của mọi đơn vị trong tháng được giữ nguyên như lúc chốt; hồ sơ \
        của tháng vẫn được sửa sau đó, và chỉ số của tháng hiển thị phần chênh lệch trong khóa \
        `closed`. Chỉ chốt được tháng đã kết thúc, và mỗi tháng chỉ chốt một lần.",
    params(("month" = String, Path, pattern = "^(19[0-9]{2}|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-(0[1-9]|1[0-2])$",
        description = "Tháng, dạng YYYY-MM.", example = "2024-05")),
    responses(
        (status = 201, description = "Đã chốt số liệu tháng.", body = ClosedMonth),
        (status = 400, description = "Tháng sai dạng, hoặc chưa kết thúc.", body = ErrorBody),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Người gọi thuộc đơn vị gốc nhưng không phải lãnh đạo, quản trị (mã truy cập không chốt được số liệu), hoặc thiếu mã chống giả mạo (phiên đăng nhập).", body = ErrorBody),
        (status = 404, description = "Người gọi không thuộc đơn vị gốc: với họ, thao tác này không có.", body = ErrorBody),
        (status = 409, description = "Tháng đã được chốt số liệu.", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [], "csrf" = [])),
)]
pub async fn api_close_month(
    State(state): State<AppState>,
    authed: Authed,
    ApiPath(month): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let tree = tree(&state.store).await?;
    authed.check_root(&tree, Action::CloseMonth)?;
    authed.check_csrf(headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()))?;
    let month = parse_month(&month)?;
    let close = motcua_app::close_month(&state.store, month, &authed.ctx()).await?;
    let answer = closed_month(&state.store, &close, true).await?;
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// `GET /api/months/closed`: the closed months, oldest first (the same for every unit).
#[utoipa::path(
    get,
    path = "/api/months/closed",
    tag = "Chỉ số",
    summary = "Các tháng đã chốt số liệu",
    description = "Các tháng đã chốt số liệu (chung cho mọi đơn vị), tháng cũ trước: tháng và thời \
        điểm chốt; người chốt (họ tên) chỉ hiện với người gọi thuộc đơn vị gốc.",
    responses(
        (status = 200, description = "Các tháng đã chốt.", body = Vec<ClosedMonth>),
        (status = 401, description = "Chưa đăng nhập hoặc mã truy cập không hợp lệ.", body = ErrorBody),
        (status = 403, description = "Vai trò không được xem chỉ số.", body = ErrorBody),
        (status = 500, description = "Lỗi hệ thống.", body = ErrorBody),
    ),
    security(("bearer" = []), ("session" = [])),
)]
pub async fn api_closed_months(
    State(state): State<AppState>,
    authed: Authed,
) -> Result<Response, WebError> {
    authed.check_action(Action::ViewIndicators)?;
    let tree = tree(&state.store).await?;
    let show_who = authed.is_root(&tree);
    let mut answer = Vec::new();
    for close in motcua_app::month_closes(&state.store).await? {
        answer.push(closed_month(&state.store, &close, show_who).await?);
    }
    Ok(Json(answer).into_response())
}
