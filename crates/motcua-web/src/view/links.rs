//! Addresses of this server that pages print for people to open elsewhere (the QR code of a
//! slip), shared by the officers' pages and the public portal.

use crate::AppState;

/// The address of the tracking page for `code` on this server, as the QR code of a slip
/// holds it: `https://HOST/track?code=CODE`, HOST being the one the officer's browser asked
/// for. Without a usable `Host` header, the code alone (what the QR held before).
pub(crate) fn tracking_url(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    code: &motcua_core::dossier::DossierCode,
) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        });
    match host {
        Some(host) => {
            let scheme = if state.secure_cookies {
                "https"
            } else {
                "http"
            };
            // Dossier codes are letters, digits, `.` and `-`: nothing to escape.
            format!("{scheme}://{host}/track?code={code}")
        }
        None => code.to_string(),
    }
}
