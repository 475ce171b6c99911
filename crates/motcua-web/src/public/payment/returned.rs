//! `GET /payments/vnpay/return`: where the gateway sends the payer back. The return is
//! verified but never believed alone (`motcua_app::payments::handle_return`): paid →
//! "Thanh toán thành công" with the e-receipt's number and its page; failed → the reason and
//! "Thanh toán lại"; not confirmed yet → "Đang chờ xác nhận…", the page refreshing itself.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use motcua_app::payments::{Returned, handle_return};

use super::{no_gateway, visitor_ctx};
use crate::AppState;
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::public::{Visitor, portal_name};

/// How the page reads.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Paid,
    Failed,
    Pending,
    Invalid,
}

#[derive(Template)]
#[template(path = "public/payment/returned.html")]
struct ReturnPage {
    portal: String,
    visitor: Visitor,
    outcome: Outcome,
    code: String,
    amount: String,
    receipt: String,
    reason: String,
    /// The page's own address, reloaded while waiting.
    again: String,
}

/// `GET /payments/vnpay/return`.
pub async fn returned(
    State(state): State<AppState>,
    citizen: Option<CitizenAuthed>,
    parts: Parts,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let portal_url = state.portal_url();
    let p = state.payments(&portal_url).ok_or_else(no_gateway)?;
    let ctx = visitor_ctx(&state, crate::authed::remote_addr(&parts))?;
    let r = handle_return(&p, &query, &ctx).await?;
    let tree = tree(&state.store).await?;
    let mut page = ReturnPage {
        portal: portal_name(&tree),
        visitor: Visitor::of(citizen.as_ref()),
        outcome: Outcome::Invalid,
        code: String::new(),
        amount: String::new(),
        receipt: String::new(),
        reason: String::new(),
        again: parts
            .uri
            .path_and_query()
            .map_or_else(String::new, |p| p.as_str().to_owned()),
    };
    let order = match &r {
        Returned::Paid { order, .. }
        | Returned::Failed { order, .. }
        | Returned::Pending { order } => Some(order),
        Returned::Invalid => None,
    };
    if let Some(o) = order {
        page.code = o.dossier.to_string();
        page.amount = motcua_core::display::count(o.amount_vnd.max(0) as u64);
    }
    match r {
        Returned::Paid { receipt, .. } => {
            page.outcome = Outcome::Paid;
            page.receipt = receipt.map(|r| r.number_text()).unwrap_or_default();
        }
        Returned::Failed { reason, .. } => {
            page.outcome = Outcome::Failed;
            page.reason = reason;
        }
        Returned::Pending { .. } => page.outcome = Outcome::Pending,
        Returned::Invalid => {}
    }
    Ok(Html(page.render()?).into_response())
}
