//! Sign-in, sign-out and password pages.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::auth::{LoginError, SESSION_HOURS};
use motcua_core::access::AuditContext;
use motcua_core::access::check_password_rule;
use motcua_core::display::capitalise;
use serde::Deserialize;

use crate::authed::{LOGIN_CSRF_COOKIE, cookie_value, remote_addr, same_secret, set_cookie};
use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::Nav;
use crate::{AppState, Authed, SESSION_COOKIE, WebError};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    next: String,
    username: String,
    error: String,
    info: String,
}

/// Where to go after signing in: a path of this site, never another site.
fn safe_next(next: &str) -> &str {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(char::is_control);
    if ok { next } else { "/" }
}

/// Renders the sign-in form with a fresh double-submit token (set as a cookie too).
fn login_page(
    state: &AppState,
    status: StatusCode,
    next: &str,
    username: &str,
    error: &str,
    info: &str,
) -> Result<Response, PageError> {
    let csrf = motcua_app::auth::random_secret()?;
    let page = LoginPage {
        csrf: csrf.clone(),
        next: safe_next(next).to_owned(),
        username: username.to_owned(),
        error: error.to_owned(),
        info: info.to_owned(),
    };
    let cookie = set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600, state.secure_cookies);
    let mut response = (status, Html(page.render()?)).into_response();
    append_cookie(response.headers_mut(), &cookie)?;
    Ok(response)
}

fn append_cookie(headers: &mut HeaderMap, cookie: &str) -> Result<(), WebError> {
    let value = HeaderValue::from_str(cookie).map_err(|e| WebError::Internal(e.to_string()))?;
    headers.append(SET_COOKIE, value);
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginQuery {
    next: String,
    /// `changed` after a password change, `out` after signing out.
    done: String,
}

/// `GET /login`.
pub async fn login_form(
    State(state): State<AppState>,
    Query(q): Query<LoginQuery>,
) -> Result<Response, PageError> {
    let info = match q.done.as_str() {
        "changed" => "Đã đổi mật khẩu. Hãy đăng nhập lại bằng mật khẩu mới.",
        "out" => "Đã đăng xuất.",
        _ => "",
    };
    login_page(&state, StatusCode::OK, &q.next, "", "", info)
}

// No Debug: the form holds a password, which must never reach a log.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    csrf: String,
    next: String,
    username: String,
    password: String,
}

/// `POST /login`: checks the form's token, the address's rate, then the password.
pub async fn login(
    State(state): State<AppState>,
    parts: Parts,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let addr = remote_addr(&parts);
    let key = addr.clone().unwrap_or_else(|| "unknown".to_owned());
    if state.login_limiter.check_key(&key).is_err() {
        tracing::warn!(addr = %key, "sign-in rate limit reached");
        return login_page(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &form.next,
            &form.username,
            &WebError::TooManyRequests.to_string(),
            "",
        );
    }
    if state.login_limiter.len() > 100_000 {
        state.login_limiter.retain_recent();
    }
    let cookie_token = cookie_value(&parts, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if !same_secret(&cookie_token, &form.csrf) {
        return login_page(
            &state,
            StatusCode::FORBIDDEN,
            &form.next,
            &form.username,
            "Biểu mẫu đăng nhập đã hết hạn hoặc không hợp lệ; hãy nhập lại.",
            "",
        );
    }
    let name: String = form.username.trim().chars().take(64).collect();
    let ctx = AuditContext {
        actor: format!("user:{name}"),
        remote_addr: addr,
        at: state.now()?,
    };
    match motcua_app::auth::login(&state.store, &form.username, &form.password, &ctx).await {
        Ok(signed) => {
            // A password an administrator set is changed first; with no page asked for (the
            // sign-in form itself, or the site's root), the role's own.
            let next = match safe_next(&form.next) {
                _ if signed.user.must_change_password => "/account/password",
                "/" => crate::view::landing(Some(signed.user.role)),
                n => n,
            };
            let mut response = Redirect::to(next).into_response();
            let h = response.headers_mut();
            append_cookie(
                h,
                &set_cookie(
                    SESSION_COOKIE,
                    &signed.cookie,
                    SESSION_HOURS * 3600,
                    state.secure_cookies,
                ),
            )?;
            append_cookie(
                h,
                &set_cookie(LOGIN_CSRF_COOKIE, "", 0, state.secure_cookies),
            )?;
            tracing::info!(user = %signed.user.username, "signed in");
            Ok(response)
        }
        Err(LoginError::App(e)) => Err(e.into()),
        Err(e) => {
            let status = match e {
                LoginError::Locked(_) => StatusCode::LOCKED,
                LoginError::Disabled => StatusCode::FORBIDDEN,
                _ => StatusCode::UNAUTHORIZED,
            };
            login_page(
                &state,
                status,
                &form.next,
                &form.username,
                &capitalise(&e.to_string()),
                "",
            )
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

/// A response that clears the session cookie and goes to the sign-in page.
fn signed_out(state: &AppState, done: &str) -> Result<Response, PageError> {
    let mut response = Redirect::to(&format!("/login?done={done}")).into_response();
    append_cookie(
        response.headers_mut(),
        &set_cookie(SESSION_COOKIE, "", 0, state.secure_cookies),
    )?;
    Ok(response)
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    authed: Authed,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    if let Some(cookie) = authed.session_cookie() {
        motcua_app::auth::logout(&state.store, cookie, &authed.ctx()).await?;
    }
    signed_out(&state, "out")
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    nav: Nav,
    /// The password was set by an administrator: it must be changed now.
    must_change: bool,
    errors: PasswordErrors,
}

/// The password form's problems, each beside its field.
#[derive(Debug, Default)]
struct PasswordErrors {
    current: String,
    new: String,
    confirm: String,
}

impl PasswordErrors {
    fn any(&self) -> bool {
        !(self.current.is_empty() && self.new.is_empty() && self.confirm.is_empty())
    }
}

async fn password_page(
    state: &AppState,
    authed: &Authed,
    errors: PasswordErrors,
) -> Result<Response, PageError> {
    let Some(user) = &authed.user else {
        return Err(WebError::Forbidden(
            "Mã truy cập tích hợp không có mật khẩu để đổi".to_owned(),
        )
        .into());
    };
    let tree = tree(&state.store).await?;
    let status = if errors.any() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = PasswordPage {
        nav: Nav::new(authed, &tree),
        must_change: user.must_change_password,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /account/password`.
pub async fn password_form(
    State(state): State<AppState>,
    authed: Authed,
) -> Result<Response, PageError> {
    password_page(&state, &authed, PasswordErrors::default()).await
}

// No Debug: passwords.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
    confirm: String,
}

/// `POST /account/password`: on success every session of the account ends, this one too.
/// Every problem is shown at once, beside its field.
pub async fn change_password(
    State(state): State<AppState>,
    authed: Authed,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let Some(user) = &authed.user else {
        return password_page(&state, &authed, PasswordErrors::default()).await;
    };
    let mut errors = PasswordErrors::default();
    if form.current.is_empty() {
        errors.current = "Nhập mật khẩu hiện tại".to_owned();
    }
    if let Err(e) = check_password_rule(&form.new) {
        errors.new = capitalise(&e);
    }
    if form.new != form.confirm {
        errors.confirm = "Hai lần nhập mật khẩu mới không khớp nhau; hãy nhập lại".to_owned();
    }
    if errors.any() {
        return password_page(&state, &authed, errors).await;
    }
    match motcua_app::auth::change_password(
        &state.store,
        user,
        &form.current,
        &form.new,
        &authed.ctx(),
    )
    .await
    {
        Ok(()) => signed_out(&state, "changed"),
        Err(AppError::Auth(msg)) => {
            errors.current = capitalise(&msg);
            password_page(&state, &authed, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/?unit=ho-xa"), "/?unit=ho-xa");
        assert_eq!(safe_next("/admin/users"), "/admin/users");
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil",
            "",
            "x",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
    }
}
