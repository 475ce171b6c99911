//! The sweep (đối soát): attempts left pending for more than a few minutes are asked of the
//! gateway and settled by its answer. An attempt the gateway does not know is marked expired
//! once past its expiry; one the gateway cannot be asked about stays pending and is asked
//! again at the next sweep, and is marked expired only after a long grace.

use std::sync::Arc;
use std::time::Duration;

use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_store::{NewRecord, OrderState, SqlStore};

use super::ledger::{gateway_error_text, report_record};
use super::settle::{Applied, amount_matches, apply};
use super::{GatewayError, PaymentGateway, Payments};
use crate::AppError;

/// How long an attempt is left to the payer and the notice before the sweep asks.
pub const SWEEP_AFTER_MINUTES: i64 = 5;
/// How long after its expiry an attempt the gateway never answered about is given up.
pub const GRACE_HOURS: i64 = 24;
/// Attempts asked per sweep.
pub const SWEEP_BATCH: u32 = 100;

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub asked: u32,
    pub paid: u32,
    pub failed: u32,
    pub expired: u32,
    /// Still pending: the gateway does not know yet, or could not be asked.
    pub pending: u32,
}

/// Asks the gateway about every attempt pending since more than
/// [`SWEEP_AFTER_MINUTES`] at `ctx.at`, and settles each by the answer.
pub async fn reconcile(p: &Payments<'_>, ctx: &AuditContext) -> Result<Swept, AppError> {
    let now = ctx.at;
    let before = Timestamp::from_micros(now.as_micros() - SWEEP_AFTER_MINUTES * 60_000_000);
    let mut swept = Swept::default();
    for order in p.store.pending_payment_orders(before, SWEEP_BATCH).await? {
        swept.asked += 1;
        let expired = now > order.expires_at;
        let given_up = now.as_micros() > order.expires_at.as_micros() + GRACE_HOURS * 3_600_000_000;
        match p.gateway.query(&p.gateway_order(&order), now).await {
            Ok(answer) if answer.txn_ref == order.txn_ref && amount_matches(&order, &answer) => {
                match apply(p, &order, &answer, "query", ctx).await? {
                    Applied::Paid(_) => swept.paid += 1,
                    Applied::Failed => swept.failed += 1,
                    Applied::AlreadySettled(_) => {}
                    Applied::StillPending if given_up => {
                        expire(p, &order.txn_ref, "pending", "expired after grace", ctx).await?;
                        swept.expired += 1;
                    }
                    Applied::StillPending => swept.pending += 1,
                }
            }
            Ok(answer) => {
                let record = report_record("query", &answer, "mismatch", "left_pending");
                p.store.record_payment_event(&record, ctx).await?;
                swept.pending += 1;
            }
            // The gateway says it has no such transaction: never paid. Once past the expiry,
            // it will never be.
            Err(e @ GatewayError::Refused { .. }) if expired => {
                expire(p, &order.txn_ref, &gateway_error_text(&e), "expired", ctx).await?;
                swept.expired += 1;
            }
            Err(e) if given_up => {
                expire(
                    p,
                    &order.txn_ref,
                    &gateway_error_text(&e),
                    "expired after grace",
                    ctx,
                )
                .await?;
                swept.expired += 1;
            }
            Err(e) => {
                let record = NewRecord {
                    txn_ref: Some(order.txn_ref.to_string()),
                    kind: "query",
                    verdict: gateway_error_text(&e),
                    answer: "left_pending".to_owned(),
                    payload: serde_json::json!({ "error": e.to_string() }),
                };
                p.store.record_payment_event(&record, ctx).await?;
                swept.pending += 1;
            }
        }
    }
    Ok(swept)
}

async fn expire(
    p: &Payments<'_>,
    txn_ref: &motcua_core::payment::TxnRef,
    verdict: &str,
    answer: &str,
    ctx: &AuditContext,
) -> Result<(), AppError> {
    let record = NewRecord {
        txn_ref: Some(txn_ref.to_string()),
        kind: "query",
        verdict: verdict.to_owned(),
        answer: answer.to_owned(),
        payload: serde_json::Value::Null,
    };
    p.store
        .settle_unpaid(txn_ref.as_str(), OrderState::Expired, None, &record, ctx)
        .await?;
    Ok(())
}

/// Runs [`reconcile`] every `every` (at `clock()`, audited as `gateway:<name>`), until
/// `stop` turns true (or its sender is dropped), as the outbox's worker does. A failing
/// sweep (the database away) is logged and the next one tried.
pub async fn run_sweeper(
    store: SqlStore,
    gateway: Arc<dyn PaymentGateway>,
    portal_url: String,
    every: Duration,
    clock: impl Fn() -> Option<Timestamp> + Send,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let p = Payments {
        store: &store,
        gateway: gateway.as_ref(),
        portal_url: &portal_url,
    };
    loop {
        if *stop.borrow() {
            return;
        }
        if let Some(now) = clock() {
            let ctx = AuditContext {
                actor: format!("gateway:{}", gateway.name()),
                remote_addr: None,
                at: now,
            };
            match reconcile(&p, &ctx).await {
                Ok(s) if s.asked > 0 => tracing::info!(
                    asked = s.asked,
                    paid = s.paid,
                    failed = s.failed,
                    expired = s.expired,
                    pending = s.pending,
                    "payments reconciled"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "payment sweep failed"),
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            changed = stop.changed() => if changed.is_err() { return },
        }
    }
}
