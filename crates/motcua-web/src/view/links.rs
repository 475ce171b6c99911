//! Addresses of this server that pages print for people to open elsewhere (the QR code of a
//! slip), shared by the officers' pages and the public portal.

use crate::AppState;

/// The address citizens reach the portal at (`https://dichvucong.example.gov.vn`), set by
/// `motcua serve --public-url`: what a slip's QR code opens, whatever address the officer's
/// browser used inside the office network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// `text` as a base address: `http://` or `https://`, a host (letters, digits, `.`, `-`,
    /// an optional `:port`), an optional path; no query, fragment or user. A final `/` is
    /// dropped. The error says in Vietnamese what is wrong.
    pub fn parse(text: &str) -> Result<PublicUrl, String> {
        let text = text.trim().trim_end_matches('/');
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(|| {
                format!("địa chỉ công khai «{text}» phải bắt đầu bằng https:// hoặc http://")
            })?;
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
        let path_ok = path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '~' | '/'));
        if !host_ok || !path_ok {
            return Err(format!(
                "địa chỉ công khai «{text}» không hợp lệ: chỉ gồm tên máy chủ (và cổng, đường dẫn), không có ?, # hay tài khoản"
            ));
        }
        Ok(PublicUrl(text.to_owned()))
    }

    /// The address, without a final `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The address of the tracking page for `code` on this server, as the QR code of a slip
/// holds it: the configured [`PublicUrl`] followed by `/track?code=CODE`; without one,
/// `https://HOST/track?code=CODE`, HOST being the one the officer's browser asked for, and
/// without a usable `Host` header either, the code alone (what the QR held before).
pub(crate) fn tracking_url(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    code: &motcua_core::dossier::DossierCode,
) -> String {
    // Dossier codes are letters, digits, `.` and `-`: nothing to escape.
    match base_url(state, headers) {
        Some(base) => format!("{base}/track?code={code}"),
        None => code.to_string(),
    }
}

/// The base address citizens reach this server at: the configured [`PublicUrl`], else the
/// scheme and `Host` the officer's browser used.
fn base_url(state: &AppState, headers: &axum::http::HeaderMap) -> Option<String> {
    if let Some(base) = &state.public_url {
        return Some(base.as_str().to_owned());
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })?;
    let scheme = if state.secure_cookies {
        "https"
    } else {
        "http"
    };
    Some(format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::PublicUrl;

    #[test]
    fn a_public_url_is_a_base_address() {
        for (typed, kept) in [
            (
                "https://dichvucong.quangtri.gov.vn",
                "https://dichvucong.quangtri.gov.vn",
            ),
            (
                "https://dichvucong.quangtri.gov.vn/",
                "https://dichvucong.quangtri.gov.vn",
            ),
            (
                "http://10.0.0.5:8080/motcua/",
                "http://10.0.0.5:8080/motcua",
            ),
        ] {
            assert_eq!(
                PublicUrl::parse(typed).map(|u| u.as_str().to_owned()),
                Ok(kept.to_owned())
            );
        }
        for wrong in [
            "dichvucong.quangtri.gov.vn",
            "ftp://x.vn",
            "https://",
            "https://x.vn/?a=1",
            "https://user@x.vn",
            "https://x.vn/#top",
            "https://x.vn/đường",
        ] {
            match PublicUrl::parse(wrong) {
                Err(err) => assert!(err.starts_with("địa chỉ công khai"), "{err}"),
                Ok(url) => panic!("{wrong} was taken as {}", url.as_str()),
            }
        }
    }
}
