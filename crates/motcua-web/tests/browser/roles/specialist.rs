//! A specialist of Vĩnh Khê: lands on the desk's worklist (their assigned work, once
//! assignment exists) and opens a dossier.

use crate::common::TestResult;
use crate::gestures::sign_out;
use crate::harness::Browser;

pub async fn walk(b: &Browser) -> TestResult {
    let landed = super::land(b, "khe-specialist").await?;
    assert_eq!(landed, "/desk", "a specialist lands on the worklist");
    b.look("specialist-worklist").await?;
    let dossier = super::href(b, "#worklist tbody a").await?;
    b.visit(&dossier, "specialist-dossier").await?;
    sign_out(b).await
}
