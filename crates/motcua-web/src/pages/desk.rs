//! The worklist (`GET /desk`): the open dossiers of a unit's subtree, most pressing first.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::desk::{self, Urgency};
use motcua_core::access::Action;
use motcua_core::display;

use super::reception::UnitQuery;
use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, local_time, unit_label};
use crate::{AppState, Authed};

struct WorkRow {
    code: String,
    procedure: String,
    unit: String,
    status: &'static str,
    due: String,
    urgency: &'static str,
    class: &'static str,
}

#[derive(Template)]
#[template(path = "desk.html")]
struct DeskPage {
    nav: Nav,
    scope_name: String,
    rows: Vec<WorkRow>,
    summary: String,
    can_receive: bool,
}

/// `GET /desk?unit=CODE`: the open dossiers of a unit's subtree, most pressing first.
pub async fn worklist(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::ViewIndicators, &unit)?;
    let procedures = state.store.procedures().await.map_err(AppError::from)?;
    let items = desk::worklist(&state.store, &authed.principal, authed.at).await?;
    let mine: Vec<&desk::WorkItem> = items
        .iter()
        .filter(|i| {
            tree.is_within(&i.dossier.unit_code, &unit)
                || tree.is_within(&i.lifecycle.handling_unit, &unit)
        })
        .collect();
    let count = |u: Urgency| mine.iter().filter(|i| i.urgency == u).count() as u64;
    let summary = format!(
        "{} hồ sơ đang giải quyết: {} quá hạn, {} đến hạn hôm nay, {} đến hạn trong 2 ngày làm việc.",
        display::count(mine.len() as u64),
        display::count(count(Urgency::Overdue)),
        display::count(count(Urgency::DueToday)),
        display::count(count(Urgency::DueSoon)),
    );
    let rows: Vec<WorkRow> = mine
        .iter()
        .map(|i| WorkRow {
            code: i.dossier.code.to_string(),
            procedure: procedures
                .iter()
                .find(|p| p.code == i.dossier.procedure_code)
                .map_or_else(|| i.dossier.procedure_code.to_string(), |p| p.name.clone()),
            unit: unit_label(&tree, &i.lifecycle.handling_unit),
            status: i.lifecycle.status.name_vi(),
            due: local_time(i.dossier.due_at),
            urgency: i.urgency.name_vi(),
            class: match i.urgency {
                Urgency::Overdue => "overdue",
                Urgency::DueToday => "today",
                Urgency::DueSoon => "soon",
                Urgency::Paused => "paused",
                Urgency::OnTrack => "ontrack",
            },
        })
        .collect();
    let page = DeskPage {
        nav: Nav::new(&authed, &tree),
        scope_name: unit_label(&tree, &unit),
        rows,
        summary,
        can_receive: authed.principal.may(Action::ReceiveDossier),
    };
    Ok(Html(page.render()?).into_response())
}
