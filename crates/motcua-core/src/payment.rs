//! Online payment of a dossier's fee through a payment gateway (cổng thanh toán): the order
//! sent to the gateway, what the gateway reports back about it, how the one-stop shop answers
//! the gateway's server-to-server notice, and a refund.
//!
//! These are the protocol-neutral values the app's `PaymentGateway` trait speaks; a gateway's
//! wire format (VNPay's parameters and signatures) lives in its own module.

pub mod vnpay;

use std::fmt;

use serde::{Deserialize, Serialize};

use icu_normalizer::DecomposingNormalizerBorrowed;

use crate::Timestamp;

/// The longest merchant reference (VNPay's `vnp_TxnRef` allows 100 characters).
pub const MAX_TXN_REF: usize = 100;

/// A merchant reference (mã giao dịch của đơn vị, VNPay's `vnp_TxnRef`): unique per payment
/// attempt, made of ASCII letters, digits, `-`, `_` and `.` only, so that every encoder of
/// every gateway gives it the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TxnRef(String);

/// A text that is not a merchant reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mã giao dịch «{0}» không hợp lệ")]
pub struct TxnRefError(pub String);

impl TxnRef {
    pub fn parse(text: &str) -> Result<Self, TxnRefError> {
        let ok = !text.is_empty()
            && text.len() <= MAX_TXN_REF
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(TxnRefError(text.chars().take(MAX_TXN_REF).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TxnRef {
    type Error = TxnRefError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<TxnRef> for String {
    fn from(t: TxnRef) -> Self {
        t.0
    }
}

impl fmt::Display for TxnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One attempt to pay, as sent to the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatewayOrder {
    pub txn_ref: TxnRef,
    /// In đồng (VND), as the dossier's fee.
    pub amount_vnd: i64,
    /// What the payer's bank shows: ASCII, Vietnamese without diacritics
    /// (`Nop phi le phi ho so VL-240520-0001`).
    pub order_info: String,
    pub created_at: Timestamp,
    /// After this, the gateway refuses to take the payment.
    pub expires_at: Timestamp,
    /// The payer's address, as the gateway asks.
    pub client_ip: String,
    /// Where the gateway sends the payer's browser back.
    pub return_url: String,
}

/// What a gateway says a transaction came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentVerdict {
    /// The money was taken (VNPay: `vnp_ResponseCode` and `vnp_TransactionStatus` both `00`).
    Paid,
    /// The payment did not happen (cancelled, refused, timed out…).
    Failed,
    /// The gateway does not know yet (VNPay: `vnp_TransactionStatus` `01`).
    Pending,
}

/// What a gateway reports about one transaction, from a verified callback (the browser's
/// return, the server-to-server notice) or from a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatewayReport {
    pub txn_ref: TxnRef,
    /// The terminal (merchant) code the report is for.
    pub terminal: String,
    /// In đồng (VND), already converted from the gateway's unit.
    pub amount_vnd: i64,
    /// The currency, when the gateway states one (`VND`).
    pub currency: Option<String>,
    /// The gateway's transaction number (VNPay's `vnp_TransactionNo`).
    pub transaction_no: Option<String>,
    pub bank_code: Option<String>,
    /// When the payer paid, per the gateway.
    pub paid_at: Option<Timestamp>,
    /// The gateway's codes, kept as sent for the ledger.
    pub response_code: String,
    pub transaction_status: String,
    pub verdict: PaymentVerdict,
}

/// The one-stop shop's answer to a gateway's server-to-server notice (VNPay IPN's
/// `RspCode`): whether the gateway should stop sending it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeAck {
    /// Recorded (`00`).
    Confirmed,
    /// No such order (`01`).
    OrderNotFound,
    /// The order was already settled; nothing changed (`02`).
    AlreadyConfirmed,
    /// The amount is not the order's (`04`).
    InvalidAmount,
    /// The signature does not verify, or another terminal's notice (`97`).
    InvalidSignature,
    /// Anything else, e.g. the database unreachable: the gateway should try again (`99`).
    Unknown,
}

/// A refund asked of the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRequest {
    /// The original payment.
    pub order: GatewayOrder,
    /// The gateway's transaction number of the original payment, when known.
    pub transaction_no: Option<String>,
    /// In đồng; the whole amount or a part of it.
    pub amount_vnd: i64,
    /// Who asks for it (a login or name, ASCII).
    pub requested_by: String,
    pub requested_at: Timestamp,
}

/// The gateway's answer to a refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundReport {
    pub accepted: bool,
    pub response_code: String,
    pub message: String,
    pub transaction_no: Option<String>,
}

/// Vietnamese text as ASCII without diacritics (`Nộp lệ phí` → `Nop le phi`), for what a
/// gateway or a bank transfer carries; anything left that is not printable ASCII is dropped.
pub fn ascii_text(text: &str) -> String {
    let decomposed = DecomposingNormalizerBorrowed::new_nfd().normalize(text);
    decomposed
        .chars()
        .filter_map(|c| match c {
            'đ' => Some('d'),
            'Đ' => Some('D'),
            c if c.is_ascii_graphic() || c == ' ' => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_txn_ref_is_ascii_letters_digits_and_three_signs() {
        assert!(TxnRef::parse("VL-240520-0001.1_a").is_ok());
        assert!(TxnRef::parse("").is_err());
        assert!(TxnRef::parse("HS 1").is_err());
        assert!(TxnRef::parse("Hồ-sơ").is_err());
        assert!(TxnRef::parse(&"a".repeat(101)).is_err());
    }

    #[test]
    fn ascii_text_drops_the_diacritics() {
        assert_eq!(
            ascii_text("Nộp phí, lệ phí hồ sơ Đăng ký"),
            "Nop phi, le phi ho so Dang ky"
        );
    }
}
