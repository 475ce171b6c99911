//! The search box (`GET /search?q=…`): a dossier code, part of the applicant's name (with or
//! without diacritics), a phone or ID number, among the dossiers the officer's subtree
//! received or handles. An exact code opens the dossier; otherwise the matches are listed,
//! the latest first, at most 100.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::lists::{self, Found};
use motcua_core::access::Action;
use motcua_core::display;
use motcua_core::lists::PAGE_SIZE;
use serde::Deserialize;

use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, local_time, unit_label};
use crate::{AppState, Authed};

struct Row {
    code: String,
    applicant: String,
    procedure: String,
    unit: String,
    status: &'static str,
    received: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    nav: Nav,
    q: String,
    scope_name: String,
    rows: Vec<Row>,
    summary: String,
    searched: bool,
    more: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    unit: String,
    q: String,
}

/// `GET /search?q=TEXT[&unit=CODE]`.
pub async fn search(
    State(state): State<AppState>,
    authed: Authed,
    Query(query): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&query.unit))?;
    authed.check(&tree, Action::ViewIndicators, &unit)?;
    let text = query.q.trim();
    let mut page = SearchPage {
        nav: Nav::new(&authed, &tree),
        q: text.to_owned(),
        scope_name: unit_label(&tree, &unit),
        rows: Vec::new(),
        summary: String::new(),
        searched: !text.is_empty(),
        more: false,
    };
    if text.is_empty() {
        return Ok(Html(page.render()?).into_response());
    }
    let found = match lists::search(&state.store, &authed.principal, &unit, text).await? {
        Found::Dossier(code) => {
            return Ok(Redirect::to(&format!("/dossiers/{code}")).into_response());
        }
        Found::List(found) => found,
    };
    let procedures = state.store.procedures().await.map_err(AppError::from)?;
    page.more = found.len() > PAGE_SIZE;
    page.rows = found
        .iter()
        .take(PAGE_SIZE)
        .map(|h| {
            let d = &h.dossier;
            Row {
                code: d.code.to_string(),
                applicant: h
                    .details
                    .as_ref()
                    .map(|x| x.applicant.name.clone())
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| "—".to_owned()),
                procedure: procedures
                    .iter()
                    .find(|p| p.code == d.procedure_code)
                    .map_or_else(|| d.procedure_code.to_string(), |p| p.name.clone()),
                unit: unit_label(&tree, &d.unit_code),
                status: h.lifecycle.status.name_vi(),
                received: local_time(d.received_at),
            }
        })
        .collect();
    page.summary = if page.more {
        format!(
            "Hơn {} hồ sơ khớp «{text}»; đây là {} hồ sơ tiếp nhận gần nhất. Hãy gõ cụ thể hơn (mã hồ sơ, số điện thoại, số định danh hoặc họ tên đầy đủ).",
            display::count(PAGE_SIZE as u64),
            display::count(PAGE_SIZE as u64)
        )
    } else {
        format!(
            "{} hồ sơ khớp «{text}».",
            display::count(page.rows.len() as u64)
        )
    };
    Ok(Html(page.render()?).into_response())
}
