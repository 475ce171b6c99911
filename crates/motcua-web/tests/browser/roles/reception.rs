//! The desk of Vĩnh Khê: lands on its worklist, opens the reception form and a dossier.

use crate::common::TestResult;
use crate::gestures::sign_out;
use crate::harness::Browser;

pub async fn walk(b: &Browser) -> TestResult {
    let landed = super::land(b, "khe-reception").await?;
    assert_eq!(landed, "/desk", "reception lands on its worklist");
    b.look("reception-worklist").await?;
    let menu = b.text("nav").await?;
    for entry in ["Hồ sơ cần xử lý", "Tiếp nhận hồ sơ"] {
        assert!(menu.contains(entry), "{entry} in the menu: {menu}");
    }
    let dossier = super::href(b, "#worklist tbody a").await?;
    b.visit("/desk/new", "reception-form").await?;
    b.visit(&dossier, "reception-dossier").await?;
    sign_out(b).await
}
