//! Online payment in a browser, through the sandbox VNPay gateway over real sockets (its IPN
//! reaches motcua before it sends the browser back): a citizen opens a received dossier with
//! a fee, presses "Thanh toán trực tuyến", follows the link to the gateway (a link, not a
//! redirect: the CSP's form-action), pays ("Thanh toán"), is sent back to "Thanh toán thành
//! công" with the e-receipt's number, and opens the e-receipt. A district viewer's dashboard
//! is read before and after: the "thanh toán trực tuyến" and "biên lai điện tử" rates move.
//! Every motcua page through [`Browser::visit`] / [`Browser::look`] (both sizes, axe-core).

use crate::common::TestResult;
use crate::gestures::sign_in;
use crate::harness::Browser;

/// What the walk needs, made beforehand.
pub struct Prepared {
    /// The citizen's session cookie (`motcua_citizen`).
    pub cookie: String,
    /// The citizen's received dossier with a 50.000 đồng fee.
    pub code: String,
    /// The current month (`2026-12`), the dashboard's.
    pub month: String,
}

/// The dashboard's two payment rates (online payment, e-receipt) of the district this month.
async fn rates(
    b: &Browser,
    month: &str,
    name: &str,
) -> Result<(String, String), crate::common::Error> {
    b.visit(&format!("/?unit=vinh-linh&month={month}"), name)
        .await?;
    let cards = b.texts("div.card").await?;
    let card = |what: &str| {
        cards
            .iter()
            .find(|c| c.to_lowercase().contains(what))
            .cloned()
            .ok_or_else(|| format!("no card «{what}» in {cards:?}"))
    };
    Ok((card("thanh toán trực tuyến")?, card("biên lai điện tử")?))
}

pub async fn walk(b: &Browser, p: &Prepared) -> TestResult {
    sign_in(b, "district-viewer").await?;
    let before = rates(b, &p.month, "payment-dashboard-before").await?;
    b.driver.delete_all_cookies().await?;

    b.goto("/").await?;
    b.driver
        .add_cookie(thirtyfour::Cookie::new(
            crate::common::citizen::COOKIE,
            p.cookie.clone(),
        ))
        .await?;
    b.visit(&format!("/citizen/dossiers/{}", p.code), "payment-dossier")
        .await?;
    assert!(b.exists("#pay").await?, "the pay button");
    b.click("#pay button").await?;
    b.look("payment-to-gateway").await?;
    assert!(
        b.path()
            .await?
            .ends_with(&format!("/citizen/dossiers/{}/pay", p.code)),
        "the attempt's page, not a redirect"
    );
    b.click("#to-gateway").await?;
    // The sandbox's page (its own walk looks at it): pay.
    b.click("button.pay").await?;
    assert!(
        b.path().await?.starts_with("/payments/vnpay/return?"),
        "sent back: {}",
        b.path().await?
    );
    b.look("payment-returned").await?;
    assert_eq!(
        b.texts("main h1").await?,
        vec!["Thanh toán thành công".to_owned()]
    );
    let number = b.text("receipt-number").await?;
    assert!(!number.is_empty(), "the e-receipt's number");
    // The e-receipt: the printable A4 form the desk prints (looked at as the desk's is).
    b.click("#receipt-link").await?;
    assert_eq!(b.text("number").await?, number);
    assert_eq!(b.text("amount").await?, "50.000 đồng");
    b.shot("payment-receipt").await?;
    b.visit(
        &format!("/citizen/dossiers/{}", p.code),
        "payment-dossier-paid",
    )
    .await?;
    assert!(!b.exists("#pay").await?, "paid: no pay button any more");

    b.driver.delete_all_cookies().await?;
    sign_in(b, "district-viewer").await?;
    let after = rates(b, &p.month, "payment-dashboard-after").await?;
    assert_ne!(before.0, after.0, "the online payment rate moved");
    assert_ne!(before.1, after.1, "the e-receipt rate moved");
    // The only dossier of the month with a fee, paid online with its e-receipt.
    assert!(after.0.contains("100%"), "{after:?}");
    assert!(after.1.contains("100%"), "{after:?}");

    let problems = b.problems(crate::KNOWN);
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} problem(s) on the payment pages:\n{}",
        problems.len(),
        problems.join("\n")
    )
    .into())
}
