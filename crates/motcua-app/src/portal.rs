//! The address citizens reach the portal at (`https://dichvucong.example.vn`), as the server
//! was started with it (`motcua serve --public-url`, the demo's own address), kept as a
//! setting ([`PORTAL_URL_SETTING`]) so that what words a notice outside any request — a
//! desk's step taken from a page, the API or the command line, the workers — can write an
//! absolute link: [`remember`] at start, [`address`] when a notice is worded.
//!
//! A setting rather than a parameter through every step's call chain: the notices are
//! worded deep in the desk's writes (`desk/notify.rs`), reached from a dozen edges that
//! would all have to carry it, and every node of a cluster serves the same portal.

use motcua_core::access::AuditContext;
use motcua_store::SqlStore;

use crate::AppError;

/// The setting that holds the portal's public address, without a final `/`.
pub const PORTAL_URL_SETTING: &str = "portal.public_url";

/// Keeps `url` (already checked by the edge: `motcua_web::PublicUrl`) as the portal's
/// address; audited, and written only when it changed, so that restarting a node writes
/// nothing. Returns whether it changed.
pub async fn remember(store: &SqlStore, url: &str, ctx: &AuditContext) -> Result<bool, AppError> {
    let url = url.trim_end_matches('/');
    if store.setting(PORTAL_URL_SETTING).await?.as_deref() == Some(url) {
        return Ok(false);
    }
    store.set_setting(PORTAL_URL_SETTING, url, ctx).await?;
    Ok(true)
}

/// The portal's address as last remembered, if ever (an empty value counts as none).
pub async fn address(store: &SqlStore) -> Result<Option<String>, AppError> {
    Ok(store
        .setting(PORTAL_URL_SETTING)
        .await?
        .map(|u| u.trim_end_matches('/').to_owned())
        .filter(|u| !u.is_empty()))
}
