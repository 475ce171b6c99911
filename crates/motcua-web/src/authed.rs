//! [`Authed`]: the principal of a request, from an API token (`Authorization: Bearer mc_…`)
//! or a session cookie; and the cookies themselves.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use motcua_core::Timestamp;
use motcua_core::access::{Action, AuditContext, Principal, User};
use motcua_core::unit::{UnitCode, UnitTree};
use subtle::ConstantTimeEq;

use crate::{AppState, WebError};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "motcua_session";

/// The cookie of a desk's tablet opened for ratings (`pages::kiosk`, `public::rating::kiosk`).
pub const KIOSK_COOKIE: &str = "motcua_kiosk";
/// The cookie of the sign-in form's token (double-submit: no session exists yet).
pub const LOGIN_CSRF_COOKIE: &str = "motcua_login_csrf";

/// Who sent the request, proven by a live session cookie or API token.
#[derive(Debug, Clone)]
pub struct Authed {
    pub principal: Principal,
    /// The account, for a session (tokens have none).
    pub user: Option<User>,
    /// The session's CSRF token, which every form of the session must send back.
    csrf: Option<String>,
    /// The session cookie's value, to end the session.
    session: Option<String>,
    pub remote_addr: Option<String>,
    pub at: Timestamp,
    /// What waits for the signed-in person (the header's notice count); read for pages of a
    /// session only, empty for the API.
    pub notices: Vec<motcua_core::notice::Notice>,
}

/// The client's address, when the server knows it.
pub(crate) fn remote_addr(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

/// A cookie of the request by name.
pub(crate) fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, `Secure` when configured.
pub(crate) fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    Cookie::build((name.to_owned(), value.to_owned()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build()
        .to_string()
}

/// Whether two secrets are equal, in time that does not depend on where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    !a.is_empty() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

impl Authed {
    /// The audit context of this request's writes.
    pub fn ctx(&self) -> AuditContext {
        AuditContext {
            actor: self.principal.actor(),
            remote_addr: self.remote_addr.clone(),
            at: self.at,
        }
    }

    /// The session's CSRF token (for forms); `None` for API tokens.
    pub fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }

    /// The session cookie's value.
    pub(crate) fn session_cookie(&self) -> Option<&str> {
        self.session.as_deref()
    }

    /// Refuses a write of a session whose form or header did not send the session's token.
    /// API tokens are not sent by browsers on their own, so they need none.
    pub fn check_csrf(&self, sent: Option<&str>) -> Result<(), WebError> {
        match &self.csrf {
            None => Ok(()),
            Some(expected) if sent.is_some_and(|s| same_secret(expected, s)) => Ok(()),
            Some(_) => Err(WebError::Forbidden(
                "biểu mẫu đã hết hạn hoặc không hợp lệ (mã chống giả mạo sai); hãy tải lại trang và thử lại"
                    .to_owned(),
            )),
        }
    }

    /// The unit a request names (a `unit` parameter), or the principal's own unit when it
    /// names none. An unparsable code reads as an unknown unit (404).
    pub fn requested_unit(&self, text: Option<&str>) -> Result<UnitCode, WebError> {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => UnitCode::parse(t)
                .map_err(|_| WebError::NotFound(format!("không có đơn vị mã «{t}»"))),
            None => Ok(self.principal.unit.clone()),
        }
    }

    /// Checks the action on `unit`: 404 for a unit that does not exist or lies outside the
    /// principal's subtree (the same answer, whatever the role), 403 for an action its role
    /// does not allow inside it.
    pub fn check(&self, tree: &UnitTree, action: Action, unit: &UnitCode) -> Result<(), WebError> {
        if tree.get(unit).is_none() {
            return Err(crate::error::unknown_unit(unit.as_str()));
        }
        Ok(self.principal.check(tree, action, unit)?)
    }

    /// Checks an action on data that spans every unit: only principals of the root unit.
    /// Below the root, such a route does not exist for the caller (404, as any unknown page),
    /// whatever its role; at the root, a role that may not take the action gets 403.
    pub fn check_root(&self, tree: &UnitTree, action: Action) -> Result<(), WebError> {
        let root = tree.root().ok_or_else(not_found)?;
        if !self.is_root(tree) {
            return Err(not_found());
        }
        self.principal.check(tree, action, &root.code)?;
        Ok(())
    }

    /// Whether the principal belongs to the root unit (sees data that spans every unit).
    pub fn is_root(&self, tree: &UnitTree) -> bool {
        tree.root().is_some_and(|r| r.code == self.principal.unit)
    }

    /// Checks an action whose data is the same for every unit.
    pub fn check_action(&self, action: Action) -> Result<(), WebError> {
        if self.principal.may(action) {
            Ok(())
        } else {
            Err(motcua_core::access::Denied::Action.into())
        }
    }
}

/// What an unknown path answers (`handlers::not_found`).
pub(crate) fn not_found() -> WebError {
    WebError::NotFound("không tìm thấy trang".to_owned())
}

/// Why a request has no principal: the API answers 401, pages send to the sign-in page.
pub struct NotSignedIn {
    api: bool,
    next: String,
    error: Option<WebError>,
    /// Signed in with a password an administrator set: only the password page is open.
    must_change_password: bool,
}

impl NotSignedIn {
    /// A page requested with no credential at all (or an expired session): the visitor is
    /// nobody in particular, not a refused token or a password to change first.
    pub(crate) fn is_anonymous(&self) -> bool {
        !self.api && self.error.is_none() && !self.must_change_password
    }
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        if let Some(e) = self.error {
            return e.into_response();
        }
        if self.must_change_password {
            return Redirect::to("/account/password").into_response();
        }
        if self.api {
            WebError::Unauthorized.into_response()
        } else {
            let next = url_encode(&self.next);
            Redirect::to(&format!("/login?next={next}")).into_response()
        }
    }
}

/// Percent-encodes text for a query parameter (`/` is kept: it is legal there).
pub(crate) fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = NotSignedIn;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let api = parts.uri.path().starts_with("/api/");
        let fail = |error: Option<WebError>| NotSignedIn {
            api,
            next: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
            error,
            must_change_password: false,
        };
        let at = state.now().map_err(|e| fail(Some(e)))?;
        let remote_addr = remote_addr(parts);
        let bearer = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if let Some(secret) = bearer {
            let principal = motcua_app::auth::token(&state.store, secret)
                .await
                .map_err(|e| fail(Some(e.into())))?;
            // A wrong token is refused outright, even on a page.
            let principal = principal.ok_or_else(|| NotSignedIn {
                api: true,
                next: String::new(),
                error: None,
                must_change_password: false,
            })?;
            return Ok(Authed {
                principal,
                user: None,
                csrf: None,
                session: None,
                remote_addr,
                at,
                notices: Vec::new(),
            });
        }
        let Some(cookie) = cookie_value(parts, SESSION_COOKIE) else {
            return Err(fail(None));
        };
        match motcua_app::auth::session(&state.store, &cookie, at).await {
            // A password an administrator set must be changed before anything else.
            Ok(Some((user, _)))
                if user.must_change_password
                    && !api
                    && !matches!(parts.uri.path(), "/account/password" | "/logout") =>
            {
                Err(NotSignedIn {
                    must_change_password: true,
                    ..fail(None)
                })
            }
            Ok(Some((user, csrf))) => {
                let principal = user.principal();
                let notices = if api {
                    Vec::new()
                } else {
                    motcua_app::notices::notices(&state.store, &principal, at)
                        .await
                        .map_err(|e| fail(Some(e.into())))?
                };
                Ok(Authed {
                    principal,
                    user: Some(user),
                    csrf: Some(csrf),
                    session: Some(cookie),
                    remote_addr,
                    at,
                    notices,
                })
            }
            Ok(None) => Err(fail(None)),
            Err(e) => Err(fail(Some(e.into()))),
        }
    }
}

/// The header a signed-in browser's script sends its session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_carry_the_flags() {
        let c = set_cookie(SESSION_COOKIE, "abc", 3600, true);
        for part in [
            "motcua_session=abc",
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
            "Path=/",
            "Max-Age=3600",
        ] {
            assert!(c.contains(part), "{c} lacks {part}");
        }
        assert!(!set_cookie(SESSION_COOKIE, "abc", 0, false).contains("Secure"));
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert!(!same_secret("", ""));
    }

    #[test]
    fn next_paths_are_encoded() {
        assert_eq!(
            url_encode("/?unit=ho-xa&month=2024-05"),
            "/%3Funit%3Dho-xa%26month%3D2024-05"
        );
    }
}
