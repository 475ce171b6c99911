//! `GET/POST /citizen/confirm`: the one-time code sent at sign-up, typed back (the contact
//! comes in the sign-up's short-lived cookie, or as `?to=…`). Right, it
//! creates the account and signs it in (to `/citizen`); wrong, it says how many tries are
//! left; "Gửi lại mã" sends a new code (within the same limit of codes per 15 minutes).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use motcua_app::citizens::{CitizenError, FieldErrors};
use motcua_core::citizen::{CODE_MINUTES, Contact};
use serde::Deserialize;

use super::{THROTTLED, anonymous_ctx, render, throttled, unexpected};
use crate::AppState;
use crate::catalogue::tree;
use crate::citizen_authed::{
    CITIZEN_HOME, CitizenAuthed, pending_contact, pending_cookie, signed_in_redirect, with_cookie,
};
use crate::error::PageError;
use crate::public::{Visitor, portal_name};

#[derive(Template)]
#[template(path = "public/citizen/confirm.html")]
struct ConfirmPage {
    portal: String,
    visitor: Visitor,
    /// The phone or e-mail the code went to, as typed at sign-up (normalised).
    to: String,
    /// `tin nhắn SMS` or `email`.
    by: &'static str,
    minutes: i64,
    errors: FieldErrors,
    notice: String,
    /// A new code was sent.
    resent: bool,
}

impl ConfirmPage {
    fn error(&self, field: &str) -> &str {
        self.errors.of(field)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfirmQuery {
    to: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfirmForm {
    to: String,
    code: String,
    /// `resend` for "Gửi lại mã".
    action: String,
}

async fn page(
    state: &AppState,
    citizen: Option<&CitizenAuthed>,
    to: &str,
) -> Result<ConfirmPage, PageError> {
    let tree = tree(&state.store).await?;
    let contact = Contact::parse(to).ok();
    Ok(ConfirmPage {
        portal: portal_name(&tree),
        visitor: Visitor::of(citizen),
        to: contact.as_ref().map_or_else(
            || to.trim().chars().take(300).collect(),
            |c| c.as_str().to_owned(),
        ),
        by: match contact {
            Some(Contact::Email(_)) => "email",
            _ => "tin nhắn SMS",
        },
        minutes: CODE_MINUTES,
        errors: FieldErrors::default(),
        notice: String::new(),
        resent: false,
    })
}

/// `GET /citizen/confirm`: for the sign-up's contact (its cookie), or `?to=…`.
pub async fn form(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    parts: Parts,
    Query(query): Query<ConfirmQuery>,
) -> Result<Response, PageError> {
    let to = match query.to.trim() {
        "" => pending_contact(&parts).unwrap_or_default(),
        to => to.to_owned(),
    };
    render(StatusCode::OK, &page(&state, citizen.as_ref(), &to).await?)
}

/// `POST /citizen/confirm`: the account, signed in; or the page again with what went wrong.
pub async fn confirm(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    parts: Parts,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    let mut page = page(&state, citizen.as_ref(), &form.to).await?;
    if throttled(&state, &parts) {
        page.notice = THROTTLED.to_owned();
        return render(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    let ctx = anonymous_ctx(&state, &parts)?;
    let store = &state.store;
    if form.action == "resend" {
        return match motcua_app::citizens::resend_code(store, &form.to, &ctx).await {
            Ok(_) => {
                page.resent = true;
                render(StatusCode::OK, &page)
            }
            Err(e) => refused(page, e),
        };
    }
    match motcua_app::citizens::confirm_sign_up(store, &form.to, &form.code, &ctx).await {
        Ok(signed_in) => {
            let response = signed_in_redirect(&state, &signed_in.cookie, CITIZEN_HOME)?;
            Ok(with_cookie(response, &pending_cookie(&state, ""))?)
        }
        Err(e) => refused(page, e),
    }
}

fn refused(mut page: ConfirmPage, e: CitizenError) -> Result<Response, PageError> {
    match e {
        CitizenError::Fields(errors) => {
            page.errors = errors;
            render(StatusCode::BAD_REQUEST, &page)
        }
        CitizenError::Throttled => {
            page.notice = CitizenError::Throttled.to_string();
            render(StatusCode::TOO_MANY_REQUESTS, &page)
        }
        CitizenError::Code(m) | CitizenError::Taken(m) => {
            page.notice = m;
            render(StatusCode::BAD_REQUEST, &page)
        }
        e => Err(unexpected(e)),
    }
}
