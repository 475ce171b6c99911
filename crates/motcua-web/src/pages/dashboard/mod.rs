//! The indicator dashboard (`GET /`): the month's figures of a unit, its units ranked, the
//! trend over twelve months, the lists of the monthly report and the follow-up form.

mod model;
mod trend;

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use motcua_core::access::Action;
use motcua_core::timestamp::Month;

use crate::catalogue::tree;
use crate::error::PageError;
use crate::extract::parse_month;
use crate::view::Nav;
use crate::{AppState, Authed, WebError};
use model::{DashboardPage, SortDir};

/// The dashboard's query: `unit`, `month` (`YYYY-MM`), and the unit table's order: `sort` (an
/// indicator's contract id) and `dir` (`desc`, the default, or `asc`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DashboardQuery {
    unit: Option<String>,
    month: Option<String>,
    sort: Option<String>,
    dir: String,
}

/// `GET /?unit=CODE&month=YYYY-MM`: the indicator dashboard; defaults to the caller's unit
/// and the month of the latest dossier.
pub async fn dashboard(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(q.unit.as_deref())?;
    authed.check(&tree, Action::ViewIndicators, &unit)?;
    let nav = Nav::new(&authed, &tree);
    let month = match q.month.as_deref().filter(|m| !m.is_empty()) {
        Some(m) => parse_month(m)?,
        None => {
            let last = state
                .store
                .last_received_at()
                .await
                .map_err(motcua_app::AppError::from)?;
            match last {
                Some(t) => {
                    let d = t.local_date();
                    Month::new(d.year(), d.month() as u8)
                        .map_err(|e| WebError::Internal(e.to_string()))?
                }
                None => return Ok(Html(model::empty_page(nav)?).into_response()),
            }
        }
    };
    let report =
        motcua_app::indicators_with(&state.store, tree.catalogue(), unit.as_str(), month).await?;
    let sort = match q.sort.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(id) => Some((
            motcua_core::rates::RateId::from_id(id).ok_or_else(|| {
                WebError::BadRequest(format!("Không có chỉ số «{id}» để xếp hạng"))
            })?,
            SortDir::parse(&q.dir),
        )),
    };
    let trend =
        motcua_app::trend_with(&state.store, tree.catalogue(), unit.as_str(), month, 12).await?;
    let may_follow_up = authed.principal.may(Action::FollowUp);
    let targets = motcua_app::targets(&state.store).await?;
    let follow_ups =
        motcua_app::followup::list(&state.store, &authed.principal, &unit, month, authed.at)
            .await?;
    let own = tree
        .get(&authed.principal.unit)
        .ok_or_else(|| WebError::Internal("the viewer's unit is not in the tree".to_owned()))?;
    let proposed_due =
        motcua_app::followup::proposed_due(&state.store, month, authed.at, own).await?;
    let options = model::DashboardOptions {
        sort,
        trend: &trend,
        may_follow_up,
        targets: &targets,
        finished: motcua_core::followup::month_finished(month, authed.at.local_date()),
        follow_ups: &follow_ups,
        proposed_due,
        this_month: Month::of(authed.at),
    };
    let page = DashboardPage::new(&tree, &authed.principal.unit, &report, nav, &options);
    Ok(Html(page.render()?).into_response())
}
