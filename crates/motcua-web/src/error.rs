//! [`WebError`]: every failure of a request, mapped to a status in one match; as JSON for the
//! API, as a page ([`PageError`]) for people. Error pages are pages of the app: the
//! `error_page` layer gives them the header and menu of a signed-in officer, and an
//! unknown address outside `/api/` answers such a page too.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_core::access::Denied;
use motcua_core::close::CloseError;
use motcua_core::display::capitalise;

/// The JSON body of every failed API request.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in Vietnamese, without internal details.
    pub error: String,
}

/// A failed request. The message shown is Vietnamese and never carries internals.
#[derive(Debug, Clone, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    BadRequest(String),
    #[error("chưa đăng nhập hoặc phiên làm việc đã hết hạn")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// An upload over the size limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("quá nhiều lần đăng nhập từ địa chỉ này; vui lòng thử lại sau ít phút")]
    TooManyRequests,
    #[error("lỗi hệ thống, vui lòng thử lại sau")]
    Internal(String),
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Unauthorized => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            WebError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn log(&self) {
        if let WebError::Internal(detail) = self {
            tracing::error!(%detail, "request failed");
        }
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::UnknownUnit(code) => unknown_unit(&code),
            AppError::UnknownDossier(code) => {
                WebError::NotFound(format!("không có hồ sơ mã «{code}»"))
            }
            AppError::UnknownSubmission(_) => WebError::NotFound(e.to_string()),
            AppError::Incomplete(_) => WebError::BadRequest(e.to_string()),
            AppError::Denied(d) => d.into(),
            AppError::Refused(m) => WebError::Conflict(m),
            // Without the actor the core's sentence names: no login leaves the server.
            AppError::Close(CloseError::AlreadyClosed(c)) => WebError::Conflict(format!(
                "Tháng {} đã được chốt số liệu ngày {}; số liệu đã chốt không thay đổi, mọi thay đổi sau đó được hiển thị là chênh lệch",
                motcua_core::close::month_vi(c.month),
                motcua_core::close::date_vi(c.closed_at)
            )),
            AppError::Close(e @ CloseError::NotEnded(_)) => WebError::BadRequest(e.to_string()),
            AppError::Invalid(_)
            | AppError::NotADirectory(_)
            | AppError::NothingToImport(_)
            | AppError::Auth(_)
            | AppError::Calendar(_) => WebError::BadRequest(e.to_string()),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<Denied> for WebError {
    /// Outside the principal's subtree a unit reads as one that does not exist (404, the
    /// same words), whatever the role: codes are easy to enumerate, and a different answer
    /// would tell which exist. Inside it, an action the role may not take is forbidden.
    fn from(e: Denied) -> Self {
        match e {
            Denied::Scope(unit) => unknown_unit(&unit),
            Denied::Action => WebError::Forbidden(e.to_string()),
        }
    }
}

/// The answer about a unit that does not exist, or lies outside the caller's subtree.
pub(crate) fn unknown_unit(code: &str) -> WebError {
    WebError::NotFound(format!("không có đơn vị mã «{code}»"))
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.log();
        let mut response = (
            self.status(),
            axum::Json(ErrorBody {
                error: self.to_string(),
            }),
        )
            .into_response();
        if matches!(self, WebError::Unauthorized) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// A failed page request: the same errors, shown as a page; a visitor who is not signed in
/// is sent to the sign-in page.
#[derive(Debug)]
pub struct PageError(pub WebError);

impl<E: Into<WebError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

#[derive(askama::Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    /// The signed-in officer's header, when there is one.
    pub(crate) nav: Option<crate::view::Nav>,
    pub(crate) title: &'static str,
    pub(crate) message: String,
}

/// What an error page says: kept on the response so that `error_page::layer` can add the
/// header of the officer who asked.
#[derive(Debug, Clone)]
pub(crate) struct ErrorPageText {
    pub(crate) title: &'static str,
    pub(crate) message: String,
}

pub(crate) fn render(status: StatusCode, page: &ErrorPage) -> Response {
    match askama::Template::render(page) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, page.message.clone()).into_response(),
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        e.log();
        if matches!(e, WebError::Unauthorized) {
            return Redirect::to("/login").into_response();
        }
        let status = e.status();
        let text = ErrorPageText {
            title: match status {
                StatusCode::FORBIDDEN => "Không có quyền truy cập",
                StatusCode::NOT_FOUND => "Không tìm thấy",
                StatusCode::BAD_REQUEST => "Yêu cầu không hợp lệ",
                StatusCode::CONFLICT => "Không thực hiện được",
                StatusCode::TOO_MANY_REQUESTS => "Tạm thời bị từ chối",
                StatusCode::PAYLOAD_TOO_LARGE => "Tệp quá lớn",
                _ => "Lỗi hệ thống",
            },
            message: capitalise(&e.to_string()),
        };
        let mut response = render(
            status,
            &ErrorPage {
                nav: None,
                title: text.title,
                message: text.message.clone(),
            },
        );
        response.extensions_mut().insert(text);
        response
    }
}
