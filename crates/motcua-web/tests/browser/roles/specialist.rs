//! A specialist of Vĩnh Khê: lands on the desk's worklist, opens "Được giao cho tôi" (the two
//! dossiers the desk handed over this morning) and proposes a result for each: issue the
//! first, refuse the second (trình lãnh đạo).

use crate::common::TestResult;
use crate::gestures::{offered_steps, sign_out, take_step};
use crate::harness::Browser;

pub async fn walk(b: &Browser) -> TestResult {
    let landed = super::land(b, super::SPECIALIST).await?;
    assert_eq!(landed, "/desk", "a specialist lands on the worklist");
    b.look("specialist-worklist").await?;
    let dossier = super::href(b, "#worklist tbody a").await?;
    b.visit(&dossier, "specialist-dossier").await?;
    b.open_menu().await?;
    b.click("nav a[href=\"/queue\"]").await?;
    b.look("specialist-queue").await?;
    let assigned = super::hrefs(b, "#queue tbody a").await?;
    assert_eq!(assigned.len(), 2, "assigned this morning: {assigned:?}");
    b.visit(&assigned[0], "specialist-assigned-dossier").await?;
    let steps = offered_steps(b).await?;
    assert!(
        !steps.iter().any(|s| s == "approve" || s == "reject"),
        "a specialist proposes, the leader decides: {steps:?}"
    );
    assert_eq!(
        take_step(b, "propose_approval", None).await?,
        "Chờ lãnh đạo phê duyệt"
    );
    b.look("specialist-proposed").await?;
    b.goto(&assigned[1]).await?;
    assert_eq!(
        take_step(
            b,
            "propose_rejection",
            Some("Người yêu cầu không thuộc diện được giải quyết")
        )
        .await?,
        "Chờ lãnh đạo phê duyệt"
    );
    let proposal = b.text("proposal").await?;
    assert!(proposal.starts_with("Từ chối giải quyết"), "{proposal}");
    sign_out(b).await
}
