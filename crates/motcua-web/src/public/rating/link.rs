//! `GET /rate/{code}?t=TOKEN` and `POST /rate/{code}`: the rating page of a dossier, opened
//! from its rating link or QR code (the token proves the link), or by the signed-in citizen
//! who submitted it. An unknown code and a wrong token give the same page (404). Before the
//! result, for a withdrawn dossier and once rated, the page says so kindly; after a rating,
//! post/redirect/get back to the page, which thanks the citizen.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::ratings::{self, Ratable, RatingProof};
use motcua_core::rating::{RatingChannel, RatingError};
use serde::Deserialize;

use super::{Choice, Facts, FormErrors, RatingForm, choices, closed_text, read};
use crate::authed::remote_addr;
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::public::{Visitor, portal_name};
use crate::view::local_time;
use crate::{AppState, WebError};

/// The page's state.
enum View {
    /// The one answer for an unknown code and a wrong link.
    NotFound,
    /// Cannot be rated: not yet, or withdrawn.
    Closed(String),
    /// Rated: thanks, with what was chosen and written.
    Thanks {
        label: &'static str,
        comment: String,
        at: String,
    },
    Form,
}

#[derive(Template)]
#[template(path = "public/rating/rate.html")]
struct RatePage {
    portal: String,
    visitor: Visitor,
    facts: Option<Facts>,
    view: View,
    token: String,
    csrf: String,
    choices: Vec<Choice>,
    comment: String,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RateQuery {
    t: String,
}

fn proof<'a>(token: &'a str, citizen: Option<&CitizenAuthed>) -> Option<RatingProof<'a>> {
    if !token.is_empty() {
        Some(RatingProof::Link(token))
    } else {
        citizen.map(|c| RatingProof::Citizen(c.citizen.id))
    }
}

fn view_of(found: &Ratable) -> View {
    if let (Err(RatingError::AlreadyRated), Some(given)) = (&found.state, &found.given) {
        return View::Thanks {
            label: given.rating.label_vi(),
            comment: given.comment.as_str().to_owned(),
            at: local_time(given.rated_at),
        };
    }
    match closed_text(&found.state) {
        Some(text) => View::Closed(text),
        None => View::Form,
    }
}

async fn render(
    state: &AppState,
    citizen: Option<&CitizenAuthed>,
    code: &str,
    token: &str,
    comment: String,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let found = match proof(token, citizen) {
        Some(p) => ratings::ratable(&state.store, code, p, state.now()?).await?,
        None => None,
    };
    let view = found.as_ref().map_or(View::NotFound, view_of);
    let status = match (&view, errors.any()) {
        (View::NotFound, _) => StatusCode::NOT_FOUND,
        (_, true) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    let page = RatePage {
        portal: portal_name(&tree),
        visitor: Visitor::of(citizen),
        facts: found.as_ref().map(|f| Facts::of(&tree, &f.held)),
        view,
        token: token.to_owned(),
        csrf: citizen.map(|c| c.csrf.clone()).unwrap_or_default(),
        choices: choices(),
        comment,
        errors,
    };
    let html = page
        .render()
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok((status, Html(html)).into_response())
}

/// `GET /rate/{code}?t=TOKEN`.
pub async fn show(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    Path(code): Path<String>,
    Query(query): Query<RateQuery>,
) -> Result<Response, PageError> {
    let token: String = query.t.trim().chars().take(64).collect();
    render(
        &state,
        citizen.as_ref(),
        &code,
        &token,
        String::new(),
        FormErrors::default(),
    )
    .await
}

/// `POST /rate/{code}`: the rating, then back to the page (which thanks), or the form again
/// with what was typed and every error beside its field.
pub async fn rate(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    Path(code): Path<String>,
    parts: Parts,
    Form(form): Form<RatingForm>,
) -> Result<Response, PageError> {
    let token: String = form.t.trim().chars().take(64).collect();
    if token.is_empty()
        && let Some(c) = &citizen
    {
        c.check_csrf(&form.csrf)?;
    }
    let input = match read(&form, RatingChannel::Online) {
        Ok(input) => input,
        Err(errors) => {
            return render(
                &state,
                citizen.as_ref(),
                &code,
                &token,
                form.comment,
                errors,
            )
            .await;
        }
    };
    let Some(p) = proof(&token, citizen.as_ref()) else {
        return render(
            &state,
            None,
            &code,
            "",
            String::new(),
            FormErrors::default(),
        )
        .await;
    };
    let Some(code) = motcua_core::dossier::DossierCode::parse(&code) else {
        return render(&state, None, "", "", String::new(), FormErrors::default()).await;
    };
    let at = state.now()?;
    match ratings::rate_dossier(
        &state.store,
        code.as_str(),
        p,
        &input,
        remote_addr(&parts),
        at,
    )
    .await
    {
        // Refused (rated meanwhile, not yet): the page says why.
        Ok(()) | Err(AppError::Refused(_)) | Err(AppError::UnknownDossier(_)) => {}
        Err(e) => return Err(e.into()),
    }
    // The code is a parsed code and the token kept to hexadecimal digits: nothing to escape.
    let token: String = token.chars().filter(char::is_ascii_hexdigit).collect();
    let back = if token.is_empty() {
        format!("/rate/{code}")
    } else {
        format!("/rate/{code}?t={token}")
    };
    Ok(Redirect::to(&back).into_response())
}
