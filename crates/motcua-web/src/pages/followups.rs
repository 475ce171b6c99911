//! Follow-ups of units below target: the list (`GET /follow-ups`, every month or one), the
//! request from the dashboard (`POST /follow-ups`) and the unit's report
//! (`POST /follow-ups/submit`). Every action ends on the list with a notice saying what
//! happened (post/redirect/get: `done=asked|submitted&for=UNIT`).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_core::access::Action;
use motcua_core::display;
use motcua_core::followup::{FollowUp, FollowUpState};
use motcua_core::timestamp::Month;
use motcua_core::unit::{UnitCode, UnitTree};
use serde::Deserialize;

use crate::catalogue::tree;
use crate::error::PageError;
use crate::extract::parse_month;
use crate::view::{MonthOption, Nav, month_label, month_options, unit_label};
use crate::{AppState, Authed};

struct Row {
    code: String,
    month: String,
    month_label: String,
    unit: String,
    note: String,
    due: String,
    state: &'static str,
    overdue: bool,
    report: String,
    /// The unit's own people send its report: the form is theirs only.
    can_submit: bool,
}

/// The submit form of one row as it was sent and refused: the text kept, the error beside it.
#[derive(Default)]
struct Refused {
    unit: String,
    month: String,
    report: String,
    error: String,
}

#[derive(Template)]
#[template(path = "followups.html")]
struct FollowUpsPage {
    nav: Nav,
    /// The month shown (`2024-05`), empty for every month.
    month: String,
    month_options: Vec<MonthOption>,
    heading: String,
    rows: Vec<Row>,
    /// What the last action did, or why it was refused (for the request form).
    done: String,
    error: String,
    refused: Refused,
}

fn row(tree: &UnitTree, f: &FollowUp, s: FollowUpState, own: &UnitCode, may: bool) -> Row {
    Row {
        code: f.unit.to_string(),
        month: f.month.to_string(),
        month_label: display::capitalise(&month_label(f.month)),
        unit: display::capitalise(&unit_label(tree, &f.unit)),
        note: f.note.clone(),
        due: display::date(f.due),
        state: s.name_vi(),
        overdue: s == FollowUpState::Overdue,
        report: f
            .submitted
            .as_ref()
            .map(|x| x.report.clone())
            .unwrap_or_default(),
        can_submit: may && f.submitted.is_none() && &f.unit == own,
    }
}

struct Shown<'a> {
    month: Option<Month>,
    status: StatusCode,
    done: String,
    error: String,
    refused: Refused,
    unit: &'a UnitCode,
}

async fn page(state: &AppState, authed: &Authed, shown: Shown<'_>) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let may = authed.principal.may(Action::FollowUp);
    let own = &authed.principal.unit;
    let found = match shown.month {
        Some(m) => {
            motcua_app::followup::list(&state.store, &authed.principal, shown.unit, m, authed.at)
                .await?
        }
        None => {
            motcua_app::followup::list_all(&state.store, &authed.principal, shown.unit, authed.at)
                .await?
        }
    };
    let rows = found
        .iter()
        .map(|(f, s)| row(&tree, f, *s, own, may))
        .collect();
    let page = FollowUpsPage {
        nav: Nav::new(authed, &tree),
        month: shown.month.map(|m| m.to_string()).unwrap_or_default(),
        month_options: month_options(shown.month, Month::of(authed.at)),
        heading: shown.month.map_or_else(
            || "Theo dõi báo cáo khắc phục".to_owned(),
            |m| format!("Theo dõi báo cáo khắc phục – {}", month_label(m)),
        ),
        rows,
        done: shown.done,
        error: shown.error,
        refused: shown.refused,
    };
    Ok((shown.status, Html(page.render()?)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    unit: String,
    /// `YYYY-MM`; empty for every month.
    month: String,
    /// `asked` or `submitted`, after a redirect.
    done: String,
    /// The unit the action was about.
    #[serde(rename = "for")]
    about: String,
}

/// The notice after an action: what was done, for which unit, the deadline.
fn done_text(tree: &UnitTree, done: &str, about: &str, month: Option<Month>, due: &str) -> String {
    let Some(unit) = tree.find(about) else {
        return String::new();
    };
    let unit = unit_label(tree, &unit.code);
    let month = month.map(month_label).unwrap_or_default();
    match done {
        "asked" if !due.is_empty() => format!(
            "Đã yêu cầu {unit} gửi báo cáo khắc phục {month}, hạn {due}. Đơn vị nhận được thông báo khi đăng nhập."
        ),
        "asked" => format!("Đã yêu cầu {unit} gửi báo cáo khắc phục {month}."),
        "submitted" => format!("Đã gửi báo cáo khắc phục {month} của {unit}."),
        _ => String::new(),
    }
}

/// `GET /follow-ups?month=YYYY-MM`: the follow-ups of the caller's subtree for a month, or of
/// every month (newest first) without one.
pub async fn list(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::ViewIndicators, &unit)?;
    let month = match q.month.trim() {
        "" => None,
        m => Some(parse_month(m)?),
    };
    let due = match month {
        Some(m) if q.done == "asked" => state
            .store
            .follow_ups(m)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .find(|f| f.unit.as_str() == q.about)
            .map(|f| display::date(f.due))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let done = done_text(&tree, &q.done, &q.about, month, &due);
    let shown = Shown {
        month,
        status: StatusCode::OK,
        done,
        error: String::new(),
        refused: Refused::default(),
        unit: &unit,
    };
    page(&state, &authed, shown).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CreateForm {
    csrf: String,
    unit: String,
    month: String,
    due: String,
}

/// `POST /follow-ups`: asks a unit below target for its remediation report by a date
/// (`dd/mm/yyyy`, as the dashboard's form proposes it).
pub async fn create(
    State(state): State<AppState>,
    authed: Authed,
    Form(form): Form<CreateForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let month = parse_month(&form.month)?;
    let own = authed.principal.unit.clone();
    let refuse = |error: String| Shown {
        month: Some(month),
        status: StatusCode::CONFLICT,
        done: String::new(),
        error,
        refused: Refused::default(),
        unit: &own,
    };
    let Some(due) = display::parse_date(&form.due) else {
        let error = format!(
            "Hạn báo cáo «{}» không phải là ngày; nhập theo dạng ngày/tháng/năm, ví dụ 24/06/2024.",
            form.due.trim()
        );
        return page(&state, &authed, refuse(error)).await;
    };
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
        Ok(f) => Ok(Redirect::to(&format!(
            "/follow-ups?month={month}&done=asked&for={}",
            f.unit
        ))
        .into_response()),
        Err(AppError::Refused(m)) => page(&state, &authed, refuse(display::capitalise(&m))).await,
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
        Ok(()) => Ok(Redirect::to(&format!(
            "/follow-ups?month={month}&done=submitted&for={}",
            form.unit
        ))
        .into_response()),
        Err(AppError::Refused(m)) => {
            let own = authed.principal.unit.clone();
            let shown = Shown {
                month: Some(month),
                status: StatusCode::CONFLICT,
                done: String::new(),
                error: String::new(),
                refused: Refused {
                    unit: form.unit.clone(),
                    month: month.to_string(),
                    report: form.report.clone(),
                    error: display::capitalise(&m),
                },
                unit: &own,
            };
            page(&state, &authed, shown).await
        }
        Err(e) => Err(e.into()),
    }
}

impl FollowUpsPage {
    /// The text to put back in a row's report box (what was typed, when it was refused).
    fn typed(&self, r: &Row) -> &str {
        if self.refused.unit == r.code && self.refused.month == r.month {
            &self.refused.report
        } else {
            ""
        }
    }

    /// The refusal to show beside a row's report box.
    fn refusal(&self, r: &Row) -> &str {
        if self.refused.unit == r.code && self.refused.month == r.month {
            &self.refused.error
        } else {
            ""
        }
    }
}
