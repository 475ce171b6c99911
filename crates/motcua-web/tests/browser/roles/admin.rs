//! The district's administrator: lands on the accounts, reads the audit trail.

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
    b.visit("/admin/audit", "admin-audit").await?;
    sign_out(b).await
}
