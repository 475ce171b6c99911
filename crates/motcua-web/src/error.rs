//! [`WebError`]: every failure of a request, mapped to a status in one match.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use motcua_app::AppError;

/// A failed request. The message shown is Vietnamese and never carries internals.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("lỗi hệ thống, vui lòng thử lại sau")]
    Internal(String),
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::UnknownUnit(code) => {
                WebError::NotFound(format!("không có đơn vị mã «{code}»"))
            }
            AppError::Invalid(_) | AppError::NotADirectory(_) | AppError::NothingToImport(_) => {
                WebError::BadRequest(e.to_string())
            }
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let body = serde_json::json!({ "error": self.to_string() });
        (status, axum::Json(body)).into_response()
    }
}
