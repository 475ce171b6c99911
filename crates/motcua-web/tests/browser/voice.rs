//! The citizen's voice in a browser: a citizen rates a dossier from its rating link; a
//! reception officer opens the desk's tablet, which signs them out, and a citizen rates
//! there by the dossier's code; a visitor sends a PAKN (every error at once first, nothing
//! typed lost), follows it by its code, and an officer takes it in, answers it and publishes
//! the answer, which the public page of answers then shows.
//! Every page through [`Browser::visit`] / [`Browser::look`] (both sizes, axe-core), but
//! the tablet's thanks screen, which has no heading and leaves by itself.

use crate::common::TestResult;
use crate::gestures::sign_in;
use crate::harness::Browser;

/// What the walk needs, made beforehand.
pub struct Prepared {
    /// `/rate/<code>?t=<token>`: a resolved dossier's rating link.
    pub link: String,
    /// A resolved dossier of Vĩnh Khê, not yet rated, for the tablet.
    pub kiosk_code: String,
}

pub async fn walk(b: &Browser, p: &Prepared) -> TestResult {
    // The rating link: a comment, then one of the three buttons sends it.
    b.visit(&p.link, "rate-link").await?;
    b.fill(
        "comment",
        "Cán bộ hướng dẫn tận tình, trả kết quả đúng hẹn.",
    )
    .await?;
    b.click("#rating-satisfied").await?;
    b.look("rate-thanks").await?;
    assert_eq!(b.text("given").await?, "Hài lòng");
    // Opened again: still the thanks, no second rating.
    b.visit(&p.link, "rate-again").await?;
    assert!(!b.exists("#rate").await?, "rated once");

    // The desk's tablet, opened by the reception officer of Vĩnh Khê.
    sign_in(b, "khe-reception").await?;
    b.visit("/desk/kiosk", "kiosk-open").await?;
    b.click("#open-kiosk").await?;
    assert!(b.path().await?.starts_with("/kiosk"), "{}", b.path().await?);
    b.look("kiosk-start").await?;
    // The officer's session ended on the device.
    assert!(
        b.driver
            .get_named_cookie("motcua_session")
            .await
            .map_or(true, |c| c.value.is_empty()),
        "the officer is signed out of the tablet"
    );
    b.fill("code", "KHONG-CO-240513-0001").await?;
    b.click("#start button.next").await?;
    assert!(b.exists("#notice").await?, "an unknown code is said so");
    b.look("kiosk-unknown").await?;
    b.fill("code", &p.kiosk_code).await?;
    b.click("#start button.next").await?;
    b.look("kiosk-buttons").await?;
    b.click("#rating-very_satisfied").await?;
    assert!(b.exists("#thanks").await?, "the tablet thanks");
    b.shot("kiosk-thanks").await?;
    b.driver.delete_all_cookies().await?;

    // A PAKN: sent empty, every error at once beside its field; what was typed stays.
    b.visit("/feedback", "feedback-form").await?;
    b.fill("name", "Lê Thị Thu").await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.look("feedback-errors").await?;
    assert!(b.exists("#error-summary").await?, "the errors' summary");
    for field in ["unit-error", "content-error", "contact-error"] {
        assert!(b.exists(&format!("#{field}")).await?, "{field}");
    }
    let typed = b
        .find("[name=\"name\"]")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert_eq!(typed, "Lê Thị Thu", "the name typed is kept");
    b.select("unit", "vinh-khe").await?;
    b.find("#kind-kien_nghi").await?.click().await?;
    b.select("subject", "quy_dinh").await?;
    b.fill(
        "content",
        "Đề nghị niêm yết mức lệ phí của từng thủ tục tại bộ phận một cửa.",
    )
    .await?;
    b.fill("contact", "0912345678").await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.look("feedback-sent").await?;
    let code = b.text("code").await?;
    assert!(!code.is_empty(), "the PAKN's code");

    // Followed by its code and the contact given.
    b.goto("/feedback/follow").await?;
    b.look("feedback-follow").await?;
    b.fill("code", &code).await?;
    b.fill("contact", "0912345678").await?;
    b.click("form[action=\"/feedback/follow\"] button[type=submit]")
        .await?;
    b.look("feedback-followed").await?;
    assert!(b.exists("#timeline").await?, "the PAKN's steps");

    // The commune's officer takes it in, then answers it.
    sign_in(b, "khe-admin").await?;
    b.visit("/petitions", "petitions-list").await?;
    assert!(
        b.exists(&format!("tr[data-code=\"{code}\"]")).await?,
        "listed"
    );
    b.visit(&format!("/petitions/{code}"), "petition").await?;
    b.click("form[data-form=\"admit\"] button[type=submit]")
        .await?;
    b.look("petition-admitted").await?;
    b.fill(
        "text",
        "Bộ phận một cửa đã niêm yết mức lệ phí của từng thủ tục từ ngày hôm nay.",
    )
    .await?;
    b.click("form[data-form=\"answer\"] button[type=submit]")
        .await?;
    b.look("petition-answered").await?;
    b.click("form[data-form=\"publish\"] button[type=submit]")
        .await?;
    // Published: the public page of answers shows it.
    b.driver.delete_all_cookies().await?;
    b.visit("/feedback/answers", "feedback-answers").await?;
    let answers = b.texts("main").await?.join("\n");
    assert!(
        answers.contains("niêm yết mức lệ phí của từng thủ tục từ ngày hôm nay"),
        "{answers}"
    );

    let problems = b.problems(crate::KNOWN);
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} problem(s) on the pages of the citizen's voice:\n{}",
        problems.len(),
        problems.join("\n")
    )
    .into())
}
