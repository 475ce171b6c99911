//! Online payment of dossiers' fees through a payment gateway.
//!
//! [`PaymentGateway`] is what the rest of motcua knows of a gateway: where to send the payer,
//! how to check what the gateway sends back (the browser's return and the server-to-server
//! notice, IPN), how to answer a notice, and the two server-to-server calls (the transaction
//! query used to reconcile a payment left pending, and the refund). Amounts, orders and
//! states are checked against the ledger by the payment flows, never by a gateway.
//!
//! The flows, each taking [`Payments`] (the store, the gateway, the portal's address):
//! [`start_payment`] (`start.rs`: a citizen's attempt and the gateway's address),
//! [`handle_notice`] and [`handle_return`] (`notice.rs`: the IPN settles, the return only
//! asks), [`reconcile`] and [`run_sweeper`] (`sweep.rs`: pending attempts asked of the
//! gateway), [`refund`] (`refund.rs`, a leader's); `settle.rs` applies a believed report
//! through the store's one-transaction settlement; `ledger.rs` what is recorded and the
//! Vietnamese reasons of a failure.

mod ledger;
mod notice;
mod refund;
mod settle;
mod start;
mod sweep;

pub use ledger::{ack_text, failure_reason_vi};
pub use notice::{Returned, handle_notice, handle_return};
pub use refund::refund;
pub use settle::Applied;
pub use start::{ORDER_MINUTES, Started, not_payable, start_payment};
pub use sweep::{GRACE_HOURS, SWEEP_AFTER_MINUTES, Swept, reconcile, run_sweeper};

pub mod vnpay;

use motcua_core::Timestamp;
use motcua_core::dossier::DossierCode;
use motcua_core::payment::{GatewayOrder, GatewayReport, NoticeAck, RefundReport, RefundRequest};
use motcua_store::{PaymentOrder, SqlStore};

/// What the payment flows work with: the store, the unit's gateway, and the portal's
/// public address (`https://dichvucong.example.vn`, or empty for links relative to the
/// site) that the citizen's notices link to.
#[derive(Clone, Copy)]
pub struct Payments<'a> {
    pub store: &'a SqlStore,
    pub gateway: &'a dyn PaymentGateway,
    pub portal_url: &'a str,
}

impl Payments<'_> {
    /// The address of a dossier's e-receipt on the portal.
    pub fn receipt_link(&self, dossier: &DossierCode) -> String {
        receipt_path(self.portal_url, dossier)
    }

    /// An attempt of the ledger as the gateway's calls take it (queries and refunds: the
    /// payer's address and return are not kept).
    pub(crate) fn gateway_order(&self, order: &PaymentOrder) -> GatewayOrder {
        order_of(order, "127.0.0.1", "")
    }
}

/// The portal's page of a dossier's e-receipt, under `base` (empty: relative to the site).
pub fn receipt_path(base: &str, dossier: &DossierCode) -> String {
    format!(
        "{}/citizen/dossiers/{dossier}/receipt",
        base.trim_end_matches('/')
    )
}

/// The gateway's order for an attempt of the ledger.
pub(crate) fn order_of(order: &PaymentOrder, client_ip: &str, return_url: &str) -> GatewayOrder {
    GatewayOrder {
        txn_ref: order.txn_ref.clone(),
        amount_vnd: order.amount_vnd,
        order_info: order.order_info.clone(),
        created_at: order.created_at,
        expires_at: order.expires_at,
        client_ip: client_ip.to_owned(),
        return_url: return_url.to_owned(),
    }
}

/// Why a callback (return or notice) was not believed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    /// The signature is missing or does not verify.
    #[error("chữ ký của cổng thanh toán không hợp lệ")]
    BadSignature,
    /// Signed, but for another terminal (merchant) code.
    #[error("thông báo dành cho mã đơn vị chấp nhận thanh toán khác")]
    WrongTerminal,
    /// A field is missing or unreadable (`field` names it).
    #[error("thông báo của cổng thanh toán thiếu hoặc sai trường {field}")]
    Malformed { field: String },
}

/// Why a call to the gateway gave no answer to go by.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// Unreachable, timed out, or an HTTP failure.
    #[error("không kết nối được cổng thanh toán: {0}")]
    Unavailable(String),
    /// An answer whose signature does not verify or that cannot be read.
    #[error("cổng thanh toán trả lời không hợp lệ: {0}")]
    BadAnswer(String),
    /// The gateway answered with a refusal code.
    #[error("cổng thanh toán từ chối yêu cầu (mã {code}): {message}")]
    Refused { code: String, message: String },
}

/// The boxed future a gateway's network calls return (the trait is used as `dyn`).
pub type GatewayFuture<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, GatewayError>> + Send + 'a>>;

/// A payment gateway: one protocol, configured with the unit's terminal code and secret.
pub trait PaymentGateway: Send + Sync {
    /// A short name for the ledger and the audit trail (`vnpay`).
    fn name(&self) -> &'static str;

    /// The address the payer's browser is sent to, to pay `order`.
    fn payment_url(&self, order: &GatewayOrder) -> String;

    /// Checks a callback's query parameters (as received, decoded): the signature and the
    /// terminal. The order, amount and currency are the caller's to check.
    fn verify_callback(&self, query: &[(String, String)]) -> Result<GatewayReport, CallbackError>;

    /// The body (and its content type) answering a server-to-server notice.
    fn notice_reply(&self, ack: NoticeAck) -> (&'static str, String);

    /// Asks the gateway what became of `order` (VNPay `querydr`); `at` is the request's time.
    fn query<'a>(
        &'a self,
        order: &'a GatewayOrder,
        at: Timestamp,
    ) -> GatewayFuture<'a, GatewayReport>;

    /// Asks the gateway to refund (VNPay `refund`).
    fn refund<'a>(&'a self, request: &'a RefundRequest) -> GatewayFuture<'a, RefundReport>;
}
