//! What the payment flows write in the ledger and show: the records of what a gateway sent
//! or answered, the notice's answers by name, the reasons of a failed payment in Vietnamese.

use motcua_core::payment::{GatewayReport, NoticeAck, PaymentVerdict};
use motcua_store::NewRecord;

use super::{CallbackError, GatewayError};

/// The ledger's name of a notice's answer.
pub fn ack_text(ack: NoticeAck) -> &'static str {
    match ack {
        NoticeAck::Confirmed => "confirmed",
        NoticeAck::OrderNotFound => "order_not_found",
        NoticeAck::AlreadyConfirmed => "already_confirmed",
        NoticeAck::InvalidAmount => "invalid_amount",
        NoticeAck::InvalidSignature => "invalid_signature",
        NoticeAck::Unknown => "unknown",
    }
}

pub(crate) fn verdict_text(v: PaymentVerdict) -> &'static str {
    match v {
        PaymentVerdict::Paid => "paid",
        PaymentVerdict::Failed => "failed",
        PaymentVerdict::Pending => "pending",
    }
}

pub(crate) fn callback_error_text(e: &CallbackError) -> &'static str {
    match e {
        CallbackError::BadSignature => "bad_signature",
        CallbackError::WrongTerminal => "wrong_terminal",
        CallbackError::Malformed { .. } => "malformed",
    }
}

pub(crate) fn gateway_error_text(e: &GatewayError) -> String {
    match e {
        GatewayError::Unavailable(_) => "unavailable".to_owned(),
        GatewayError::BadAnswer(_) => "bad_answer".to_owned(),
        GatewayError::Refused { code, .. } => format!("refused {code}"),
    }
}

/// The record of a callback's parameters as received, before any check believed them.
pub(crate) fn raw_record(
    kind: &'static str,
    query: &[(String, String)],
    verdict: &str,
    answer: &str,
) -> NewRecord {
    let txn_ref = query
        .iter()
        .find(|(k, _)| k.ends_with("TxnRef"))
        .map(|(_, v)| v.chars().take(100).collect());
    NewRecord {
        txn_ref,
        kind,
        verdict: verdict.to_owned(),
        answer: answer.to_owned(),
        payload: params_json(query),
    }
}

/// The record of a verified report.
pub(crate) fn report_record(
    kind: &'static str,
    report: &GatewayReport,
    verdict: &str,
    answer: &str,
) -> NewRecord {
    NewRecord {
        txn_ref: Some(report.txn_ref.to_string()),
        kind,
        verdict: verdict.to_owned(),
        answer: answer.to_owned(),
        payload: serde_json::to_value(report).unwrap_or(serde_json::Value::Null),
    }
}

/// The parameters as a JSON object (the signature left out: it proves nothing once stored).
fn params_json(query: &[(String, String)]) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> = query
        .iter()
        .filter(|(k, _)| !k.to_ascii_lowercase().contains("securehash"))
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    serde_json::Value::Object(map)
}

/// Why a payment did not go through, from the gateway's response code (VNPay's
/// `vnp_ResponseCode`), in Vietnamese.
pub fn failure_reason_vi(code: &str) -> &'static str {
    match code {
        "07" => "Giao dịch bị nghi ngờ gian lận, ngân hàng đã trừ tiền nhưng đang kiểm tra.",
        "09" => "Thẻ hoặc tài khoản chưa đăng ký dịch vụ ngân hàng trực tuyến.",
        "10" => "Xác thực thông tin thẻ hoặc tài khoản không đúng quá 3 lần.",
        "11" => "Đã hết thời gian chờ thanh toán.",
        "12" => "Thẻ hoặc tài khoản đang bị khóa.",
        "13" => "Mật khẩu xác thực giao dịch (OTP) không đúng.",
        "24" => "Ông/Bà đã hủy giao dịch.",
        "51" => "Tài khoản không đủ số dư để thanh toán.",
        "65" => "Tài khoản đã vượt quá hạn mức giao dịch trong ngày.",
        "75" => "Ngân hàng thanh toán đang bảo trì.",
        "79" => "Nhập sai mật khẩu thanh toán quá số lần quy định.",
        _ => "Cổng thanh toán báo giao dịch không thành công.",
    }
}
