//! The district's reform office (its leader): the dashboard of May 2024, the unit table
//! sorted both ways, a commune's own dashboard through its name, the late dossiers behind a
//! figure, and a remediation report asked of Vĩnh Khê, which then shows as asked.

use crate::common::TestResult;
use crate::gestures::sign_out;
use crate::harness::Browser;

pub async fn walk(b: &Browser) -> TestResult {
    let landed = super::land(b, super::DISTRICT_LEADER).await?;
    assert!(
        landed == "/" || landed.starts_with("/?"),
        "a leader lands on the dashboard: {landed}"
    );
    b.visit("/?unit=vinh-linh&month=2024-05", "office-dashboard")
        .await?;
    let card = b.find("div.card").await?.text().await?;
    assert!(
        card.contains("điểm phần trăm"),
        "a change says its unit: {card}"
    );
    // Sorted highest first, then lowest first.
    b.click("a[data-sort=\"e_receipt_rate\"]").await?;
    assert_eq!(b.find("#units tbody td.rank").await?.text().await?, "1");
    b.click("a[data-sort=\"e_receipt_rate\"]").await?;
    let sorted = b.find("th[aria-sort=\"ascending\"]").await?.text().await?;
    assert!(sorted.contains("Biên lai"), "{sorted}");
    b.look("office-dashboard-ascending").await?;
    // A unit's name opens its own dashboard.
    b.click("#units a[href^=\"/?unit=vinh-khe\"]").await?;
    assert!(b.path().await?.starts_with("/?unit=vinh-khe"));
    b.look("office-dashboard-vinh-khe").await?;
    b.visit(
        "/dossiers?unit=vinh-linh&month=2024-05&count=resolved_late",
        "office-late-dossiers",
    )
    .await?;
    // The remediation report of Vĩnh Khê, asked with the deadline proposed.
    b.goto("/?unit=vinh-linh&month=2024-05").await?;
    b.click("#below-target li[data-unit=\"vinh-khe\"] form button")
        .await?;
    let done = b.text("done").await?;
    assert!(done.starts_with("Đã yêu cầu xã Vĩnh Khê"), "{done}");
    b.look("office-follow-up-asked").await?;
    b.goto("/?unit=vinh-linh&month=2024-05").await?;
    let item = b
        .find("#below-target li[data-unit=\"vinh-khe\"]")
        .await?
        .text()
        .await?;
    assert!(item.contains("Đã yêu cầu báo cáo khắc phục"), "{item}");
    assert!(
        !b.exists("#below-target li[data-unit=\"vinh-khe\"] form")
            .await?,
        "asked once: the button is gone"
    );
    sign_out(b).await
}
