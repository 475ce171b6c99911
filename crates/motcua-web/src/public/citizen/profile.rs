//! `GET/POST /citizen/profile`: what an account may change of itself — full name or
//! organisation name, identification number (số định danh cá nhân), tax code (required of a
//! business). The phone or e-mail confirmed at sign-up is not changed here.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use motcua_app::citizens::{CitizenError, FieldErrors, ProfileForm};
use motcua_core::citizen::CitizenKind;
use serde::Deserialize;

use super::{render, unexpected};
use crate::AppState;
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::public::{Visitor, portal_name};

#[derive(Template)]
#[template(path = "public/citizen/profile.html")]
struct ProfilePage {
    portal: String,
    visitor: Visitor,
    csrf: String,
    business: bool,
    full_name: String,
    id_number: String,
    tax_code: String,
    errors: FieldErrors,
}

impl ProfilePage {
    fn error(&self, field: &str) -> &str {
        self.errors.of(field)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileFields {
    csrf: String,
    full_name: String,
    id_number: String,
    tax_code: String,
}

async fn page(state: &AppState, me: &CitizenAuthed) -> Result<ProfilePage, PageError> {
    let tree = tree(&state.store).await?;
    let c = &me.citizen;
    Ok(ProfilePage {
        portal: portal_name(&tree),
        visitor: Visitor::of(Some(me)),
        csrf: me.csrf.clone(),
        business: c.kind == CitizenKind::Business,
        full_name: c.full_name.clone(),
        id_number: c.id_number.clone().unwrap_or_default(),
        tax_code: c.tax_code.clone().unwrap_or_default(),
        errors: FieldErrors::default(),
    })
}

/// `GET /citizen/profile`.
pub async fn form(State(state): State<AppState>, me: CitizenAuthed) -> Result<Response, PageError> {
    render(StatusCode::OK, &page(&state, &me).await?)
}

/// `POST /citizen/profile`: back to the account's page, or the form with every error.
pub async fn save(
    State(state): State<AppState>,
    me: CitizenAuthed,
    Form(fields): Form<ProfileFields>,
) -> Result<Response, PageError> {
    me.check_csrf(&fields.csrf)?;
    let form = ProfileForm {
        full_name: fields.full_name,
        id_number: fields.id_number,
        tax_code: fields.tax_code,
    };
    match motcua_app::citizens::update_profile(&state.store, &me.citizen, &form, &me.ctx()).await {
        Ok(_) => Ok(Redirect::to("/citizen?saved=1").into_response()),
        Err(CitizenError::Fields(errors)) => {
            let mut page = page(&state, &me).await?;
            page.full_name = form.full_name.trim().chars().take(300).collect();
            page.id_number = form.id_number.trim().chars().take(30).collect();
            page.tax_code = form.tax_code.trim().chars().take(30).collect();
            page.errors = errors;
            render(StatusCode::BAD_REQUEST, &page)
        }
        Err(e) => Err(unexpected(e)),
    }
}
