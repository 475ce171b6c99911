//! `GET/POST /citizen/sign-in?next=…`: a citizen's or business's sign-in by phone or e-mail
//! and password. A wrong contact and a wrong password get the same answer; an account locks
//! after repeated wrong passwords, as the officers' do. `next` is followed only when it is a
//! path of this site.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use motcua_app::citizens::{CitizenError, FieldErrors};
use serde::Deserialize;

use super::{THROTTLED, anonymous_ctx, render, throttled, unexpected};
use crate::AppState;
use crate::catalogue::tree;
use crate::citizen_authed::{CITIZEN_HOME, CitizenAuthed, local_next, signed_in_redirect};
use crate::error::PageError;
use crate::public::{Visitor, portal_name};

#[derive(Template)]
#[template(path = "public/citizen/sign_in.html")]
struct SignInPage {
    portal: String,
    visitor: Visitor,
    contact: String,
    /// Where to go after signing in (a local path), kept in the form.
    next: String,
    errors: FieldErrors,
    notice: String,
    /// The sign-in with the national identity account, when the portal has a provider.
    oidc_start: Option<String>,
    oidc_button: &'static str,
}

impl SignInPage {
    fn error(&self, field: &str) -> &str {
        self.errors.of(field)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignInQuery {
    next: String,
}

// No Debug: the form holds a password.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SignInForm {
    contact: String,
    password: String,
    next: String,
}

async fn page(
    state: &AppState,
    citizen: Option<&CitizenAuthed>,
    next: &str,
) -> Result<SignInPage, PageError> {
    let tree = tree(&state.store).await?;
    let next = local_next(next);
    let oidc_start = state.oidc.as_ref().map(|_| super::oidc::start_href(&next));
    Ok(SignInPage {
        portal: portal_name(&tree),
        visitor: Visitor::of(citizen),
        contact: String::new(),
        next: if next == CITIZEN_HOME {
            String::new()
        } else {
            next
        },
        errors: FieldErrors::default(),
        notice: String::new(),
        oidc_start,
        oidc_button: super::oidc::BUTTON,
    })
}

/// `GET /citizen/sign-in?next=…`; a citizen signed in already goes on to `next`.
pub async fn form(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    Query(query): Query<SignInQuery>,
) -> Result<Response, PageError> {
    if citizen.is_some() {
        return Ok(Redirect::to(&local_next(&query.next)).into_response());
    }
    render(
        StatusCode::OK,
        &page(&state, citizen.as_ref(), &query.next).await?,
    )
}

/// `POST /citizen/sign-in`: to `next` (or the account's page), signed in.
pub async fn sign_in(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    parts: Parts,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    let mut page = page(&state, citizen.as_ref(), &form.next).await?;
    page.contact = form.contact.trim().chars().take(300).collect();
    if throttled(&state, &parts) {
        page.notice = THROTTLED.to_owned();
        return render(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    if page.contact.is_empty() {
        page.errors
            .push("contact", "Nhập số điện thoại hoặc email đã đăng ký");
    }
    if form.password.is_empty() {
        page.errors.push("password", "Nhập mật khẩu");
    }
    if !page.errors.is_empty() {
        return render(StatusCode::BAD_REQUEST, &page);
    }
    let ctx = anonymous_ctx(&state, &parts)?;
    match motcua_app::citizens::sign_in(&state.store, &form.contact, &form.password, &ctx).await {
        Ok(signed_in) => Ok(signed_in_redirect(&state, &signed_in.cookie, &form.next)?),
        Err(e @ (CitizenError::Wrong | CitizenError::Locked(_))) => {
            page.notice = e.to_string();
            render(StatusCode::UNAUTHORIZED, &page)
        }
        Err(e) => Err(unexpected(e)),
    }
}
