//! [`CitizenAuthed`]: the citizen or business of a request, proven by a live `motcua_citizen`
//! session cookie ([`CITIZEN_COOKIE`]). It is a separate cookie from the officers'
//! `motcua_session`, read from a separate table: an officer's session is no citizen's, and a
//! citizen's cookie opens no officer's page. A page of [`crate::Access::Citizen`] visited
//! without a session sends to `/citizen/sign-in?next=<the page>` (303).
//!
//! The cookie is HttpOnly and `SameSite=Lax`, not `Strict`: the OpenID Connect callback
//! arrives from the identity provider's site, and the session it opens must survive the
//! redirect that follows. Writes are guarded by the session's CSRF token in every form
//! ([`CitizenAuthed::check_csrf`]) and by the router's cross-site check.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::citizen::Citizen;

use crate::authed::{cookie_value, remote_addr, same_secret, url_encode};
use crate::{AppState, WebError};

/// The citizen's session cookie.
pub const CITIZEN_COOKIE: &str = "motcua_citizen";

/// The sign-in page of citizens.
pub const CITIZEN_SIGN_IN: &str = "/citizen/sign-in";

/// Where a citizen lands when no page asked for the sign-in: "Tài khoản của tôi".
pub const CITIZEN_HOME: &str = "/citizen";

/// A signed-in citizen or business, acting on their own data.
#[derive(Clone)]
pub struct CitizenAuthed {
    pub citizen: Citizen,
    /// The session's CSRF token, which every form of the session sends back.
    pub csrf: String,
    /// The session cookie's value, to end the session.
    session: String,
    pub remote_addr: Option<String>,
    pub at: Timestamp,
}

// Not derived: the session's cookie and CSRF token stay out of logs.
impl std::fmt::Debug for CitizenAuthed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CitizenAuthed")
            .field("citizen", &self.citizen.id)
            .field("remote_addr", &self.remote_addr)
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

impl CitizenAuthed {
    /// The audit context of this request's writes: the actor is the account
    /// (`citizen:<id>`).
    pub fn ctx(&self) -> AuditContext {
        self.audit(self.remote_addr.clone(), self.at)
    }

    /// The audit context of a write by this account from `remote` at `at`.
    pub fn audit(&self, remote: Option<String>, at: Timestamp) -> AuditContext {
        AuditContext {
            actor: self.citizen.id.actor(),
            remote_addr: remote,
            at,
        }
    }

    /// Refuses a write whose form or header did not send the session's token back.
    pub fn check_csrf(&self, sent: &str) -> Result<(), WebError> {
        if same_secret(&self.csrf, sent) {
            Ok(())
        } else {
            Err(WebError::Forbidden(
                "biểu mẫu đã hết hạn hoặc không hợp lệ (mã chống giả mạo sai); hãy tải lại trang và thử lại"
                    .to_owned(),
            ))
        }
    }

    /// The session cookie's value.
    pub(crate) fn session_cookie(&self) -> &str {
        &self.session
    }
}

/// The `Set-Cookie` value of a citizen's new session: HttpOnly, SameSite=Lax, Path=/, the
/// session's lifetime, `Secure` unless the server runs on plain HTTP.
pub fn citizen_cookie(state: &AppState, value: &str) -> String {
    build_cookie(
        value,
        motcua_app::auth::SESSION_HOURS * 3600,
        state.secure_cookies,
    )
}

/// The `Set-Cookie` value that removes the citizen's cookie.
pub fn clear_citizen_cookie(state: &AppState) -> String {
    build_cookie("", 0, state.secure_cookies)
}

/// The cookie that carries the phone or e-mail a sign-up's code went to, from the sign-up
/// to the code's page: so the contact stays out of the address bar, the history and the
/// logs of proxies.
pub(crate) const PENDING_COOKIE: &str = "motcua_citizen_pending";

/// The `Set-Cookie` value of a sign-up waiting for its code (as long as a code lives), or,
/// with an empty contact, the one that removes it.
pub(crate) fn pending_cookie(state: &AppState, contact: &str) -> String {
    let age = if contact.is_empty() {
        0
    } else {
        motcua_core::citizen::CODE_WINDOW_MINUTES * 60
    };
    cookie_named(
        PENDING_COOKIE,
        &url_encode(contact),
        age,
        state.secure_cookies,
    )
}

/// The contact of the pending sign-up's cookie, if any.
pub(crate) fn pending_contact(parts: &Parts) -> Option<String> {
    cookie_value(parts, PENDING_COOKIE).map(|v| url_decode(&v))
}

/// Reverses [`url_encode`] (an invalid escape is kept as it is).
fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn build_cookie(value: &str, max_age_secs: i64, secure: bool) -> String {
    cookie_named(CITIZEN_COOKIE, value, max_age_secs, secure)
}

fn cookie_named(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    Cookie::build((name.to_owned(), value.to_owned()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build()
        .to_string()
}

/// A 303 to `next` (a local path, see [`local_next`]) that hands the browser the cookie of a
/// session just opened (`motcua_app::citizens::CitizenSignedIn::cookie`).
pub fn signed_in_redirect(
    state: &AppState,
    cookie: &str,
    next: &str,
) -> Result<Response, WebError> {
    with_cookie(
        Redirect::to(&local_next(next)).into_response(),
        &citizen_cookie(state, cookie),
    )
}

/// `response` with one more `Set-Cookie`.
pub(crate) fn with_cookie(mut response: Response, cookie: &str) -> Result<Response, WebError> {
    let value =
        axum::http::HeaderValue::from_str(cookie).map_err(|e| WebError::Internal(e.to_string()))?;
    response
        .headers_mut()
        .append(axum::http::header::SET_COOKIE, value);
    Ok(response)
}

/// `next` if it is a path of this site (`/citizen`, `/procedures?q=…`), else the account's
/// page: never another site (`//evil.example`, `https:…`, `/\evil`), never a control
/// character.
pub fn local_next(next: &str) -> String {
    let n = next.trim();
    let local = n.starts_with('/')
        && !n.starts_with("//")
        && !n.starts_with("/\\")
        && !n.chars().any(|c| c.is_control() || c == '\\')
        && n.len() <= 2000;
    if local {
        n.to_owned()
    } else {
        CITIZEN_HOME.to_owned()
    }
}

/// The sign-in page that comes back to `next` afterwards.
pub fn sign_in_then(next: &str) -> String {
    let next = local_next(next);
    if next == CITIZEN_HOME {
        CITIZEN_SIGN_IN.to_owned()
    } else {
        format!("{CITIZEN_SIGN_IN}?next={}", url_encode(&next))
    }
}

/// Why a request has no citizen: the sign-in page (303), or a failure to answer.
pub struct NotCitizen {
    next: String,
    error: Option<WebError>,
}

impl IntoResponse for NotCitizen {
    fn into_response(self) -> Response {
        match self.error {
            Some(e) => crate::error::PageError::from(e).into_response(),
            None => Redirect::to(&sign_in_then(&self.next)).into_response(),
        }
    }
}

/// The citizen of a live session cookie, if any.
async fn find(parts: &Parts, state: &AppState) -> Result<Option<CitizenAuthed>, WebError> {
    let Some(cookie) = cookie_value(parts, CITIZEN_COOKIE).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let at = state.now()?;
    let found = motcua_app::citizens::citizen_session(&state.store, &cookie, at).await?;
    Ok(found.map(|(citizen, csrf)| CitizenAuthed {
        citizen,
        csrf,
        session: cookie,
        remote_addr: remote_addr(parts),
        at,
    }))
}

impl FromRequestParts<AppState> for CitizenAuthed {
    type Rejection = NotCitizen;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let next = parts
            .uri
            .path_and_query()
            .map_or_else(|| CITIZEN_HOME.to_owned(), |p| p.as_str().to_owned());
        match find(parts, state).await {
            Ok(Some(c)) => Ok(c),
            Ok(None) => Err(NotCitizen { next, error: None }),
            Err(e) => Err(NotCitizen {
                next,
                error: Some(e),
            }),
        }
    }
}

/// `Option<CitizenAuthed>`: the public pages greet a signed-in citizen by name.
impl OptionalFromRequestParts<AppState> for CitizenAuthed {
    type Rejection = NotCitizen;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        find(parts, state).await.map_err(|e| NotCitizen {
            next: String::new(),
            error: Some(e),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        for ok in ["/citizen", "/procedures?q=khai%20sinh", "/citizen/profile"] {
            assert_eq!(local_next(ok), ok);
        }
        for bad in [
            "",
            "//evil.example/x",
            "/\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "citizen",
            "/a\nb",
        ] {
            assert_eq!(local_next(bad), CITIZEN_HOME, "{bad:?}");
        }
    }

    #[test]
    fn the_sign_in_page_names_where_to_go_back() {
        assert_eq!(sign_in_then("/citizen"), "/citizen/sign-in");
        assert_eq!(
            sign_in_then("/citizen/profile"),
            "/citizen/sign-in?next=/citizen/profile"
        );
        assert_eq!(sign_in_then("//evil.example"), "/citizen/sign-in");
    }

    #[test]
    fn a_pending_contact_reads_back() {
        for contact in [
            "0912345678",
            "an.nguyen+hs@example.vn",
            "a;b\"c@example.vn",
            "%41",
        ] {
            assert_eq!(url_decode(&url_encode(contact)), contact);
        }
    }

    #[test]
    fn the_cookie_is_lax_and_http_only() {
        let c = build_cookie("abc", 3600, true);
        for part in [
            "motcua_citizen=abc",
            "HttpOnly",
            "SameSite=Lax",
            "Secure",
            "Path=/",
            "Max-Age=3600",
        ] {
            assert!(c.contains(part), "{c} lacks {part}");
        }
        assert!(!build_cookie("abc", 0, false).contains("Secure"));
    }
}
