//! One gateway report believed (a notice, a return confirmed by a query, a query of the
//! sweep) applied to its attempt: paid → the dossier's payment, its e-receipt and the
//! citizen's notice in one transaction of the store; failed → the attempt failed.

use motcua_core::access::AuditContext;
use motcua_core::outbox::{ReceiptFacts, StatusNotice};
use motcua_core::payment::{GatewayReport, PaymentVerdict};
use motcua_store::{OrderState, PaymentOrder, ReceiptTemplate, Settlement};

use super::Payments;
use super::ledger::{report_record, verdict_text};
use crate::AppError;

/// What applying a report did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Paid now (with its e-receipt), or the dossier was paid otherwise (refund due).
    Paid(Settlement),
    /// Failed now.
    Failed,
    /// The attempt had left pending already.
    AlreadySettled(OrderState),
    /// The gateway does not know yet: nothing changed.
    StillPending,
}

/// Applies `report` (believed: verified and checked against `order`) to `order`, recording
/// it as a `kind` record.
pub(crate) async fn apply(
    p: &Payments<'_>,
    order: &PaymentOrder,
    report: &GatewayReport,
    kind: &'static str,
    ctx: &AuditContext,
) -> Result<Applied, AppError> {
    let store = p.store;
    let verdict = verdict_text(report.verdict);
    match report.verdict {
        PaymentVerdict::Paid => {
            let series = crate::desk::receipt_series(store, &order.unit, ctx.at).await?;
            let template = ReceiptTemplate {
                form_symbol: series.form_symbol,
                series: series.series,
                fee_kind: series.fee_kind,
            };
            let held = store.held_dossier(&order.dossier).await?;
            let addressed = match held.as_ref().and_then(|h| h.citizen.map(|c| (h, c))) {
                Some((h, citizen)) => {
                    crate::desk::addressed_facts(store, citizen, h, None, None).await?
                }
                None => None,
            };
            let link = p.receipt_link(&order.dossier);
            let notices = move |receipt: &motcua_core::fees::Receipt| match addressed {
                Some(mut a) => {
                    a.facts.receipt = Some(ReceiptFacts {
                        number: receipt.number_text(),
                        link,
                    });
                    a.messages(StatusNotice::Paid)
                }
                None => Vec::new(),
            };
            let record = report_record(kind, report, verdict, "settled");
            let settled = store
                .settle_paid(
                    order.txn_ref.as_str(),
                    report,
                    &record,
                    &template,
                    notices,
                    ctx,
                )
                .await?;
            Ok(match settled {
                Settlement::AlreadySettled(state) => Applied::AlreadySettled(state),
                s => Applied::Paid(s),
            })
        }
        PaymentVerdict::Failed => {
            let record = report_record(kind, report, verdict, "failed");
            let changed = store
                .settle_unpaid(
                    order.txn_ref.as_str(),
                    OrderState::Failed,
                    Some(report),
                    &record,
                    ctx,
                )
                .await?;
            if changed {
                Ok(Applied::Failed)
            } else {
                let now = store.payment_order(order.txn_ref.as_str()).await?;
                Ok(Applied::AlreadySettled(
                    now.map_or(order.state, |o| o.state),
                ))
            }
        }
        PaymentVerdict::Pending => {
            let record = report_record(kind, report, verdict, "left_pending");
            store.record_payment_event(&record, ctx).await?;
            Ok(Applied::StillPending)
        }
    }
}

/// Whether `report` is about `order` as stored: its amount, and its currency when stated.
pub(crate) fn amount_matches(order: &PaymentOrder, report: &GatewayReport) -> bool {
    report.amount_vnd == order.amount_vnd
        && report
            .currency
            .as_deref()
            .is_none_or(|c| c.eq_ignore_ascii_case("VND"))
}
