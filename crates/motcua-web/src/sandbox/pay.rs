//! The sandbox's payment page: `GET /paymentv2/vpcpay.html?…` checks what the merchant signed
//! and shows the payer the order; `POST` (the page's buttons) records the outcome, sends the
//! IPN and sends the browser back to the merchant's return URL with the same signed fields.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_core::display::count;
use motcua_core::payment::vnpay::{self, param};

use super::{Delivery, IpnMode, Sandbox, Transaction};

type Params = Vec<(String, String)>;

/// The payment page.
#[derive(Template)]
#[template(path = "sandbox/pay.html")]
struct PayPage {
    merchant: String,
    /// `50.000 đồng`.
    amount: String,
    order_info: String,
    txn_ref: String,
    /// The request's parameters, carried to the buttons' form.
    params: Params,
}

/// A request the sandbox refuses, or a payment it cannot take.
#[derive(Template)]
#[template(path = "sandbox/problem.html")]
struct Problem {
    title: &'static str,
    detail: &'static str,
}

fn problem(status: StatusCode, title: &'static str, detail: &'static str) -> Response {
    match (Problem { title, detail }).render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// An order as the payment page checked it.
struct Order {
    txn_ref: String,
    amount_vnd: i64,
    order_info: String,
    create_date: String,
    return_url: String,
}

/// Checks a payment request as VNPay does: signature, terminal, version, command, currency,
/// amount, expiry, the fields it needs.
fn check(sandbox: &Sandbox, params: &Params) -> Result<Order, Box<Response>> {
    let bad = |title, detail| Err(Box::new(problem(StatusCode::BAD_REQUEST, title, detail)));
    if vnpay::verify_signature(&sandbox.inner.keys, params).is_err() {
        return bad(
            "Sai chữ ký",
            "Chữ ký của yêu cầu thanh toán (vnp_SecureHash) không đúng. Giao dịch không được thực hiện.",
        );
    }
    let get = |name| param(params, name).unwrap_or("");
    if get("vnp_TmnCode") != sandbox.inner.keys.terminal {
        return bad(
            "Mã đơn vị không hợp lệ",
            "Website của đơn vị chưa được đăng ký với cổng thanh toán.",
        );
    }
    if get("vnp_Version") != vnpay::VERSION
        || get("vnp_Command") != "pay"
        || get("vnp_CurrCode") != vnpay::CURRENCY
        || get("vnp_TxnRef").is_empty()
        || get("vnp_ReturnUrl").is_empty()
    {
        return bad(
            "Yêu cầu không hợp lệ",
            "Yêu cầu thanh toán thiếu thông tin hoặc sai định dạng.",
        );
    }
    let Some(amount_vnd) = vnpay::amount_from_wire(get("vnp_Amount")).filter(|a| *a > 0) else {
        return bad("Số tiền không hợp lệ", "Số tiền thanh toán không hợp lệ.");
    };
    let expire = get("vnp_ExpireDate");
    if !expire.is_empty() {
        match vnpay::parse_time(expire) {
            Some(at) if at >= sandbox.now() => {}
            Some(_) => {
                return bad(
                    "Giao dịch đã hết hạn",
                    "Đã hết thời gian chờ thanh toán. Vui lòng quay lại trang của đơn vị và thực hiện lại.",
                );
            }
            None => {
                return bad(
                    "Yêu cầu không hợp lệ",
                    "Yêu cầu thanh toán thiếu thông tin hoặc sai định dạng.",
                );
            }
        }
    }
    Ok(Order {
        txn_ref: get("vnp_TxnRef").to_owned(),
        amount_vnd,
        order_info: get("vnp_OrderInfo").to_owned(),
        create_date: get("vnp_CreateDate").to_owned(),
        return_url: get("vnp_ReturnUrl").to_owned(),
    })
}

/// `GET /paymentv2/vpcpay.html?…`.
pub(super) async fn page(State(sandbox): State<Sandbox>, Query(params): Query<Params>) -> Response {
    let order = match check(&sandbox, &params) {
        Ok(order) => order,
        Err(response) => return *response,
    };
    let page = PayPage {
        merchant: sandbox.inner.merchant.clone(),
        amount: format!("{} đồng", count(order.amount_vnd.unsigned_abs())),
        order_info: order.order_info,
        txn_ref: order.txn_ref,
        params,
    };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// `POST /paymentv2/vpcpay.html`: the payer's choice (`pay`, `insufficient`, `cancel`) with
/// the request's parameters.
pub(super) async fn decide(State(sandbox): State<Sandbox>, Form(form): Form<Params>) -> Response {
    let choice = param(&form, "choice").unwrap_or("").to_owned();
    let params: Params = form.into_iter().filter(|(k, _)| k != "choice").collect();
    let order = match check(&sandbox, &params) {
        Ok(order) => order,
        Err(response) => return *response,
    };
    let (response_code, status) = match choice.as_str() {
        "pay" => ("00", "00"),
        "insufficient" => ("51", "02"),
        _ => ("24", "02"),
    };
    let now = sandbox.now();
    let recorded = {
        let mut ledger = sandbox.ledger();
        if ledger.transactions.contains_key(&order.txn_ref) {
            None
        } else {
            ledger.last_no += 1;
            let paid = response_code == "00";
            let transaction_no = if paid {
                (14_000_000 + ledger.last_no).to_string()
            } else {
                "0".to_owned()
            };
            let mut fields: Params = vec![
                ("vnp_Amount".into(), (order.amount_vnd * 100).to_string()),
                ("vnp_BankCode".into(), "NCB".into()),
            ];
            if paid {
                fields.push(("vnp_BankTranNo".into(), format!("VNP{transaction_no}")));
            }
            fields.extend([
                ("vnp_CardType".into(), "ATM".into()),
                ("vnp_OrderInfo".into(), order.order_info.clone()),
                ("vnp_PayDate".into(), vnpay::format_time(now)),
                ("vnp_ResponseCode".into(), response_code.into()),
                ("vnp_TmnCode".into(), sandbox.inner.keys.terminal.clone()),
                ("vnp_TransactionNo".into(), transaction_no.clone()),
                ("vnp_TransactionStatus".into(), status.into()),
                ("vnp_TxnRef".into(), order.txn_ref.clone()),
            ]);
            let transaction = Transaction {
                txn_ref: order.txn_ref.clone(),
                amount_vnd: order.amount_vnd,
                order_info: order.order_info.clone(),
                create_date: order.create_date.clone(),
                transaction_no,
                bank_code: "NCB".into(),
                pay_date: vnpay::format_time(now),
                response_code: response_code.into(),
                transaction_status: status.into(),
                refunded_vnd: 0,
                fields: fields.clone(),
            };
            ledger
                .transactions
                .insert(order.txn_ref.clone(), transaction);
            Some((fields, ledger.ipn_mode))
        }
    };
    let Some((fields, mode)) = recorded else {
        return problem(
            StatusCode::CONFLICT,
            "Giao dịch đã tồn tại",
            "Mã giao dịch này đã được xử lý. Vui lòng quay lại trang của đơn vị để xem kết quả.",
        );
    };
    let query = vnpay::signed_query(&sandbox.inner.keys, &fields);
    match mode {
        IpnMode::BeforeReturn => {
            deliver_ipn(&sandbox, &order.txn_ref, &query).await;
        }
        IpnMode::AfterReturn(delay) => {
            let (sandbox, txn_ref, query) = (sandbox.clone(), order.txn_ref.clone(), query.clone());
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                deliver_ipn(&sandbox, &txn_ref, &query).await;
            });
        }
        IpnMode::Never => {}
    }
    let sep = if order.return_url.contains('?') {
        '&'
    } else {
        '?'
    };
    Redirect::to(&format!("{}{sep}{query}", order.return_url)).into_response()
}

/// Sends an IPN (`GET <ipn_url>?<query>`), again while the answer is not `RspCode` 00 or 02,
/// up to the configured number of tries; every try is recorded. Returns the last one.
pub(super) async fn deliver_ipn(sandbox: &Sandbox, txn_ref: &str, query: &str) -> Option<Delivery> {
    let url = sandbox.ledger().ipn_url.clone();
    let sep = if url.contains('?') { '&' } else { '?' };
    let mut last = None;
    for attempt in 1..=sandbox.inner.ipn_attempts {
        if attempt > 1 {
            tokio::time::sleep(sandbox.inner.ipn_retry_delay).await;
        }
        let (status, body) = match sandbox
            .inner
            .http
            .get(format!("{url}{sep}{query}"))
            .send()
            .await
        {
            Ok(response) => {
                let status = response.status().as_u16();
                (Some(status), response.text().await.unwrap_or_default())
            }
            Err(e) => (None, e.without_url().to_string()),
        };
        let rsp_code = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("RspCode").and_then(|c| c.as_str()).map(str::to_owned));
        let delivery = Delivery {
            txn_ref: txn_ref.to_owned(),
            attempt,
            status,
            rsp_code: rsp_code.clone(),
            body,
        };
        sandbox.ledger().deliveries.push(delivery.clone());
        last = Some(delivery);
        if matches!(rsp_code.as_deref(), Some("00" | "02")) {
            break;
        }
    }
    last
}
