//! Refunds (hoàn tiền) of an online payment, asked of the gateway by a leader.
//!
//! A refund sends public money back out of the unit's account, so it takes a leader's
//! decision (`Action::ApproveDossier`, the head who signs for the account), not reception's,
//! who records payments. The dossier's payment and e-receipt stay as they are (a receipt is
//! a financial document, never changed); the refund is in the ledger beside them.

use motcua_core::access::{Action, AuditContext, Denied, Principal};
use motcua_core::payment::RefundRequest;
use motcua_store::{OrderState, PaymentRefund, refund_of};

use super::Payments;
use crate::AppError;

/// Asks the gateway to refund `amount_vnd` of the paid attempt `txn_ref` (of a dossier the
/// leader may see), and records the request and the answer whatever it is.
pub async fn refund(
    p: &Payments<'_>,
    principal: &Principal,
    txn_ref: &str,
    amount_vnd: i64,
    reason: &str,
    ctx: &AuditContext,
) -> Result<PaymentRefund, AppError> {
    let unknown = || AppError::Refused(format!("không có giao dịch «{txn_ref}»"));
    let order = p.store.payment_order(txn_ref).await?.ok_or_else(unknown)?;
    // Scope first: another unit's attempt answers as a dossier that does not exist.
    crate::desk::get(p.store, principal, order.dossier.as_str()).await?;
    if !principal.may(Action::ApproveDossier) {
        return Err(Denied::Action.into());
    }
    if order.state != OrderState::Paid {
        return Err(AppError::Refused(format!(
            "giao dịch «{txn_ref}» chưa được thanh toán, không thể hoàn tiền"
        )));
    }
    let refunded: i64 = p
        .store
        .payment_refunds(txn_ref)
        .await?
        .iter()
        .filter(|r| r.accepted)
        .map(|r| r.amount_vnd)
        .sum();
    if amount_vnd <= 0 || amount_vnd > order.amount_vnd - refunded {
        return Err(AppError::Refused(format!(
            "số tiền hoàn phải lớn hơn 0 và không quá {} đồng",
            motcua_core::display::count((order.amount_vnd - refunded).max(0) as u64)
        )));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::Refused("Nhập lý do hoàn tiền".to_owned()));
    }
    let request = RefundRequest {
        order: p.gateway_order(&order),
        transaction_no: order.transaction_no.clone(),
        amount_vnd,
        requested_by: motcua_core::payment::ascii_text(&ctx.actor),
        requested_at: ctx.at,
    };
    let answer = match p.gateway.refund(&request).await {
        Ok(a) => a,
        Err(e) => motcua_core::payment::RefundReport {
            accepted: false,
            response_code: super::ledger::gateway_error_text(&e),
            message: e.to_string(),
            transaction_no: None,
        },
    };
    let refund = refund_of(&order.txn_ref, amount_vnd, reason, ctx, &answer);
    p.store.record_refund(&refund, ctx).await?;
    Ok(refund)
}
