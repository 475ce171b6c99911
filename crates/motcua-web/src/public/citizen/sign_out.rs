//! `POST /citizen/sign-out`: ends the citizen's session and clears its cookie.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::AppState;
use crate::citizen_authed::{CitizenAuthed, clear_citizen_cookie, with_cookie};
use crate::error::PageError;

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SignOutForm {
    csrf: String,
}

/// `POST /citizen/sign-out`: to the portal's home, signed out.
pub async fn sign_out(
    State(state): State<AppState>,
    citizen: CitizenAuthed,
    Form(form): Form<SignOutForm>,
) -> Result<Response, PageError> {
    citizen.check_csrf(&form.csrf)?;
    motcua_app::citizens::sign_out(&state.store, citizen.session_cookie(), &citizen.ctx()).await?;
    let response = Redirect::to("/").into_response();
    Ok(with_cookie(response, &clear_citizen_cookie(&state))?)
}
