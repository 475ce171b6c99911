//! The worklist (`GET /desk`): the dossiers of a unit's subtree still at the desk (being
//! handled, or settled and waiting to be handed back), a page of at most 100 at a time by
//! keyset, with its filters (state, procedure, field, unit, reception dates), its sort and
//! its exports (`format=csv|xlsx`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::desk::Urgency;
use motcua_app::lists::{self, WorkRow};
use motcua_core::access::Action;
use motcua_core::display;
use motcua_core::lists::{SortKey, WorkStatus};
use motcua_core::procedure::Procedure;
use motcua_core::unit::{UnitCode, UnitTree};
use serde::Deserialize;

use super::list_view::{Choice, FieldErrors, FilterForm, ListParams, Pager, export, link};
use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, UnitOption, local_time, unit_label, unit_options};
use crate::{AppState, Authed};

struct Row {
    code: String,
    applicant: String,
    procedure: String,
    unit: String,
    status: &'static str,
    received: String,
    due: String,
    urgency: &'static str,
    class: &'static str,
}

/// A tab of the states, with its count.
struct Tab {
    href: String,
    label: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "desk.html")]
struct DeskPage {
    nav: Nav,
    scope_name: String,
    unit_code: String,
    units: Vec<UnitOption>,
    statuses: Vec<Choice>,
    tabs: Vec<Tab>,
    filters: FilterForm,
    errors: FieldErrors,
    rows: Vec<Row>,
    summary: String,
    count: String,
    pager: Pager,
    can_receive: bool,
    shown: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeskQuery {
    unit: String,
    status: String,
    #[serde(flatten)]
    list: ListParams,
}

fn procedure_name(procedures: &[Procedure], row: &WorkRow) -> String {
    let code = &row.held.dossier.procedure_code;
    procedures
        .iter()
        .find(|p| &p.code == code)
        .map_or_else(|| code.to_string(), |p| p.name.clone())
}

fn applicant(row: &WorkRow) -> String {
    row.held
        .details
        .as_ref()
        .map(|d| d.applicant.name.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "—".to_owned())
}

fn class(u: Urgency) -> &'static str {
    match u {
        Urgency::Overdue => "overdue",
        Urgency::DueToday => "today",
        Urgency::DueSoon => "soon",
        Urgency::Paused => "paused",
        Urgency::OnTrack => "ontrack",
        Urgency::AwaitingReturn => "return",
    }
}

fn row(tree: &UnitTree, procedures: &[Procedure], r: &WorkRow) -> Row {
    let d = &r.held.dossier;
    Row {
        code: d.code.to_string(),
        applicant: applicant(r),
        procedure: procedure_name(procedures, r),
        unit: unit_label(tree, &r.held.lifecycle.handling_unit),
        status: r.held.lifecycle.status.name_vi(),
        received: local_time(d.received_at),
        due: local_time(d.due_at),
        urgency: r.urgency.name_vi(),
        class: class(r.urgency),
    }
}

const HEADERS: [&str; 9] = [
    "Mã hồ sơ",
    "Người nộp",
    "Thủ tục",
    "Đơn vị tiếp nhận",
    "Đơn vị giải quyết",
    "Trạng thái",
    "Tiếp nhận lúc",
    "Hẹn trả",
    "Tình trạng",
];

fn export_row(tree: &UnitTree, procedures: &[Procedure], r: &WorkRow) -> Vec<String> {
    let d = &r.held.dossier;
    vec![
        d.code.to_string(),
        applicant(r),
        procedure_name(procedures, r),
        unit_label(tree, &d.unit_code),
        unit_label(tree, &r.held.lifecycle.handling_unit),
        r.held.lifecycle.status.name_vi().to_owned(),
        local_time(d.received_at),
        local_time(d.due_at),
        r.urgency.name_vi().to_owned(),
    ]
}

/// `GET /desk?unit=CODE&status=…&procedure=…&field=…&from=…&to=…&sort=…&dir=…&after=…`:
/// a page of the worklist of a unit's subtree; `format=csv|xlsx` exports the whole list.
pub async fn worklist(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<DeskQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::ViewIndicators, &unit)?;
    let procedures = state.store.procedures().await.map_err(AppError::from)?;
    let mut errors = FieldErrors::default();
    let status = WorkStatus::from_key(&q.status).unwrap_or_else(|| {
        errors.add("status", "Chọn một tình trạng trong danh sách.");
        WorkStatus::All
    });
    let read = q.list.read(&procedures, SortKey::Due, &mut errors);
    let mut pairs: Vec<(&'static str, String)> = vec![("unit", unit.to_string())];
    if status != WorkStatus::All {
        pairs.push(("status", status.key().to_owned()));
    }
    pairs.extend(q.list.pairs());
    let mut page = DeskPage {
        nav: Nav::new(&authed, &tree),
        scope_name: unit_label(&tree, &unit),
        unit_code: unit.to_string(),
        units: unit_options(&tree, &authed.principal.unit, &unit),
        statuses: WorkStatus::ALL
            .into_iter()
            .map(|s| Choice {
                value: s.key().to_owned(),
                label: s.name_vi().to_owned(),
                selected: s == status,
            })
            .collect(),
        tabs: Vec::new(),
        filters: q.list.form(&procedures, read.query.sort),
        errors,
        rows: Vec::new(),
        summary: String::new(),
        count: String::new(),
        pager: Pager::new("/desk", &pairs, &read.query.at, None, None),
        can_receive: authed.principal.may(Action::ReceiveDossier),
        shown: false,
    };
    if !page.errors.is_empty() {
        return Ok((StatusCode::BAD_REQUEST, Html(page.render()?)).into_response());
    }
    let (principal, at) = (&authed.principal, authed.at);
    if let Some(format) = read.export {
        let all =
            lists::worklist_rows(&state.store, principal, &unit, status, &read.query, at).await?;
        let rows: Vec<Vec<String>> = all
            .iter()
            .map(|r| export_row(&tree, &procedures, r))
            .collect();
        return Ok(export(format, "ho-so-dang-giai-quyet", &HEADERS, &rows)?);
    }
    let list = lists::worklist(&state.store, principal, &unit, status, &read.query, at).await?;
    let c = list.counts;
    page.summary = format!(
        "{} hồ sơ tại bộ phận: {} hồ sơ đang giải quyết ({} quá hạn, {} đến hạn trong 2 ngày làm việc, {} đang dừng tính thời gian), {} hồ sơ chờ trả kết quả.",
        display::count(c.all),
        display::count(c.open),
        display::count(c.overdue),
        display::count(c.due_soon),
        display::count(c.paused),
        display::count(c.awaiting_return),
    );
    page.count = display::count(c.of(status));
    page.tabs = tabs(&unit, &q.list, &c, status);
    page.rows = list
        .rows
        .iter()
        .map(|r| row(&tree, &procedures, r))
        .collect();
    page.pager = Pager::new(
        "/desk",
        &pairs,
        &read.query.at,
        list.prev.as_ref(),
        list.next.as_ref(),
    );
    page.shown = true;
    Ok(Html(page.render()?).into_response())
}

/// The states as tabs, each with its count, keeping the other filters.
fn tabs(
    unit: &UnitCode,
    list: &ListParams,
    c: &motcua_store::WorkCounts,
    current: WorkStatus,
) -> Vec<Tab> {
    WorkStatus::ALL
        .into_iter()
        .map(|s| {
            let mut pairs = vec![("unit", unit.to_string())];
            if s != WorkStatus::All {
                pairs.push(("status", s.key().to_owned()));
            }
            pairs.extend(list.pairs());
            Tab {
                href: link("/desk", &pairs),
                label: format!("{} ({})", s.name_vi(), display::count(c.of(s))),
                current: s == current,
            }
        })
        .collect()
}
