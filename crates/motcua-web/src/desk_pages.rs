//! The officers' pages: the worklist, the reception form, a dossier's page with its timeline
//! and the steps the officer may take.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::desk::{self, Reception, Urgency};
use motcua_core::access::Action;
use motcua_core::dossier::{Channel, SubmissionLevel};
use motcua_core::lifecycle::Step;
use motcua_core::unit::{UnitCode, UnitTree};
use motcua_core::{display, money, search};
use motcua_store::Store;
use serde::Deserialize;

use crate::error::PageError;
use crate::handlers::tree;
use crate::view::{Nav, UnitOption, local_time, unit_label, unit_options};
use crate::{AppState, Authed, WebError};

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

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnitQuery {
    unit: String,
    q: String,
}

/// `GET /desk?unit=CODE`: the open dossiers of a unit's subtree, most pressing first.
pub async fn worklist<S: Store>(
    State(state): State<AppState<S>>,
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

struct ProcedureRow {
    code: String,
    name: String,
    field: String,
    days: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "receive.html")]
struct ReceivePage {
    nav: Nav,
    q: String,
    procedures: Vec<ProcedureRow>,
    units: Vec<UnitOption>,
    error: String,
}

async fn receive_page<S: Store>(
    state: &AppState<S>,
    authed: &Authed,
    tree: &UnitTree,
    unit: &UnitCode,
    q: &str,
    status: StatusCode,
    error: &str,
) -> Result<Response, PageError> {
    let procedures: Vec<ProcedureRow> = state
        .store
        .procedures()
        .await
        .map_err(AppError::from)?
        .into_iter()
        .filter(|p| tree.get(unit).is_some_and(|u| p.offered_by_unit(u)))
        .filter(|p| search::matches(q, &[&p.name, p.code.as_str(), &p.field]))
        .take(50)
        .map(|p| ProcedureRow {
            days: format!(
                "{} ngày làm việc",
                motcua_core::procedure::processing_days_text(p.processing_days).replace('.', ",")
            ),
            code: p.code.to_string(),
            name: p.name,
            field: p.field,
            selected: false,
        })
        .collect();
    let page = ReceivePage {
        nav: Nav::new(authed, tree),
        q: q.to_owned(),
        procedures,
        units: unit_options(tree, &authed.principal.unit, unit),
        error: error.to_owned(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /desk/new?unit=CODE&q=TEXT`: the reception form; `q` searches procedures by name,
/// code or field, with or without diacritics.
pub async fn receive_form<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Query(q): Query<UnitQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::ReceiveDossier, &unit)?;
    receive_page(&state, &authed, &tree, &unit, &q.q, StatusCode::OK, "").await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReceiveForm {
    csrf: String,
    unit: String,
    procedure: String,
    channel: String,
    online_level: String,
    components_total: String,
    components_digitized: String,
    fee_vnd: String,
}

/// A count or an amount typed in a form: empty is 0, thousands may be dotted (`8.000`).
fn number<T: std::str::FromStr + Default>(text: &str, what: &str) -> Result<T, String> {
    let t = text.trim().replace('.', "");
    if t.is_empty() {
        return Ok(T::default());
    }
    t.parse()
        .map_err(|_| format!("{what} phải là số không âm: «{text}»"))
}

impl ReceiveForm {
    fn reception(&self) -> Result<Reception, String> {
        let channel = match self.channel.as_str() {
            "direct" => Channel::Direct,
            "postal" => Channel::Postal,
            "online" => Channel::Online,
            other => return Err(format!("kênh tiếp nhận không hợp lệ: «{other}»")),
        };
        let online_level = match (channel, self.online_level.as_str()) {
            (Channel::Online, "partial") => Some(SubmissionLevel::Partial),
            (Channel::Online, _) => Some(SubmissionLevel::Full),
            _ => None,
        };
        if self.procedure.trim().is_empty() {
            return Err("hãy chọn thủ tục hành chính".to_owned());
        }
        Ok(Reception {
            procedure: self.procedure.clone(),
            unit: self.unit.clone(),
            channel,
            online_level,
            components_total: number(&self.components_total, "số thành phần hồ sơ")?,
            components_digitized: number(&self.components_digitized, "số thành phần đã số hóa")?,
            fee_vnd: number(&self.fee_vnd, "lệ phí")?,
        })
    }
}

/// `POST /desk/new`: receives the dossier and opens its page.
pub async fn receive<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Form(form): Form<ReceiveForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&form.unit))?;
    authed.check(&tree, Action::ReceiveDossier, &unit)?;
    let refused = match form.reception() {
        Err(msg) => msg,
        Ok(reception) => {
            match desk::receive(&state.store, &authed.principal, &reception, &authed.ctx()).await {
                Ok(h) => {
                    return Ok(
                        Redirect::to(&format!("/dossiers/{}", h.dossier.code)).into_response()
                    );
                }
                Err(AppError::Refused(msg)) => msg,
                Err(e) => return Err(e.into()),
            }
        }
    };
    receive_page(
        &state,
        &authed,
        &tree,
        &unit,
        "",
        StatusCode::BAD_REQUEST,
        &refused,
    )
    .await
}

struct EventRow {
    at: String,
    actor: String,
    what: String,
}

#[derive(Template)]
#[template(path = "dossier.html")]
struct DossierPage {
    nav: Nav,
    code: String,
    procedure: String,
    unit: String,
    handling_unit: String,
    status: &'static str,
    channel: &'static str,
    received: String,
    due: String,
    resolved: String,
    components: String,
    fee: String,
    fee_words: String,
    pauses: Vec<(String, String, String)>,
    events: Vec<EventRow>,
    steps: Vec<(&'static str, String, bool)>,
    error: String,
}

/// A step's Vietnamese name as a button or a timeline line says it: capitalised.
fn step_label(step: &Step) -> String {
    let name = step.name_vi();
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn event_text(e: &motcua_core::dossier::DossierEvent) -> String {
    use motcua_core::dossier::EventKind;
    match e.kind {
        EventKind::Received => "Tiếp nhận hồ sơ".to_owned(),
        EventKind::Step => {
            let Ok(step) = serde_json::from_value::<Step>(e.detail["step"].clone()) else {
                return "Thao tác".to_owned();
            };
            let mut text = step_label(&step);
            if let Some(r) = step.reason() {
                text.push_str(&format!(": {r}"));
            }
            if e.detail["due_at"]["before"] != e.detail["due_at"]["after"] {
                text.push_str(" (ngày hẹn trả được tính lại)");
            }
            text
        }
        EventKind::Imported => "Nhập từ hệ thống khác".to_owned(),
        EventKind::ImportUpdated => "Cập nhật từ tệp nhập".to_owned(),
        EventKind::DueReplanned => "Tính lại ngày hẹn do lịch nghỉ thay đổi".to_owned(),
        EventKind::ReceiptIssued => "Cấp biên lai điện tử".to_owned(),
    }
}

async fn dossier_page<S: Store>(
    state: &AppState<S>,
    authed: &Authed,
    code: &str,
    status: StatusCode,
    error: &str,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let h = desk::get(&state.store, &authed.principal, code).await?;
    let d = &h.dossier;
    let procedure = state
        .store
        .procedures()
        .await
        .map_err(AppError::from)?
        .into_iter()
        .find(|p| p.code == d.procedure_code)
        .map_or_else(|| d.procedure_code.to_string(), |p| p.name);
    let events = state
        .store
        .dossier_events(&d.code)
        .await
        .map_err(AppError::from)?
        .iter()
        .map(|e| EventRow {
            at: local_time(e.at),
            actor: e.actor.clone(),
            what: event_text(e),
        })
        .collect();
    let page = DossierPage {
        nav: Nav::new(authed, &tree),
        code: d.code.to_string(),
        procedure,
        unit: unit_label(&tree, &d.unit_code),
        handling_unit: unit_label(&tree, &h.lifecycle.handling_unit),
        status: h.lifecycle.status.name_vi(),
        channel: match d.channel {
            Channel::Direct => "Trực tiếp",
            Channel::Postal => "Qua bưu chính công ích",
            Channel::Online => "Trực tuyến",
        },
        received: local_time(d.received_at),
        due: local_time(d.due_at),
        resolved: d.resolved_at.map(local_time).unwrap_or_default(),
        components: format!(
            "{} thành phần, đã số hóa {}",
            d.components_total, d.components_digitized
        ),
        fee: money::vnd_in_figures(d.fee_vnd),
        fee_words: money::vnd_in_words(d.fee_vnd),
        pauses: h
            .lifecycle
            .pauses
            .iter()
            .map(|p| {
                (
                    p.kind.name_vi().to_owned(),
                    format!(
                        "{} – {}",
                        local_time(p.from),
                        p.to.map(local_time)
                            .unwrap_or_else(|| "đang dừng".to_owned())
                    ),
                    p.reason.clone(),
                )
            })
            .collect(),
        events,
        steps: desk::possible_steps(&authed.principal, &h.lifecycle)
            .iter()
            .map(|s| (s.as_str(), step_label(s), s.needs_reason()))
            .collect(),
        error: error.to_owned(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /dossiers/{code}`: the dossier, its appointment, the clock's pauses, its history and
/// the steps the officer may take.
pub async fn dossier<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    dossier_page(&state, &authed, &code, StatusCode::OK, "").await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StepForm {
    csrf: String,
    step: String,
    reason: String,
    result_digitized: String,
}

/// `POST /dossiers/{code}/steps`: takes the step and shows the dossier again (with the
/// reason when the rules refuse it).
pub async fn step<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Path(code): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let reason = form.reason.trim().to_owned();
    let step = match form.step.as_str() {
        "start_processing" => Step::StartProcessing,
        "request_supplement" => Step::RequestSupplement { reason },
        "supplemented" => Step::Supplemented,
        "suspend" => Step::Suspend { reason },
        "resume" => Step::Resume,
        "approve" => Step::Approve {
            result_digitized: form.result_digitized == "on" || form.result_digitized == "true",
        },
        "reject" => Step::Reject { reason },
        "return_result" => Step::ReturnResult,
        "withdraw" => Step::Withdraw { reason },
        other => {
            return Err(WebError::BadRequest(format!("thao tác không hợp lệ: «{other}»")).into());
        }
    };
    match desk::take_step(&state.store, &authed.principal, &code, &step, &authed.ctx()).await {
        Ok(h) => Ok(Redirect::to(&format!("/dossiers/{}", h.dossier.code)).into_response()),
        Err(AppError::Refused(msg)) => {
            dossier_page(&state, &authed, &code, StatusCode::CONFLICT, &msg).await
        }
        Err(e) => Err(e.into()),
    }
}
