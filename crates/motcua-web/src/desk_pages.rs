//! The officers' pages: the worklist, the reception form, a dossier's page with its timeline
//! and the steps the officer may take.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::desk::{self, Reception, Urgency};
use motcua_core::access::Action;
use motcua_core::counts::Figure;
use motcua_core::details::{Applicant, Component, Slot};
use motcua_core::dossier::{Channel, PaymentChannel, SubmissionLevel};
use motcua_core::lifecycle::StepKind;
use motcua_core::unit::{UnitCode, UnitTree};
use motcua_core::{display, money, search};
use motcua_store::Store;
use serde::Deserialize;

use crate::error::PageError;
use crate::handlers::tree;
use crate::upload::{self, UploadForm};
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
    rows: Vec<usize>,
    max_mb: u64,
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
        rows: (0..COMPONENT_ROWS).collect(),
        max_mb: state.files.max_bytes().div_ceil(1024 * 1024),
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

/// The component lines of the reception form.
pub const COMPONENT_ROWS: usize = 6;

/// A count or an amount typed in a form: empty is 0, thousands may be dotted (`8.000`).
fn number<T: std::str::FromStr + Default>(text: &str, what: &str) -> Result<T, String> {
    let t = text.trim().replace('.', "");
    if t.is_empty() {
        return Ok(T::default());
    }
    t.parse()
        .map_err(|_| format!("{what} phải là số không âm: «{text}»"))
}

/// The reception form as sent: its fields and, per component line, the scan chosen.
fn reception_of(form: &UploadForm) -> Result<Reception, String> {
    let channel = match form.text("channel") {
        "direct" => Channel::Direct,
        "postal" => Channel::Postal,
        "online" => Channel::Online,
        other => return Err(format!("kênh tiếp nhận không hợp lệ: «{other}»")),
    };
    let online_level = match (channel, form.text("online_level")) {
        (Channel::Online, "partial") => Some(SubmissionLevel::Partial),
        (Channel::Online, _) => Some(SubmissionLevel::Full),
        _ => None,
    };
    if form.text("procedure").trim().is_empty() {
        return Err("hãy chọn thủ tục hành chính".to_owned());
    }
    let mut components = Vec::new();
    for i in 0..COMPONENT_ROWS {
        let name = form.text(&format!("component_{i}")).trim();
        if name.is_empty() {
            if form.file(&format!("scan_{i}")).is_some() {
                return Err(format!(
                    "dòng thành phần thứ {} có tệp quét nhưng chưa có tên giấy tờ",
                    i + 1
                ));
            }
            continue;
        }
        components.push(Component {
            name: name.to_owned(),
            originals: number(form.text(&format!("originals_{i}")), "số bản chính")?,
            copies: number(form.text(&format!("copies_{i}")), "số bản sao")?,
            scan: None,
        });
    }
    if components.is_empty() {
        return Err("hãy ghi ít nhất một thành phần hồ sơ".to_owned());
    }
    Ok(Reception {
        procedure: form.text("procedure").to_owned(),
        unit: form.text("unit").to_owned(),
        channel,
        online_level,
        components_total: components.len() as u32,
        components_digitized: 0,
        fee_vnd: number(form.text("fee_vnd"), "lệ phí")?,
        applicant: Applicant {
            name: form.text("applicant_name").trim().to_owned(),
            id_number: form.text("applicant_id").trim().to_owned(),
            address: form.text("applicant_address").trim().to_owned(),
            phone: form.text("applicant_phone").trim().to_owned(),
            email: form.text("applicant_email").trim().to_owned(),
        },
        request: form.text("request").trim().to_owned(),
        components,
    })
}

/// `POST /desk/new` (multipart, with a scan per component line if any): checks every file
/// first, receives the dossier, stores the scans and opens its page. A refused file refuses
/// the whole reception: nothing is stored.
pub async fn receive<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let form = upload::read(multipart, &state.files).await?;
    authed.check_csrf(Some(form.text("csrf")))?;
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(form.text("unit")))?;
    authed.check(&tree, Action::ReceiveDossier, &unit)?;
    let refused = match receive_with_scans(&state, &authed, &form).await {
        Ok(code) => return Ok(Redirect::to(&format!("/dossiers/{code}")).into_response()),
        Err(Ok((status, msg))) => (status, msg),
        Err(Err(e)) => return Err(e.into()),
    };
    receive_page(&state, &authed, &tree, &unit, "", refused.0, &refused.1).await
}

/// The reception of a form: the new dossier's code, or the refusal to show with the form
/// (`Err(Ok(..))`), or a failure (`Err(Err(..))`).
async fn receive_with_scans<S: Store>(
    state: &AppState<S>,
    authed: &Authed,
    form: &UploadForm,
) -> Result<String, Result<(StatusCode, String), AppError>> {
    if let Some(e) = &form.too_large {
        return Err(Ok((StatusCode::PAYLOAD_TOO_LARGE, e.to_string())));
    }
    let reception = reception_of(form).map_err(|m| Ok((StatusCode::BAD_REQUEST, m)))?;
    // Every file is checked before anything is stored.
    // Lines left empty are skipped: the checklist keeps the named ones, in order.
    let mut scans = Vec::new();
    let mut index = 0;
    for row in 0..COMPONENT_ROWS {
        if form.text(&format!("component_{row}")).trim().is_empty() {
            continue;
        }
        if let Some(file) = form.file(&format!("scan_{row}")) {
            state
                .files
                .check(&file.file_name, &file.bytes)
                .map_err(|e| Ok((StatusCode::BAD_REQUEST, e.to_string())))?;
            scans.push((index, file));
        }
        index += 1;
    }
    let refused = |e: AppError| match e {
        AppError::Refused(m) => Ok((StatusCode::BAD_REQUEST, m)),
        other => Err(other),
    };
    let h = desk::receive(&state.store, &authed.principal, &reception, &authed.ctx())
        .await
        .map_err(refused)?;
    let code = h.dossier.code.to_string();
    for (index, file) in scans {
        desk::attach_scan(
            &state.store,
            &state.files,
            &authed.principal,
            &code,
            Slot::Component(index),
            &file.file_name,
            &file.bytes,
            &authed.ctx(),
        )
        .await
        .map_err(refused)?;
    }
    Ok(code)
}

struct EventRow {
    at: String,
    actor: String,
    what: String,
}

struct ComponentRow {
    number: usize,
    name: String,
    originals: u32,
    copies: u32,
    /// The scan's link, name and size; empty when not digitized.
    scan_url: String,
    scan_name: String,
    scan_size: String,
}

struct StepRow {
    /// The `step` the form sends.
    step: &'static str,
    label: String,
    needs_reason: bool,
    /// A transfer: the form asks for the unit.
    takes_unit: bool,
    /// An apology: the form asks for the new appointment.
    takes_new_due: bool,
    /// An approval: the form asks whether the result is digitized.
    takes_result_digitized: bool,
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
    applicant: Applicant,
    request: String,
    has_details: bool,
    component_rows: Vec<ComponentRow>,
    result_scan: Option<ComponentRow>,
    may_receive: bool,
    may_attach_result: bool,
    max_mb: u64,
    /// Payment: what was paid and how, empty when not (yet) paid.
    paid: String,
    can_pay: bool,
    receipt: String,
    can_issue_receipt: bool,
    form_symbol: String,
    series: String,
    slips: Vec<(&'static str, &'static str)>,
    pauses: Vec<(String, String, String)>,
    events: Vec<EventRow>,
    steps: Vec<StepRow>,
    transfer_units: Vec<UnitOption>,
    apology: String,
    error: String,
}

/// A file size as people read it: `12,5 KB`, `3,2 MB`.
fn size_text(bytes: u64) -> String {
    let (value, unit) = if bytes >= 1024 * 1024 {
        (bytes as f64 / (1024.0 * 1024.0), "MB")
    } else {
        (bytes as f64 / 1024.0, "KB")
    };
    format!("{value:.1} {unit}").replace('.', ",")
}

fn scan_row(code: &str, number: usize, c: &Component) -> ComponentRow {
    let (scan_url, scan_name, scan_size) = match &c.scan {
        Some(s) => (
            format!("/dossiers/{code}/files/{}", s.sha256),
            s.file_name.clone(),
            size_text(s.size),
        ),
        None => Default::default(),
    };
    ComponentRow {
        number,
        name: c.name.clone(),
        originals: c.originals,
        copies: c.copies,
        scan_url,
        scan_name,
        scan_size,
    }
}

/// The printable slips of a dossier in its state: (path segment, title).
pub(crate) fn slips_of(h: &desk::Handled) -> Vec<(&'static str, &'static str)> {
    use crate::slips::Slip;
    Slip::ALL
        .iter()
        .filter(|s| s.applies(h))
        .map(|s| (s.path(), s.title()))
        .collect()
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
    let procedure = desk::procedure(&state.store, &d.procedure_code)
        .await
        .map_or_else(|_| d.procedure_code.to_string(), |p| p.name);
    let events = state
        .store
        .dossier_events(&d.code)
        .await
        .map_err(AppError::from)?
        .iter()
        .map(|e| EventRow {
            at: local_time(e.at),
            actor: e.actor.clone(),
            what: crate::timeline::describe(e),
        })
        .collect();
    let receipt = state
        .store
        .dossier_receipts(&d.code)
        .await
        .map_err(AppError::from)?
        .pop();
    let may_receive = authed.principal.may(Action::ReceiveDossier);
    let can_issue_receipt = may_receive && d.paid_at.is_some() && receipt.is_none();
    // The receipt form's proposal is read only when the form is shown.
    let series = if can_issue_receipt {
        desk::receipt_series(&state.store, &d.unit_code, authed.at).await?
    } else {
        desk::ReceiptSeries {
            form_symbol: String::new(),
            series: String::new(),
        }
    };
    let code_text = d.code.to_string();
    let details = h.details.clone().unwrap_or_default();
    let page = DossierPage {
        nav: Nav::new(authed, &tree),
        code: code_text.clone(),
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
        has_details: h.details.is_some(),
        component_rows: details
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| scan_row(&code_text, i + 1, c))
            .collect(),
        result_scan: details.result_scan.as_ref().map(|s| {
            scan_row(
                &code_text,
                0,
                &Component {
                    name: "Kết quả giải quyết".to_owned(),
                    originals: 0,
                    copies: 0,
                    scan: Some(s.clone()),
                },
            )
        }),
        applicant: details.applicant.clone(),
        request: details.request.clone(),
        may_receive,
        may_attach_result: h.details.is_some()
            && (may_receive || authed.principal.may(Action::ProcessDossier)),
        max_mb: state.files.max_bytes().div_ceil(1024 * 1024),
        paid: match (d.paid_at, d.payment_channel) {
            (Some(at), Some(PaymentChannel::Online)) => {
                format!("Đã nộp trực tuyến lúc {}", local_time(at))
            }
            (Some(at), _) => format!("Đã nộp tại Bộ phận Một cửa lúc {}", local_time(at)),
            _ if d.fee_vnd > 0 => "Chưa nộp".to_owned(),
            _ => "Không thu phí, lệ phí".to_owned(),
        },
        can_pay: may_receive && d.fee_vnd > 0 && d.paid_at.is_none(),
        receipt: receipt
            .as_ref()
            .map(|r| {
                format!(
                    "Số {} (ký hiệu {}, mẫu {})",
                    r.number_text(),
                    r.series,
                    r.form_symbol
                )
            })
            .unwrap_or_default(),
        can_issue_receipt,
        form_symbol: series.form_symbol,
        series: series.series,
        slips: slips_of(&h),
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
            .map(|&k| StepRow {
                step: k.as_str(),
                label: crate::timeline::step_label(k),
                needs_reason: k.needs_reason(),
                takes_unit: k == StepKind::Transfer,
                takes_new_due: k == StepKind::Apologize,
                takes_result_digitized: k == StepKind::Approve,
            })
            .collect(),
        transfer_units: tree
            .iter_preorder()
            .filter(|u| u.code != h.lifecycle.handling_unit)
            .map(|u| UnitOption {
                code: u.code.to_string(),
                name: format!("{} {}", u.label, u.short_name),
                selected: false,
            })
            .collect(),
        apology: h
            .lifecycle
            .apology
            .as_ref()
            .map(|a| {
                format!(
                    "Đã gửi phiếu xin lỗi lúc {}, hẹn lại {}: {}",
                    local_time(a.at),
                    local_time(a.new_due),
                    a.reason
                )
            })
            .unwrap_or_default(),
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

/// `POST /dossiers/{code}/steps`: takes the step and shows the dossier again (with the
/// reason when the rules refuse it).
pub async fn step<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Path(code): Path<String>,
    Form(form): Form<crate::step_form::StepForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let step = match form.step() {
        Ok(step) => step,
        Err(msg) => {
            return dossier_page(&state, &authed, &code, StatusCode::BAD_REQUEST, &msg).await;
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

/// A refusal shown on the dossier's page, or a failure.
async fn refused_or<S: Store>(
    state: &AppState<S>,
    authed: &Authed,
    code: &str,
    e: AppError,
) -> Result<Response, PageError> {
    match e {
        AppError::Refused(msg) => {
            dossier_page(state, authed, code, StatusCode::CONFLICT, &msg).await
        }
        other => Err(other.into()),
    }
}

/// `POST /dossiers/{code}/scans` (multipart: `slot` = a component's number from 1 or
/// `result`, `file`): stores the scan and shows the dossier; a file over the limit or of a
/// type not accepted is refused on the page and nothing is stored.
pub async fn scan<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Path(code): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let form = upload::read(multipart, &state.files).await?;
    authed.check_csrf(Some(form.text("csrf")))?;
    if let Some(e) = form.too_large {
        let status = e.status();
        return dossier_page(&state, &authed, &code, status, &e.to_string()).await;
    }
    let slot = crate::dossiers::slot_of(form.text("slot"))?;
    let Some(file) = form.file("file") else {
        return dossier_page(
            &state,
            &authed,
            &code,
            StatusCode::BAD_REQUEST,
            "hãy chọn tệp bản quét",
        )
        .await;
    };
    match desk::attach_scan(
        &state.store,
        &state.files,
        &authed.principal,
        &code,
        slot,
        &file.file_name,
        &file.bytes,
        &authed.ctx(),
    )
    .await
    {
        Ok(h) => Ok(Redirect::to(&format!("/dossiers/{}", h.dossier.code)).into_response()),
        Err(e) => refused_or(&state, &authed, &code, e).await,
    }
}

/// `GET /dossiers/{code}/files/{sha256}`: a scan of the dossier (only a file the dossier
/// refers to, for a principal who may see the dossier).
pub async fn file<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Path((code, sha256)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let h = desk::get(&state.store, &authed.principal, &code).await?;
    let details = h.details.unwrap_or_default();
    let not_found = || WebError::NotFound(format!("hồ sơ «{code}» không có tệp này"));
    let scan = details
        .components
        .iter()
        .filter_map(|c| c.scan.as_ref())
        .chain(details.result_scan.as_ref())
        .find(|s| s.sha256 == sha256)
        .ok_or_else(not_found)?
        .clone();
    let bytes = state
        .files
        .get(&scan.sha256)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .ok_or_else(not_found)?;
    let disposition = format!(
        "inline; filename*=UTF-8''{}",
        crate::authed::url_encode(&scan.file_name)
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (axum::http::header::CONTENT_TYPE, scan.media_type.as_str()),
        (
            axum::http::header::CONTENT_DISPOSITION,
            disposition.as_str(),
        ),
        (axum::http::header::CACHE_CONTROL, "private, max-age=3600"),
    ] {
        if let Ok(v) = axum::http::HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    }
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PaymentForm {
    csrf: String,
    channel: String,
}

/// `POST /dossiers/{code}/payment`: records the payment of the fee.
pub async fn payment<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Path(code): Path<String>,
    Form(form): Form<PaymentForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let channel = PaymentChannel::parse(&form.channel).ok_or_else(|| {
        WebError::BadRequest(format!("hình thức nộp không hợp lệ: «{}»", form.channel))
    })?;
    match desk::record_payment(
        &state.store,
        &authed.principal,
        &code,
        channel,
        &authed.ctx(),
    )
    .await
    {
        Ok(h) => Ok(Redirect::to(&format!("/dossiers/{}", h.dossier.code)).into_response()),
        Err(e) => refused_or(&state, &authed, &code, e).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReceiptForm {
    csrf: String,
    form_symbol: String,
    series: String,
}

/// `POST /dossiers/{code}/receipt`: issues the e-receipt and opens it.
pub async fn issue_receipt<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Path(code): Path<String>,
    Form(form): Form<ReceiptForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    let series = desk::ReceiptSeries {
        form_symbol: form.form_symbol,
        series: form.series,
    };
    match desk::issue_receipt(
        &state.store,
        &authed.principal,
        &code,
        &series,
        &authed.ctx(),
    )
    .await
    {
        Ok(r) => Ok(Redirect::to(&format!("/dossiers/{}/receipt", r.dossier)).into_response()),
        Err(e) => refused_or(&state, &authed, &code, e).await,
    }
}

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
pub async fn list<S: Store>(
    State(state): State<AppState<S>>,
    authed: Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = authed.requested_unit(Some(&q.unit))?;
    authed.check(&tree, Action::ViewIndicators, &unit)?;
    let month = crate::handlers::parse_month(&q.month)?;
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
            crate::view::month_label(month)
        ),
        summary: format!("{} hồ sơ.", display::count(rows.len() as u64)),
        unit_code: unit.to_string(),
        month: month.to_string(),
        rows,
    };
    Ok(Html(page.render()?).into_response())
}
