//! The district's administrator: lands on the accounts, sets a commune's fee settings (a
//! wrong form first, then the right one), reads the audit trail.

use crate::common::TestResult;
use crate::gestures::sign_out;
use crate::harness::Browser;

pub async fn walk(b: &Browser) -> TestResult {
    let landed = super::land(b, "district-admin").await?;
    assert_eq!(
        landed, "/admin/users",
        "an administrator lands on the accounts"
    );
    b.look("admin-users").await?;
    // Vĩnh Khê uses the district's account; it declares its own, a typo in its number first.
    b.visit("/admin/unit?unit=vinh-khe", "admin-unit").await?;
    b.fill("tax_code", "3200123456-00").await?;
    b.select("bin", "970405").await?;
    b.fill("number", "3900 2050 1234-5").await?;
    b.fill("holder", "UBND xã Vĩnh Khê").await?;
    b.click("form.settings button[type=submit]").await?;
    b.look("admin-unit-errors").await?;
    b.fill("tax_code", "3200123456-001").await?;
    b.fill("number", "3900 2050 12345").await?;
    b.click("form.settings button[type=submit]").await?;
    assert!(
        b.text("info")
            .await?
            .starts_with("Đã lưu thông tin thu phí"),
        "saved"
    );
    b.look("admin-unit-saved").await?;
    b.visit("/admin/audit", "admin-audit").await?;
    sign_out(b).await
}
