//! Reception's online inbox: `GET /desk/online` "Hồ sơ trực tuyến chờ tiếp nhận" (the
//! submissions waiting at a unit of the officer's subtree, oldest first) and
//! `GET /desk/online/{id}`, the review of one (applicant, request, the components checklist
//! with every scan viewable) with its three decisions, `POST /desk/online/{id}`: "Tiếp nhận"
//! (the dossier is made, its code given now), "Yêu cầu bổ sung, hoàn thiện" and "Từ chối tiếp
//! nhận" (each with a reason; the refusal with a confirmation). Everything goes through
//! `motcua_app::online`, which checks the subtree and the role.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::online;
use motcua_core::access::Action;
use motcua_core::details::Component;
use motcua_core::display;
use motcua_core::online::{self as online_core, Submission, SubmissionId, Transition};
use motcua_core::unit::{UnitCode, UnitTree};
use serde::Deserialize;

use crate::catalogue::tree;
use crate::error::{PageError, WebError};
use crate::view::{Nav, local_time, size_text, unit_label};
use crate::{AppState, Authed};

struct Row {
    id: i64,
    submitted: String,
    applicant: String,
    procedure: String,
    unit: String,
}

#[derive(Template)]
#[template(path = "online/inbox.html")]
struct InboxPage {
    nav: Nav,
    summary: String,
    notice: String,
    rows: Vec<Row>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InboxQuery {
    unit: String,
    /// What was just done (`returned`, `refused`), for the notice.
    done: String,
}

async fn procedure_name(state: &AppState, s: &Submission) -> Result<String, PageError> {
    let procedures = state
        .store
        .procedures()
        .await
        .map_err(motcua_app::AppError::from)?;
    Ok(procedures
        .iter()
        .find(|p| p.code == s.procedure)
        .map_or_else(|| s.procedure.to_string(), |p| p.name.clone()))
}

fn unit_of(tree: &UnitTree, authed: &Authed, text: &str) -> Result<UnitCode, WebError> {
    if text.trim().is_empty() {
        return Ok(authed.principal.unit.clone());
    }
    UnitCode::parse(text.trim())
        .ok()
        .filter(|c| tree.get(c).is_some())
        .ok_or_else(|| crate::error::unknown_unit(text.trim()))
}

/// `GET /desk/online`: the submissions waiting, oldest first.
pub async fn inbox(
    State(state): State<AppState>,
    authed: Authed,
    Query(q): Query<InboxQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let unit = unit_of(&tree, &authed, &q.unit)?;
    authed.check(&tree, Action::ReceiveDossier, &unit)?;
    let waiting = online::inbox(&state.store, &authed.principal, &unit).await?;
    let mut rows = Vec::with_capacity(waiting.len());
    for s in &waiting {
        rows.push(Row {
            id: s.id.0,
            submitted: s.submitted_at.map(local_time).unwrap_or_default(),
            applicant: s.data.applicant.name.clone(),
            procedure: procedure_name(&state, s).await?,
            unit: unit_label(&tree, &s.unit),
        });
    }
    let summary = if rows.is_empty() {
        "Không có hồ sơ trực tuyến nào chờ tiếp nhận.".to_owned()
    } else {
        format!(
            "{} hồ sơ chờ tiếp nhận, nộp sớm nhất trước.",
            display::count(rows.len() as u64)
        )
    };
    let notice = match q.done.as_str() {
        "returned" => "Đã trả hồ sơ cho công dân để bổ sung, hoàn thiện.",
        "refused" => "Đã từ chối tiếp nhận hồ sơ.",
        _ => "",
    };
    let page = InboxPage {
        nav: Nav::new(&authed, &tree),
        summary,
        notice: notice.to_owned(),
        rows,
    };
    Ok(Html(page.render()?).into_response())
}

struct Line {
    name: String,
    copies: String,
    scan_name: String,
    scan_url: String,
    scan_size: String,
}

#[derive(Template)]
#[template(path = "online/review.html")]
struct ReviewPage {
    nav: Nav,
    id: i64,
    procedure: String,
    unit: String,
    submitted: String,
    state: &'static str,
    applicant: Vec<(&'static str, String)>,
    request: String,
    lines: Vec<Line>,
    /// Submitted for another: whom for (name, ID number or tax code) and the paper's scan.
    represented: Option<(String, String, Line)>,
    /// Still waiting: the decisions are offered.
    open: bool,
    error: String,
    /// The decision refused, with what was typed, to show beside its form.
    typed: DecisionForm,
    field_error: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    csrf: String,
    /// `accept`, `return` or `refuse`.
    decision: String,
    reason: String,
    confirm: String,
}

async fn review_page(
    state: &AppState,
    authed: &Authed,
    id: i64,
    refused: Option<(DecisionForm, String)>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let s = online::received_submission(&state.store, &authed.principal, SubmissionId(id)).await?;
    // The papers (ID cards among them) are for the roles that handle dossiers.
    let may_view = authed.principal.may(Action::ViewPersonalData);
    let a = &s.data.applicant;
    let line = |c: &Component| Line {
        name: c.name.clone(),
        copies: format!("{} bản chính, {} bản sao", c.originals, c.copies),
        scan_name: c
            .scan
            .as_ref()
            .map(|x| x.file_name.clone())
            .unwrap_or_default(),
        scan_url: match (&c.scan, may_view) {
            (Some(x), true) => format!("/desk/online/{id}/files/{}", x.sha256),
            _ => String::new(),
        },
        scan_size: c
            .scan
            .as_ref()
            .map(|x| size_text(x.size))
            .unwrap_or_default(),
    };
    let lines = s.data.components.iter().map(line).collect();
    let represented = s.data.represented.as_ref().map(|r| {
        let paper = Component {
            name: online_core::AUTHORISATION_PAPER.to_owned(),
            originals: 1,
            copies: 0,
            scan: r.paper.clone(),
        };
        (r.name.clone(), r.id_number.clone(), line(&paper))
    });
    let (status, typed, field_error) = match refused {
        Some((form, message)) => (StatusCode::UNPROCESSABLE_ENTITY, form, message),
        None => (StatusCode::OK, DecisionForm::default(), String::new()),
    };
    let page = ReviewPage {
        nav: Nav::new(authed, &tree),
        id,
        procedure: procedure_name(state, &s).await?,
        unit: unit_label(&tree, &s.unit),
        submitted: s.submitted_at.map(local_time).unwrap_or_default(),
        state: s.state.label_vi(),
        applicant: vec![
            ("Họ tên", a.name.clone()),
            ("Số định danh", a.id_number.clone()),
            ("Số điện thoại", a.phone.clone()),
            ("Thư điện tử", a.email.clone()),
            ("Địa chỉ", a.address.clone()),
        ],
        request: s.data.request.clone(),
        lines,
        represented,
        open: s.state == motcua_core::online::SubmissionState::Submitted,
        error: if field_error.is_empty() {
            String::new()
        } else {
            format!(
                "Chưa thực hiện được: {}.",
                field_error.trim_end_matches('.')
            )
        },
        typed,
        field_error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// A submission's number in an address; anything else is a submission that does not exist.
fn parse_id(text: &str) -> Result<i64, WebError> {
    text.parse()
        .map_err(|_| WebError::NotFound(format!("không có hồ sơ trực tuyến số {text}")))
}

/// `GET /desk/online/{id}`: the review of one submission.
pub async fn review(
    State(state): State<AppState>,
    authed: Authed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    review_page(&state, &authed, parse_id(&id)?, None).await
}

/// `POST /desk/online/{id}`: accept, return for completion or refuse.
pub async fn decide(
    State(state): State<AppState>,
    authed: Authed,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    // Parsed after the token: a forged form learns nothing, not even the address's shape.
    let id = parse_id(&id)?;
    let ctx = authed.ctx();
    let sid = SubmissionId(id);
    let refuse = |message: &str| Some((form.clone(), message.to_owned()));
    let transition = match form.decision.as_str() {
        "accept" => {
            return match online::accept(&state.store, &authed.principal, sid, &ctx).await {
                Ok(held) => Ok(Redirect::to(&format!(
                    "/dossiers/{}?da-tiep-nhan",
                    held.dossier.code
                ))
                .into_response()),
                Err(
                    e @ (motcua_app::AppError::Refused(_) | motcua_app::AppError::Incomplete(_)),
                ) => review_page(&state, &authed, id, refuse(&e.to_string())).await,
                Err(e) => Err(e.into()),
            };
        }
        "return" => Transition::Return,
        "refuse" => Transition::Refuse,
        _ => return review_page(&state, &authed, id, refuse("Hãy chọn một thao tác")).await,
    };
    if form.reason.trim().is_empty() {
        let m = "Nhập lý do để công dân biết cần làm gì";
        return review_page(&state, &authed, id, refuse(m)).await;
    }
    if transition == Transition::Refuse && form.confirm != "on" {
        let m = "Đánh dấu ô xác nhận: từ chối tiếp nhận không hoàn tác được";
        return review_page(&state, &authed, id, refuse(m)).await;
    }
    match online::decide(
        &state.store,
        &authed.principal,
        sid,
        transition,
        &form.reason,
        &ctx,
    )
    .await
    {
        Ok(_) => {
            let done = if transition == Transition::Return {
                "returned"
            } else {
                "refused"
            };
            Ok(Redirect::to(&format!("/desk/online?done={done}")).into_response())
        }
        Err(motcua_app::AppError::Refused(m)) => review_page(&state, &authed, id, refuse(&m)).await,
        Err(e) => Err(e.into()),
    }
}

/// `GET /desk/online/{id}/files/{sha256}`: a scan of the submission, shown in the browser.
pub async fn file(
    State(state): State<AppState>,
    authed: Authed,
    Path((id, sha256)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let s = online::received_submission(&state.store, &authed.principal, SubmissionId(id)).await?;
    authed.check_action(Action::ViewPersonalData)?;
    let not_found = || WebError::NotFound("hồ sơ trực tuyến này không có tệp đó".to_owned());
    let scan = s
        .data
        .components
        .iter()
        .filter_map(|c| c.scan.as_ref())
        .chain(s.data.represented.as_ref().and_then(|r| r.paper.as_ref()))
        .find(|x| x.sha256 == sha256)
        .ok_or_else(not_found)?
        .clone();
    let bytes = state
        .files
        .get(&scan.sha256)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .ok_or_else(not_found)?;
    Ok(crate::pages::dossier::scan_response(&scan, bytes))
}
