//! Request handlers: parse, call the application services, answer.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitTree;
use motcua_store::Store;
use serde::Deserialize;

use crate::view::DashboardPage;
use crate::{AppState, WebError};

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

/// The query of indicator requests: a unit code and a month, both optional on pages.
#[derive(Debug, Deserialize)]
pub struct IndicatorQuery {
    pub unit: Option<String>,
    pub month: Option<String>,
}

fn parse_month(text: &str) -> Result<Month, WebError> {
    text.parse::<Month>()
        .map_err(|e| WebError::BadRequest(e.to_string()))
}

/// `GET /api/indicators?unit=CODE&month=YYYY-MM`: the JSON of spec/indicators.md.
pub async fn api_indicators<S: Store>(
    State(state): State<AppState<S>>,
    Query(q): Query<IndicatorQuery>,
) -> Result<Response, WebError> {
    let unit = q
        .unit
        .ok_or_else(|| WebError::BadRequest("thiếu tham số unit (mã đơn vị)".to_owned()))?;
    let month = parse_month(
        q.month
            .as_deref()
            .ok_or_else(|| WebError::BadRequest("thiếu tham số month (YYYY-MM)".to_owned()))?,
    )?;
    let report = motcua_app::indicators(&state.store, &unit, month).await?;
    Ok(Json(report).into_response())
}

/// `GET /?unit=CODE&month=YYYY-MM`: the indicator dashboard; defaults to the root unit and
/// the month of the latest dossier.
pub async fn dashboard<S: Store>(
    State(state): State<AppState<S>>,
    Query(q): Query<IndicatorQuery>,
) -> Result<Response, WebError> {
    let tree = UnitTree::new(
        state
            .store
            .units()
            .await
            .map_err(motcua_app::AppError::from)?,
    )
    .map_err(motcua_app::AppError::from)?;
    let Some(root) = tree.root() else {
        return Ok(Html(crate::view::empty_page()?).into_response());
    };
    let unit = q.unit.unwrap_or_else(|| root.code.to_string());
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
                None => return Ok(Html(crate::view::empty_page()?).into_response()),
            }
        }
    };
    let report = motcua_app::indicators(&state.store, &unit, month).await?;
    let page = DashboardPage::new(&tree, &report);
    Ok(Html(page.render()?).into_response())
}

/// `GET /api/calendar/{year}`: the schedule in force for a year (days off, make-up days,
/// source, provisional flag), in the JSON that `motcua calendar set` accepts.
pub async fn api_calendar<S: Store>(
    State(state): State<AppState<S>>,
    Path(year): Path<String>,
) -> Result<Response, WebError> {
    let year: i32 = year
        .parse()
        .ok()
        .filter(|y| motcua_app::calendar::YEARS.contains(y))
        .ok_or_else(|| WebError::BadRequest(format!("năm không hợp lệ: «{year}»")))?;
    let calendars = motcua_app::calendar::load(&state.store).await?;
    let json = calendars
        .schedule(year)?
        .to_json()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(Json(value).into_response())
}

/// Anything else.
pub async fn not_found() -> WebError {
    WebError::NotFound("không tìm thấy trang".to_owned())
}
