//! The ledger of online payments (sổ giao dịch thanh toán trực tuyến): the attempts to pay a
//! dossier's fee through a gateway ([`PaymentOrder`], `payment_orders`), everything received
//! from or sent to the gateway about them ([`PaymentRecord`], `payment_records`, append-only:
//! whatever happened, the money stays traceable) and the refunds ([`PaymentRefund`],
//! append-only).
//!
//! An order leaves `pending` once, by an `UPDATE … WHERE state = 'pending'` that must change
//! its row: two notices of one payment processed at once settle it once. Settling it paid
//! (`settle.rs`) records the dossier's payment (the desk's `apply_change` path: event,
//! aggregates), issues its e-receipt (the desk's numbering) and puts the citizen's notice in
//! the outbox, all in that one transaction.

mod settle;

use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::citizen::CitizenId;
use motcua_core::dossier::DossierCode;
use motcua_core::payment::{RefundReport, TxnRef};
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, QueryResult, TransactionTrait};
use serde::Serialize;

pub use settle::{ReceiptTemplate, Settlement};

use crate::StoreError;
use crate::rows::reader;
use crate::sql::{SqlStore, stmt};

/// Where a payment attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Sent to the gateway; no answer believed yet.
    Pending,
    /// The gateway confirmed the money taken.
    Paid,
    /// The gateway said the payment did not happen.
    Failed,
    /// Past its expiry, and the gateway says it was never paid (or never answered for long).
    Expired,
}

impl OrderState {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::Pending => "pending",
            OrderState::Paid => "paid",
            OrderState::Failed => "failed",
            OrderState::Expired => "expired",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            OrderState::Pending,
            OrderState::Paid,
            OrderState::Failed,
            OrderState::Expired,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// `Đang chờ xác nhận`, `Đã thanh toán`…
    pub fn label_vi(self) -> &'static str {
        match self {
            OrderState::Pending => "Đang chờ xác nhận",
            OrderState::Paid => "Đã thanh toán",
            OrderState::Failed => "Không thành công",
            OrderState::Expired => "Hết hạn",
        }
    }
}

/// One attempt to pay a dossier's fee online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentOrder {
    pub txn_ref: TxnRef,
    pub dossier: DossierCode,
    pub unit: UnitCode,
    /// The gateway's name (`vnpay`).
    pub gateway: String,
    pub amount_vnd: i64,
    /// What the payer's bank shows (ASCII).
    pub order_info: String,
    pub state: OrderState,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub settled_at: Option<Timestamp>,
    pub transaction_no: Option<String>,
    pub bank_code: Option<String>,
    pub response_code: Option<String>,
    pub transaction_status: Option<String>,
    /// The citizen's account that started it, if any.
    #[serde(skip)]
    pub citizen: Option<CitizenId>,
}

/// A new attempt: the store numbers it `<dossier code>-<n>`.
#[derive(Debug, Clone)]
pub struct NewOrder {
    pub dossier: DossierCode,
    pub unit: UnitCode,
    pub gateway: String,
    pub amount_vnd: i64,
    pub order_info: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub citizen: Option<CitizenId>,
}

/// What the ledger keeps of one exchange with a gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentRecord {
    pub id: i64,
    /// The order it is about; `None` for a callback naming no order we could read.
    pub txn_ref: Option<String>,
    /// `order` (sent), `return`, `notice`, `query`, `refund`.
    pub kind: String,
    /// What it said: `paid`, `failed`, `pending`, or why it was not believed
    /// (`bad_signature`, `wrong_terminal`, `malformed`, `wrong_amount`, `unavailable`…).
    pub verdict: String,
    /// What motcua did or answered (`settled`, `already_settled`, the notice's code…).
    pub answer: String,
    /// The parameters as received or sent, as JSON text.
    pub payload: String,
    pub recorded_at: Timestamp,
}

/// A record to append.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub txn_ref: Option<String>,
    pub kind: &'static str,
    pub verdict: String,
    pub answer: String,
    pub payload: serde_json::Value,
}

/// A refund asked of the gateway, with its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentRefund {
    pub txn_ref: String,
    pub amount_vnd: i64,
    pub reason: String,
    /// The audit actor of the officer who asked.
    pub requested_by: String,
    pub requested_at: Timestamp,
    pub accepted: bool,
    pub response_code: String,
    pub message: String,
    pub transaction_no: Option<String>,
}

const ORDER_COLUMNS: &str = "txn_ref, dossier_code, unit_code, gateway, amount_vnd, order_info, \
     state, created_at, expires_at, settled_at, transaction_no, bank_code, response_code, \
     transaction_status, citizen_id";

impl SqlStore {
    /// Stores a new attempt to pay `new.dossier`'s fee, numbered after the dossier's earlier
    /// ones (`HO-XA-240520-0001-2`), with its `order` record (audited `payment.start`).
    /// Refused when the dossier's fee is paid already.
    pub async fn start_payment_order(
        &self,
        new: &NewOrder,
        ctx: &AuditContext,
    ) -> Result<PaymentOrder, StoreError> {
        let txn = self.db.begin().await?;
        // The unit's lock first (a write on SQLite): attempts of one dossier are numbered in
        // turn.
        crate::aggregates::lock_units(&txn, &[&new.unit]).await?;
        let row = txn
            .query_one_raw(stmt(
                &txn,
                "SELECT paid_at, (SELECT COUNT(*) FROM payment_orders WHERE dossier_code = $1)
                 AS attempts FROM dossiers WHERE code = $1",
                vec![new.dossier.as_str().into()],
            ))
            .await?
            .ok_or_else(|| StoreError::Refused(format!("không có hồ sơ mã «{}»", new.dossier)))?;
        let paid: Option<i64> = row.try_get("", "paid_at")?;
        if paid.is_some() {
            return Err(StoreError::Refused(format!(
                "hồ sơ «{}» đã nộp phí, lệ phí",
                new.dossier
            )));
        }
        let attempts: i64 = row.try_get("", "attempts")?;
        let txn_ref = TxnRef::parse(&format!("{}-{}", new.dossier, attempts + 1))
            .map_err(|e| StoreError::Refused(e.to_string()))?;
        let order = PaymentOrder {
            txn_ref,
            dossier: new.dossier.clone(),
            unit: new.unit.clone(),
            gateway: new.gateway.clone(),
            amount_vnd: new.amount_vnd,
            order_info: new.order_info.clone(),
            state: OrderState::Pending,
            created_at: new.created_at,
            expires_at: new.expires_at,
            settled_at: None,
            transaction_no: None,
            bank_code: None,
            response_code: None,
            transaction_status: None,
            citizen: new.citizen,
        };
        txn.execute_raw(stmt(
            &txn,
            &format!(
                "INSERT INTO payment_orders ({ORDER_COLUMNS})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, NULL, NULL, NULL, $10)"
            ),
            vec![
                order.txn_ref.as_str().into(),
                order.dossier.as_str().into(),
                order.unit.as_str().into(),
                order.gateway.clone().into(),
                order.amount_vnd.into(),
                order.order_info.clone().into(),
                order.state.as_str().into(),
                order.created_at.as_micros().into(),
                order.expires_at.as_micros().into(),
                order.citizen.map(|c| c.0).into(),
            ],
        ))
        .await?;
        let record = NewRecord {
            txn_ref: Some(order.txn_ref.to_string()),
            kind: "order",
            verdict: "pending".to_owned(),
            answer: "sent".to_owned(),
            payload: serde_json::json!({
                "amount_vnd": order.amount_vnd,
                "order_info": order.order_info,
                "expires_at": order.expires_at.as_micros(),
            }),
        };
        append_record(&txn, &record, ctx, "payment.start").await?;
        txn.commit().await?;
        Ok(order)
    }

    /// The attempt `txn_ref`, if there is one.
    pub async fn payment_order(&self, txn_ref: &str) -> Result<Option<PaymentOrder>, StoreError> {
        let db = &self.db;
        let row = db
            .query_one_raw(stmt(
                db,
                &format!("SELECT {ORDER_COLUMNS} FROM payment_orders WHERE txn_ref = $1"),
                vec![txn_ref.into()],
            ))
            .await?;
        row.as_ref().map(order_of).transpose()
    }

    /// A dossier's attempts, oldest first.
    pub async fn dossier_payment_orders(
        &self,
        dossier: &DossierCode,
    ) -> Result<Vec<PaymentOrder>, StoreError> {
        let db = &self.db;
        let rows = db
            .query_all_raw(stmt(
                db,
                &format!(
                    "SELECT {ORDER_COLUMNS} FROM payment_orders WHERE dossier_code = $1
                     ORDER BY created_at, txn_ref"
                ),
                vec![dossier.as_str().into()],
            ))
            .await?;
        rows.iter().map(order_of).collect()
    }

    /// The attempts still pending that were created before `before`, oldest first, at most
    /// `limit` (the sweep's batch).
    pub async fn pending_payment_orders(
        &self,
        before: Timestamp,
        limit: u32,
    ) -> Result<Vec<PaymentOrder>, StoreError> {
        let db = &self.db;
        let rows = db
            .query_all_raw(stmt(
                db,
                &format!(
                    "SELECT {ORDER_COLUMNS} FROM payment_orders
                     WHERE state = 'pending' AND created_at < $1
                     ORDER BY created_at, txn_ref LIMIT {limit}"
                ),
                vec![before.as_micros().into()],
            ))
            .await?;
        rows.iter().map(order_of).collect()
    }

    /// What the ledger holds about `txn_ref`, in the order it happened.
    pub async fn payment_records(&self, txn_ref: &str) -> Result<Vec<PaymentRecord>, StoreError> {
        let db = &self.db;
        let rows = db
            .query_all_raw(stmt(
                db,
                "SELECT id, txn_ref, kind, verdict, answer, payload, recorded_at
                 FROM payment_records WHERE txn_ref = $1 ORDER BY id",
                vec![txn_ref.into()],
            ))
            .await?;
        rows.iter().map(record_of).collect()
    }

    /// Every record, in the order it happened (the ledger's check in tests and exports).
    pub async fn all_payment_records(&self) -> Result<Vec<PaymentRecord>, StoreError> {
        let db = &self.db;
        let rows = db
            .query_all_raw(stmt(
                db,
                "SELECT id, txn_ref, kind, verdict, answer, payload, recorded_at
                 FROM payment_records ORDER BY id",
                vec![],
            ))
            .await?;
        rows.iter().map(record_of).collect()
    }

    /// Appends what a gateway sent or answered that changes no order (a callback not
    /// believed, a query answering "pending", a repeated notice), audited
    /// `payment.callback`.
    pub async fn record_payment_event(
        &self,
        record: &NewRecord,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        append_record(&txn, record, ctx, "payment.callback").await?;
        txn.commit().await?;
        Ok(())
    }

    /// Records a refund asked of the gateway and its answer (with a `refund` record,
    /// audited `payment.refund`).
    pub async fn record_refund(
        &self,
        refund: &PaymentRefund,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        txn.execute_raw(stmt(
            &txn,
            "INSERT INTO payment_refunds (txn_ref, amount_vnd, reason, requested_by,
                 requested_at, accepted, response_code, message, transaction_no)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            vec![
                refund.txn_ref.clone().into(),
                refund.amount_vnd.into(),
                refund.reason.clone().into(),
                refund.requested_by.clone().into(),
                refund.requested_at.as_micros().into(),
                refund.accepted.into(),
                refund.response_code.clone().into(),
                refund.message.clone().into(),
                refund.transaction_no.clone().into(),
            ],
        ))
        .await?;
        let record = NewRecord {
            txn_ref: Some(refund.txn_ref.clone()),
            kind: "refund",
            verdict: if refund.accepted {
                "accepted"
            } else {
                "refused"
            }
            .to_owned(),
            answer: refund.response_code.clone(),
            payload: serde_json::to_value(refund)?,
        };
        append_record(&txn, &record, ctx, "payment.refund").await?;
        txn.commit().await?;
        Ok(())
    }

    /// The refunds of an attempt, oldest first.
    pub async fn payment_refunds(&self, txn_ref: &str) -> Result<Vec<PaymentRefund>, StoreError> {
        let db = &self.db;
        let rows = db
            .query_all_raw(stmt(
                db,
                "SELECT txn_ref, amount_vnd, reason, requested_by, requested_at, accepted,
                        response_code, message, transaction_no
                 FROM payment_refunds WHERE txn_ref = $1 ORDER BY id",
                vec![txn_ref.into()],
            ))
            .await?;
        rows.iter()
            .map(|row| {
                let r = reader(row, "payment_refunds", "txn_ref");
                Ok(PaymentRefund {
                    txn_ref: r.get("txn_ref")?,
                    amount_vnd: r.get("amount_vnd")?,
                    reason: r.get("reason")?,
                    requested_by: r.get("requested_by")?,
                    requested_at: r.timestamp("requested_at")?,
                    accepted: r.get("accepted")?,
                    response_code: r.get("response_code")?,
                    message: r.get("message")?,
                    transaction_no: r.get("transaction_no")?,
                })
            })
            .collect()
    }
}

/// A refund's answer as the ledger keeps it.
pub fn refund_of(
    txn_ref: &TxnRef,
    amount_vnd: i64,
    reason: &str,
    ctx: &AuditContext,
    answer: &RefundReport,
) -> PaymentRefund {
    PaymentRefund {
        txn_ref: txn_ref.to_string(),
        amount_vnd,
        reason: reason.to_owned(),
        requested_by: ctx.actor.clone(),
        requested_at: ctx.at,
        accepted: answer.accepted,
        response_code: answer.response_code.clone(),
        message: answer.message.clone(),
        transaction_no: answer.transaction_no.clone(),
    }
}

/// Appends `record` and its audit record (`action`) in `txn`.
pub(crate) async fn append_record<C: ConnectionTrait>(
    txn: &C,
    record: &NewRecord,
    ctx: &AuditContext,
    action: &str,
) -> Result<(), StoreError> {
    let payload = serde_json::to_string(&record.payload)?;
    txn.execute_raw(stmt(
        txn,
        "INSERT INTO payment_records (txn_ref, kind, verdict, answer, payload, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            record.txn_ref.clone().into(),
            record.kind.into(),
            record.verdict.clone().into(),
            record.answer.clone().into(),
            payload.into(),
            ctx.at.as_micros().into(),
        ],
    ))
    .await?;
    crate::access::audit(
        txn,
        ctx,
        action,
        record.txn_ref.as_deref().unwrap_or("-"),
        &serde_json::Value::Null,
        &serde_json::json!({
            "kind": record.kind,
            "verdict": record.verdict,
            "answer": record.answer,
        }),
    )
    .await
}

fn order_of(row: &QueryResult) -> Result<PaymentOrder, StoreError> {
    let r = reader(row, "payment_orders", "txn_ref");
    Ok(PaymentOrder {
        txn_ref: r.parse("txn_ref", |t| TxnRef::parse(t).ok())?,
        dossier: r.parse("dossier_code", DossierCode::parse)?,
        unit: r.parse("unit_code", |t| UnitCode::parse(t).ok())?,
        gateway: r.get("gateway")?,
        amount_vnd: r.get("amount_vnd")?,
        order_info: r.get("order_info")?,
        state: r.parse("state", OrderState::parse)?,
        created_at: r.timestamp("created_at")?,
        expires_at: r.timestamp("expires_at")?,
        settled_at: r.timestamp_opt("settled_at")?,
        transaction_no: r.get("transaction_no")?,
        bank_code: r.get("bank_code")?,
        response_code: r.get("response_code")?,
        transaction_status: r.get("transaction_status")?,
        citizen: r.get::<Option<i64>>("citizen_id")?.map(CitizenId),
    })
}

fn record_of(row: &QueryResult) -> Result<PaymentRecord, StoreError> {
    let r = reader(row, "payment_records", "txn_ref");
    Ok(PaymentRecord {
        id: r.get("id")?,
        txn_ref: r.get("txn_ref")?,
        kind: r.get("kind")?,
        verdict: r.get("verdict")?,
        answer: r.get("answer")?,
        payload: r.get("payload")?,
        recorded_at: r.timestamp("recorded_at")?,
    })
}
