//! The monthly report for download (`docs/spec/report.md`): `GET /report?unit=&month=&format=`
//! as text, HTML, DOCX or XLSX (all rendered by `motcua-report`), for a unit inside the
//! caller's scope.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use motcua_core::access::Action;
use serde::Deserialize;

use crate::catalogue::tree;
use crate::error::PageError;
use crate::extract::parse_month;
use crate::{AppState, Authed, WebError};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    unit: String,
    month: String,
    format: String,
}

/// `GET /report?unit=CODE&month=YYYY-MM&format=text|html|docx|xlsx`.
pub async fn report(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::ViewIndicators, &unit)?;
    let month = parse_month(&q.month)?;
    let (_, narrative) =
        motcua_app::monthly_report(&state.store, unit.as_str(), month, authed.at).await?;
    let name = format!("bao-cao-{unit}-{month}");
    let (body, content_type, file): (Vec<u8>, &str, Option<String>) = match q.format.as_str() {
        "" | "html" => (
            motcua_report::html(&narrative)
                .map_err(|e| WebError::Internal(e.to_string()))?
                .into_bytes(),
            "text/html; charset=utf-8",
            None,
        ),
        "text" => (
            narrative.to_text().into_bytes(),
            "text/plain; charset=utf-8",
            Some(format!("{name}.txt")),
        ),
        "docx" | "xlsx" => {
            let xlsx = q.format == "xlsx";
            let bytes =
                motcua_app::report_file(&state.store, unit.as_str(), month, xlsx, authed.at)
                    .await?;
            let (content_type, ext) = if xlsx {
                (
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "xlsx",
                )
            } else {
                (
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "docx",
                )
            };
            (bytes, content_type, Some(format!("{name}.{ext}")))
        }
        other => {
            return Err(WebError::BadRequest(format!(
                "định dạng báo cáo không hợp lệ «{other}»: chọn html, text, docx hoặc xlsx"
            ))
            .into());
        }
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Some(file) = file
        && let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
