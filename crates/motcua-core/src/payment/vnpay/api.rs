//! VNPay's server-to-server API (`merchant_webapi/api/transaction`): the transaction query
//! (`querydr`) and the refund (`refund`), JSON bodies whose `vnp_SecureHash` is HMAC-SHA512
//! over a fixed list of fields joined with `|`, not URL-encoded (research note §1.6). Both
//! sides are here: building a request and reading its answer (motcua), checking a request
//! and signing an answer (the sandbox gateway).

use serde_json::{Map, Value};

use super::{CURRENCY, Keys, SECURE_HASH, VERSION, amount_from_wire, format_time, parse_time};
use crate::Timestamp;
use crate::payment::{GatewayOrder, GatewayReport, RefundReport, RefundRequest, TxnRef};

/// The fields a `querydr` request's hash covers, in order.
pub const QUERYDR_REQUEST_FIELDS: &[&str] = &[
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
];

/// The fields a `refund` request's hash covers, in order.
pub const REFUND_REQUEST_FIELDS: &[&str] = &[
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
];

/// The fields a `querydr` answer's hash covers, in order.
pub const QUERYDR_ANSWER_FIELDS: &[&str] = &[
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
];

/// The fields a `refund` answer's hash covers: the query's, without the promotion.
pub const REFUND_ANSWER_FIELDS: &[&str] = &[
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
];

/// The two API commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    QueryDr,
    Refund,
}

impl Command {
    pub fn wire(self) -> &'static str {
        match self {
            Self::QueryDr => "querydr",
            Self::Refund => "refund",
        }
    }

    pub fn from_wire(text: &str) -> Option<Self> {
        match text {
            "querydr" => Some(Self::QueryDr),
            "refund" => Some(Self::Refund),
            _ => None,
        }
    }

    pub fn request_fields(self) -> &'static [&'static str] {
        match self {
            Self::QueryDr => QUERYDR_REQUEST_FIELDS,
            Self::Refund => REFUND_REQUEST_FIELDS,
        }
    }

    pub fn answer_fields(self) -> &'static [&'static str] {
        match self {
            Self::QueryDr => QUERYDR_ANSWER_FIELDS,
            Self::Refund => REFUND_ANSWER_FIELDS,
        }
    }
}

/// A JSON field as text: strings as they are, numbers written out, anything else (absent,
/// null) empty.
pub fn field_text<'a>(body: &'a Map<String, Value>, name: &str) -> std::borrow::Cow<'a, str> {
    match body.get(name) {
        Some(Value::String(s)) => std::borrow::Cow::Borrowed(s.as_str()),
        Some(Value::Number(n)) => std::borrow::Cow::Owned(n.to_string()),
        Some(Value::Bool(b)) => std::borrow::Cow::Owned(b.to_string()),
        _ => std::borrow::Cow::Borrowed(""),
    }
}

/// The string a pipe-joined hash covers: `fields` of `body`, in order, joined with `|`.
pub fn pipe_data(body: &Map<String, Value>, fields: &[&str]) -> String {
    let texts: Vec<_> = fields.iter().map(|f| field_text(body, f)).collect();
    texts.join("|")
}

/// Adds `vnp_SecureHash` over `fields` to `body`.
pub fn sign_fields(keys: &Keys, body: &mut Map<String, Value>, fields: &[&str]) {
    let hash = keys.sign(&pipe_data(body, fields));
    body.insert(SECURE_HASH.to_owned(), Value::String(hash));
}

/// Whether `body`'s `vnp_SecureHash` signs `fields` (constant-time, hex in either case).
pub fn verifies_fields(keys: &Keys, body: &Map<String, Value>, fields: &[&str]) -> bool {
    let hash = field_text(body, SECURE_HASH);
    keys.verifies(&pipe_data(body, fields), &hash)
}

fn text(value: impl Into<String>) -> Value {
    Value::String(value.into())
}

/// The `querydr` request body asking what became of `order`: `request_id` is unique per day
/// (ASCII letters and digits, up to 32), `at` is the request's time, `server_ip` the
/// merchant server's address.
pub fn querydr_body(
    keys: &Keys,
    request_id: &str,
    order: &GatewayOrder,
    at: Timestamp,
    server_ip: &str,
) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("vnp_RequestId".into(), text(request_id));
    body.insert("vnp_Version".into(), text(VERSION));
    body.insert("vnp_Command".into(), text(Command::QueryDr.wire()));
    body.insert("vnp_TmnCode".into(), text(keys.terminal.as_str()));
    body.insert("vnp_TxnRef".into(), text(order.txn_ref.as_str()));
    body.insert(
        "vnp_OrderInfo".into(),
        text(format!("Truy van GD {}", order.txn_ref)),
    );
    body.insert(
        "vnp_TransactionDate".into(),
        text(format_time(order.created_at)),
    );
    body.insert("vnp_CreateDate".into(), text(format_time(at)));
    body.insert("vnp_IpAddr".into(), text(server_ip));
    sign_fields(keys, &mut body, QUERYDR_REQUEST_FIELDS);
    body
}

/// The `refund` request body: the whole amount (`02`) or a part (`03`).
pub fn refund_body(
    keys: &Keys,
    request_id: &str,
    request: &RefundRequest,
    server_ip: &str,
) -> Map<String, Value> {
    let order = &request.order;
    let kind = if request.amount_vnd == order.amount_vnd {
        "02"
    } else {
        "03"
    };
    let mut body = Map::new();
    body.insert("vnp_RequestId".into(), text(request_id));
    body.insert("vnp_Version".into(), text(VERSION));
    body.insert("vnp_Command".into(), text(Command::Refund.wire()));
    body.insert("vnp_TmnCode".into(), text(keys.terminal.as_str()));
    body.insert("vnp_TransactionType".into(), text(kind));
    body.insert("vnp_TxnRef".into(), text(order.txn_ref.as_str()));
    body.insert(
        "vnp_Amount".into(),
        text((i128::from(request.amount_vnd) * 100).to_string()),
    );
    // The official demo sends "0" when the gateway's number is not known.
    body.insert(
        "vnp_TransactionNo".into(),
        text(request.transaction_no.as_deref().unwrap_or("0")),
    );
    body.insert(
        "vnp_TransactionDate".into(),
        text(format_time(order.created_at)),
    );
    body.insert(
        "vnp_CreateBy".into(),
        text(crate::payment::ascii_text(&request.requested_by)),
    );
    body.insert(
        "vnp_CreateDate".into(),
        text(format_time(request.requested_at)),
    );
    body.insert("vnp_IpAddr".into(), text(server_ip));
    body.insert(
        "vnp_OrderInfo".into(),
        text(format!("Hoan tien GD {}", order.txn_ref)),
    );
    sign_fields(keys, &mut body, REFUND_REQUEST_FIELDS);
    body
}

/// Why an API answer gives nothing to go by.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// Unsigned, wrongly signed, for another terminal or transaction, or unreadable.
    #[error("{0}")]
    BadAnswer(String),
    /// The gateway answered with a refusal code (signed).
    #[error("mã {code}: {message}")]
    Refused { code: String, message: String },
}

/// Checks an answer's hash (over `command`'s answer fields), its terminal, and returns its
/// code and message.
fn checked_answer<'a>(
    keys: &Keys,
    answer: &'a Value,
    command: Command,
) -> Result<(&'a Map<String, Value>, String, String), AnswerError> {
    let body = answer
        .as_object()
        .ok_or_else(|| AnswerError::BadAnswer("không phải đối tượng JSON".into()))?;
    let code = field_text(body, "vnp_ResponseCode").into_owned();
    let message = field_text(body, "vnp_Message").into_owned();
    if code.is_empty() {
        return Err(AnswerError::BadAnswer("thiếu vnp_ResponseCode".into()));
    }
    if !verifies_fields(keys, body, command.answer_fields()) {
        return Err(AnswerError::BadAnswer("chữ ký không hợp lệ".into()));
    }
    let terminal = field_text(body, "vnp_TmnCode");
    if !terminal.is_empty() && terminal != keys.terminal {
        return Err(AnswerError::BadAnswer("mã đơn vị khác".into()));
    }
    Ok((body, code, message))
}

/// Reads a `querydr` answer about `txn_ref`: its hash, terminal, transaction and amount.
pub fn read_querydr_answer(
    keys: &Keys,
    answer: &Value,
    txn_ref: &TxnRef,
) -> Result<GatewayReport, AnswerError> {
    let (body, code, message) = checked_answer(keys, answer, Command::QueryDr)?;
    if code != "00" {
        return Err(AnswerError::Refused { code, message });
    }
    let bad = |field: &str| AnswerError::BadAnswer(format!("thiếu hoặc sai {field}"));
    if field_text(body, "vnp_TxnRef") != txn_ref.as_str() {
        return Err(bad("vnp_TxnRef"));
    }
    let amount_vnd =
        amount_from_wire(&field_text(body, "vnp_Amount")).ok_or_else(|| bad("vnp_Amount"))?;
    let pay_date = field_text(body, "vnp_PayDate");
    let paid_at = if pay_date.is_empty() {
        None
    } else {
        Some(parse_time(&pay_date).ok_or_else(|| bad("vnp_PayDate"))?)
    };
    let transaction_status = field_text(body, "vnp_TransactionStatus").into_owned();
    if transaction_status.is_empty() {
        return Err(bad("vnp_TransactionStatus"));
    }
    let non_empty =
        |name: &str| Some(field_text(body, name).into_owned()).filter(|v| !v.is_empty());
    // A payment counts only when the payment's own response code (not the query's, which is
    // the call's success) and its status are both 00; the query does not carry the former,
    // so the status decides.
    let verdict = super::verdict("00", &transaction_status);
    Ok(GatewayReport {
        txn_ref: txn_ref.clone(),
        terminal: keys.terminal.clone(),
        amount_vnd,
        currency: Some(CURRENCY.to_owned()),
        transaction_no: non_empty("vnp_TransactionNo"),
        bank_code: non_empty("vnp_BankCode"),
        paid_at,
        response_code: code,
        transaction_status,
        verdict,
    })
}

/// Reads a `refund` answer: accepted when its code is `00`; any other signed code is a
/// refusal the ledger records.
pub fn read_refund_answer(keys: &Keys, answer: &Value) -> Result<RefundReport, AnswerError> {
    let (body, code, message) = checked_answer(keys, answer, Command::Refund)?;
    let transaction_no =
        Some(field_text(body, "vnp_TransactionNo").into_owned()).filter(|v| !v.is_empty());
    Ok(RefundReport {
        accepted: code == "00",
        response_code: code,
        message,
        transaction_no,
    })
}

/// Checks a request the gateway received (the sandbox's side): its command and its hash.
pub fn verify_request(keys: &Keys, body: &Map<String, Value>) -> Result<Command, &'static str> {
    let command = Command::from_wire(&field_text(body, "vnp_Command")).ok_or("03")?;
    if verifies_fields(keys, body, command.request_fields()) {
        Ok(command)
    } else {
        Err("97")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payment::vnpay::parse_time;

    fn keys() -> Keys {
        Keys::new("DEMO0001", "TESTSECRETKEY0123456789ABCDEFGHI")
    }

    fn order() -> GatewayOrder {
        let at = |t| parse_time(t).unwrap_or(Timestamp::from_micros(0));
        GatewayOrder {
            txn_ref: TxnRef::parse("HS000123-01").unwrap_or_else(|e| panic!("{e}")),
            amount_vnd: 50_000,
            order_info: "Nop le phi ho so HS000123".into(),
            created_at: at("20250601103000"),
            expires_at: at("20250601104500"),
            client_ip: "203.0.113.10".into(),
            return_url: "https://motcua.example.gov.vn/vnpay/return".into(),
        }
    }

    /// Research note §1.7, vector C.
    #[test]
    fn vector_c_the_querydr_hash() {
        let at = parse_time("20250601110000").unwrap_or(Timestamp::from_micros(0));
        let body = querydr_body(&keys(), "REQ0001", &order(), at, "203.0.113.10");
        assert_eq!(
            pipe_data(&body, QUERYDR_REQUEST_FIELDS),
            "REQ0001|2.1.0|querydr|DEMO0001|HS000123-01|20250601103000|20250601110000|203.0.113.10|Truy van GD HS000123-01"
        );
        assert_eq!(
            field_text(&body, SECURE_HASH),
            "e8c49ac2d72c079f1d29c327c4cb606b2fc206bdfd5f74fd8e9776793c0608c22f997f241ed4c82172caddf04c0cb3b5c1f40643e0b3cff84d9cc3fc8919c1b0"
        );
        assert_eq!(verify_request(&keys(), &body), Ok(Command::QueryDr));
        let mut forged = body.clone();
        forged.insert("vnp_TxnRef".into(), text("HS000124-01"));
        assert_eq!(verify_request(&keys(), &forged), Err("97"));
    }

    fn answer(command: Command, fields: &[(&str, &str)], keys: &Keys) -> Value {
        let mut body: Map<String, Value> = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), text(*v)))
            .collect();
        body.insert("vnp_Command".into(), text(command.wire()));
        sign_fields(keys, &mut body, command.answer_fields());
        Value::Object(body)
    }

    #[test]
    fn a_querydr_answer_is_read_when_signed() {
        let fields = [
            ("vnp_ResponseId", "R1"),
            ("vnp_ResponseCode", "00"),
            ("vnp_Message", "QueryDR Success"),
            ("vnp_TmnCode", "DEMO0001"),
            ("vnp_TxnRef", "HS000123-01"),
            ("vnp_Amount", "5000000"),
            ("vnp_PayDate", "20250601103500"),
            ("vnp_TransactionNo", "14000001"),
            ("vnp_TransactionType", "01"),
            ("vnp_TransactionStatus", "00"),
        ];
        let txn = order().txn_ref;
        let report =
            read_querydr_answer(&keys(), &answer(Command::QueryDr, &fields, &keys()), &txn)
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.amount_vnd, 50_000);
        assert_eq!(report.verdict, crate::payment::PaymentVerdict::Paid);
        let other = Keys::new("DEMO0001", "another secret");
        assert!(matches!(
            read_querydr_answer(&keys(), &answer(Command::QueryDr, &fields, &other), &txn),
            Err(AnswerError::BadAnswer(_))
        ));
        let missing = [
            ("vnp_ResponseId", "R2"),
            ("vnp_ResponseCode", "91"),
            ("vnp_Message", "Transaction not found"),
            ("vnp_TmnCode", "DEMO0001"),
        ];
        assert_eq!(
            read_querydr_answer(&keys(), &answer(Command::QueryDr, &missing, &keys()), &txn),
            Err(AnswerError::Refused {
                code: "91".into(),
                message: "Transaction not found".into()
            })
        );
    }

    #[test]
    fn a_refund_is_full_or_partial_and_its_answer_read() {
        let request = RefundRequest {
            order: order(),
            transaction_no: None,
            amount_vnd: 20_000,
            requested_by: "Nguyễn Văn An".into(),
            requested_at: order().created_at,
        };
        let body = refund_body(&keys(), "REQ0002", &request, "10.0.0.1");
        assert_eq!(field_text(&body, "vnp_TransactionType"), "03");
        assert_eq!(field_text(&body, "vnp_Amount"), "2000000");
        assert_eq!(field_text(&body, "vnp_TransactionNo"), "0");
        assert_eq!(field_text(&body, "vnp_CreateBy"), "Nguyen Van An");
        assert_eq!(verify_request(&keys(), &body), Ok(Command::Refund));
        let refused = [
            ("vnp_ResponseId", "R3"),
            ("vnp_ResponseCode", "95"),
            ("vnp_Message", "Giao dich goc khong thanh cong"),
            ("vnp_TmnCode", "DEMO0001"),
        ];
        let report = read_refund_answer(&keys(), &answer(Command::Refund, &refused, &keys()))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!report.accepted);
        assert_eq!(report.response_code, "95");
    }
}
