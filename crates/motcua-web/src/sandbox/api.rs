//! The sandbox's `POST /merchant_webapi/api/transaction`: `querydr` and `refund` as VNPay
//! answers them — the request's pipe-joined hash checked, the answer signed the same way,
//! with VNPay's codes (`00` done, `02` another terminal, `03` malformed, `91` no such
//! transaction, `94` a request id used twice or a refund already made, `95` refund of a
//! transaction that did not succeed, `97` bad checksum, `99` other).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use motcua_core::payment::vnpay::amount_from_wire;
use motcua_core::payment::vnpay::api::{self, Command, field_text};
use serde_json::{Map, Value};

use super::Sandbox;

/// The answer's fields other than the hash.
type Fields = Vec<(&'static str, String)>;

pub(super) async fn transaction(
    State(sandbox): State<Sandbox>,
    body: axum::body::Bytes,
) -> Response {
    if sandbox.ledger().api_down {
        return (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response();
    }
    let request: Map<String, Value> = match serde_json::from_slice(&body) {
        Ok(Value::Object(map)) => map,
        _ => return answer(&sandbox, None, "", refusal("03", "Invalid request format")),
    };
    let command = Command::from_wire(&field_text(&request, "vnp_Command"));
    let fields = match api::verify_request(&sandbox.inner.keys, &request) {
        Err("97") => refusal("97", "Invalid Checksum"),
        Err(_) => refusal("03", "Invalid request format"),
        Ok(_) if field_text(&request, "vnp_TmnCode") != sandbox.inner.keys.terminal => {
            refusal("02", "Merchant is not valid")
        }
        Ok(command) => {
            let id = field_text(&request, "vnp_RequestId").into_owned();
            if id.is_empty() || !sandbox.ledger().request_ids.insert(id) {
                refusal("94", "Duplicate request")
            } else {
                match command {
                    Command::QueryDr => querydr(&sandbox, &request),
                    Command::Refund => refund(&sandbox, &request),
                }
            }
        }
    };
    let txn_ref = field_text(&request, "vnp_TxnRef").into_owned();
    answer(&sandbox, command, &txn_ref, fields)
}

fn refusal(code: &str, message: &str) -> Fields {
    vec![
        ("vnp_ResponseCode", code.to_owned()),
        ("vnp_Message", message.to_owned()),
    ]
}

fn querydr(sandbox: &Sandbox, request: &Map<String, Value>) -> Fields {
    let txn_ref = field_text(request, "vnp_TxnRef");
    let ledger = sandbox.ledger();
    let Some(t) = ledger.transactions.get(txn_ref.as_ref()) else {
        return refusal("91", "Transaction not found");
    };
    vec![
        ("vnp_ResponseCode", "00".into()),
        ("vnp_Message", "QueryDR Success".into()),
        ("vnp_Amount", (t.amount_vnd * 100).to_string()),
        ("vnp_OrderInfo", t.order_info.clone()),
        ("vnp_BankCode", t.bank_code.clone()),
        ("vnp_PayDate", t.pay_date.clone()),
        ("vnp_TransactionNo", t.transaction_no.clone()),
        ("vnp_TransactionType", "01".into()),
        ("vnp_TransactionStatus", t.transaction_status.clone()),
    ]
}

fn refund(sandbox: &Sandbox, request: &Map<String, Value>) -> Fields {
    let txn_ref = field_text(request, "vnp_TxnRef");
    let Some(amount) = amount_from_wire(&field_text(request, "vnp_Amount")).filter(|a| *a > 0)
    else {
        return refusal("03", "Invalid amount");
    };
    let kind = field_text(request, "vnp_TransactionType").into_owned();
    let mut ledger = sandbox.ledger();
    let Some(t) = ledger.transactions.get_mut(txn_ref.as_ref()) else {
        return refusal("91", "Transaction not found");
    };
    if t.response_code != "00" || t.transaction_status != "00" {
        return refusal("95", "Transaction is not successful");
    }
    if t.refunded_vnd + amount > t.amount_vnd {
        return refusal("94", "Refund already requested");
    }
    if (kind == "02" && amount != t.amount_vnd) || !matches!(kind.as_str(), "02" | "03") {
        return refusal("03", "Invalid refund type");
    }
    t.refunded_vnd += amount;
    vec![
        ("vnp_ResponseCode", "00".into()),
        ("vnp_Message", "Refund Success".into()),
        ("vnp_Amount", (amount * 100).to_string()),
        (
            "vnp_OrderInfo",
            field_text(request, "vnp_OrderInfo").into_owned(),
        ),
        ("vnp_BankCode", t.bank_code.clone()),
        ("vnp_PayDate", t.pay_date.clone()),
        ("vnp_TransactionNo", t.transaction_no.clone()),
        ("vnp_TransactionType", kind),
        ("vnp_TransactionStatus", "05".into()),
    ]
}

/// The signed JSON answer.
fn answer(sandbox: &Sandbox, command: Option<Command>, txn_ref: &str, fields: Fields) -> Response {
    let command = command.unwrap_or(Command::QueryDr);
    let mut body = Map::new();
    let id = format!("{}", sandbox.now().as_micros());
    body.insert("vnp_ResponseId".into(), Value::String(id));
    body.insert("vnp_Command".into(), Value::String(command.wire().into()));
    body.insert(
        "vnp_TmnCode".into(),
        Value::String(sandbox.inner.keys.terminal.clone()),
    );
    body.insert("vnp_TxnRef".into(), Value::String(txn_ref.to_owned()));
    for (k, v) in fields {
        body.insert(k.to_owned(), Value::String(v));
    }
    api::sign_fields(&sandbox.inner.keys, &mut body, command.answer_fields());
    Json(Value::Object(body)).into_response()
}
