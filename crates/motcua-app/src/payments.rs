//! Online payment of dossiers' fees through a payment gateway.
//!
//! [`PaymentGateway`] is what the rest of motcua knows of a gateway: where to send the payer,
//! how to check what the gateway sends back (the browser's return and the server-to-server
//! notice, IPN), how to answer a notice, and the two server-to-server calls (the transaction
//! query used to reconcile a payment left pending, and the refund). Amounts, orders and
//! states are checked against the ledger by the payment flows, never by a gateway.

pub mod vnpay;

use motcua_core::Timestamp;
use motcua_core::payment::{GatewayOrder, GatewayReport, NoticeAck, RefundReport, RefundRequest};

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
