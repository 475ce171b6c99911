//! `GET /feedback/follow?code=…` and `POST /feedback/follow`: a PAKN followed by its code and
//! the phone or e-mail given when sending it (a wrong one gives the answer of an unknown
//! code); its state, the deadline of what is open, the history, the published answer. When
//! asked for more, the reply form (`POST /feedback/reply`); once the answer is published, the
//! "không hài lòng" button (`POST /feedback/dissatisfied`). Tries are limited per address.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use motcua_app::petitions;
use motcua_core::access::AuditContext;
use motcua_core::petition::{PetitionState, PetitionStep};
use serde::Deserialize;

use super::next_deadline;
use crate::authed::remote_addr;
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::public::{Visitor, portal_name};
use crate::view::{local_time, unit_label};
use crate::{AppState, WebError};

const NO_CODE: &str = "Nhập mã phản ánh, kiến nghị";
const NO_CONTACT: &str = "Nhập số điện thoại hoặc email đã khai khi gửi";
const NOT_FOUND: &str =
    "Không tìm thấy phản ánh, kiến nghị nào khớp với mã và số điện thoại hoặc email đã nhập.";
const THROTTLED: &str =
    "Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng đợi vài phút rồi thử lại.";

pub(crate) struct Found {
    pub(crate) code: String,
    pub(crate) kind: &'static str,
    pub(crate) unit: String,
    pub(crate) status: &'static str,
    pub(crate) received: String,
    pub(crate) deadline: String,
    pub(crate) content: String,
    pub(crate) question: String,
    pub(crate) awaiting: bool,
    pub(crate) answer: String,
    pub(crate) published: bool,
    pub(crate) dissatisfied: bool,
    pub(crate) refusal: String,
    pub(crate) history: Vec<(String, &'static str)>,
}

#[derive(Template)]
#[template(path = "public/feedback/follow.html")]
struct FollowPage {
    portal: String,
    visitor: Visitor,
    code: String,
    contact: String,
    code_error: &'static str,
    contact_error: &'static str,
    reply_error: String,
    reply: String,
    notice: String,
    found: Option<Found>,
}

impl FollowPage {
    fn has_errors(&self) -> bool {
        !self.code_error.is_empty() || !self.contact_error.is_empty()
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct FollowQuery {
    code: String,
}

// No Debug: it holds a phone number or an e-mail address.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct FollowForm {
    code: String,
    contact: String,
    /// The reply, for `/feedback/reply`.
    text: String,
}

fn render(status: StatusCode, page: &FollowPage) -> Result<Response, PageError> {
    let html = page
        .render()
        .map_err(|e| WebError::Internal(format!("template: {e}")))?;
    Ok((status, Html(html)).into_response())
}

fn step_label(step: &str) -> &'static str {
    match step {
        "received" => "Đã nhận phản ánh, kiến nghị",
        "assign" => "Phân công xử lý",
        "admit" => "Tiếp nhận xử lý",
        "refuse" => "Từ chối tiếp nhận",
        "ask_for_more" => "Đề nghị bổ sung thông tin",
        "reply" => "Người gửi bổ sung thông tin",
        "answer" => "Trả lời kết quả xử lý",
        "publish" => "Công khai kết quả xử lý",
        "dissatisfied" => "Người gửi không hài lòng",
        "mark_repeat" => "Xác định trùng lặp",
        _ => "Cập nhật",
    }
}

async fn page(
    state: &AppState,
    citizen: Option<&CitizenAuthed>,
    code: &str,
    contact: &str,
) -> Result<FollowPage, PageError> {
    let tree = tree(&state.store).await?;
    Ok(FollowPage {
        portal: portal_name(&tree),
        visitor: Visitor::of(citizen),
        code: code.trim().chars().take(64).collect(),
        contact: contact.trim().chars().take(120).collect(),
        code_error: "",
        contact_error: "",
        reply_error: String::new(),
        reply: String::new(),
        notice: String::new(),
        found: None,
    })
}

/// Fills in what `page.code` and `page.contact` find; false when nothing.
async fn find(state: &AppState, page: &mut FollowPage) -> Result<bool, PageError> {
    let Some(s) = petitions::for_visitor(&state.store, &page.code, &page.contact).await? else {
        return Ok(false);
    };
    let tree = tree(&state.store).await?;
    let p = &s.petition;
    let events = state
        .store
        .petition_events(&p.code)
        .await
        .map_err(motcua_app::AppError::from)?;
    page.found = Some(Found {
        code: p.code.to_string(),
        kind: p.kind.label_vi(),
        unit: unit_label(&tree, &p.unit_code),
        status: p.state.label_vi(),
        received: local_time(p.received_at),
        deadline: next_deadline(p),
        content: p.content.clone(),
        question: p.question.clone().unwrap_or_default(),
        awaiting: p.state == PetitionState::AwaitingPetitioner,
        answer: if p.state == PetitionState::Published {
            p.answer.clone().unwrap_or_default()
        } else {
            String::new()
        },
        published: p.state == PetitionState::Published,
        dissatisfied: p.dissatisfied_at.is_some(),
        refusal: p.refusal_reason.clone().unwrap_or_default(),
        history: events
            .iter()
            .map(|e| (local_time(e.at), step_label(&e.step)))
            .collect(),
    });
    Ok(true)
}

fn limited(state: &AppState, parts: &Parts) -> bool {
    let key = remote_addr(parts).unwrap_or_else(|| "unknown".to_owned());
    state.track_limiter.check_key(&key).is_err()
}

/// `GET /feedback/follow?code=CODE`.
pub async fn form(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    Query(q): Query<FollowQuery>,
) -> Result<Response, PageError> {
    let page = page(&state, citizen.as_ref(), &q.code, "").await?;
    render(StatusCode::OK, &page)
}

/// `POST /feedback/follow`.
pub async fn follow(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    parts: Parts,
    Form(f): Form<FollowForm>,
) -> Result<Response, PageError> {
    let mut page = page(&state, citizen.as_ref(), &f.code, &f.contact).await?;
    page.code_error = if page.code.is_empty() { NO_CODE } else { "" };
    page.contact_error = if page.contact.is_empty() {
        NO_CONTACT
    } else {
        ""
    };
    if limited(&state, &parts) {
        page.notice = THROTTLED.to_owned();
        return render(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    if page.has_errors() {
        return render(StatusCode::BAD_REQUEST, &page);
    }
    if !find(&state, &mut page).await? {
        page.notice = NOT_FOUND.to_owned();
    }
    render(StatusCode::OK, &page)
}

async fn petitioner_step(
    state: &AppState,
    citizen: Option<&CitizenAuthed>,
    parts: &Parts,
    f: &FollowForm,
    step: PetitionStep,
) -> Result<Response, PageError> {
    let mut page = page(state, citizen, &f.code, &f.contact).await?;
    if limited(state, parts) {
        page.notice = THROTTLED.to_owned();
        return render(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    let ctx = AuditContext {
        actor: "visitor".to_owned(),
        remote_addr: remote_addr(parts),
        at: state.now()?,
    };
    let status = match petitions::petitioner_step(
        &state.store,
        &page.code,
        &page.contact,
        &step,
        &ctx,
    )
    .await
    {
        Ok(_) => StatusCode::OK,
        Err(motcua_app::AppError::Refused(m)) => {
            if matches!(step, PetitionStep::Reply { .. }) {
                page.reply_error = m;
                page.reply = f.text.clone();
            } else {
                page.notice = m;
            }
            StatusCode::BAD_REQUEST
        }
        Err(e) => return Err(e.into()),
    };
    if !find(state, &mut page).await? {
        page.notice = NOT_FOUND.to_owned();
    }
    render(status, &page)
}

/// `POST /feedback/reply`: the petitioner's reply when asked for more.
pub async fn reply(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    parts: Parts,
    Form(f): Form<FollowForm>,
) -> Result<Response, PageError> {
    let step = PetitionStep::Reply {
        text: f.text.clone(),
    };
    petitioner_step(&state, citizen.as_ref(), &parts, &f, step).await
}

/// `POST /feedback/dissatisfied`: "không hài lòng" with the published answer.
pub async fn dissatisfied(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    parts: Parts,
    Form(f): Form<FollowForm>,
) -> Result<Response, PageError> {
    petitioner_step(
        &state,
        citizen.as_ref(),
        &parts,
        &f,
        PetitionStep::Dissatisfied,
    )
    .await
}
