//! `/queue`: the signed-in officer's hand-off queue. A specialist sees "Hồ sơ được giao cho
//! tôi" (the open dossiers assigned to them), a leader "Chờ phê duyệt" (the proposals waiting
//! for a decision in their unit's subtree); both earliest appointment first, at most
//! `motcua_store::QUEUE_LIMIT` rows.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use motcua_app::desk::{self, Handled};
use motcua_core::access::Action;
use motcua_core::display;
use motcua_core::lifecycle::Decision;

use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::{Nav, local_time, unit_label};
use crate::{AppState, Authed};

struct Row {
    code: String,
    procedure: String,
    applicant: String,
    unit: String,
    status: &'static str,
    due: String,
    /// The proposal, for the leader's queue.
    proposal: String,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    nav: Nav,
    title: &'static str,
    summary: String,
    rows: Vec<Row>,
    leader: bool,
}

/// `GET /queue`.
pub async fn queue(State(state): State<AppState>, authed: Authed) -> Result<Response, PageError> {
    let tree = tree(&state.store).await?;
    let p = &authed.principal;
    let leader = p.role().is_some() && p.may(Action::ApproveDossier);
    let (title, items): (&'static str, Vec<Handled>) = if leader {
        (
            "Chờ phê duyệt",
            desk::awaiting_approval(&state.store, p).await?,
        )
    } else if p.role().is_some() && p.may(Action::ProposeResult) {
        (
            "Hồ sơ được giao cho tôi",
            desk::assigned_to_me(&state.store, p).await?,
        )
    } else {
        ("Việc được giao", Vec::new())
    };
    let procedures = state
        .store
        .procedures()
        .await
        .map_err(motcua_app::AppError::from)?;
    let rows: Vec<Row> = items
        .iter()
        .map(|h| Row {
            code: h.dossier.code.to_string(),
            procedure: procedures
                .iter()
                .find(|x| x.code == h.dossier.procedure_code)
                .map_or_else(|| h.dossier.procedure_code.to_string(), |x| x.name.clone()),
            applicant: h
                .details
                .as_ref()
                .map(|d| d.applicant.name.clone())
                .unwrap_or_default(),
            unit: unit_label(&tree, &h.lifecycle.handling_unit),
            status: h.lifecycle.status.name_vi(),
            due: local_time(h.dossier.due_at),
            proposal: match h.lifecycle.proposal.as_ref().map(|p| p.decision) {
                Some(Decision::Approve) => "Cấp kết quả".to_owned(),
                Some(Decision::Reject) => "Từ chối giải quyết".to_owned(),
                None => String::new(),
            },
        })
        .collect();
    let summary = if title == "Việc được giao" {
        "Vai trò của tài khoản này không nhận hồ sơ chuyển xử lý hay phê duyệt.".to_owned()
    } else if rows.is_empty() {
        "Không có hồ sơ nào.".to_owned()
    } else {
        format!(
            "{} hồ sơ, hẹn trả sớm nhất trước.",
            display::count(rows.len() as u64)
        )
    };
    let page = QueuePage {
        nav: Nav::new(&authed, &tree),
        title,
        summary,
        rows,
        leader,
    };
    Ok(Html(page.render()?).into_response())
}
