//! `GET /procedures/{code}/submit?unit=…`: what the citizen is about to submit, and where
//! (the procedure offered online at that unit, toàn trình or một phần); `POST` the same
//! address makes the draft and opens its form. A draft is a write, so it takes the session's
//! token rather than being made by a link.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::AppState;
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::public::{Visitor, portal_name};

#[derive(Template)]
#[template(path = "public/citizen/online/start.html")]
struct StartPage {
    portal: String,
    visitor: Visitor,
    csrf: String,
    code: String,
    unit_code: String,
    procedure: String,
    unit: String,
    level: &'static str,
    who: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StartQuery {
    unit: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StartForm {
    csrf: String,
}

/// `GET /procedures/{code}/submit?unit=…`.
pub async fn start_page(
    State(state): State<AppState>,
    citizen: CitizenAuthed,
    Path(code): Path<String>,
    Query(q): Query<StartQuery>,
) -> Result<Response, PageError> {
    let (unit, procedure, level) =
        motcua_app::online::offering(&state.store, &q.unit, &code).await?;
    let tree = tree(&state.store).await?;
    let page = StartPage {
        portal: portal_name(&tree),
        visitor: Visitor::of(Some(&citizen)),
        csrf: citizen.csrf.clone(),
        code: procedure.code.to_string(),
        unit_code: unit.code.to_string(),
        procedure: procedure.name.clone(),
        unit: unit.name.clone(),
        level: match level {
            motcua_core::dossier::SubmissionLevel::Full => "toàn trình",
            motcua_core::dossier::SubmissionLevel::Partial => "một phần",
        },
        who: citizen.citizen.full_name.clone(),
    };
    Ok(Html(page.render()?).into_response())
}

/// `POST /procedures/{code}/submit?unit=…`: a new draft, then its form.
pub async fn start(
    State(state): State<AppState>,
    citizen: CitizenAuthed,
    Path(code): Path<String>,
    Query(q): Query<StartQuery>,
    Form(form): Form<StartForm>,
) -> Result<Response, PageError> {
    citizen.check_csrf(&form.csrf)?;
    let draft = motcua_app::online::start_draft(
        &state.store,
        &citizen.citizen,
        &q.unit,
        &code,
        &citizen.ctx(),
    )
    .await?;
    Ok(Redirect::to(&format!("/citizen/submissions/{}", draft.id)).into_response())
}
