//! The OpenAPI 3.1 document of the JSON API, served at `GET /api/openapi.json`.
//!
//! Each API handler carries its own `#[utoipa::path]` (summary, parameters, body, answers and
//! error statuses, security); [`ApiDoc`] lists them once, and the schemas of the bodies are
//! derived from the very types that are serialized (`utoipa::ToSchema`, behind the `openapi`
//! feature of `motcua-core`, `motcua-calendar` and `motcua-app`). `tests/openapi.rs` fails
//! when a route of [`crate::routes`] under `/api/` is missing here, so a new API route must be
//! added to the `paths(...)` list below.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{calendar, dossiers, indicators, months, receipts};
use crate::WebError;
use crate::authed::SESSION_COOKIE;

/// The JSON API's document. `paths(...)` names every API handler.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "motcua — API bộ phận một cửa",
        description = "API JSON của motcua: tiếp nhận và xử lý hồ sơ thủ tục hành chính, lịch làm \
            việc, chỉ số phục vụ. Xác thực bằng mã truy cập (`Authorization: Bearer mc_…`) hoặc \
            phiên đăng nhập (cookie `motcua_session`; mọi yêu cầu ghi của phiên phải gửi kèm \
            `X-CSRF-Token`). Lỗi trả về `{\"error\": \"…\"}` bằng tiếng Việt.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    paths(
        openapi_json,
        indicators::api_indicators,
        calendar::api_calendar,
        calendar::api_set_calendar,
        months::api_close_month,
        months::api_closed_months,
        dossiers::receive,
        dossiers::get,
        dossiers::step,
        dossiers::scan,
        receipts::payment,
        receipts::issue_receipt,
        receipts::receipt,
    ),
    modifiers(&SecuritySchemes),
    tags(
        (name = "Hồ sơ", description = "Tiếp nhận, xem và xử lý hồ sơ."),
        (name = "Lịch làm việc", description = "Ngày nghỉ, ngày làm bù dùng để tính ngày hẹn trả."),
        (name = "Chỉ số", description = "Chỉ số phục vụ người dân, doanh nghiệp theo tháng."),
        (name = "Tài liệu", description = "Tài liệu OpenAPI này."),
    ),
)]
pub struct ApiDoc;

/// The names the operations' `security(...)` refer to.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("mc_…")
                    .description(Some(
                        "Mã truy cập API (bắt đầu bằng `mc_`) do quản trị cấp bằng `motcua token add`; \
                         thuộc một đơn vị và chỉ với tới đơn vị đó và cấp dưới. Không cần mã chống giả mạo.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "Phiên đăng nhập của cán bộ (cookie HttpOnly, SameSite=Strict) do trang /login cấp.",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "Mã chống giả mạo của phiên đăng nhập; bắt buộc cùng cookie phiên cho mọi yêu cầu ghi \
                 (POST, PUT). Không dùng với mã truy cập.",
            ))),
        );
    }
}

/// `GET /api/openapi.json`: this document (public: it describes the API, not any unit's data).
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "Tài liệu",
    summary = "Tài liệu OpenAPI 3.1 của API",
    description = "Không cần đăng nhập.",
    responses(
        (status = 200, description = "Tài liệu OpenAPI.", content_type = "application/json",
            body = Object),
    ),
    security(()),
)]
pub async fn openapi_json() -> Result<Response, WebError> {
    let json = ApiDoc::openapi()
        .to_json()
        .map_err(|e| WebError::Internal(format!("OpenAPI: {e}")))?;
    let mut response = json.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}
