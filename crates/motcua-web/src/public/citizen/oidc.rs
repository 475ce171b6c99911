//! Signing in with the national identity account (OpenID Connect, `motcua_app::oidc`):
//! `GET /citizen/oidc/start?next=…` sends the visitor to the identity provider (303), and
//! `GET /citizen/oidc/callback?code=…&state=…` is where the provider sends them back: on
//! success the citizen's session cookie and a 303 to the saved local path; on a refusal a
//! page that says what happened and offers to start again (400; 503 when the provider or
//! the server cannot answer). Both answer 404 when the portal has no provider configured.
//! Starts count against the sign-in limit of the client address.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::oidc::{Oidc, OidcError};
use motcua_core::access::AuditContext;
use motcua_core::audit::VISITOR;
use serde::Deserialize;

use crate::authed::remote_addr;
use crate::catalogue::tree;
use crate::citizen_authed::{CitizenAuthed, local_next, signed_in_redirect};
use crate::error::PageError;
use crate::public::{Visitor, portal_name};
use crate::{AppState, WebError};

/// What the start and the button on the portal's pages say.
pub(crate) const BUTTON: &str = "Đăng nhập bằng tài khoản định danh điện tử";

/// The portal has no identity provider configured.
const NOT_CONFIGURED: &str =
    "Cổng dịch vụ công này chưa cấu hình đăng nhập bằng tài khoản định danh điện tử.";

#[derive(Template)]
#[template(path = "public/citizen/oidc.html")]
struct RefusedPage {
    portal: String,
    visitor: Visitor,
    message: String,
    /// Where "start again" leads: the start with the same local path.
    retry: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StartQuery {
    next: String,
}

// No Debug: the query holds the provider's code and the state.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CallbackQuery {
    code: String,
    state: String,
    /// The provider's refusal (`access_denied` when the citizen cancelled).
    error: String,
}

/// The address of the start that comes back to `next` (a local path).
pub(crate) fn start_href(next: &str) -> String {
    format!(
        "/citizen/oidc/start?next={}",
        crate::authed::url_encode(&local_next(next))
    )
}

fn configured(state: &AppState) -> Result<&Oidc, WebError> {
    state
        .oidc
        .as_ref()
        .ok_or_else(|| WebError::NotFound(NOT_CONFIGURED.to_owned()))
}

fn visitor(state: &AppState, parts: &Parts) -> Result<AuditContext, WebError> {
    Ok(AuditContext {
        actor: VISITOR.to_owned(),
        remote_addr: remote_addr(parts),
        at: state.now()?,
    })
}

/// `GET /citizen/oidc/start?next=PATH`: to the identity provider (303).
pub async fn start(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    parts: Parts,
    Query(query): Query<StartQuery>,
) -> Result<Response, PageError> {
    let oidc = configured(&state)?;
    let key = remote_addr(&parts).unwrap_or_else(|| "unknown".to_owned());
    if state.login_limiter.check_key(&key).is_err() {
        tracing::warn!(addr = %key, "OpenID Connect sign-in rate limit reached");
        return Err(WebError::TooManyRequests.into());
    }
    let next = local_next(&query.next);
    let ctx = visitor(&state, &parts)?;
    match oidc.begin(&state.store, &next, &ctx).await {
        Ok(url) => Ok(Redirect::to(url.as_str()).into_response()),
        Err(e) => refused(&state, citizen.as_ref(), &e, &next).await,
    }
}

/// `GET /citizen/oidc/callback?code=…&state=…`: signed in (the session's cookie, 303 to the
/// saved path), or the refusal's page.
pub async fn callback(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    parts: Parts,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, PageError> {
    let oidc = configured(&state)?;
    let ctx = visitor(&state, &parts)?;
    let signed = if query.error.is_empty() {
        oidc.finish(&state.store, &query.code, &query.state, &ctx)
            .await
    } else {
        Err(oidc
            .denied(&state.store, &query.error, &query.state, &ctx)
            .await)
    };
    let signed = match signed {
        Ok(signed) => signed,
        Err(e) => return refused(&state, citizen.as_ref(), &e, "").await,
    };
    let citizen = state
        .store
        .citizen(signed.citizen)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .ok_or_else(|| WebError::Internal(format!("no account {}", signed.citizen.0)))?;
    let session = motcua_app::citizens::start_session(&state.store, &citizen, &ctx).await?;
    Ok(signed_in_redirect(
        &state,
        &session.cookie,
        &signed.return_to,
    )?)
}

/// The page of a refused sign-in: what the citizen reads, and a way to start again.
async fn refused(
    state: &AppState,
    citizen: Option<&CitizenAuthed>,
    e: &OidcError,
    next: &str,
) -> Result<Response, PageError> {
    let status = if e.is_unavailable() {
        tracing::error!(reason = e.code(), detail = %e.detail(), "OpenID Connect sign-in failed");
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        tracing::warn!(reason = e.code(), detail = %e.detail(), "OpenID Connect sign-in refused");
        StatusCode::BAD_REQUEST
    };
    let tree = tree(&state.store).await?;
    let page = RefusedPage {
        portal: portal_name(&tree),
        visitor: Visitor::of(citizen),
        message: e.to_string(),
        retry: start_href(next),
    };
    let html = page
        .render()
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok((status, Html(html)).into_response())
}
