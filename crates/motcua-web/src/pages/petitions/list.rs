//! `GET /petitions`: the PAKN of the signed-in officer's unit subtree, due soonest first (then
//! those with nothing due), `PETITION_PAGE` a page; `?after=DUE~CODE` is the next page's key.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use motcua_core::access::Action;
use motcua_core::display::{self, local_time};
use motcua_core::petition::PetitionCode;
use motcua_store::PETITION_PAGE;
use serde::Deserialize;

use super::time_left;
use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, unit_label};
use crate::{AppState, Authed};

struct Row {
    code: String,
    kind: &'static str,
    subject: &'static str,
    name: String,
    unit: String,
    received: String,
    state: &'static str,
    due: String,
    left: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "petitions/list.html")]
struct ListPage {
    nav: Nav,
    rows: Vec<Row>,
    /// The next page's link, empty on the last page.
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// A unit of the officer's subtree; the officer's own by default.
    unit: String,
    after: String,
}

/// The key `DUE~CODE` of `?after=`; a malformed one starts from the first page.
fn parse_after(text: &str) -> Option<(i64, PetitionCode)> {
    let (due, code) = text.split_once('~')?;
    Some((due.parse().ok()?, PetitionCode::parse(code)?))
}

/// `GET /petitions`.
pub async fn list(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::HandlePetition, &unit)?;
    let found = motcua_app::petitions::officer_list(
        &state.store,
        &authed.principal,
        &unit,
        parse_after(&q.after),
    )
    .await?;
    let calendars = motcua_app::calendar::load(&state.store).await?;
    let rows = found
        .iter()
        .map(|s| {
            let p = &s.petition;
            let (due, left, overdue) = match (p.next_due(), tree.get(&p.unit_code)) {
                (Some(due), Some(unit)) => {
                    let (left, overdue) = time_left(&calendars.for_unit(unit), authed.at, due);
                    (local_time(due), left, overdue)
                }
                (Some(due), None) => (local_time(due), String::new(), due < authed.at),
                (None, _) => ("—".to_owned(), String::new(), false),
            };
            Row {
                code: p.code.to_string(),
                kind: p.kind.label_vi(),
                subject: p.subject.label_vi(),
                name: p.name.clone(),
                unit: display::capitalise(&unit_label(&tree, &p.unit_code)),
                received: local_time(p.received_at),
                state: p.state.label_vi(),
                due,
                left,
                overdue,
            }
        })
        .collect();
    let next = match found.last() {
        Some(last) if found.len() >= PETITION_PAGE => format!(
            "/petitions?unit={unit}&after={}~{}",
            last.petition
                .next_due()
                .map_or(i64::MAX, motcua_core::timestamp::Timestamp::as_micros),
            last.petition.code
        ),
        _ => String::new(),
    };
    let page = ListPage {
        nav: Nav::new(&authed, &tree),
        rows,
        next,
    };
    Ok(Html(page.render()?).into_response())
}
