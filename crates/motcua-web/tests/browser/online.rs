//! Online submission in a browser, phone first: a citizen (signed in by a session cookie
//! made for the test: the sign-in pages are the accounts' own walk) starts a submission from
//! the procedure's page, sends the form empty (the box "nộp thay" ticked) and reads every
//! error beside its field, then
//! reads their list and their dossiers (the supplement asked, the result to download); the
//! commune's desk then reviews its online inbox. Every page through [`Browser::visit`] /
//! [`Browser::look`]: screenshots at both sizes and axe-core.

use crate::common::TestResult;
use crate::gestures::sign_in;
use crate::harness::Browser;

/// What the walk visits, made beforehand.
pub struct Prepared {
    /// The citizen's session cookie (`motcua_citizen`).
    pub cookie: String,
    /// A submission of the citizen waiting in Vĩnh Khê's inbox.
    pub waiting: i64,
    /// The citizen's dossiers: one waiting for a supplement, one approved with its result.
    pub awaiting: String,
    pub approved: String,
}

pub async fn walk(b: &Browser, p: &Prepared) -> TestResult {
    b.goto("/").await?;
    b.driver
        .add_cookie(thirtyfour::Cookie::new(
            crate::common::citizen::COOKIE,
            p.cookie.clone(),
        ))
        .await?;
    b.visit("/procedures/1.001193?unit=vinh-khe", "online-procedure")
        .await?;
    b.click("#submit-online").await?;
    b.look("online-start").await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.look("online-form").await?;
    assert!(b.path().await?.starts_with("/citizen/submissions/"));
    // Submitted for another, with nothing of it filled in: its errors beside its fields too.
    b.find("input[name=represented]").await?.click().await?;
    b.click("button[value=submit]").await?;
    b.look("online-form-errors").await?;
    assert!(b.exists("#error-summary").await?, "the error summary");
    assert!(
        b.exists("#represented .field-error").await?,
        "the representation's errors beside its fields"
    );
    assert!(
        b.exists("input[name=represented]:checked").await?,
        "the box stays ticked"
    );
    b.visit("/citizen/submissions", "online-list").await?;
    b.visit(
        &format!("/citizen/dossiers/{}", p.awaiting),
        "online-supplement",
    )
    .await?;
    assert!(b.exists("#supplement").await?, "the supplement form");
    b.visit(
        &format!("/citizen/dossiers/{}", p.approved),
        "online-result",
    )
    .await?;
    assert!(b.exists("#result a").await?, "the result to download");

    b.driver.delete_all_cookies().await?;
    sign_in(b, "khe-reception").await?;
    b.visit("/desk/online", "online-inbox").await?;
    b.visit(&format!("/desk/online/{}", p.waiting), "online-review")
        .await?;
    assert!(b.exists("#accept").await? && b.exists("#refuse").await?);
    let problems = b.problems(crate::KNOWN);
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} problem(s) on the online pages:\n{}",
        problems.len(),
        problems.join("\n")
    )
    .into())
}
