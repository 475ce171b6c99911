//! The sandbox VNPay gateway's pages in a browser: the payment page (the merchant, the amount
//! `50.000 đồng`, the order, the large buttons), its refusals ("Sai chữ ký", an expired
//! order), and "Hủy giao dịch" sending the browser back to motcua's return address with the
//! signed result. Looked at with [`Browser::look`] (screenshots, phone width, axe-core).

use motcua_core::Timestamp;
use motcua_core::payment::vnpay::{self, Keys};
use motcua_core::payment::{GatewayOrder, TxnRef};
use motcua_web::sandbox::Sandbox;

use crate::common::TestResult;
use crate::common::payments::{SECRET, TERMINAL};
use crate::harness::Browser;

/// The payment page's path and query for `txn`, expiring `minutes` from now.
fn pay_path(
    sandbox: &Sandbox,
    merchant: &str,
    txn: &str,
    minutes: i64,
) -> Result<String, crate::common::Error> {
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc())?;
    let order = GatewayOrder {
        txn_ref: TxnRef::parse(txn)?,
        amount_vnd: 50_000,
        order_info: "Nộp lệ phí hồ sơ VK-261203-0001".to_owned(),
        created_at: now,
        expires_at: Timestamp::from_micros(now.as_micros() + minutes * 60_000_000),
        client_ip: "127.0.0.1".to_owned(),
        return_url: format!("{merchant}/payments/vnpay/return"),
    };
    let url = vnpay::payment_url(&sandbox.payment_url(), &Keys::new(TERMINAL, SECRET), &order);
    Ok(url
        .strip_prefix(&sandbox.base_url())
        .ok_or("the payment URL is not the sandbox's")?
        .to_owned())
}

/// `b` is opened on the sandbox; `merchant` is motcua's address.
pub async fn walk(b: &Browser, sandbox: &Sandbox, merchant: &str) -> TestResult {
    b.visit(&pay_path(sandbox, merchant, "VK-1", 15)?, "sandbox-pay")
        .await?;
    let order = b.texts("dl.order dd").await?;
    assert_eq!(order[1], "50.000 đồng");
    assert_eq!(order[2], "Nop le phi ho so VK-261203-0001");

    let forged =
        pay_path(sandbox, merchant, "VK-2", 15)?.replace("vnp_Amount=5000000", "vnp_Amount=100");
    b.visit(&forged, "sandbox-bad-signature").await?;
    assert_eq!(b.texts("main h1").await?, vec!["Sai chữ ký".to_owned()]);

    b.visit(&pay_path(sandbox, merchant, "VK-3", -1)?, "sandbox-expired")
        .await?;
    assert_eq!(
        b.texts("main h1").await?,
        vec!["Giao dịch đã hết hạn".to_owned()]
    );

    b.goto(&pay_path(sandbox, merchant, "VK-4", 15)?).await?;
    b.click("button.cancel").await?;
    let back = b.driver.current_url().await?;
    assert!(
        back.as_str()
            .starts_with(&format!("{merchant}/payments/vnpay/return?")),
        "{back}"
    );
    assert!(back.as_str().contains("vnp_ResponseCode=24"), "{back}");
    assert_eq!(
        sandbox.transaction("VK-4").map(|t| t.transaction_status),
        Some("02".to_owned())
    );

    let problems = b.problems(crate::KNOWN);
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} problem(s) on the sandbox gateway's pages:\n{}",
        problems.len(),
        problems.join("\n")
    )
    .into())
}
