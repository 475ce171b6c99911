//! What the gateway sends: the server-to-server notice (IPN) and the payer's browser coming
//! back (return). Only the notice, or the gateway's answer to a query, settles a payment;
//! the return alone never does.

use motcua_core::access::AuditContext;
use motcua_core::fees::Receipt;
use motcua_core::payment::{NoticeAck, PaymentVerdict};
use motcua_store::{OrderState, PaymentOrder};

use super::Payments;
use super::ledger::{
    ack_text, callback_error_text, failure_reason_vi, gateway_error_text, raw_record,
    report_record, verdict_text,
};
use super::settle::{Applied, amount_matches, apply};
use crate::AppError;

/// Handles a server-to-server notice, in VNPay's order: the signature (and terminal), the
/// order, the amount, the order still pending, then the payment recorded. The same notice
/// twice answers `AlreadyConfirmed` and changes nothing; a database error answers
/// `Unknown`, so that the gateway sends it again. Every notice is in the ledger (but when the
/// database is away).
pub async fn handle_notice(
    p: &Payments<'_>,
    query: &[(String, String)],
    ctx: &AuditContext,
) -> NoticeAck {
    match notice(p, query, ctx).await {
        Ok(ack) => ack,
        Err(e) => {
            tracing::warn!(error = %e, "payment notice not recorded");
            NoticeAck::Unknown
        }
    }
}

async fn notice(
    p: &Payments<'_>,
    query: &[(String, String)],
    ctx: &AuditContext,
) -> Result<NoticeAck, AppError> {
    let store = p.store;
    let report = match p.gateway.verify_callback(query) {
        Ok(r) => r,
        Err(e) => {
            let ack = match e {
                super::CallbackError::Malformed { .. } => NoticeAck::Unknown,
                _ => NoticeAck::InvalidSignature,
            };
            let record = raw_record("notice", query, callback_error_text(&e), ack_text(ack));
            store.record_payment_event(&record, ctx).await?;
            return Ok(ack);
        }
    };
    let verdict = verdict_text(report.verdict);
    let refuse = async |ack: NoticeAck, why: &str| -> Result<NoticeAck, AppError> {
        let record = report_record("notice", &report, why, ack_text(ack));
        store.record_payment_event(&record, ctx).await?;
        Ok(ack)
    };
    let Some(order) = store.payment_order(report.txn_ref.as_str()).await? else {
        return refuse(NoticeAck::OrderNotFound, "unknown_order").await;
    };
    if !amount_matches(&order, &report) {
        return refuse(NoticeAck::InvalidAmount, "wrong_amount").await;
    }
    if !matches!(order.state, OrderState::Pending | OrderState::Expired)
        || (order.state == OrderState::Expired && report.verdict != PaymentVerdict::Paid)
    {
        return refuse(NoticeAck::AlreadyConfirmed, verdict).await;
    }
    Ok(match apply(p, &order, &report, "notice", ctx).await? {
        Applied::Paid(_) | Applied::Failed => NoticeAck::Confirmed,
        Applied::AlreadySettled(_) => NoticeAck::AlreadyConfirmed,
        // A notice of a payment not final yet: the gateway is asked to send it again (the
        // sweep asks too).
        Applied::StillPending => NoticeAck::Unknown,
    })
}

/// What the payer's return page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Returned {
    /// Paid: the dossier's e-receipt.
    Paid {
        order: PaymentOrder,
        receipt: Option<Receipt>,
    },
    /// Not paid, with the reason in Vietnamese.
    Failed { order: PaymentOrder, reason: String },
    /// The gateway has not confirmed yet ("Đang chờ xác nhận").
    Pending { order: PaymentOrder },
    /// The return's parameters are not the gateway's (or name no attempt).
    Invalid,
}

/// Handles the payer's return: verified, then never trusted alone. An attempt still pending
/// is settled only by the gateway's answer to a query (paid or failed); without one it
/// stays pending.
pub async fn handle_return(
    p: &Payments<'_>,
    query: &[(String, String)],
    ctx: &AuditContext,
) -> Result<Returned, AppError> {
    let store = p.store;
    let report = match p.gateway.verify_callback(query) {
        Ok(r) => r,
        Err(e) => {
            let record = raw_record("return", query, callback_error_text(&e), "refused");
            store.record_payment_event(&record, ctx).await?;
            return Ok(Returned::Invalid);
        }
    };
    let Some(order) = store.payment_order(report.txn_ref.as_str()).await? else {
        let record = report_record("return", &report, "unknown_order", "refused");
        store.record_payment_event(&record, ctx).await?;
        return Ok(Returned::Invalid);
    };
    let said = verdict_text(report.verdict);
    if order.state == OrderState::Pending && amount_matches(&order, &report) {
        let record = report_record("return", &report, said, "query");
        store.record_payment_event(&record, ctx).await?;
        match p.gateway.query(&p.gateway_order(&order), ctx.at).await {
            Ok(answer) if answer.txn_ref == order.txn_ref && amount_matches(&order, &answer) => {
                apply(p, &order, &answer, "query", ctx).await?;
            }
            Ok(answer) => {
                let record = report_record("query", &answer, "mismatch", "left_pending");
                store.record_payment_event(&record, ctx).await?;
            }
            Err(e) => {
                let mut record = report_record("query", &report, "", "left_pending");
                record.verdict = gateway_error_text(&e);
                store.record_payment_event(&record, ctx).await?;
            }
        }
    } else {
        let record = report_record("return", &report, said, order.state.as_str());
        store.record_payment_event(&record, ctx).await?;
    }
    let order = store
        .payment_order(order.txn_ref.as_str())
        .await?
        .unwrap_or(order);
    Ok(match order.state {
        OrderState::Paid => {
            let receipt = store.dossier_receipts(&order.dossier).await?.pop();
            Returned::Paid { order, receipt }
        }
        OrderState::Failed | OrderState::Expired => {
            let code = order.response_code.clone().unwrap_or_default();
            let reason = if order.state == OrderState::Expired {
                failure_reason_vi("11")
            } else {
                failure_reason_vi(&code)
            };
            Returned::Failed {
                order,
                reason: reason.to_owned(),
            }
        }
        OrderState::Pending if report.verdict == PaymentVerdict::Failed => Returned::Failed {
            reason: failure_reason_vi(&report.response_code).to_owned(),
            order,
        },
        OrderState::Pending => Returned::Pending { order },
    })
}
