//! Follow-ups of units below target: the list of a month (`GET /follow-ups`), the request
//! from the dashboard (`POST /follow-ups`) and the unit's report (`POST /follow-ups/submit`).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_core::access::Action;
use motcua_core::followup::FollowUpState;
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitCode;
use serde::Deserialize;

use crate::catalogue::tree;
use crate::error::PageError;
use crate::extract::parse_month;
use crate::view::{Nav, month_label, unit_label};
use crate::{AppState, Authed, WebError};

struct Row {
    code: String,
    unit: String,
    note: String,
    due: String,
    state: &'static str,
    overdue: bool,
    report: String,
    can_submit: bool,
}

#[derive(Template)]
#[template(path = "followups.html")]
struct FollowUpsPage {
    nav: Nav,
    month: String,
    month_label: String,
    rows: Vec<Row>,
    error: String,
}

async fn page(
    state: &AppState,
    authed: &Authed,
    unit: &UnitCode,
    month: Month,
    status: StatusCode,
    error: &str,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let may = authed.principal.may(Action::FollowUp);
    let rows = motcua_app::followup::list(&state.store, &authed.principal, unit, month, authed.at)
        .await?
        .into_iter()
        .map(|(f, s)| Row {
            code: f.unit.to_string(),
            unit: unit_label(&tree, &f.unit),
            note: f.note.clone(),
            due: format!("{}/{}/{}", f.due.day(), f.due.month() as u8, f.due.year()),
            state: s.name_vi(),
            overdue: s == FollowUpState::Overdue,
            report: f
                .submitted
                .as_ref()
                .map(|x| x.report.clone())
                .unwrap_or_default(),
            can_submit: may && f.submitted.is_none(),
        })
        .collect();
    let page = FollowUpsPage {
        nav: Nav::new(authed, &tree),
        month: month.to_string(),
        month_label: month_label(month),
        rows,
        error: error.to_owned(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MonthQuery {
    unit: String,
    month: String,
}

/// `GET /follow-ups?month=YYYY-MM`: the follow-ups of the caller's subtree for a month.
pub async fn list(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<MonthQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::ViewIndicators, &unit)?;
    let month = parse_month(&q.month)?;
    page(&state, &authed, &unit, month, StatusCode::OK, "").await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CreateForm {
    csrf: String,
    unit: String,
    month: String,
    due: String,
}

/// `POST /follow-ups`: asks a unit below target for its remediation report by a date.
pub async fn create(
    State(state): State<AppState>,
    authed: Authed,
    Form(form): Form<CreateForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let month = parse_month(&form.month)?;
    let due = time::Date::parse(
        form.due.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| WebError::BadRequest(format!("hạn báo cáo không hợp lệ: «{}»", form.due)))?;
    match motcua_app::followup::create(
        &state.store,
        &authed.principal,
        &form.unit,
        month,
        due,
        &authed.ctx(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/follow-ups?month={month}")).into_response()),
        Err(AppError::Refused(m)) => {
            let own = authed.principal.unit.clone();
            page(&state, &authed, &own, month, StatusCode::CONFLICT, &m).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SubmitForm {
    csrf: String,
    unit: String,
    month: String,
    report: String,
}

/// `POST /follow-ups/submit`: the unit's remediation report.
pub async fn submit(
    State(state): State<AppState>,
    authed: Authed,
    Form(form): Form<SubmitForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let month = parse_month(&form.month)?;
    match motcua_app::followup::submit(
        &state.store,
        &authed.principal,
        &form.unit,
        month,
        &form.report,
        &authed.ctx(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/follow-ups?month={month}")).into_response()),
        Err(AppError::Refused(m)) => {
            let own = authed.principal.unit.clone();
            page(&state, &authed, &own, month, StatusCode::CONFLICT, &m).await
        }
        Err(e) => Err(e.into()),
    }
}
