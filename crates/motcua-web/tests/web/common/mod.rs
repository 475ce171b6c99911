//! A browser-like client of the router, driven in memory (`oneshot`): it keeps cookies the way a
//! browser would (only the ones the server set), signs in through the real form, and reads
//! the session's CSRF token from the page it was given.

#![allow(dead_code)]

pub mod citizen;
pub mod online;
pub mod payments;
pub mod portal;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::header::{COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_store::SqlStore;
use motcua_web::{AppState, router};
use tower::ServiceExt;

pub type TestResult = Result<(), Error>;
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// A response, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }
}

/// Percent-encodes a form value.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The value of the first hidden `name` field of a page.
pub fn hidden(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let end = page[start..].find('"')?;
    Some(page[start..start + end].to_owned())
}

/// A multipart body: its content type (with the boundary) and its bytes.
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "----motcua-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file_name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// A small valid-looking PDF for scan uploads.
pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Where the tests' app states keep scans: one temporary folder per test binary, removed
/// with it (the web layer has no default folder).
pub fn scan_files() -> motcua_store::Files {
    static DIR: std::sync::OnceLock<Option<tempfile::TempDir>> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().ok());
    let path = dir.as_ref().map_or_else(
        || std::env::temp_dir().join("motcua-web-tests"),
        |d| d.path().to_owned(),
    );
    motcua_store::Files::new(path, motcua_store::DEFAULT_MAX_SCAN_BYTES)
}

/// A client with its own cookie jar.
#[derive(Clone)]
pub struct Client {
    pub state: AppState,
    pub cookies: BTreeMap<String, String>,
    pub bearer: Option<String>,
}

impl Client {
    pub fn new(store: &SqlStore) -> Self {
        Self::with_state(AppState::new(store.clone(), scan_files()).with_secure_cookies(false))
    }

    pub fn with_state(state: AppState) -> Self {
        Self {
            state,
            cookies: BTreeMap::new(),
            bearer: None,
        }
    }

    pub fn store(&self) -> &SqlStore {
        &self.state.store
    }

    pub async fn send(
        &mut self,
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: impl Into<Body>,
        extra: &[(&str, &str)],
    ) -> Result<Answer, Error> {
        let mut req = Request::builder().method(method).uri(uri);
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req = req.header(COOKIE, jar.join("; "));
        }
        if let Some(b) = &self.bearer {
            req = req.header("authorization", format!("Bearer {b}"));
        }
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        let response = router(self.state.clone())
            .oneshot(req.body(body.into())?)
            .await?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await?.to_bytes();
        let answer = Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        for c in answer.set_cookies() {
            let first = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = first.split_once('=') {
                if v.is_empty() || c.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_owned(), v.to_owned());
                }
            }
        }
        Ok(answer)
    }

    pub async fn get(&mut self, uri: &str) -> Result<Answer, Error> {
        self.send(Method::GET, uri, None, String::new(), &[]).await
    }

    /// Posts a form; fields are encoded here.
    pub async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> Result<Answer, Error> {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        self.send(
            Method::POST,
            uri,
            Some("application/x-www-form-urlencoded"),
            body.join("&"),
            &[],
        )
        .await
    }

    /// Posts a multipart form with files `(field, file name, bytes)`, as a browser does.
    pub async fn post_multipart(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
        extra: &[(&str, &str)],
    ) -> Result<Answer, Error> {
        let (content_type, body) = multipart(fields, files);
        self.send(Method::POST, uri, Some(&content_type), body, extra)
            .await
    }

    /// Signs in through the form, as a browser does; returns the answer to the POST.
    pub async fn login(&mut self, username: &str, password: &str) -> Result<Answer, Error> {
        let form = self.get("/login").await?;
        let token = hidden(&form.body, "csrf").ok_or("the sign-in form has no token")?;
        self.post(
            "/login",
            &[
                ("csrf", &token),
                ("next", "/"),
                ("username", username),
                ("password", password),
            ],
        )
        .await
    }

    /// Signs in and checks that it worked.
    pub async fn signed_in(
        store: &SqlStore,
        username: &str,
        password: &str,
    ) -> Result<Client, Error> {
        Self::signed_in_with(
            AppState::new(store.clone(), scan_files()).with_secure_cookies(false),
            username,
            password,
        )
        .await
    }

    /// Signs in to an app built from `state` and checks that it worked.
    pub async fn signed_in_with(
        state: AppState,
        username: &str,
        password: &str,
    ) -> Result<Client, Error> {
        let mut c = Client::with_state(state);
        let a = c.login(username, password).await?;
        if a.status != StatusCode::SEE_OTHER || !c.cookies.contains_key("motcua_session") {
            return Err(format!("sign-in of {username} failed: {} {}", a.status, a.body).into());
        }
        Ok(c)
    }

    /// The session's CSRF token, as the pages give it.
    pub async fn csrf(&mut self) -> Result<String, Error> {
        let page = self.get("/account/password").await?;
        Ok(hidden(&page.body, "csrf").ok_or("no token on the page")?)
    }
}

/// The codes of the first `n` dossiers of `unit` still pending in the fixture.
pub async fn pending_dossiers(
    store: &SqlStore,
    unit: &str,
    n: usize,
) -> Result<Vec<String>, Error> {
    let codes: Vec<String> = store
        .dossiers()
        .await?
        .into_iter()
        .filter(|d| d.unit_code.as_str() == unit && d.resolved_at.is_none())
        .map(|d| d.code.to_string())
        .take(n)
        .collect();
    if codes.len() < n {
        return Err(format!("fewer than {n} pending dossiers of {unit}").into());
    }
    Ok(codes)
}

/// A dossier received at the desk of `unit` on 20/5/2024 (procedure 9.100010, fee 8.000 đồng,
/// applicant Nguyễn Thị Hoa, two components), the first component scanned into `files`:
/// its code and the scan's hash.
pub async fn received_dossier(
    store: &SqlStore,
    files: &motcua_store::Files,
    unit: &str,
) -> Result<(String, String), Error> {
    received_dossier_at(store, files, unit, "2024-05-20T08:00:00+07:00").await
}

/// As [`received_dossier`], received at `at` (RFC 3339).
pub async fn received_dossier_at(
    store: &SqlStore,
    files: &motcua_store::Files,
    unit: &str,
    at: &str,
) -> Result<(String, String), Error> {
    use motcua_core::access::{Credential, Principal};
    use motcua_core::details::{Applicant, Component, Slot};
    let officer = Principal {
        id: 0,
        name: "setup".to_owned(),
        unit: motcua_core::unit::UnitCode::parse(unit)?,
        credential: Credential::User {
            role: Role::Reception,
        },
    };
    let ctx = motcua_testkit::ctx("user:setup", Timestamp::parse(at)?);
    let component = |name: &str| Component {
        name: name.to_owned(),
        originals: 1,
        copies: 0,
        scan: None,
    };
    let reception = motcua_app::desk::Reception {
        procedure: "9.100010".to_owned(),
        unit: unit.to_owned(),
        channel: motcua_core::dossier::Channel::Direct,
        online_level: None,
        components_total: 2,
        components_digitized: 0,
        fee_vnd: 8_000,
        applicant: Applicant {
            name: "Nguyễn Thị Hoa".to_owned(),
            address: "Khu phố 3, Hồ Xá".to_owned(),
            phone: "0912345678".to_owned(),
            ..Applicant::default()
        },
        request: String::new(),
        components: vec![component("Tờ khai"), component("Giấy chứng sinh")],
    };
    let h = motcua_app::desk::receive(store, &officer, &reception, &ctx).await?;
    let code = h.dossier.code.to_string();
    let h = motcua_app::desk::attach_scan(
        store,
        files,
        &officer,
        &code,
        Slot::Component(0),
        "to-khai.pdf",
        PDF,
        &ctx,
    )
    .await?;
    let sha = h
        .details
        .and_then(|d| d.components[0].scan.clone())
        .ok_or("no scan")?
        .sha256;
    Ok((code, sha))
}

/// The password of every test account.
pub const PASSWORD: &str = "mật-khẩu-thử-2024";

/// A store loaded with the fixture, and these accounts (user name, unit, role):
/// `district-admin` (vinh-linh, admin), `district-viewer` (vinh-linh, viewer),
/// `khe-admin` (vinh-khe, admin), `khe-reception` (vinh-khe, reception),
/// `khe-specialist` (vinh-khe, specialist).
pub async fn loaded(url: &str) -> Result<SqlStore, Error> {
    let store = SqlStore::connect(url).await?;
    let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
    let loaded = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
    motcua_app::import_dir(&store, &motcua_testkit::vinh_linh(), &loaded).await?;
    for (name, unit, role) in [
        ("district-admin", "vinh-linh", Role::Admin),
        ("district-viewer", "vinh-linh", Role::Viewer),
        ("khe-admin", "vinh-khe", Role::Admin),
        ("khe-reception", "vinh-khe", Role::Reception),
        ("khe-specialist", "vinh-khe", Role::Specialist),
    ] {
        motcua_app::auth::create_user(&store, name, name, unit, role, PASSWORD, &ctx).await?;
    }
    Ok(store)
}

/// The part of a page people read: from the header to the end of the main content.
pub fn visible(a: &Answer) -> String {
    let body = &a.body;
    let start = body.find("<header").unwrap_or(0);
    let end = body
        .find("</main>")
        .map_or(body.len(), |i| i + "</main>".len());
    let page = &body[start..end];
    match hidden(page, "csrf") {
        Some(token) => page.replace(&token, "[csrf]"),
        None => page.to_owned(),
    }
}
