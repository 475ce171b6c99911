//! `/kiosk`: the rating screen of the desk's tablet (màn hình đánh giá tại quầy). A reception
//! officer opens it from `/desk/kiosk` (`pages::kiosk`), which gives the device the
//! [`KIOSK_COOKIE`] bound to the officer's unit and ends the officer's session on it; no one
//! signs in after that. The citizen scans the QR code of their slip or result notice (a USB
//! or Bluetooth scanner types its content into the focused field: a rating link, a tracking
//! address or a code alone, [`code_in`]) or types the code; then the three very large
//! buttons; then "Cảm ơn", and back to the start after a few seconds (`kiosk.js`, which also
//! leaves an abandoned dossier after a minute, so that the next citizen never rates it).
//! The tablet rates only its unit's dossiers: another unit's answers as unknown.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::ratings::{self, RatingProof};
use motcua_core::rating::{RatingChannel, RatingError};
use serde::Deserialize;

use super::{Choice, Facts, FormErrors, RatingForm, choices, closed_text, read};
use crate::authed::{KIOSK_COOKIE, cookie_value, remote_addr};
use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::unit_label;
use crate::{AppState, WebError};

/// The screen's state.
enum Screen {
    /// The device is not (or no longer) an opened tablet.
    Closed,
    /// Scan or type a code; with what is wrong with the last one.
    Start { notice: String },
    /// The three buttons for a dossier.
    Buttons,
    /// Thanks, then back to the start.
    Thanks,
}

#[derive(Template)]
#[template(path = "public/rating/kiosk.html")]
struct KioskPage {
    unit: String,
    screen: Screen,
    facts: Option<Facts>,
    choices: Vec<Choice>,
    comment: String,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct KioskQuery {
    /// What was scanned or typed.
    code: String,
    /// `1` after a rating.
    thanks: String,
}

/// The dossier code in what a scanner typed: the code of a rating link (`…/rate/CODE?t=…`) or
/// of a tracking address (`…/track?code=CODE`), or the text itself.
pub(crate) fn code_in(scanned: &str) -> String {
    let text = scanned.trim();
    let code = if let Some((_, rest)) = text.rsplit_once("/rate/") {
        rest.split(['?', '#', '/']).next().unwrap_or_default()
    } else if let Some((_, rest)) = text.split_once("code=") {
        rest.split(['&', '#']).next().unwrap_or_default()
    } else {
        text
    };
    code.trim().chars().take(64).collect()
}

fn render(status: StatusCode, page: &KioskPage) -> Result<Response, PageError> {
    let html = page
        .render()
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok((status, Html(html)).into_response())
}

fn page(unit: String, screen: Screen) -> KioskPage {
    KioskPage {
        unit,
        screen,
        facts: None,
        choices: choices(),
        comment: String::new(),
        errors: FormErrors::default(),
    }
}

/// The tablet's cookie and its unit's name, when it is an opened tablet.
async fn opened(state: &AppState, parts: &Parts) -> Result<Option<(String, String)>, PageError> {
    let Some(token) = cookie_value(parts, KIOSK_COOKIE) else {
        return Ok(None);
    };
    let Some(unit) = ratings::kiosk_unit(&state.store, &token, state.now()?).await? else {
        return Ok(None);
    };
    let tree = tree(&state.store).await?;
    Ok(Some((token, unit_label(&tree, &unit))))
}

/// The screen of `code` (what was scanned): the buttons, or back to the start saying why.
async fn dossier_screen(
    state: &AppState,
    token: &str,
    unit: String,
    code: &str,
    comment: String,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let found =
        ratings::ratable(&state.store, code, RatingProof::Kiosk(token), state.now()?).await?;
    let Some(found) = found else {
        let notice = format!(
            "Không tìm thấy hồ sơ mã «{code}» của {unit}. Hãy quét lại mã QR trên giấy hẹn hoặc nhập đúng mã hồ sơ."
        );
        return render(StatusCode::OK, &page(unit, Screen::Start { notice }));
    };
    let notice = match &found.state {
        Err(RatingError::AlreadyRated) => Some(RatingError::AlreadyRated.to_string()),
        state => closed_text(state),
    };
    if let Some(notice) = notice {
        return render(StatusCode::OK, &page(unit, Screen::Start { notice }));
    }
    let tree = tree(&state.store).await?;
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut p = page(unit, Screen::Buttons);
    p.facts = Some(Facts::of(&tree, &found.held));
    p.comment = comment;
    p.errors = errors;
    render(status, &p)
}

/// `GET /kiosk?code=…`: the start screen, the buttons of a dossier scanned, or thanks.
pub async fn show(
    State(state): State<AppState>,
    parts: Parts,
    Query(query): Query<KioskQuery>,
) -> Result<Response, PageError> {
    let Some((token, unit)) = opened(&state, &parts).await? else {
        return render(StatusCode::FORBIDDEN, &page(String::new(), Screen::Closed));
    };
    if query.thanks == "1" {
        return render(StatusCode::OK, &page(unit, Screen::Thanks));
    }
    let code = code_in(&query.code);
    if code.is_empty() {
        let notice = String::new();
        return render(StatusCode::OK, &page(unit, Screen::Start { notice }));
    }
    dossier_screen(
        &state,
        &token,
        unit,
        &code,
        String::new(),
        FormErrors::default(),
    )
    .await
}

/// `POST /kiosk`: the rating of the dossier on the screen, then thanks.
pub async fn rate(
    State(state): State<AppState>,
    parts: Parts,
    Form(form): Form<RatingForm>,
) -> Result<Response, PageError> {
    let Some((token, unit)) = opened(&state, &parts).await? else {
        return render(StatusCode::FORBIDDEN, &page(String::new(), Screen::Closed));
    };
    let code = code_in(&form.code);
    let input = match read(&form, RatingChannel::Kiosk) {
        Ok(input) => input,
        Err(errors) => {
            return dossier_screen(&state, &token, unit, &code, form.comment, errors).await;
        }
    };
    let proof = RatingProof::Kiosk(&token);
    let at = state.now()?;
    match ratings::rate_dossier(&state.store, &code, proof, &input, remote_addr(&parts), at).await {
        Ok(()) => Ok(Redirect::to("/kiosk?thanks=1").into_response()),
        Err(AppError::Refused(notice)) => {
            render(StatusCode::OK, &page(unit, Screen::Start { notice }))
        }
        Err(AppError::UnknownDossier(_)) => {
            dossier_screen(
                &state,
                &token,
                unit,
                &code,
                String::new(),
                FormErrors::default(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /assets/kiosk.js`: back to the start screen after thanks, or after a minute left on
/// a dossier's buttons; the code field keeps the focus for the scanner.
pub async fn script() -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/javascript; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("kiosk.js"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::code_in;

    #[test]
    fn the_code_is_read_from_what_a_scanner_types() {
        assert_eq!(code_in(" HO-XA-240513-0001 "), "HO-XA-240513-0001");
        assert_eq!(
            code_in("https://dvc.example.vn/rate/HO-XA-240513-0001?t=ab12"),
            "HO-XA-240513-0001"
        );
        assert_eq!(
            code_in("http://10.0.0.5:8080/track?code=HO-XA-240513-0001"),
            "HO-XA-240513-0001"
        );
        assert_eq!(code_in(""), "");
    }
}
