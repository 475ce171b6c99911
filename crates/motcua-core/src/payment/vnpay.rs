//! VNPay's payment gateway protocol, API version 2.1.0 (docs/research/payments.md §1), as pure
//! functions: no IO, no clock (every instant is a parameter).
//!
//! - [`Keys`]: the terminal code (`vnp_TmnCode`) and the hash secret; the secret never shows in
//!   `Debug`.
//! - [`urlencode`] and [`signed_data`]: the PHP-`urlencode`-compatible encoding and the sorted
//!   string that `vnp_SecureHash` (HMAC-SHA512, lower-case hex) is computed over.
//! - [`payment_params`] / [`payment_url`]: where the payer's browser is sent.
//! - [`verify_callback`]: the browser's return and the server-to-server notice (IPN), checked
//!   into a [`GatewayReport`]; [`ipn_reply`]: the JSON answering the notice.
//! - [`api`]: the `querydr` and `refund` calls (pipe-joined hashes), both sides.
//! - [`codes`]: what each `vnp_ResponseCode` / `vnp_TransactionStatus` means, in Vietnamese.

pub mod api;
pub mod codes;

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha512;
use time::{Date, Month as CalendarMonth, PrimitiveDateTime, Time};

use super::{GatewayOrder, GatewayReport, NoticeAck, PaymentVerdict, TxnRef};
use crate::Timestamp;
use crate::timestamp::LEGAL_OFFSET;

/// The protocol version sent as `vnp_Version`.
pub const VERSION: &str = "2.1.0";
/// The only currency VNPay takes.
pub const CURRENCY: &str = "VND";
/// The name of the signature parameter.
pub const SECURE_HASH: &str = "vnp_SecureHash";
/// The name of the signature-type parameter (2.0.x only; dropped before hashing).
pub const SECURE_HASH_TYPE: &str = "vnp_SecureHashType";
/// VNPay's sandbox payment page.
pub const SANDBOX_PAYMENT_URL: &str = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html";
/// VNPay's sandbox API (querydr, refund).
pub const SANDBOX_API_URL: &str = "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction";

/// The terminal code and hash secret VNPay issues to a merchant.
#[derive(Clone, PartialEq, Eq)]
pub struct Keys {
    /// `vnp_TmnCode`.
    pub terminal: String,
    secret: String,
}

impl Keys {
    pub fn new(terminal: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            terminal: terminal.into(),
            secret: secret.into(),
        }
    }

    /// HMAC-SHA512 of `data` under the secret, as 128 lower-case hex characters.
    pub fn sign(&self, data: &str) -> String {
        hex(&self.mac(data).finalize().into_bytes())
    }

    /// Whether `signature` (hex, either case) is the signature of `data`, compared in constant
    /// time.
    pub fn verifies(&self, data: &str, signature: &str) -> bool {
        match unhex(signature) {
            Some(tag) => self.mac(data).verify_slice(&tag).is_ok(),
            None => false,
        }
    }

    fn mac(&self, data: &str) -> Hmac<Sha512> {
        // HMAC takes a key of any length (long keys are hashed), so this never falls back;
        // the fallback keeps the function total without a panic.
        let mut mac = <Hmac<Sha512> as KeyInit>::new_from_slice(self.secret.as_bytes())
            .unwrap_or_else(|_| <Hmac<Sha512> as KeyInit>::new(&Default::default()));
        mac.update(data.as_bytes());
        mac
    }
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys")
            .field("terminal", &self.terminal)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Form-URL-encoding byte for byte as PHP's `urlencode()`: `A–Z a–z 0–9 - _ .` kept, a space
/// becomes `+`, every other UTF-8 byte `%XX` in upper-case hex (so `~` is `%7E`).
pub fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX_UPPER[usize::from(b >> 4)]);
                out.push(HEX_UPPER[usize::from(b & 0xF)]);
            }
        }
    }
    out
}

const HEX_UPPER: [char; 16] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F',
];

/// The string `vnp_SecureHash` signs: every `vnp_*` parameter but the hash and its type, with
/// a value, sorted by name (byte order), encoded with [`urlencode`], joined `k=v` with `&`.
pub fn signed_data<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .filter(|(k, v)| {
            k.starts_with("vnp_") && *k != SECURE_HASH && *k != SECURE_HASH_TYPE && !v.is_empty()
        })
        .collect();
    pairs.sort_unstable();
    let encoded: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect();
    encoded.join("&")
}

/// The query string carrying `params` and their signature (`…&vnp_SecureHash=<hex>`).
pub fn signed_query<K: AsRef<str>, V: AsRef<str>>(keys: &Keys, params: &[(K, V)]) -> String {
    let data = signed_data(params);
    let hash = keys.sign(&data);
    format!("{data}&{SECURE_HASH}={hash}")
}

/// An instant as VNPay writes it: `yyyyMMddHHmmss` in legal time (GMT+7).
pub fn format_time(at: Timestamp) -> String {
    let t = at.to_local();
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Reads VNPay's `yyyyMMddHHmmss` (GMT+7).
pub fn parse_time(text: &str) -> Option<Timestamp> {
    if text.len() != 14 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |range: std::ops::Range<usize>| text.get(range)?.parse::<u16>().ok();
    let year = i32::from(num(0..4)?);
    let month = CalendarMonth::try_from(u8::try_from(num(4..6)?).ok()?).ok()?;
    let day = u8::try_from(num(6..8)?).ok()?;
    let hour = u8::try_from(num(8..10)?).ok()?;
    let minute = u8::try_from(num(10..12)?).ok()?;
    let second = u8::try_from(num(12..14)?).ok()?;
    let date = Date::from_calendar_date(year, month, day).ok()?;
    let time = Time::from_hms(hour, minute, second).ok()?;
    Timestamp::from_datetime(PrimitiveDateTime::new(date, time).assume_offset(LEGAL_OFFSET)).ok()
}

/// The parameters of the payment URL for `order` (without the signature), in VNPay's order.
pub fn payment_params(keys: &Keys, order: &GatewayOrder) -> Vec<(&'static str, String)> {
    vec![
        ("vnp_Version", VERSION.to_owned()),
        ("vnp_Command", "pay".to_owned()),
        ("vnp_TmnCode", keys.terminal.clone()),
        (
            "vnp_Amount",
            (i128::from(order.amount_vnd) * 100).to_string(),
        ),
        ("vnp_CurrCode", CURRENCY.to_owned()),
        ("vnp_TxnRef", order.txn_ref.as_str().to_owned()),
        ("vnp_OrderInfo", super::ascii_text(&order.order_info)),
        ("vnp_OrderType", "other".to_owned()),
        ("vnp_Locale", "vn".to_owned()),
        ("vnp_ReturnUrl", order.return_url.clone()),
        ("vnp_IpAddr", order.client_ip.clone()),
        ("vnp_CreateDate", format_time(order.created_at)),
        ("vnp_ExpireDate", format_time(order.expires_at)),
    ]
}

/// The address the payer's browser is sent to: `base` (the gateway's payment page) with the
/// signed parameters.
pub fn payment_url(base: &str, keys: &Keys, order: &GatewayOrder) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!(
        "{base}{sep}{}",
        signed_query(keys, &payment_params(keys, order))
    )
}

/// Why a callback (return or IPN) was not believed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("chữ ký không hợp lệ")]
    BadSignature,
    #[error("mã đơn vị chấp nhận thanh toán khác")]
    WrongTerminal,
    #[error("thiếu hoặc sai trường {0}")]
    Malformed(&'static str),
}

/// Looks a parameter up by name.
pub fn param<'a, K: AsRef<str>, V: AsRef<str>>(
    params: &'a [(K, V)],
    name: &str,
) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k.as_ref() == name)
        .map(|(_, v)| v.as_ref())
}

/// Checks the signature of `params` (decoded query parameters) and returns them without it.
pub fn verify_signature<K: AsRef<str>, V: AsRef<str>>(
    keys: &Keys,
    params: &[(K, V)],
) -> Result<(), VerifyError> {
    let hash = param(params, SECURE_HASH).ok_or(VerifyError::BadSignature)?;
    if keys.verifies(&signed_data(params), hash) {
        Ok(())
    } else {
        Err(VerifyError::BadSignature)
    }
}

/// Checks a return or IPN query (decoded parameters, as received): the signature, the
/// terminal, the currency when stated, the amount (a whole number of đồng) and the pay date,
/// and reads what it reports. The order and its amount are the caller's to compare.
pub fn verify_callback<K: AsRef<str>, V: AsRef<str>>(
    keys: &Keys,
    params: &[(K, V)],
) -> Result<GatewayReport, VerifyError> {
    verify_signature(keys, params)?;
    let get = |name: &str| param(params, name).filter(|v| !v.is_empty());
    let terminal = get("vnp_TmnCode").ok_or(VerifyError::Malformed("vnp_TmnCode"))?;
    if terminal != keys.terminal {
        return Err(VerifyError::WrongTerminal);
    }
    let currency = get("vnp_CurrCode").map(str::to_owned);
    if currency.as_deref().is_some_and(|c| c != CURRENCY) {
        return Err(VerifyError::Malformed("vnp_CurrCode"));
    }
    let txn_ref = get("vnp_TxnRef")
        .and_then(|t| TxnRef::parse(t).ok())
        .ok_or(VerifyError::Malformed("vnp_TxnRef"))?;
    let amount_vnd = get("vnp_Amount")
        .and_then(amount_from_wire)
        .ok_or(VerifyError::Malformed("vnp_Amount"))?;
    let paid_at = match get("vnp_PayDate") {
        Some(text) => Some(parse_time(text).ok_or(VerifyError::Malformed("vnp_PayDate"))?),
        None => None,
    };
    let response_code = get("vnp_ResponseCode")
        .ok_or(VerifyError::Malformed("vnp_ResponseCode"))?
        .to_owned();
    let transaction_status = get("vnp_TransactionStatus")
        .ok_or(VerifyError::Malformed("vnp_TransactionStatus"))?
        .to_owned();
    Ok(GatewayReport {
        txn_ref,
        terminal: terminal.to_owned(),
        amount_vnd,
        currency,
        transaction_no: get("vnp_TransactionNo").map(str::to_owned),
        bank_code: get("vnp_BankCode").map(str::to_owned),
        paid_at,
        verdict: verdict(&response_code, &transaction_status),
        response_code,
        transaction_status,
    })
}

/// VNPay's amount (đồng × 100, digits only) in đồng; `None` unless it is a whole number of
/// đồng.
pub fn amount_from_wire(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 18 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hundredths: i64 = text.parse().ok()?;
    (hundredths % 100 == 0).then_some(hundredths / 100)
}

/// What a payment's codes come to: paid only when both are `00`; `01` (not completed) is
/// pending; anything else failed.
pub fn verdict(response_code: &str, transaction_status: &str) -> PaymentVerdict {
    match (response_code, transaction_status) {
        ("00", "00") => PaymentVerdict::Paid,
        (_, "01") => PaymentVerdict::Pending,
        _ => PaymentVerdict::Failed,
    }
}

/// `RspCode` and `Message` answering an IPN.
pub fn ipn_code(ack: NoticeAck) -> (&'static str, &'static str) {
    match ack {
        NoticeAck::Confirmed => ("00", "Confirm Success"),
        NoticeAck::OrderNotFound => ("01", "Order not found"),
        NoticeAck::AlreadyConfirmed => ("02", "Order already confirmed"),
        NoticeAck::InvalidAmount => ("04", "Invalid amount"),
        NoticeAck::InvalidSignature => ("97", "Invalid signature"),
        NoticeAck::Unknown => ("99", "Unknown error"),
    }
}

/// The JSON body answering an IPN: `{"RspCode":"00","Message":"Confirm Success"}`.
pub fn ipn_reply(ack: NoticeAck) -> String {
    // Both values are fixed ASCII texts without quotes, so no escaping is needed; the field
    // order is VNPay's own examples'.
    let (code, message) = ipn_code(ack);
    format!(r#"{{"RspCode":"{code}","Message":"{message}"}}"#)
}

fn hex(bytes: &[u8]) -> String {
    const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX_LOWER[usize::from(b >> 4)]));
        out.push(char::from(HEX_LOWER[usize::from(b & 0xF)]));
    }
    out
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        parse_time(text).unwrap_or(Timestamp::from_micros(0))
    }

    /// Research note §1.7, vector B: the payment URL of a 50.000-đồng fee.
    fn vector_b() -> (Keys, GatewayOrder) {
        let keys = Keys::new("DEMO0001", "TESTSECRETKEY0123456789ABCDEFGHI");
        let order = GatewayOrder {
            txn_ref: TxnRef::parse("HS000123-01").unwrap_or_else(|e| panic!("{e}")),
            amount_vnd: 50_000,
            order_info: "Nộp lệ phí hồ sơ HS000123".into(),
            created_at: at("20250601103000"),
            expires_at: at("20250601104500"),
            client_ip: "203.0.113.10".into(),
            return_url: "https://motcua.example.gov.vn/vnpay/return".into(),
        };
        (keys, order)
    }

    const VECTOR_B_DATA: &str = "vnp_Amount=5000000&vnp_Command=pay&vnp_CreateDate=20250601103000&vnp_CurrCode=VND&vnp_ExpireDate=20250601104500&vnp_IpAddr=203.0.113.10&vnp_Locale=vn&vnp_OrderInfo=Nop+le+phi+ho+so+HS000123&vnp_OrderType=other&vnp_ReturnUrl=https%3A%2F%2Fmotcua.example.gov.vn%2Fvnpay%2Freturn&vnp_TmnCode=DEMO0001&vnp_TxnRef=HS000123-01&vnp_Version=2.1.0";
    const VECTOR_B_HASH: &str = "af2d6badb4bb290a387c6e4b8da97a2dcb5313c3a00cd4e704e1e736a59b8848647bd46f4170df78a7eaafd54708828afa11450a1b6ca4aac54c287d75ed0d0a";

    #[test]
    fn vector_b_the_payment_url() {
        let (keys, order) = vector_b();
        let params = payment_params(&keys, &order);
        assert_eq!(signed_data(&params), VECTOR_B_DATA);
        assert_eq!(keys.sign(VECTOR_B_DATA), VECTOR_B_HASH);
        assert_eq!(
            payment_url(SANDBOX_PAYMENT_URL, &keys, &order),
            format!("{SANDBOX_PAYMENT_URL}?{VECTOR_B_DATA}&vnp_SecureHash={VECTOR_B_HASH}")
        );
    }

    /// Vector A: a return query fixture of lehuygiang28/vnpay, secret `test_secret`.
    fn vector_a(response_code: &str) -> Vec<(String, String)> {
        [
            ("vnp_Amount", "1000000"),
            ("vnp_BankCode", "NCB"),
            ("vnp_BankTranNo", "VNP14422574"),
            ("vnp_CardType", "ATM"),
            (
                "vnp_OrderInfo",
                "Thanh toan don hang 2024-05-21T02:17:31.249Z",
            ),
            ("vnp_PayDate", "20240521091806"),
            ("vnp_ResponseCode", response_code),
            ("vnp_TmnCode", "TEST_TMN_CODE"),
            ("vnp_TransactionNo", "14422574"),
            ("vnp_TransactionStatus", "00"),
            ("vnp_TxnRef", "1716257871703"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    const VECTOR_A_HASH: &str = "649982421beb422556a1374713c74e58e716ecbd05007c0c0e1f7effdfaf361dbf146889ca446139afe11b9954c4d5c486e99e3b86fcfab6957f29eb0be72895";

    #[test]
    fn vector_a_a_return_verifies_into_a_report() {
        let keys = Keys::new("TEST_TMN_CODE", "test_secret");
        let mut query = vector_a("00");
        assert_eq!(keys.sign(&signed_data(&query)), VECTOR_A_HASH);
        // Upper-case hex and a 2.0.x hash type are accepted.
        query.push((SECURE_HASH.into(), VECTOR_A_HASH.to_uppercase()));
        query.push((SECURE_HASH_TYPE.into(), "HmacSHA512".into()));
        let report = verify_callback(&keys, &query).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.amount_vnd, 10_000);
        assert_eq!(report.verdict, PaymentVerdict::Paid);
        assert_eq!(report.transaction_no.as_deref(), Some("14422574"));
        assert_eq!(
            report.paid_at.map(format_time).as_deref(),
            Some("20240521091806")
        );
        assert_eq!(report.currency, None);

        let mut refused = vector_a("99");
        let hash = keys.sign(&signed_data(&refused));
        assert!(
            hash.starts_with("503194f6") && hash.ends_with("c13e1b"),
            "{hash}"
        );
        refused.push((SECURE_HASH.into(), hash));
        let report = verify_callback(&keys, &refused).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.verdict, PaymentVerdict::Failed);
    }

    #[test]
    fn a_forged_or_foreign_callback_is_refused() {
        let keys = Keys::new("TEST_TMN_CODE", "test_secret");
        let signed = |query: Vec<(String, String)>, keys: &Keys| {
            let mut query = query;
            let hash = keys.sign(&signed_data(&query));
            query.push((SECURE_HASH.into(), hash));
            query
        };
        let mut forged = signed(vector_a("00"), &keys);
        forged[0].1 = "2000000".into();
        assert_eq!(
            verify_callback(&keys, &forged),
            Err(VerifyError::BadSignature)
        );
        assert_eq!(
            verify_callback(&keys, &vector_a("00")),
            Err(VerifyError::BadSignature)
        );
        let other = Keys::new("OTHER001", "test_secret");
        assert_eq!(
            verify_callback(&other, &signed(vector_a("00"), &keys)),
            Err(VerifyError::WrongTerminal)
        );
        let mut cents = vector_a("00");
        cents[0].1 = "1000050".into();
        assert_eq!(
            verify_callback(&keys, &signed(cents, &keys)),
            Err(VerifyError::Malformed("vnp_Amount"))
        );
        let mut dollars = vector_a("00");
        dollars.push(("vnp_CurrCode".into(), "USD".into()));
        assert_eq!(
            verify_callback(&keys, &signed(dollars, &keys)),
            Err(VerifyError::Malformed("vnp_CurrCode"))
        );
        let mut bad_date = vector_a("00");
        bad_date[5].1 = "20241321091806".into();
        assert_eq!(
            verify_callback(&keys, &signed(bad_date, &keys)),
            Err(VerifyError::Malformed("vnp_PayDate"))
        );
    }

    #[test]
    fn the_encoding_is_php_urlencode() {
        assert_eq!(
            urlencode("Le phi ~*'()! ho so"),
            "Le+phi+%7E%2A%27%28%29%21+ho+so"
        );
        assert_eq!(urlencode("Lệ phí"), "L%E1%BB%87+ph%C3%AD");
        assert_eq!(urlencode("a-b_c.d:/"), "a-b_c.d%3A%2F");
    }

    #[test]
    fn only_both_codes_00_is_paid() {
        assert_eq!(verdict("00", "00"), PaymentVerdict::Paid);
        assert_eq!(verdict("00", "01"), PaymentVerdict::Pending);
        assert_eq!(verdict("00", "02"), PaymentVerdict::Failed);
        assert_eq!(verdict("24", "02"), PaymentVerdict::Failed);
        assert_eq!(verdict("07", "00"), PaymentVerdict::Failed);
    }

    #[test]
    fn the_ipn_reply_is_vnpays_json() {
        assert_eq!(
            ipn_reply(NoticeAck::Confirmed),
            r#"{"RspCode":"00","Message":"Confirm Success"}"#
        );
        assert_eq!(ipn_code(NoticeAck::AlreadyConfirmed).0, "02");
        assert_eq!(ipn_code(NoticeAck::InvalidSignature).0, "97");
    }

    #[test]
    fn times_are_gmt_plus_7() {
        let t = at("20250601103000");
        assert_eq!(t.to_rfc3339(), "2025-06-01T10:30:00+07:00");
        assert_eq!(format_time(t), "20250601103000");
        assert_eq!(parse_time("2025060110300"), None);
        assert_eq!(parse_time("20250230103000"), None);
    }

    #[test]
    fn the_secret_is_not_debug_printed() {
        let keys = Keys::new("DEMO0001", "TESTSECRETKEY0123456789ABCDEFGHI");
        assert!(!format!("{keys:?}").contains("TESTSECRET"));
    }
}
