//! `GET /track?code=…` and `POST /track`: tracking a dossier (tra cứu hồ sơ) by its code and
//! the applicant's telephone or identification number. The QR code of the appointment slip
//! (Mẫu 01) opens `GET /track?code=…` with the code filled in. A wrong number gives exactly
//! the answer of an unknown code; tries are limited per client address
//! ([`crate::TRACK_BURST`], [`crate::TRACK_PER_MINUTE`]).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use motcua_core::display::local_time;
use serde::Deserialize;

use super::portal_name;
use super::track_view::{Line, lines};
use crate::authed::remote_addr;
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::{AppState, WebError};

/// The code is missing.
const NO_CODE: &str = "Nhập mã hồ sơ in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả";
/// The number is missing.
const NO_PROOF: &str = "Nhập số điện thoại hoặc số định danh cá nhân đã khai khi nộp hồ sơ";
/// The one answer for an unknown code, a wrong number and a dossier that cannot be tracked.
const NOT_FOUND: &str = "Không tìm thấy hồ sơ nào khớp với mã hồ sơ và số điện thoại hoặc số định danh đã nhập. Hãy kiểm tra lại mã trên giấy hẹn và số đã khai khi nộp hồ sơ.";
/// Too many tries from one address.
const THROTTLED: &str =
    "Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng đợi vài phút rồi thử lại.";

/// A tracked dossier as the applicant reads it.
struct Found {
    code: String,
    procedure: String,
    unit: String,
    status: &'static str,
    received: String,
    due: String,
    resolved: String,
    timeline: Vec<Line>,
}

#[derive(Template)]
#[template(path = "public/track.html")]
struct TrackPage {
    portal: String,
    visitor: super::Visitor,
    code: String,
    proof: String,
    code_error: &'static str,
    proof_error: &'static str,
    /// The answer above the form (not found, too many tries).
    notice: &'static str,
    found: Option<Found>,
}

impl TrackPage {
    fn has_errors(&self) -> bool {
        !self.code_error.is_empty() || !self.proof_error.is_empty()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrackQuery {
    code: String,
}

// No Debug: the form holds a telephone or identification number.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct TrackForm {
    code: String,
    proof: String,
}

fn render(status: StatusCode, page: &TrackPage) -> Result<Response, PageError> {
    let html = page
        .render()
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok((status, Html(html)).into_response())
}

/// `GET /track?code=CODE`: the form, with the code of the slip's QR filled in.
pub async fn form(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    Query(query): Query<TrackQuery>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let page = TrackPage {
        portal: portal_name(&tree),
        visitor: super::Visitor::of(citizen.as_ref()),
        code: query.code.trim().chars().take(64).collect(),
        proof: String::new(),
        code_error: "",
        proof_error: "",
        notice: "",
        found: None,
    };
    render(StatusCode::OK, &page)
}

/// `POST /track`: the dossier, or the one answer that tells nothing.
pub async fn track(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    parts: Parts,
    Form(form): Form<TrackForm>,
) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let code: String = form.code.trim().chars().take(64).collect();
    let proof: String = form.proof.trim().chars().take(64).collect();
    let mut page = TrackPage {
        portal: portal_name(&tree),
        visitor: super::Visitor::of(citizen.as_ref()),
        code_error: if code.is_empty() { NO_CODE } else { "" },
        proof_error: if proof.is_empty() { NO_PROOF } else { "" },
        code,
        proof,
        notice: "",
        found: None,
    };
    let key = remote_addr(&parts).unwrap_or_else(|| "unknown".to_owned());
    if state.track_limiter.check_key(&key).is_err() {
        tracing::warn!(addr = %key, "tracking rate limit reached");
        page.notice = THROTTLED;
        return render(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    if state.track_limiter.len() > 100_000 {
        state.track_limiter.retain_recent();
    }
    if page.has_errors() {
        return render(StatusCode::BAD_REQUEST, &page);
    }
    let Some(t) = motcua_app::tracking::track(&state.store, &page.code, &page.proof).await? else {
        page.notice = NOT_FOUND;
        return render(StatusCode::OK, &page);
    };
    let d = &t.held.dossier;
    let procedure = tree
        .catalogue()
        .procedures
        .iter()
        .find(|p| p.code == d.procedure_code)
        .map_or_else(|| d.procedure_code.to_string(), |p| p.name.clone());
    page.found = Some(Found {
        code: d.code.to_string(),
        procedure,
        unit: tree
            .get(&d.unit_code)
            .map_or_else(String::new, |u| u.name.clone()),
        status: t.held.lifecycle.status.name_vi(),
        received: local_time(d.received_at),
        due: local_time(
            t.held
                .lifecycle
                .apology
                .as_ref()
                .map_or(d.due_at, |a| a.new_due),
        ),
        resolved: d.resolved_at.map(local_time).unwrap_or_default(),
        timeline: lines(&t.events, &tree),
    });
    render(StatusCode::OK, &page)
}
