//! The dossier page's online payments: the attempts of the ledger (each with its state and
//! the gateway's transaction number) and, for a leader, the refund of a paid one
//! (`POST /dossiers/{code}/refund`: the attempt, the amount, the reason; the gateway's
//! answer is recorded whatever it is).

use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_core::access::Action;
use motcua_core::dossier::DossierCode;
use motcua_store::{OrderState, SqlStore};
use serde::Deserialize;

use super::refused_or;
use crate::error::PageError;
use crate::view::local_time;
use crate::{AppState, Authed, WebError};

/// One attempt as the page lists it.
pub(super) struct AttemptRow {
    pub(super) txn_ref: String,
    pub(super) created: String,
    pub(super) amount: String,
    pub(super) state: &'static str,
    pub(super) transaction_no: String,
    pub(super) refunded: String,
    /// A leader may refund it (paid, and not refunded whole).
    pub(super) refundable: bool,
    /// What is left to refund, in đồng, for the form.
    pub(super) left: i64,
}

/// The dossier's attempts, oldest first, with what the principal may do.
pub(super) async fn attempts(
    store: &SqlStore,
    code: &DossierCode,
    may_refund: bool,
) -> Result<Vec<AttemptRow>, AppError> {
    let mut rows = Vec::new();
    for o in store.dossier_payment_orders(code).await? {
        let refunded: i64 = store
            .payment_refunds(o.txn_ref.as_str())
            .await?
            .iter()
            .filter(|r| r.accepted)
            .map(|r| r.amount_vnd)
            .sum();
        let left = o.amount_vnd - refunded;
        rows.push(AttemptRow {
            txn_ref: o.txn_ref.to_string(),
            created: local_time(o.created_at),
            amount: motcua_core::display::count(o.amount_vnd.max(0) as u64),
            state: o.state.label_vi(),
            transaction_no: o.transaction_no.clone().unwrap_or_default(),
            refunded: if refunded > 0 {
                motcua_core::display::count(refunded as u64)
            } else {
                String::new()
            },
            refundable: may_refund && o.state == OrderState::Paid && left > 0,
            left,
        });
    }
    Ok(rows)
}

/// Whether the principal's role may refund (a leader's decision: see
/// `motcua_app::payments::refund`).
pub(super) fn may_refund(authed: &Authed) -> bool {
    authed.principal.may(Action::ApproveDossier)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RefundForm {
    csrf: String,
    txn_ref: String,
    amount: String,
    reason: String,
}

/// `POST /dossiers/{code}/refund`.
pub async fn refund(
    State(state): State<AppState>,
    authed: Authed,
    Path(code): Path<String>,
    Form(form): Form<RefundForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    // Scope first: another unit's dossier answers as one that does not exist.
    motcua_app::desk::get(&state.store, &authed.principal, &code).await?;
    let back = Redirect::to(&format!("/dossiers/{code}#payments")).into_response();
    let portal = state.portal_url();
    let Some(p) = state.payments(&portal) else {
        // No gateway configured: nothing to refund through; the page shows the ledger.
        return Ok(back);
    };
    let amount: i64 = match form
        .amount
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
    {
        Ok(a) => a,
        Err(_) => {
            let e = AppError::Refused("Nhập số tiền hoàn, ví dụ 50.000".to_owned());
            return refused_or(&state, &authed, &code, e).await;
        }
    };
    // The attempt must be this dossier's.
    if !form.txn_ref.starts_with(&format!("{code}-")) {
        return Err(WebError::NotFound(format!("không có giao dịch «{}»", form.txn_ref)).into());
    }
    match motcua_app::payments::refund(
        &p,
        &authed.principal,
        &form.txn_ref,
        amount,
        &form.reason,
        &authed.ctx(),
    )
    .await
    {
        Ok(_) => Ok(back),
        Err(e) => refused_or(&state, &authed, &code, e).await,
    }
}
