//! `GET/POST /citizen/sign-up`: an account for a citizen (công dân) or a business or
//! organisation (doanh nghiệp, tổ chức) — name, phone or e-mail, password typed twice, and a
//! business's tax code. A valid form sends a one-time code to the phone or e-mail and goes
//! to `/citizen/confirm` (the contact in a short-lived cookie, not in the address); nothing
//! is created before the code comes back.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use motcua_app::citizens::{CitizenError, FieldErrors, SignUp};
use motcua_core::citizen::CitizenKind;
use serde::Deserialize;

use super::{THROTTLED, anonymous_ctx, render, throttled, unexpected};
use crate::AppState;
use crate::catalogue::tree;
use crate::citizen_authed::{CITIZEN_HOME, CitizenAuthed, pending_cookie, with_cookie};
use crate::error::PageError;
use crate::public::{Visitor, portal_name};

#[derive(Template)]
#[template(path = "public/citizen/sign_up.html")]
struct SignUpPage {
    portal: String,
    visitor: Visitor,
    /// `person`, `business` or nothing chosen yet.
    kind: String,
    full_name: String,
    contact: String,
    tax_code: String,
    errors: FieldErrors,
    /// Above the form (too many tries, too many codes).
    notice: String,
}

impl SignUpPage {
    fn error(&self, field: &str) -> &str {
        self.errors.of(field)
    }
}

// No Debug: the form holds a password.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SignUpForm {
    kind: String,
    full_name: String,
    contact: String,
    password: String,
    confirm: String,
    tax_code: String,
}

async fn page(state: &AppState, citizen: Option<&CitizenAuthed>) -> Result<SignUpPage, PageError> {
    let tree = tree(&state.store).await?;
    Ok(SignUpPage {
        portal: portal_name(&tree),
        visitor: Visitor::of(citizen),
        kind: String::new(),
        full_name: String::new(),
        contact: String::new(),
        tax_code: String::new(),
        errors: FieldErrors::default(),
        notice: String::new(),
    })
}

/// `GET /citizen/sign-up`; a citizen signed in already goes to the account's page.
pub async fn form(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
) -> Result<Response, PageError> {
    if citizen.is_some() {
        return Ok(Redirect::to(CITIZEN_HOME).into_response());
    }
    render(StatusCode::OK, &page(&state, citizen.as_ref()).await?)
}

/// `POST /citizen/sign-up`: to the code's page, or the form again with every error.
pub async fn sign_up(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    parts: Parts,
    Form(form): Form<SignUpForm>,
) -> Result<Response, PageError> {
    let mut page = page(&state, citizen.as_ref()).await?;
    let kind = CitizenKind::from_code(&form.kind);
    page.kind = kind.map_or_else(String::new, |k| k.code().to_owned());
    page.full_name = form.full_name.trim().chars().take(300).collect();
    page.contact = form.contact.trim().chars().take(300).collect();
    page.tax_code = form.tax_code.trim().chars().take(30).collect();
    if throttled(&state, &parts) {
        page.notice = THROTTLED.to_owned();
        return render(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    let request = SignUp {
        kind,
        full_name: form.full_name,
        contact: form.contact,
        password: form.password,
        confirm: form.confirm,
        tax_code: form.tax_code,
    };
    let ctx = anonymous_ctx(&state, &parts)?;
    match motcua_app::citizens::start_sign_up(&state.store, &request, &ctx).await {
        Ok(contact) => {
            let response = Redirect::to("/citizen/confirm").into_response();
            Ok(with_cookie(
                response,
                &pending_cookie(&state, contact.as_str()),
            )?)
        }
        Err(CitizenError::Fields(errors)) => {
            page.errors = errors;
            render(StatusCode::BAD_REQUEST, &page)
        }
        Err(CitizenError::Throttled) => {
            page.notice = CitizenError::Throttled.to_string();
            render(StatusCode::TOO_MANY_REQUESTS, &page)
        }
        Err(e) => Err(unexpected(e)),
    }
}
