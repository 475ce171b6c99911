//! The demo's citizen, as a visitor uses it: the banner names the account and its two
//! dossiers; signed in over HTTP, the first dossier offers the online payment, which goes
//! through the demo's sandbox gateway and comes back with the e-receipt, and the second
//! offers the rating.

use crate::cli::{http_request, set_cookie, with_demo};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The text after `label` on the banner's first line holding it, up to the next space.
fn after<'a>(banner: &'a str, label: &str) -> Option<&'a str> {
    banner
        .lines()
        .find_map(|l| l.split_once(label))
        .and_then(|(_, rest)| rest.split_whitespace().next())
}

/// The dossier code of the banner's line `  hồ sơ CODE: what`.
fn code_of<'a>(banner: &'a str, what: &str) -> Option<&'a str> {
    banner
        .lines()
        .filter(|l| l.contains(what))
        .find_map(|l| l.trim_start().strip_prefix("hồ sơ "))
        .and_then(|rest| rest.split(':').next())
}

/// The value of the first hidden input `name` of a page.
fn hidden<'a>(page: &'a str, name: &str) -> Option<&'a str> {
    let start = format!("name=\"{name}\" value=\"");
    page.split_once(&start)
        .and_then(|(_, rest)| rest.split('"').next())
}

/// Percent-encodes a form value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The status line's code of a response.
fn status(response: &str) -> &str {
    response.split_whitespace().nth(1).unwrap_or("")
}

fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let prefix = format!("{name}: ");
    response
        .lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix(&prefix))
}

/// `host:port` and the path with its query of an `http://` URL.
fn split_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("http://")?;
    let slash = rest.find('/')?;
    Some((&rest[..slash], &rest[slash..]))
}

#[test]
fn the_demo_citizen_pays_online_through_the_sandbox_and_may_rate() -> TestResult {
    // A Wednesday morning.
    with_demo(
        &["--clock", "2026-12-02T10:00:00+07:00"],
        |addr, banner| -> TestResult {
            assert!(banner.contains("Trương Thị Mỹ Linh"), "{banner}");
            assert!(
                banner.contains(&format!("http://{addr}/citizen/sign-in")),
                "{banner}"
            );
            assert!(
                banner.contains(&format!("http://{addr}/feedback")),
                "{banner}"
            );
            assert!(
                banner.contains(&format!("http://{addr}/desk/kiosk")),
                "{banner}"
            );
            let phone = after(banner, "số điện thoại: ").ok_or("no phone")?;
            let password = after(banner, "mật khẩu: ").ok_or("no password")?;
            let to_pay = code_of(banner, "chờ thanh toán trực tuyến").ok_or("no dossier to pay")?;
            let to_rate = code_of(banner, "mời đánh giá").ok_or("no dossier to rate")?;
            assert_ne!(to_pay, to_rate);
            // Both received before the demo's day, at Hồ Xá.
            for code in [to_pay, to_rate] {
                assert!(code.starts_with("HO-XA-261"), "{code}");
                assert!(code.get(6..12) < Some("261202"), "{code}");
            }

            // Signed in by phone and password, as a person does on the portal.
            let answer = http_request(
                addr,
                "POST",
                "/citizen/sign-in",
                "",
                &format!("contact={}&password={}", encode(phone), encode(password)),
            )?;
            assert_eq!(status(&answer), "303", "{answer}");
            let cookie = set_cookie(&answer, "motcua_citizen").ok_or("no citizen session")?;

            // The dossier with a fee offers the payment, the one with a result the rating.
            let page = http_request(
                addr,
                "GET",
                &format!("/citizen/dossiers/{to_pay}"),
                &cookie,
                "",
            )?;
            assert!(page.contains("id=\"pay\""), "{page}");
            assert!(page.contains("Thanh toán trực tuyến 15.000 đồng"), "{page}");
            assert!(
                !page.contains(&format!("href=\"/rate/{to_pay}\"")),
                "{page}"
            );
            let csrf = hidden(&page, "csrf").ok_or("no csrf token")?.to_owned();
            let rated = http_request(
                addr,
                "GET",
                &format!("/citizen/dossiers/{to_rate}"),
                &cookie,
                "",
            )?;
            assert!(
                rated.contains(&format!("href=\"/rate/{to_rate}\"")),
                "{rated}"
            );
            assert!(
                rated.contains("id=\"result\""),
                "the result to download: {rated}"
            );
            assert!(!rated.contains("id=\"pay\""), "{rated}");
            let rating = http_request(addr, "GET", &format!("/rate/{to_rate}"), &cookie, "")?;
            assert_eq!(status(&rating), "200", "{rating}");

            // "Thanh toán trực tuyến": a page whose link goes to the sandbox gateway.
            let go = http_request(
                addr,
                "POST",
                &format!("/citizen/dossiers/{to_pay}/pay"),
                &cookie,
                &format!("csrf={}", encode(&csrf)),
            )?;
            assert_eq!(status(&go), "200", "{go}");
            let gateway = banner
                .lines()
                .find(|l| l.starts_with("Cổng thanh toán thử nghiệm"))
                .and_then(|l| l.rsplit(' ').next())
                .ok_or("no gateway in the banner")?
                .trim_end_matches('/');
            let href = go
                .split("href=\"")
                .filter_map(|rest| rest.split('"').next())
                .find(|h| h.starts_with(gateway))
                .ok_or_else(|| format!("no link to {gateway}: {go}"))?
                .replace("&amp;", "&")
                .replace("&#38;", "&")
                .replace("&#x26;", "&");
            // The payer pays on the sandbox's page: its form posts the signed fields back.
            let (sandbox, path) = split_url(&href).ok_or("not an http link")?;
            let (path, query) = path.split_once('?').ok_or("no query")?;
            let paid = http_request(sandbox, "POST", path, "", &format!("{query}&choice=pay"))?;
            assert_eq!(status(&paid), "303", "{paid}");
            let back = header(&paid, "location").ok_or("no way back")?;
            let (host, back) = split_url(back).ok_or("not an http return")?;
            assert_eq!(host, addr);
            assert!(back.starts_with("/payments/vnpay/return?"), "{back}");

            // Back on the portal: paid, the e-receipt issued.
            let returned = http_request(addr, "GET", back, &cookie, "")?;
            assert_eq!(status(&returned), "200", "{returned}");
            assert!(returned.contains("id=\"paid\""), "{returned}");
            assert!(returned.contains("id=\"receipt-number\""), "{returned}");
            let page = http_request(
                addr,
                "GET",
                &format!("/citizen/dossiers/{to_pay}"),
                &cookie,
                "",
            )?;
            assert!(!page.contains("id=\"pay\""), "paid once: {page}");
            assert!(page.contains("Đã nộp lúc"), "{page}");
            let receipt = http_request(
                addr,
                "GET",
                &format!("/citizen/dossiers/{to_pay}/receipt"),
                &cookie,
                "",
            )?;
            assert_eq!(status(&receipt), "200", "{receipt}");
            assert!(receipt.contains("15.000"), "{receipt}");
            assert!(receipt.contains("Trương Thị Mỹ Linh"), "{receipt}");
            // The demo's tax code of Hồ Xá, printed on its receipts.
            assert!(receipt.contains("3200135790"), "{receipt}");
            Ok(())
        },
    )
}
