//! The dossiers behind a figure of the dashboard (`GET /dossiers`).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use motcua_app::AppError;
use motcua_core::access::Action;
use motcua_core::counts::Figure;
use motcua_core::display;
use serde::Deserialize;

use crate::catalogue::tree;
use crate::error::PageError;
use crate::extract::parse_month;
use crate::view::{Nav, local_time, month_label, unit_label};
use crate::{AppState, Authed, WebError};

struct ListRow {
    code: String,
    unit: String,
    procedure: String,
    received: String,
    due: String,
    resolved: String,
}

#[derive(Template)]
#[template(path = "dossier_list.html")]
struct DossierListPage {
    nav: Nav,
    title: String,
    summary: String,
    unit_code: String,
    month: String,
    rows: Vec<ListRow>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    unit: String,
    month: String,
    count: String,
}

/// `GET /dossiers?unit=CODE&month=YYYY-MM&count=KEY`: the dossiers behind a figure of the
/// dashboard (e.g. `resolved_late`: the month's late dossiers), as many as the figure says.
pub async fn list(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::ViewIndicators, &unit)?;
    let month = parse_month(&q.month)?;
    let figure = Figure::from_key(&q.count)
        .ok_or_else(|| WebError::BadRequest(format!("không có chỉ tiêu đếm «{}»", q.count)))?;
    let dossiers = motcua_app::dossiers_behind(&state.store, unit.as_str(), month, figure).await?;
    let procedures = state.store.procedures().await.map_err(AppError::from)?;
    let rows = dossiers
        .iter()
        .map(|d| ListRow {
            code: d.code.to_string(),
            unit: unit_label(&tree, &d.unit_code),
            procedure: procedures
                .iter()
                .find(|p| p.code == d.procedure_code)
                .map_or_else(|| d.procedure_code.to_string(), |p| p.name.clone()),
            received: local_time(d.received_at),
            due: local_time(d.due_at),
            resolved: d.resolved_at.map(local_time).unwrap_or_default(),
        })
        .collect::<Vec<_>>();
    let page = DossierListPage {
        nav: Nav::new(&authed, &tree),
        title: format!(
            "{} – {} – {}",
            figure.title_vi(),
            unit_label(&tree, &unit),
            month_label(month)
        ),
        summary: format!("{} hồ sơ.", display::count(rows.len() as u64)),
        unit_code: unit.to_string(),
        month: month.to_string(),
        rows,
    };
    Ok(Html(page.render()?).into_response())
}
