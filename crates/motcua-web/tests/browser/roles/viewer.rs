//! A view-only account of the district: the dashboard with its twelve-month table, the
//! follow-ups (read only).

use crate::common::TestResult;
use crate::gestures::sign_out;
use crate::harness::Browser;

pub async fn walk(b: &Browser) -> TestResult {
    let landed = super::land(b, "district-viewer").await?;
    assert!(landed == "/" || landed.starts_with("/?"), "{landed}");
    b.visit("/?unit=vinh-linh&month=2024-05", "viewer-dashboard")
        .await?;
    let charts = b.texts("#trend figure figcaption").await?;
    // The eight of the dossiers and the two of PAKN.
    assert_eq!(
        charts.len(),
        10,
        "every indicator has its chart: {charts:?}"
    );
    b.find("details.trend-table summary").await?.click().await?;
    let table = b.text("trend-table").await?;
    assert!(
        table.contains("4/2024") && table.contains("5/2024"),
        "{table}"
    );
    b.visit("/follow-ups", "viewer-follow-ups").await?;
    assert!(
        !b.exists("#follow-ups form").await?,
        "a viewer sends no report"
    );
    sign_out(b).await
}
