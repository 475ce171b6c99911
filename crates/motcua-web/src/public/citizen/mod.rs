//! The citizens' and businesses' own pages (`/citizen/…`): sign-up with a one-time code
//! (`sign_up`, `confirm`), sign-in and sign-out (`sign_in`, `sign_out`), the account with its
//! dossiers (`account`) and the profile (`profile`); signing in with the national identity
//! account through OpenID Connect (`oidc`). Each page's handler, view model and template sit
//! side by side, on `public/layout.html`, phone first. Sign-up, code checks and sign-in are
//! limited per client address ([`crate::CITIZEN_BURST`], [`crate::CITIZEN_PER_MINUTE`]),
//! answered by the page with a Vietnamese notice (429).

pub(crate) mod account;
pub(crate) mod confirm;
pub(crate) mod oidc;
pub(crate) mod online;
pub(crate) mod profile;
pub(crate) mod sign_in;
pub(crate) mod sign_out;
pub(crate) mod sign_up;

use askama::Template;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};

use motcua_app::citizens::CitizenError;
use motcua_core::access::AuditContext;

use crate::authed::remote_addr;
use crate::error::PageError;
use crate::{AppState, WebError};

/// Too many tries from one address.
pub(crate) const THROTTLED: &str =
    "Bạn đã thao tác quá nhiều lần trong thời gian ngắn. Vui lòng đợi vài phút rồi thử lại.";

/// A page with its status.
pub(crate) fn render(status: StatusCode, page: &impl Template) -> Result<Response, PageError> {
    let html = page
        .render()
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok((status, Html(html)).into_response())
}

/// Whether the client's address has used up its tries (sign-up, codes, sign-in).
pub(crate) fn throttled(state: &AppState, parts: &Parts) -> bool {
    let key = remote_addr(parts).unwrap_or_else(|| "unknown".to_owned());
    let refused = state.citizen_limiter.check_key(&key).is_err();
    if refused {
        tracing::warn!(addr = %key, "citizens' rate limit reached");
    }
    if state.citizen_limiter.len() > 100_000 {
        state.citizen_limiter.retain_recent();
    }
    refused
}

/// The audit context of a request before any account is known (the app names the actor:
/// the contact a code goes to, or the account).
pub(crate) fn anonymous_ctx(state: &AppState, parts: &Parts) -> Result<AuditContext, WebError> {
    Ok(AuditContext {
        actor: "citizen:?".to_owned(),
        remote_addr: remote_addr(parts),
        at: state.now()?,
    })
}

/// A refusal the page does not expect from that request: an internal error.
pub(crate) fn unexpected(e: CitizenError) -> PageError {
    match e {
        CitizenError::App(e) => PageError::from(e),
        other => PageError(WebError::Internal(other.to_string())),
    }
}
