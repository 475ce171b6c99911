//! `GET /desk/kiosk` and `POST /desk/kiosk`: a reception officer opens the device in hand as
//! the desk's rating tablet ("Mở màn hình đánh giá tại quầy"). The device gets the kiosk
//! cookie (`authed::KIOSK_COOKIE`, HttpOnly, SameSite=Strict, for
//! `motcua_app::ratings::KIOSK_HOURS`), bound to the officer's unit, and the officer's session
//! ends on it, so the tablet left at the desk opens no officer's page; then `/kiosk`.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_core::access::Action;
use serde::Deserialize;

use crate::authed::{KIOSK_COOKIE, SESSION_COOKIE, set_cookie};
use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, unit_label};
use crate::{AppState, Authed, WebError};

#[derive(Template)]
#[template(path = "kiosk.html")]
struct OpenPage {
    nav: Nav,
    csrf: String,
    /// The unit's code (the form's) and name.
    code: String,
    unit: String,
    hours: i64,
}

/// `?unit=`: the unit whose desk the tablet serves (the officer's own by default).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct KioskQuery {
    unit: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OpenForm {
    csrf: String,
    unit: String,
}

/// `GET /desk/kiosk`: what opening the tablet does, and the button.
pub async fn form(
    State(state): State<AppState>,
    authed: Authed,
    Query(query): Query<KioskQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&query.unit))?;
    authed.check(&tree, Action::ReceiveDossier, &unit)?;
    let page = OpenPage {
        nav: Nav::new(&authed, &tree),
        csrf: authed.csrf().unwrap_or_default().to_owned(),
        code: unit.to_string(),
        unit: unit_label(&tree, &unit),
        hours: motcua_app::ratings::KIOSK_HOURS,
    };
    Ok(Html(page.render()?).into_response())
}

fn append(headers: &mut HeaderMap, cookie: &str) -> Result<(), WebError> {
    let value = HeaderValue::from_str(cookie).map_err(|e| WebError::Internal(e.to_string()))?;
    headers.append(SET_COOKIE, value);
    Ok(())
}

/// `POST /desk/kiosk`: the tablet opened, the officer signed out on it, then `/kiosk`.
pub async fn open(
    State(state): State<AppState>,
    authed: Authed,
    Form(form): Form<OpenForm>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&form.unit))?;
    authed.check(&tree, Action::ReceiveDossier, &unit)?;
    authed.check_csrf(Some(&form.csrf))?;
    let ctx = authed.ctx();
    let token =
        motcua_app::ratings::open_kiosk(&state.store, &authed.principal, &unit, &ctx).await?;
    if let Some(cookie) = authed.session_cookie() {
        motcua_app::auth::logout(&state.store, cookie, &ctx).await?;
    }
    let mut response = Redirect::to("/kiosk").into_response();
    let headers = response.headers_mut();
    append(
        headers,
        &set_cookie(SESSION_COOKIE, "", 0, state.secure_cookies),
    )?;
    append(
        headers,
        &set_cookie(
            KIOSK_COOKIE,
            &token,
            motcua_app::ratings::KIOSK_HOURS * 3600,
            state.secure_cookies,
        ),
    )?;
    Ok(response)
}
