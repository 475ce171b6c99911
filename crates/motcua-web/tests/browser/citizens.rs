//! A citizen's account in a browser, phone first: the sign-up form (sent empty, then
//! filled), the code's page (the code read back from the outbox, as the SMS would bring it),
//! the account's page, sign-out, the sign-in form (a wrong password, then the right one) and
//! the profile. Every page through [`Browser::visit`]/[`Browser::look`]: screenshots at both
//! widths and axe-core.

use motcua_store::SqlStore;

use crate::common::TestResult;
use crate::harness::Browser;

const PHONE: &str = "0912345678";
const PASSWORD: &str = "mat-khau-cong-dan";

/// The code of the latest message to `PHONE`.
async fn code(store: &SqlStore) -> Result<String, crate::common::Error> {
    let messages = store.messages_to(PHONE).await?;
    let body = &messages.last().ok_or("no message in the outbox")?.body;
    let (_, rest) = body.split_once("Dịch vụ công: ").ok_or("no code")?;
    Ok(rest.chars().take(6).collect())
}

pub async fn walk(b: &Browser, store: &SqlStore) -> TestResult {
    b.visit("/citizen/sign-up", "citizen-sign-up").await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.look("citizen-sign-up-errors").await?;
    assert!(b.exists("#error-summary").await? && b.exists("#contact-error").await?);
    // A radio button: the page stays.
    b.find("input[name=kind][value=person]")
        .await?
        .click()
        .await?;
    b.fill("full_name", "Trần Văn Bình").await?;
    b.fill("contact", "0912 345 678").await?;
    b.fill("password", PASSWORD).await?;
    b.fill("confirm", PASSWORD).await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.look("citizen-confirm").await?;
    assert_eq!(b.text("to").await?, PHONE);
    b.fill("code", &code(store).await?).await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.look("citizen-account").await?;
    assert_eq!(b.path().await?, "/citizen");
    assert_eq!(b.text("citizen-name").await?, "Trần Văn Bình");
    b.click("form.sign-out button").await?;
    assert_eq!(b.path().await?, "/");
    assert!(b.exists("a[href='/citizen/sign-in']").await?);

    b.visit("/citizen/sign-in?next=/citizen/profile", "citizen-sign-in")
        .await?;
    b.fill("contact", PHONE).await?;
    b.fill("password", "sai-mat-khau").await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.look("citizen-sign-in-wrong").await?;
    assert!(b.text("notice").await?.contains("không đúng"));
    b.fill("password", PASSWORD).await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.look("citizen-profile").await?;
    assert_eq!(b.path().await?, "/citizen/profile");
    b.fill("id_number", "12").await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.look("citizen-profile-errors").await?;
    assert!(b.exists("#id_number-error").await?);
    let problems = b.problems(crate::KNOWN);
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} problem(s) on the citizens' pages:\n{}",
        problems.len(),
        problems.join("\n")
    )
    .into())
}
