//! A day of each role, one module each (`walk(b)`), the accounts they sign in as.

pub mod admin;
pub mod leader;
pub mod reception;
pub mod reform_office;
pub mod specialist;
pub mod viewer;

use crate::common::Error;
use crate::gestures::sign_in;
use crate::harness::Browser;

/// The district's leader: its reform office follows the communes' figures.
pub const DISTRICT_LEADER: &str = "district-leader";
/// Vĩnh Khê's leader, who sends the commune's remediation report and decides the
/// specialist's proposals.
pub const COMMUNE_LEADER: &str = "khe-leader";
/// Vĩnh Khê's specialist, handed the morning's dossiers.
pub const SPECIALIST: &str = "khe-specialist";
/// The applicant's phone on the two dossiers Vĩnh Khê receives the morning of the walk.
pub const MORNING_PHONE: &str = "0912345678";

/// Signs in and returns the page the role landed on (path and query).
pub async fn land(b: &Browser, username: &str) -> Result<String, Error> {
    sign_in(b, username).await?;
    b.path().await
}

/// The `href`s of the elements matching `css`.
pub async fn hrefs(b: &Browser, css: &str) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    for a in b.driver.find_all(thirtyfour::By::Css(css)).await? {
        out.push(
            a.attr("href")
                .await?
                .ok_or_else(|| format!("{css}: no href"))?,
        );
    }
    Ok(out)
}

/// The `href` of the first element matching `css`.
pub async fn href(b: &Browser, css: &str) -> Result<String, Error> {
    let a = b.find(css).await?;
    let href = a
        .attr("href")
        .await?
        .ok_or_else(|| format!("{css}: no href"))?;
    Ok(href)
}
