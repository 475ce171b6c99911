//! The public portal in a browser, signed out, phone first: the home page, the catalogue and
//! its search, a procedure, a unit's page with its figures, and tracking (the form from the
//! slip's QR, a dossier found, a wrong number, a form sent empty). Every page through
//! [`Browser::visit`]/[`Browser::look`]: screenshots at both widths and axe-core.

use crate::common::TestResult;
use crate::harness::Browser;

/// Walks the portal; `code` is a dossier received at Hồ Xá from telephone 0912345678.
pub async fn walk(b: &Browser, code: &str) -> TestResult {
    b.visit("/", "portal-home").await?;
    // One click from home: the catalogue, tracking and online submission.
    for id in ["find", "track", "online", "officer-login"] {
        assert!(b.exists(&format!("#{id}")).await?, "home lacks #{id}");
    }
    b.visit("/procedures?q=khai+sinh", "portal-search").await?;
    let found = b.texts("#procedures li a").await?;
    assert!(
        found.iter().any(|t| t == "Đăng ký khai sinh"),
        "search without diacritics: {found:?}"
    );
    b.visit("/procedures?online=1", "portal-online").await?;
    b.visit("/procedures/1.001193?unit=ho-xa", "portal-procedure")
        .await?;
    assert!(b.text("steps").await?.contains("Nhận giấy khai sinh"));
    b.visit("/procedures/1.000894", "portal-procedure-bare")
        .await?;
    b.visit("/units/ho-xa?month=2024-05", "portal-unit").await?;
    b.visit("/units/vinh-linh?month=2024-05", "portal-district")
        .await?;
    assert!(
        b.text("rates")
            .await?
            .contains("Tỷ lệ hồ sơ trực tuyến toàn trình")
    );

    // Tracking: the QR's address fills the code in; the applicant types the number.
    b.visit(&format!("/track?code={code}"), "portal-track")
        .await?;
    b.fill("proof", "0912 345 678").await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.look("portal-track-found").await?;
    assert_eq!(b.text("status").await?, "Đã tiếp nhận");
    b.goto(&format!("/track?code={code}")).await?;
    b.fill("proof", "0999999999").await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.look("portal-track-not-found").await?;
    assert!(b.text("notice").await?.contains("Không tìm thấy hồ sơ"));
    b.goto("/track").await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.look("portal-track-errors").await?;
    assert!(b.exists("#code-error").await? && b.exists("#proof-error").await?);
    let problems = b.problems(crate::KNOWN);
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} problem(s) on the portal:\n{}",
        problems.len(),
        problems.join("\n")
    )
    .into())
}
