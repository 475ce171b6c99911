//! The reception form (`/desk/new`): a procedure searched by name, code or field, the
//! applicant, the component checklist with a scan per line (multipart: `upload` reads it).

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::desk::{self, Reception};
use motcua_core::access::Action;
use motcua_core::details::{Applicant, Component, Slot};
use motcua_core::dossier::{Channel, SubmissionLevel};
use motcua_core::search;
use motcua_core::unit::{UnitCode, UnitTree};
use serde::Deserialize;

use crate::catalogue::tree;
use crate::error::PageError;
use crate::upload::{self, UploadForm};
use crate::view::{Nav, UnitOption, unit_options};
use crate::{AppState, Authed};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnitQuery {
    pub(super) unit: String,
    pub(super) q: String,
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

async fn receive_page(
    state: &AppState,
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
pub async fn receive_form(
    State(state): State<AppState>,
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
pub async fn receive(
    State(state): State<AppState>,
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
async fn receive_with_scans(
    state: &AppState,
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
