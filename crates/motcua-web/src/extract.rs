//! The API's extractors: axum's own (`Query`, `Path`, `String`, `Multipart`), whose refusals
//! become [`WebError`]s, i.e. the documented JSON error body with a Vietnamese message, and
//! [`parse_json`] for the bodies the handlers read as text (the Idempotency-Key needs the
//! body as sent). Whatever still leaves the API as something other than JSON (a method the
//! route does not take, a body over the router's limit) is rewritten by [`json_errors`].

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde::de::DeserializeOwned;

use crate::{ErrorBody, WebError};

/// The innermost cause of an error: the deserializer's own sentence.
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    vi_serde(&cause.to_string())
}

/// `a` → «a»: serde's quotes as Vietnamese text has them.
fn guillemets(text: &str) -> String {
    let mut open = true;
    text.chars()
        .map(|c| match c {
            '`' => {
                open = !open;
                if open { '»' } else { '«' }
            }
            c => c,
        })
        .collect()
}

/// The usual sentences of serde's deserializers, in Vietnamese; anything else as it is.
pub(crate) fn vi_serde(text: &str) -> String {
    if let Some(f) = text.strip_prefix("duplicate field ") {
        return format!("trường {} xuất hiện hơn một lần", guillemets(f));
    }
    if let Some(f) = text.strip_prefix("missing field ") {
        return format!("thiếu trường {}", guillemets(f));
    }
    if let Some(rest) = text.strip_prefix("unknown field ") {
        let f = rest.split_once(", expected ").map_or(rest, |(f, _)| f);
        return format!("không có trường {}", guillemets(f));
    }
    if let Some(rest) = text.strip_prefix("unknown variant ") {
        let (value, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = expected.strip_prefix("one of ").unwrap_or(expected);
        return format!(
            "giá trị {} không hợp lệ; cần một trong: {}",
            guillemets(value),
            guillemets(expected).replace(" or ", ", ")
        );
    }
    if let Some(rest) = text.strip_prefix("invalid type: ") {
        return match rest.split_once(", expected ") {
            Some((got, want)) => format!("sai kiểu dữ liệu: nhận {got}, cần {want}"),
            None => format!("sai kiểu dữ liệu: {rest}"),
        };
    }
    if let Some(rest) = text.strip_prefix("invalid value: ") {
        return match rest.split_once(", expected ") {
            Some((got, want)) => format!("giá trị không hợp lệ: nhận {got}, cần {want}"),
            None => format!("giá trị không hợp lệ: {rest}"),
        };
    }
    if let Some(rest) = text.strip_prefix("Invalid UTF-8 in ") {
        return format!("{} không phải văn bản UTF-8", guillemets(rest));
    }
    if text.starts_with("EOF while parsing") {
        return "nội dung bị cắt cụt".to_owned();
    }
    if text.starts_with("expected value") {
        return "không phải JSON".to_owned();
    }
    if text.starts_with("trailing characters") {
        return "còn ký tự thừa sau giá trị JSON".to_owned();
    }
    text.to_owned()
}

/// Parses a JSON body; the refusal says where (the field's path, line and column) and why.
pub(crate) fn parse_json<T: DeserializeOwned>(body: &str) -> Result<T, WebError> {
    let refusal = |path: &str, e: serde_json::Error| {
        let at = if path == "." {
            String::new()
        } else {
            format!(" ở trường «{path}»")
        };
        // A value read back from serde's buffer (a tagged enum) has no position: say none
        // rather than "dòng 0".
        let position = if e.line() == 0 {
            String::new()
        } else {
            format!(" (dòng {}, cột {})", e.line(), e.column())
        };
        WebError::BadRequest(format!(
            "nội dung JSON không hợp lệ{at}{position}: {}",
            vi_serde(&strip_position(&e.to_string()))
        ))
    };
    let strict = || -> Result<T, WebError> {
        let de = &mut serde_json::Deserializer::from_str(body);
        let value: T = serde_path_to_error::deserialize(&mut *de)
            .map_err(|e| refusal(&e.path().to_string(), e.into_inner()))?;
        // Nothing but white space may follow the value.
        de.end().map_err(|e| refusal(".", e))?;
        Ok(value)
    };
    strict().or_else(|refused| {
        // A whole number written with a fraction (`2.0`) is an integer to JSON Schema, so
        // the document allows it where it says `integer`: read it as one.
        let mut value: serde_json::Value =
            serde_json::from_str(body).map_err(|_| refused.clone())?;
        if !integral(&mut value) {
            return Err(refused);
        }
        T::deserialize(value).map_err(|_| refused)
    })
}

/// Turns the whole numbers written with a fraction (`2.0`) into integers; whether any was.
fn integral(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0) else {
                return false;
            };
            // Within the range where every whole f64 converts exactly.
            let whole = if (-9_007_199_254_740_992.0..=9_007_199_254_740_992.0).contains(&f) {
                #[allow(clippy::cast_possible_truncation)]
                Some(serde_json::Number::from(f as i64))
            } else {
                None
            };
            match whole {
                Some(w) => {
                    *n = w;
                    true
                }
                None => false,
            }
        }
        // Every one is turned, so no stopping at the first.
        Value::Array(items) => {
            items
                .iter_mut()
                .map(integral)
                .filter(|turned| *turned)
                .count()
                > 0
        }
        Value::Object(map) => {
            map.values_mut()
                .map(integral)
                .filter(|turned| *turned)
                .count()
                > 0
        }
        _ => false,
    }
}

/// serde_json's message without its trailing ` at line L column C`.
fn strip_position(text: &str) -> String {
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text.to_owned(),
    }
}

/// `Query<T>` with a JSON refusal.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(e) => Err(WebError::BadRequest(format!(
                "tham số truy vấn không hợp lệ: {}",
                innermost(&e)
            ))),
        }
    }
}

/// `Path<T>` with a JSON refusal (a segment that is not UTF-8 once percent-decoded).
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(e) if e.status().is_server_error() => Err(WebError::Internal(e.body_text())),
            Err(e) => Err(WebError::BadRequest(format!(
                "đường dẫn không hợp lệ: {}",
                innermost(&e)
            ))),
        }
    }
}

fn body_refused(status: StatusCode) -> WebError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::PayloadTooLarge("nội dung yêu cầu vượt giới hạn cho phép".to_owned())
    } else {
        WebError::BadRequest("nội dung yêu cầu không đọc được (phải là văn bản UTF-8)".to_owned())
    }
}

/// The body as text (`String`), with a JSON refusal for bytes that are not UTF-8.
pub struct ApiBody(pub String);

impl<S: Send + Sync> FromRequest<S> for ApiBody {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        String::from_request(req, state)
            .await
            .map(ApiBody)
            .map_err(|e| body_refused(e.status()))
    }
}

/// `Multipart` with a JSON refusal (not `multipart/form-data`, no boundary).
pub struct ApiMultipart(pub Multipart);

impl<S: Send + Sync> FromRequest<S> for ApiMultipart {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        Multipart::from_request(req, state)
            .await
            .map(ApiMultipart)
            .map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    body_refused(e.status())
                } else {
                    WebError::BadRequest(
                        "nội dung phải là biểu mẫu multipart/form-data có boundary".to_owned(),
                    )
                }
            })
    }
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Every failed answer under `/api/` is the JSON [`ErrorBody`]: what axum answers on its own
/// (a method the route does not take, a body over the size limit…) is rewritten, keeping
/// its status and headers (`Allow` on a 405).
pub(crate) async fn json_errors(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    if !api || !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let error = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            "đường dẫn này không nhận phương thức HTTP này (xem tiêu đề Allow)"
        }
        StatusCode::PAYLOAD_TOO_LARGE => "nội dung yêu cầu vượt giới hạn cho phép",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "kiểu nội dung (Content-Type) không được nhận",
        StatusCode::NOT_FOUND => "không tìm thấy",
        StatusCode::FORBIDDEN => "yêu cầu bị từ chối",
        s if s.is_server_error() => "lỗi hệ thống, vui lòng thử lại sau",
        _ => "yêu cầu không hợp lệ",
    };
    let (mut parts, _) = response.into_parts();
    let body = serde_json::to_vec(&ErrorBody {
        error: error.to_owned(),
    })
    .unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(body))
}

/// A month as the API documents it, `YYYY-MM` exactly: the pattern
/// `^(19[0-9]{2}|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-(0[1-9]|1[0-2])$`, years
/// 1900–9998 (those of [`Month`]); nothing around it, no sign.
pub(crate) fn parse_month(text: &str) -> Result<motcua_core::timestamp::Month, WebError> {
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
    text.parse::<motcua_core::timestamp::Month>()
        .map_err(|e| WebError::BadRequest(e.to_string()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn serde_sentences_read_in_vietnamese() {
        assert_eq!(
            vi_serde("duplicate field `month`"),
            "trường «month» xuất hiện hơn một lần"
        );
        assert_eq!(vi_serde("missing field `step`"), "thiếu trường «step»");
        assert_eq!(
            vi_serde("unknown variant `fly`, expected one of `online`, `offline`"),
            "giá trị «fly» không hợp lệ; cần một trong: «online», «offline»"
        );
        assert_eq!(
            vi_serde("invalid type: null, expected struct ReceiptSeries"),
            "sai kiểu dữ liệu: nhận null, cần struct ReceiptSeries"
        );
    }

    #[test]
    fn json_refusals_name_the_field() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            n: u32,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            inner: Inner,
        }
        let e = parse_json::<Outer>(r#"{"inner": {"n": "x"}}"#)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(e.contains("ở trường «inner.n»"), "{e}");
        assert!(e.contains("dòng 1, cột 19"), "{e}");
        let e = parse_json::<Outer>(r#"{"inner": {"n": 1}} x"#)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(e.contains("còn ký tự thừa"), "{e}");
    }
}
