//! Settling an attempt: paid (with the dossier's payment, its e-receipt and the citizen's
//! notice, in one transaction), or failed or expired.

use motcua_core::access::AuditContext;
use motcua_core::dossier::PaymentChannel;
use motcua_core::fees::{FeeKind, NewReceipt, Receipt};
use motcua_core::outbox::Message;
use motcua_core::payment::GatewayReport;
use sea_orm::{ConnectionTrait, TransactionTrait};

use super::{NewRecord, ORDER_COLUMNS, OrderState, PaymentOrder, append_record, order_of};
use crate::StoreError;
use crate::desk::{Change, HeldDossier, change_in};
use crate::rows::DOSSIER_COLUMNS;
use crate::sql::{SqlStore, stmt};

/// What the e-receipt of a payment is numbered under (the unit's current form and series).
#[derive(Debug, Clone)]
pub struct ReceiptTemplate {
    pub form_symbol: String,
    pub series: String,
    pub fee_kind: Option<FeeKind>,
}

/// What settling an attempt paid did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// The attempt is paid, the dossier's fee recorded and its e-receipt issued.
    Settled(Receipt),
    /// The attempt had left `pending` already (in the state given): nothing changed.
    AlreadySettled(OrderState),
    /// The attempt is paid, but the dossier's fee had been paid otherwise (at the desk, by
    /// another attempt): no second payment nor receipt; the money is to be refunded.
    DossierAlreadyPaid,
}

impl SqlStore {
    /// Settles attempt `txn_ref` paid, as the gateway's `report` says, in one transaction:
    /// the attempt (only if still pending, or expired without an answer), the dossier's
    /// payment (channel online, now: event, aggregates, audit as the desk's), its e-receipt
    /// numbered under `template`, the messages `notices` makes of that receipt put in the
    /// outbox, and `record` appended (audited `payment.settle`). A second settlement changes
    /// nothing but the ledger ([`Settlement::AlreadySettled`]).
    pub async fn settle_paid(
        &self,
        txn_ref: &str,
        report: &GatewayReport,
        record: &NewRecord,
        template: &ReceiptTemplate,
        notices: impl FnOnce(&Receipt) -> Vec<Message> + Send,
        ctx: &AuditContext,
    ) -> Result<Settlement, StoreError> {
        let txn = self.db.begin().await?;
        // A write first: SQLite's write lock, PostgreSQL's row lock on the attempt, so two
        // settlements of one attempt queue and the second changes no row.
        let done = txn
            .execute_raw(stmt(
                &txn,
                "UPDATE payment_orders SET state = 'paid', settled_at = $1, transaction_no = $2,
                     bank_code = $3, response_code = $4, transaction_status = $5
                 WHERE txn_ref = $6 AND state IN ('pending', 'expired')",
                vec![
                    ctx.at.as_micros().into(),
                    report.transaction_no.clone().into(),
                    report.bank_code.clone().into(),
                    report.response_code.clone().into(),
                    report.transaction_status.clone().into(),
                    txn_ref.into(),
                ],
            ))
            .await?;
        let order = read_order(&txn, txn_ref).await?;
        if done.rows_affected() != 1 {
            let mut again = record.clone();
            again.answer = "already_settled".to_owned();
            append_record(&txn, &again, ctx, "payment.callback").await?;
            txn.commit().await?;
            return Ok(Settlement::AlreadySettled(order.state));
        }
        crate::aggregates::lock_units(&txn, &[&order.unit]).await?;
        let held = txn
            .query_one_raw(stmt(
                &txn,
                &format!(
                    "SELECT {DOSSIER_COLUMNS}, lifecycle, details, citizen_id FROM dossiers \
                     WHERE code = $1"
                ),
                vec![order.dossier.as_str().into()],
            ))
            .await?
            .ok_or_else(|| StoreError::Refused(format!("không có hồ sơ mã «{}»", order.dossier)))?;
        let held: HeldDossier = crate::desk::held(&held)?;
        if held.dossier.paid_at.is_some() {
            let mut dup = record.clone();
            dup.answer = "dossier_already_paid".to_owned();
            append_record(&txn, &dup, ctx, "payment.settle").await?;
            txn.commit().await?;
            return Ok(Settlement::DossierAlreadyPaid);
        }
        let mut paid = held.dossier.clone();
        paid.payment_channel = Some(PaymentChannel::Online);
        paid.paid_at = Some(ctx.at);
        change_in(
            &txn,
            &held,
            (&paid, &held.lifecycle, held.details.as_ref()),
            &Change::Payment(PaymentChannel::Online),
            &[],
            ctx,
        )
        .await?;
        let receipt = crate::receipts::receipt_in(
            &txn,
            &NewReceipt {
                unit: paid.unit_code.clone(),
                dossier: paid.code.clone(),
                form_symbol: template.form_symbol.clone(),
                series: template.series.clone(),
                amount_vnd: order.amount_vnd,
                payment_channel: PaymentChannel::Online,
                issued_at: ctx.at,
                fee_kind: template.fee_kind,
            },
            ctx,
        )
        .await?;
        crate::outbox::enqueue(&txn, &notices(&receipt), Some(&paid.code), ctx.at).await?;
        let mut settled = record.clone();
        settled.answer = format!("settled; receipt {}", receipt.number_text());
        append_record(&txn, &settled, ctx, "payment.settle").await?;
        txn.commit().await?;
        Ok(Settlement::Settled(receipt))
    }

    /// Settles attempt `txn_ref` unpaid (`Failed` or `Expired`) if it is still pending, with
    /// the gateway's codes when it gave some, and appends `record` (audited
    /// `payment.unpaid`, or `payment.callback` when it had left pending already). Whether it
    /// changed.
    pub async fn settle_unpaid(
        &self,
        txn_ref: &str,
        state: OrderState,
        report: Option<&GatewayReport>,
        record: &NewRecord,
        ctx: &AuditContext,
    ) -> Result<bool, StoreError> {
        if !matches!(state, OrderState::Failed | OrderState::Expired) {
            return Err(StoreError::Refused(format!(
                "«{}» không phải trạng thái chưa thanh toán",
                state.as_str()
            )));
        }
        let txn = self.db.begin().await?;
        let done = txn
            .execute_raw(stmt(
                &txn,
                "UPDATE payment_orders SET state = $1, settled_at = $2,
                     transaction_no = COALESCE($3, transaction_no),
                     bank_code = COALESCE($4, bank_code),
                     response_code = COALESCE($5, response_code),
                     transaction_status = COALESCE($6, transaction_status)
                 WHERE txn_ref = $7 AND state = 'pending'",
                vec![
                    state.as_str().into(),
                    ctx.at.as_micros().into(),
                    report.and_then(|r| r.transaction_no.clone()).into(),
                    report.and_then(|r| r.bank_code.clone()).into(),
                    report.map(|r| r.response_code.clone()).into(),
                    report.map(|r| r.transaction_status.clone()).into(),
                    txn_ref.into(),
                ],
            ))
            .await?;
        let changed = done.rows_affected() == 1;
        let mut rec = record.clone();
        if !changed {
            rec.answer = "already_settled".to_owned();
        }
        let action = if changed {
            "payment.unpaid"
        } else {
            "payment.callback"
        };
        append_record(&txn, &rec, ctx, action).await?;
        txn.commit().await?;
        Ok(changed)
    }
}

async fn read_order<C: ConnectionTrait>(
    txn: &C,
    txn_ref: &str,
) -> Result<PaymentOrder, StoreError> {
    let row = txn
        .query_one_raw(stmt(
            txn,
            &format!("SELECT {ORDER_COLUMNS} FROM payment_orders WHERE txn_ref = $1"),
            vec![txn_ref.into()],
        ))
        .await?
        .ok_or_else(|| StoreError::Refused(format!("không có giao dịch «{txn_ref}»")))?;
    order_of(&row)
}
