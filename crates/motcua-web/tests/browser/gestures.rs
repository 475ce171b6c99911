//! Gestures of the pages: one small function per gesture, so new form fields are added in
//! one place.

use std::path::Path;

use crate::common::{Error, PASSWORD};
use crate::harness::Browser;
use thirtyfour::prelude::*;

/// Signs in through the form; lands on the role's own page.
pub async fn sign_in(b: &Browser, username: &str) -> Result<(), Error> {
    b.goto("/login").await?;
    b.fill("username", username).await?;
    b.fill("password", PASSWORD).await?;
    b.click("form.box button[type=submit]").await?;
    let who = b.text("who").await?;
    assert!(who.contains(username), "signed in as {username}: {who}");
    Ok(())
}

/// Signs out through the header's button; lands on the sign-in form.
pub async fn sign_out(b: &Browser) -> Result<(), Error> {
    // Printable slips have no header: sign out from the worklist.
    if !b.exists("header form[action=\"/logout\"]").await? {
        b.goto("/desk").await?;
    }
    b.open_menu().await?;
    b.click("header form[action=\"/logout\"] button").await?;
    b.find("input[name=\"username\"]").await?;
    assert!(!b.exists("#who").await?, "signed out");
    Ok(())
}

/// On the reception form: searches procedures; returns the offered options' texts.
pub async fn search_procedure(b: &Browser, text: &str) -> Result<Vec<String>, Error> {
    let input = b.find("#procedure-search").await?;
    input.clear().await?;
    input.send_keys(text).await?;
    b.texts("#procedure-list li").await
}

/// On the reception form: picks the first offered procedure with the keyboard (Enter); the
/// checklist fills from the procedure's own components.
pub async fn pick_procedure(b: &Browser) -> Result<(), Error> {
    b.find("#procedure-search")
        .await?
        .send_keys(Key::Enter)
        .await?;
    Ok(())
}

/// On the reception form: fills the dossier's fields: the applicant, the fee, the
/// components `(name, scan file)`.
pub async fn fill_reception(
    b: &Browser,
    procedure: &str,
    fee: &str,
    components: &[(&str, Option<&Path>)],
) -> Result<(), Error> {
    let chosen = b
        .driver
        .execute(
            "return document.getElementById('procedure').value;",
            Vec::new(),
        )
        .await?
        .convert::<String>()?;
    assert_eq!(
        chosen, procedure,
        "the procedure picked in the type-ahead box"
    );
    b.select("channel", "direct").await?;
    b.fill("fee_vnd", fee).await?;
    b.fill("applicant_name", "Nguyễn Thị Hoa").await?;
    b.fill("applicant_phone", "0912 345 678").await?;
    b.fill("applicant_address", "Thôn Tân Mỹ, xã Vĩnh Khê")
        .await?;
    for (i, (name, scan)) in components.iter().enumerate() {
        b.fill(&format!("component_{i}"), name).await?;
        if let Some(path) = scan {
            attach(b, &format!("scan_{i}"), path).await?;
        }
    }
    Ok(())
}

/// Chooses a file in the file input named `name`.
pub async fn attach(b: &Browser, name: &str, path: &Path) -> Result<(), Error> {
    let input = b
        .find(&format!("input[type=file][name=\"{name}\"]"))
        .await?;
    input
        .send_keys(path.to_str().ok_or("file path is not UTF-8")?)
        .await?;
    Ok(())
}

/// Opens a printable slip of the dossier; returns its title.
pub async fn open_slip(b: &Browser, dossier: &str, kind: &str) -> Result<String, Error> {
    b.goto(&format!("{dossier}/slips/{kind}")).await?;
    b.text("slip-title").await
}

/// On the reception form: submits it; lands on the new dossier's page and returns its code.
pub async fn submit_reception(b: &Browser) -> Result<String, Error> {
    b.click("#receive #submit").await?;
    let review = b.text("review").await?;
    assert!(review.contains("Hẹn trả kết quả"), "{review}");
    b.shot("reception-review").await?;
    b.click("#confirm #submit").await?;
    b.text("status").await?;
    assert!(b.text("notice").await?.contains("Đã tiếp nhận hồ sơ"));
    let path = b.path().await?;
    let code = path
        .strip_prefix("/dossiers/")
        .and_then(|p| p.strip_suffix("?da-tiep-nhan"))
        .ok_or_else(|| format!("not a dossier page after receiving: {path}"))?;
    Ok(code.to_owned())
}

/// On a dossier page: takes a step (with its reason when it needs one, ticking the
/// confirmation box of an irreversible one); returns the new status.
pub async fn take_step(b: &Browser, step: &str, reason: Option<&str>) -> Result<String, Error> {
    let form = format!("#steps form:has(button[data-step=\"{step}\"])");
    if let Some(reason) = reason {
        let input = b.find(&format!("{form} input[name=\"reason\"]")).await?;
        input.clear().await?;
        input.send_keys(reason).await?;
    }
    let confirm = format!("{form} input[name=\"confirm\"]");
    if b.exists(&confirm).await? {
        let boxed = b.find(&confirm).await?;
        if !boxed.is_selected().await? {
            boxed.click().await?;
        }
    }
    b.click(&format!("{form} button[data-step=\"{step}\"]"))
        .await?;
    if b.exists("#error").await? {
        return Err(format!("step {step} refused: {}", b.text("error").await?).into());
    }
    b.text("status").await
}

/// The steps the dossier page offers.
pub async fn offered_steps(b: &Browser) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    for e in b
        .driver
        .find_all(By::Css("#steps button[data-step]"))
        .await?
    {
        out.push(e.attr("data-step").await?.unwrap_or_default());
    }
    Ok(out)
}

/// On the dashboard: a figure of the counts box, by its label (`Hồ sơ tiếp nhận`).
pub async fn dashboard_count(b: &Browser, label: &str) -> Result<u64, Error> {
    let xpath = format!(
        "//dl[contains(@class,'counts')]/dt[normalize-space()='{label}']/following-sibling::dd[1]"
    );
    let dd = b
        .driver
        .query(By::XPath(&xpath))
        .desc(label)
        .first()
        .await?;
    let text = dd.text().await?;
    Ok(text
        .replace('.', "")
        .trim()
        .parse()
        .map_err(|_| format!("{label}: not a count: {text:?}"))?)
}

/// Opens the dashboard of `unit` for `month`; returns (received, resolved).
pub async fn dashboard(b: &Browser, unit: &str, month: &str) -> Result<(u64, u64), Error> {
    b.goto(&format!("/?unit={unit}&month={month}")).await?;
    Ok((
        dashboard_count(b, "Hồ sơ tiếp nhận").await?,
        dashboard_count(b, "Đã giải quyết").await?,
    ))
}

/// Asserts the page fits the viewport's width (tables may scroll inside their wrapper).
pub async fn assert_fits(b: &Browser, page: &str) -> Result<(), Error> {
    let (scroll, inner) = b.widths().await?;
    assert!(
        inner <= 420,
        "{page}: the window is not phone-sized ({inner} px)"
    );
    assert!(
        scroll <= inner + 1,
        "{page}: {scroll} px wide in a {inner} px viewport"
    );
    Ok(())
}
