//! The desk of Vĩnh Khê: lands on its worklist, opens the reception form and a dossier, then
//! finds the morning's two dossiers by the applicant's phone and hands them to the unit's
//! specialist (chuyển xử lý).

use crate::common::TestResult;
use crate::gestures::{sign_out, take_step};
use crate::harness::Browser;

pub async fn walk(b: &Browser) -> TestResult {
    let landed = super::land(b, "khe-reception").await?;
    assert_eq!(landed, "/desk", "reception lands on its worklist");
    b.look("reception-worklist").await?;
    let menu = b.text("nav").await?;
    for entry in ["Hồ sơ cần xử lý", "Tiếp nhận hồ sơ", "Phản ánh, kiến nghị"]
    {
        assert!(menu.contains(entry), "{entry} in the menu: {menu}");
    }
    let dossier = super::href(b, "#worklist tbody a").await?;
    b.visit("/desk/new", "reception-form").await?;
    b.visit("/desk/statements", "reception-statements").await?;
    b.visit(&dossier, "reception-dossier").await?;
    // The morning's dossiers, found by the applicant's phone, go to the specialist.
    b.visit(
        &format!("/search?q={}", super::MORNING_PHONE),
        "reception-search",
    )
    .await?;
    let found = super::hrefs(b, "#results tbody a").await?;
    assert_eq!(found.len(), 2, "the morning's two dossiers: {found:?}");
    for (i, path) in found.iter().enumerate() {
        if i == 0 {
            b.visit(path, "reception-dossier-to-assign").await?;
            // Its fee is due: the VietQR code of the district's account, with the code.
            assert!(b.exists("#vietqr svg").await?, "{path}: no VietQR code");
            let code = path.trim_start_matches("/dossiers/");
            let text = motcua_core::vietqr::transfer_text(code).ok_or("no transfer text")?;
            assert_eq!(b.text("vietqr-text").await?, text);
        } else {
            b.goto(path).await?;
        }
        b.select("assignee", super::SPECIALIST).await?;
        assert_eq!(take_step(b, "assign", None).await?, "Đang giải quyết");
        assert!(!b.text("assignee").await?.is_empty(), "{path}");
    }
    b.look("reception-dossier-assigned").await?;
    // A PAKN sent through the public form reaches the commune's list and its page.
    b.goto("/feedback").await?;
    b.select("unit", "vinh-khe").await?;
    b.find("#kind-phan_anh").await?.click().await?;
    b.select("subject", "thu_tuc").await?;
    b.fill(
        "content",
        "Đến ngày hẹn trả kết quả nhưng bộ phận một cửa chưa trả, cũng không báo trước.",
    )
    .await?;
    b.fill("name", "Lê Văn Tám").await?;
    b.fill("contact", "0912345678").await?;
    b.click(".portal-form button[type=\"submit\"]").await?;
    let code = b.text("code").await?;
    b.visit("/petitions", "reception-petitions").await?;
    assert!(b.text("petitions").await?.contains(&code), "{code} listed");
    b.visit(&format!("/petitions/{code}"), "reception-petition")
        .await?;
    b.click("form[data-form=\"admit\"] button").await?;
    assert_eq!(b.text("state").await?, "Đang xử lý");
    b.look("reception-petition-admitted").await?;
    sign_out(b).await
}
