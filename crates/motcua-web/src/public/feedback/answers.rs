//! `GET /feedback/answers`: the published answers to PAKN, newest first, a page at a time
//! (`?before=` the key of the last row shown).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use motcua_app::petitions;
use motcua_core::petition::PetitionCode;
use serde::Deserialize;

use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::public::{Visitor, portal_name};
use crate::view::{local_time, unit_label};
use crate::{AppState, WebError};

pub(crate) struct Item {
    pub(crate) code: String,
    pub(crate) kind: &'static str,
    pub(crate) subject: &'static str,
    pub(crate) unit: String,
    pub(crate) published: String,
    pub(crate) content: String,
    pub(crate) answer: String,
}

#[derive(Template)]
#[template(path = "public/feedback/answers.html")]
struct AnswersPage {
    portal: String,
    visitor: Visitor,
    items: Vec<Item>,
    /// The link to the next page, or empty.
    next: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct AnswersQuery {
    /// `MICROS.CODE` of the last row of the page before.
    before: String,
}

/// `GET /feedback/answers`.
pub async fn answers(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    Query(q): Query<AnswersQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let before = q
        .before
        .split_once('.')
        .and_then(|(t, c)| Some((t.parse::<i64>().ok()?, PetitionCode::parse(c)?)));
    let list = petitions::published(&state.store, before).await?;
    let next = match list.last() {
        Some(p) if list.len() == motcua_store::PETITION_PAGE => p
            .published_at
            .map(|t| format!("/feedback/answers?before={}.{}", t.as_micros(), p.code))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let items = list
        .iter()
        .map(|p| Item {
            code: p.code.to_string(),
            kind: p.kind.label_vi(),
            subject: p.subject.label_vi(),
            unit: unit_label(&tree, &p.unit_code),
            published: p.published_at.map(local_time).unwrap_or_default(),
            content: p.content.clone(),
            answer: p.answer.clone().unwrap_or_default(),
        })
        .collect();
    let page = AnswersPage {
        portal: portal_name(&tree),
        visitor: Visitor::of(citizen.as_ref()),
        items,
        next,
    };
    let html = page
        .render()
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok(Html(html).into_response())
}
