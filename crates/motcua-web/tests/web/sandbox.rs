//! The sandbox VNPay gateway against motcua's VNPay client, over real sockets: the payment
//! page (signature, terminal, amount, expiry checked; the order shown), the payer's choice
//! (the IPN sent with retries until `RspCode` 00 or 02, the browser sent back with the same
//! signed fields), the test knobs (IPN never sent, sent after the return, a transaction marked
//! failed, the API down or the server stopped) and the API (`querydr`, `refund`, their codes).
//! A small stand-in merchant takes the IPNs: the payment flows' real route is not this
//! module's.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::routing::get;
use motcua_app::payments::{CallbackError, GatewayError, PaymentGateway};
use motcua_core::Timestamp;
use motcua_core::payment::vnpay::{self, Keys};
use motcua_core::payment::{GatewayOrder, NoticeAck, PaymentVerdict, RefundRequest, TxnRef};
use motcua_web::sandbox::{self, IpnMode, Sandbox};

use crate::common::{Error, TestResult};

type Params = Vec<(String, String)>;

/// The stand-in merchant: what its IPN route received, and the ack it gives.
#[derive(Clone)]
struct Merchant {
    gateway: Arc<Mutex<Option<Arc<dyn PaymentGateway>>>>,
    received: Arc<Mutex<Vec<Params>>>,
    ack: Arc<Mutex<NoticeAck>>,
}

async fn ipn(
    State(m): State<Merchant>,
    Query(q): Query<Params>,
) -> (axum::http::HeaderMap, String) {
    m.received.lock().map(|mut r| r.push(q.clone())).ok();
    let gateway = m.gateway.lock().ok().and_then(|g| g.clone());
    let ack = match gateway.map(|g| g.verify_callback(&q)) {
        Some(Ok(_)) => m.ack.lock().map(|a| *a).unwrap_or(NoticeAck::Unknown),
        _ => NoticeAck::InvalidSignature,
    };
    let gateway = m.gateway.lock().ok().and_then(|g| g.clone());
    let (kind, body) = match gateway {
        Some(g) => g.notice_reply(ack),
        None => ("application/json", vnpay::ipn_reply(ack)),
    };
    let mut headers = axum::http::HeaderMap::new();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(kind),
    );
    (headers, body)
}

struct Setup {
    sandbox: Sandbox,
    gateway: Arc<dyn PaymentGateway>,
    merchant: Merchant,
    http: reqwest::Client,
}

const NOW: &str = "2026-12-03T10:00:00+07:00";

async fn setup() -> Result<Setup, Error> {
    let merchant = Merchant {
        gateway: Arc::new(Mutex::new(None)),
        received: Arc::new(Mutex::new(Vec::new())),
        ack: Arc::new(Mutex::new(NoticeAck::Confirmed)),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = axum::Router::new()
        .route(sandbox::IPN_PATH, get(ipn))
        .with_state(merchant.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let clock = motcua_web::ManualClock::new(Timestamp::parse(NOW)?);
    let keys = Keys::new("TESTTMN1", "bí mật thử nghiệm 0123456789");
    let (sandbox, gateway) =
        sandbox::start_for(&base, keys, "Ủy ban nhân dân xã Hồ Xá", Some(clock)).await?;
    *merchant.gateway.lock().map_err(|e| e.to_string())? = Some(gateway.clone());
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    Ok(Setup {
        sandbox,
        gateway,
        merchant,
        http,
    })
}

fn order(txn: &str, minutes_left: i64) -> Result<GatewayOrder, Error> {
    let now = Timestamp::parse(NOW)?;
    Ok(GatewayOrder {
        txn_ref: TxnRef::parse(txn)?,
        amount_vnd: 50_000,
        order_info: "Nộp lệ phí hồ sơ HX-261203-0001".to_owned(),
        created_at: now,
        expires_at: Timestamp::from_micros(now.as_micros() + minutes_left * 60_000_000),
        client_ip: "127.0.0.1".to_owned(),
        return_url: "http://127.0.0.1:9/payments/vnpay/return".to_owned(),
    })
}

/// The decoded query of a URL.
fn query_of(url: &str) -> Result<Params, Error> {
    let url = reqwest::Url::parse(url)?;
    Ok(url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}

impl Setup {
    /// Opens the payment page of `url`; its status and body.
    async fn open(&self, url: &str) -> Result<(u16, String), Error> {
        let answer = self.http.get(url).send().await?;
        Ok((answer.status().as_u16(), answer.text().await?))
    }

    /// Presses a button of the payment page of `url`; where the browser is sent back.
    async fn choose(&self, url: &str, choice: &str) -> Result<String, Error> {
        let mut form = query_of(url)?;
        form.push(("choice".to_owned(), choice.to_owned()));
        let answer = self
            .http
            .post(self.sandbox.payment_url())
            .form(&form)
            .send()
            .await?;
        assert_eq!(answer.status().as_u16(), 303, "{}", answer.text().await?);
        let location = answer
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .ok_or("no location")?
            .to_owned();
        Ok(location)
    }
}

#[tokio::test]
async fn a_payment_is_shown_paid_notified_and_sent_back_signed() -> TestResult {
    let s = setup().await?;
    let o = order("HX-1", 15)?;
    let url = s.gateway.payment_url(&o);
    assert!(url.starts_with(&s.sandbox.payment_url()));
    let (status, page) = s.open(&url).await?;
    assert_eq!(status, 200, "{page}");
    for text in [
        "50.000 đồng",
        "Ủy ban nhân dân xã Hồ Xá",
        "Nop le phi ho so HX-261203-0001",
        "Thanh toán",
        "Hủy giao dịch",
    ] {
        assert!(page.contains(text), "{text} missing: {page}");
    }

    let back = s.choose(&url, "pay").await?;
    assert!(
        back.starts_with("http://127.0.0.1:9/payments/vnpay/return?"),
        "{back}"
    );
    let report = s.gateway.verify_callback(&query_of(&back)?)?;
    assert_eq!(report.verdict, PaymentVerdict::Paid);
    assert_eq!(report.amount_vnd, 50_000);
    assert_eq!(report.txn_ref.as_str(), "HX-1");
    assert_eq!(report.paid_at, Some(Timestamp::parse(NOW)?));

    // The IPN came before the return, with the same signed fields, and was confirmed once.
    let received = s
        .merchant
        .received
        .lock()
        .map_err(|e| e.to_string())?
        .clone();
    assert_eq!(received, vec![query_of(&back)?]);
    let deliveries = s.sandbox.deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].rsp_code.as_deref(), Some("00"));
    assert_eq!(
        deliveries[0].body,
        r#"{"RspCode":"00","Message":"Confirm Success"}"#
    );

    // The same transaction cannot be paid twice.
    let mut form = query_of(&url)?;
    form.push(("choice".to_owned(), "pay".to_owned()));
    let again = s
        .http
        .post(s.sandbox.payment_url())
        .form(&form)
        .send()
        .await?;
    assert_eq!(again.status().as_u16(), 409);

    // A replayed IPN is sent again as it was.
    let replay = s.sandbox.resend_ipn("HX-1").await.ok_or("no replay")?;
    assert_eq!(replay.rsp_code.as_deref(), Some("00"));
    assert_eq!(
        s.merchant.received.lock().map_err(|e| e.to_string())?.len(),
        2
    );
    Ok(())
}

#[tokio::test]
async fn a_cancel_or_a_refusal_comes_back_failed_with_its_code() -> TestResult {
    let s = setup().await?;
    for (txn, choice, code) in [("HX-2", "cancel", "24"), ("HX-3", "insufficient", "51")] {
        let url = s.gateway.payment_url(&order(txn, 15)?);
        let back = s.choose(&url, choice).await?;
        let report = s.gateway.verify_callback(&query_of(&back)?)?;
        assert_eq!(report.verdict, PaymentVerdict::Failed);
        assert_eq!(report.response_code, code);
    }
    assert_eq!(
        vnpay::codes::response_text("51"),
        "Tài khoản không đủ số dư"
    );
    Ok(())
}

#[tokio::test]
async fn a_forged_foreign_or_expired_request_is_refused_by_the_page() -> TestResult {
    let s = setup().await?;
    let url = s.gateway.payment_url(&order("HX-4", 15)?);
    let forged = url.replace("vnp_Amount=5000000", "vnp_Amount=500000");
    let (status, page) = s.open(&forged).await?;
    assert_eq!(status, 400);
    assert!(page.contains("Sai chữ ký"), "{page}");

    let other = Keys::new("OTHER001", "bí mật thử nghiệm 0123456789");
    let foreign = vnpay::payment_url(&s.sandbox.payment_url(), &other, &order("HX-5", 15)?);
    let (status, page) = s.open(&foreign).await?;
    assert_eq!(status, 400);
    assert!(page.contains("Mã đơn vị không hợp lệ"), "{page}");

    let expired = s.gateway.payment_url(&order("HX-6", -1)?);
    let (status, page) = s.open(&expired).await?;
    assert_eq!(status, 400);
    assert!(page.contains("Giao dịch đã hết hạn"), "{page}");
    assert!(s.sandbox.transactions().is_empty());
    Ok(())
}

#[tokio::test]
async fn the_ipn_is_retried_until_00_or_02() -> TestResult {
    let s = setup().await?;
    *s.merchant.ack.lock().map_err(|e| e.to_string())? = NoticeAck::Unknown;
    s.choose(&s.gateway.payment_url(&order("HX-7", 15)?), "pay")
        .await?;
    let codes: Vec<_> = s
        .sandbox
        .deliveries()
        .into_iter()
        .map(|d| d.rsp_code)
        .collect();
    assert_eq!(codes, vec![Some("99".to_owned()); 3]);

    *s.merchant.ack.lock().map_err(|e| e.to_string())? = NoticeAck::AlreadyConfirmed;
    let last = s.sandbox.resend_ipn("HX-7").await.ok_or("no replay")?;
    assert_eq!((last.attempt, last.rsp_code.as_deref()), (1, Some("02")));

    // An unreachable merchant is recorded too.
    s.sandbox
        .set_ipn_url("http://127.0.0.1:9/payments/vnpay/ipn");
    let last = s.sandbox.resend_ipn("HX-7").await.ok_or("no replay")?;
    assert_eq!((last.attempt, last.status), (3, None));
    Ok(())
}

#[tokio::test]
async fn the_ipn_can_never_come_or_come_after_the_return() -> TestResult {
    let s = setup().await?;
    s.sandbox.set_ipn_mode(IpnMode::Never);
    s.choose(&s.gateway.payment_url(&order("HX-8", 15)?), "pay")
        .await?;
    assert!(s.sandbox.deliveries().is_empty());
    assert_eq!(
        s.sandbox.transaction("HX-8").map(|t| t.transaction_status),
        Some("00".to_owned())
    );

    s.sandbox
        .set_ipn_mode(IpnMode::AfterReturn(Duration::from_millis(300)));
    s.choose(&s.gateway.payment_url(&order("HX-9", 15)?), "pay")
        .await?;
    assert!(s.sandbox.deliveries().is_empty(), "sent before the return");
    for _ in 0..50 {
        if !s.sandbox.deliveries().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(s.sandbox.deliveries().len(), 1);
    Ok(())
}

#[tokio::test]
async fn querydr_and_refund_answer_as_vnpay_does() -> TestResult {
    let s = setup().await?;
    s.sandbox.set_ipn_mode(IpnMode::Never);
    let o = order("HX-10", 15)?;
    s.choose(&s.gateway.payment_url(&o), "pay").await?;
    let now = Timestamp::parse(NOW)?;

    let report = s.gateway.query(&o, now).await?;
    assert_eq!(report.verdict, PaymentVerdict::Paid);
    assert_eq!(report.amount_vnd, 50_000);
    assert!(report.transaction_no.is_some());

    let unknown = order("HX-404", 15)?;
    match s.gateway.query(&unknown, now).await {
        Err(GatewayError::Refused { code, .. }) => assert_eq!(code, "91"),
        other => panic!("{other:?}"),
    }

    let refund = |amount_vnd| RefundRequest {
        order: o.clone(),
        transaction_no: report.transaction_no.clone(),
        amount_vnd,
        requested_by: "Lê Thị Hương".to_owned(),
        requested_at: now,
    };
    let first = s.gateway.refund(&refund(20_000)).await?;
    assert!(first.accepted, "{first:?}");
    let second = s.gateway.refund(&refund(30_000)).await?;
    assert!(second.accepted, "{second:?}");
    let third = s.gateway.refund(&refund(1_000)).await?;
    assert_eq!(
        (third.accepted, third.response_code.as_str()),
        (false, "94")
    );
    assert_eq!(
        s.sandbox.transaction("HX-10").map(|t| t.refunded_vnd),
        Some(50_000)
    );

    assert!(s.sandbox.mark_failed("HX-10"));
    assert_eq!(
        s.gateway.query(&o, now).await?.verdict,
        PaymentVerdict::Failed
    );
    let refused = s.gateway.refund(&refund(50_000)).await?;
    assert_eq!(refused.response_code, "95");
    Ok(())
}

#[tokio::test]
async fn a_gateway_down_is_unavailable_and_a_foreign_callback_refused() -> TestResult {
    let s = setup().await?;
    let o = order("HX-11", 15)?;
    let now = Timestamp::parse(NOW)?;
    s.sandbox.set_api_down(true);
    assert!(matches!(
        s.gateway.query(&o, now).await,
        Err(GatewayError::Unavailable(_))
    ));
    s.sandbox.set_api_down(false);
    s.sandbox.stop();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(matches!(
        s.gateway.query(&o, now).await,
        Err(GatewayError::Unavailable(_))
    ));

    let other = Keys::new("OTHER001", "bí mật thử nghiệm 0123456789");
    let mut q: Params = vec![
        ("vnp_Amount".into(), "5000000".into()),
        ("vnp_ResponseCode".into(), "00".into()),
        ("vnp_TmnCode".into(), "OTHER001".into()),
        ("vnp_TransactionStatus".into(), "00".into()),
        ("vnp_TxnRef".into(), "HX-11".into()),
    ];
    let hash = other.sign(&vnpay::signed_data(&q));
    q.push(("vnp_SecureHash".into(), hash));
    assert_eq!(
        s.gateway.verify_callback(&q),
        Err(CallbackError::WrongTerminal)
    );
    Ok(())
}
