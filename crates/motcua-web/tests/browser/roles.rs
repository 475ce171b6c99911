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
/// Vĩnh Khê's leader, who sends the commune's remediation report.
pub const COMMUNE_LEADER: &str = "khe-leader";

/// Signs in and returns the page the role landed on (path and query).
pub async fn land(b: &Browser, username: &str) -> Result<String, Error> {
    sign_in(b, username).await?;
    b.path().await
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
