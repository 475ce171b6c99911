//! Sign-in, sessions, CSRF, lockout, rate limit, tokens and secrets, over HTTP; both databases.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{Client, PASSWORD, TestResult, loaded};
use motcua_core::Timestamp;
use motcua_core::access::{AuditFilter, Username};
use motcua_web::{Access, AppState, routes};

fn session_cookie(set_cookies: &[String]) -> Option<String> {
    set_cookies
        .iter()
        .find(|c| c.starts_with("motcua_session=") && !c.starts_with("motcua_session=;"))
        .cloned()
}

#[tokio::test]
async fn session_cookies_carry_the_right_flags() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;
    // A server behind HTTPS (the default): Secure.
    let mut c = Client::with_state(AppState::new(store.clone(), common::scan_files()));
    let a = c.login("district-viewer", PASSWORD).await?;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), "/");
    let cookie = session_cookie(&a.set_cookies()).ok_or("no session cookie")?;
    for flag in [
        "HttpOnly",
        "SameSite=Strict",
        "Secure",
        "Path=/",
        "Max-Age=43200",
    ] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    // The value is a random secret; the store keeps only its hash.
    let value = cookie
        .trim_start_matches("motcua_session=")
        .split(';')
        .next()
        .unwrap_or("");
    assert_eq!(value.len(), 64);
    let stored = store.query_text("SELECT token_hash FROM sessions").await?;
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains(value));
    assert_eq!(stored[0], motcua_app::auth::secret_hash(value));

    // The demo on plain HTTP: no Secure, all else the same.
    let mut c = Client::new(&store);
    let a = c.login("district-viewer", PASSWORD).await?;
    let cookie = session_cookie(&a.set_cookies()).ok_or("no session cookie")?;
    assert!(!cookie.contains("Secure") && cookie.contains("HttpOnly"));

    // Signing out clears the cookie and ends the session in the store.
    let old = c.cookies.clone();
    let csrf = c.csrf().await?;
    let a = c.post("/logout", &[("csrf", &csrf)]).await?;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(
        a.set_cookies()
            .iter()
            .any(|c| c.starts_with("motcua_session=;") && c.contains("Max-Age=0"))
    );
    let mut replay = Client::new(&store);
    replay.cookies = old;
    let a = replay.get("/desk").await?;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "an ended session is dead");
    assert!(a.location().starts_with("/login"));
    // At `/`, a dead session is a visitor like any other: the public portal.
    let a = replay.get("/").await?;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("Cán bộ đăng nhập") && !a.body.contains("id=\"who\""));
    Ok(())
}

#[tokio::test]
async fn every_form_refuses_a_post_without_its_token() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let audit_before = store.audit(&AuditFilter::default()).await?.len();

        // The sign-in form: no token, then a token that is not the cookie's.
        let mut c = Client::new(&store);
        let a = c
            .post(
                "/login",
                &[("username", "district-admin"), ("password", PASSWORD)],
            )
            .await?;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", db.backend);
        assert!(a.body.contains("Biểu mẫu đăng nhập đã hết hạn"));
        assert!(session_cookie(&a.set_cookies()).is_none());
        c.get("/login").await?;
        let a = c
            .post(
                "/login",
                &[
                    ("csrf", "0000"),
                    ("username", "district-admin"),
                    ("password", PASSWORD),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert!(session_cookie(&a.set_cookies()).is_none());
        assert_eq!(
            store.audit(&AuditFilter::default()).await?.len(),
            audit_before,
            "a refused form reaches no password check"
        );

        // Every other write of the route table, signed in, without and with a wrong token.
        let mut admin = Client::signed_in(&store, "district-admin", PASSWORD).await?;
        let calendar = motcua_app::calendar::load(&store)
            .await?
            .schedule(2024)?
            .to_json()?;
        let writes: Vec<_> = routes()
            .into_iter()
            .map(|r| r.info)
            // (The citizens' writes are `citizens::every_citizen_form_refuses_…`.)
            .filter(|i| {
                i.method != Method::GET && !matches!(i.access, Access::Public | Access::Citizen)
            })
            .collect();
        assert!(writes.len() >= 4);
        for info in writes {
            for token in [None, Some("sai")] {
                let path = info
                    .path
                    .replace("{year}", "2024")
                    .replace("{code}", "HO-XA-240401-0001");
                let a = if info.uploads {
                    let mut fields = vec![("slot", "1"), ("unit", "ho-xa")];
                    if let Some(t) = token {
                        fields.push(("csrf", t));
                    }
                    let extra: Vec<(&str, &str)> =
                        token.map(|t| vec![("x-csrf-token", t)]).unwrap_or_default();
                    admin
                        .post_multipart(&path, &fields, &[("file", "a.pdf", common::PDF)], &extra)
                        .await?
                } else if info.path.starts_with("/api/") {
                    let extra: Vec<(&str, &str)> =
                        token.map(|t| vec![("x-csrf-token", t)]).unwrap_or_default();
                    admin
                        .send(
                            info.method.clone(),
                            &path,
                            Some("application/json"),
                            calendar.clone(),
                            &extra,
                        )
                        .await?
                } else {
                    let mut fields = vec![
                        ("username", "khong-duoc-tao"),
                        ("display_name", "X"),
                        ("unit", "vinh-linh"),
                        ("role", "viewer"),
                        ("password", PASSWORD),
                        ("current", PASSWORD),
                        ("new", "mật-khẩu-khác-2024"),
                        ("confirm", "mật-khẩu-khác-2024"),
                    ];
                    if let Some(t) = token {
                        fields.push(("csrf", t));
                    }
                    admin.post(info.path, &fields).await?
                };
                assert_eq!(
                    a.status,
                    StatusCode::FORBIDDEN,
                    "{} {} {:?} without its token",
                    info.method,
                    info.path,
                    token
                );
                assert!(a.body.contains("mã chống giả mạo"), "{}", a.body);
            }
        }
        // Nothing happened: still signed in, same password, no new account.
        assert_eq!(admin.get("/").await?.status, StatusCode::OK);
        Client::signed_in(&store, "district-admin", PASSWORD).await?;
        assert!(
            store
                .user_by_name(&Username::parse("khong-duoc-tao")?)
                .await?
                .is_none()
        );

        // A browser posting from another site is refused before any handler, token or not.
        let csrf = admin.csrf().await?;
        let a = admin
            .send(
                Method::POST,
                "/logout",
                Some("application/x-www-form-urlencoded"),
                format!("csrf={csrf}"),
                &[("sec-fetch-site", "cross-site")],
            )
            .await?;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert_eq!(admin.get("/").await?.status, StatusCode::OK);
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn ten_wrong_passwords_lock_the_account_for_a_while() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let mut c = Client::new(&store);
        for attempt in 1..=9 {
            let a = c.login("khe-reception", "sai-mat-khau").await?;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
            assert!(a.body.contains("Tên đăng nhập hoặc mật khẩu không đúng"));
        }
        let a = c.login("khe-reception", "sai-mat-khau").await?;
        assert_eq!(a.status, StatusCode::LOCKED, "{}", db.backend);
        assert!(a.body.contains("tạm khóa đến"), "{}", a.body);
        // Now even the right password is refused, and no session opens.
        let a = c.login("khe-reception", PASSWORD).await?;
        assert_eq!(a.status, StatusCode::LOCKED);
        assert!(session_cookie(&a.set_cookies()).is_none());
        // For a while: fifteen minutes from the tenth failure.
        let (user, _) = store
            .user_by_name(&Username::parse("khe-reception")?)
            .await?
            .ok_or("no user")?;
        let until = user.locked_until.ok_or("not locked")?;
        let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc())?;
        let minutes = (until.as_micros() - now.as_micros()) / 60_000_000;
        assert!((14..=15).contains(&minutes), "{minutes} minutes");
        // Other accounts are not affected.
        Client::signed_in(&store, "khe-admin", PASSWORD).await?;
        // The administrator sees the lock in the account list.
        let mut admin = Client::signed_in(&store, "district-admin", PASSWORD).await?;
        let page = admin.get("/admin/users?unit=vinh-khe").await?;
        assert!(page.body.contains("Bị tạm khóa do đăng nhập sai (đến "));
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_address() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;
    let mut c = Client::with_state(
        AppState::new(store.clone(), common::scan_files())
            .with_secure_cookies(false)
            .with_login_limit(3, 1),
    );
    for _ in 0..3 {
        let a = c.login("district-admin", "sai-mat-khau").await?;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let failures = store.audit(&AuditFilter::default()).await?.len();
    let a = c.login("district-admin", PASSWORD).await?;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(a.body.contains("quá nhiều lần đăng nhập"));
    assert!(session_cookie(&a.set_cookies()).is_none());
    assert_eq!(
        store.audit(&AuditFilter::default()).await?.len(),
        failures,
        "the limit is checked before the password"
    );
    Ok(())
}

#[tokio::test]
async fn api_tokens_are_scoped_and_revocable() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        let secret =
            motcua_app::auth::create_token(&store, "bao-cao", "vinh-khe", false, &ctx).await?;
        assert!(secret.starts_with("mc_"));
        let mut c = Client::new(&store);
        c.bearer = Some(secret.clone());
        let a = c.get("/api/indicators?month=2024-05").await?;
        assert_eq!(a.status, StatusCode::OK, "{}", db.backend);
        assert!(a.body.contains("\"unit\":\"vinh-khe\""));
        // Outside its subtree a unit reads as one that does not exist.
        assert_eq!(
            c.get("/api/indicators?unit=vinh-linh&month=2024-05")
                .await?
                .status,
            StatusCode::NOT_FOUND
        );
        // A read token may not change anything, even in its unit.
        let a = c
            .send(
                Method::POST,
                "/api/dossiers",
                Some("application/json"),
                r#"{"procedure":"9.100010","unit":"vinh-khe","channel":"direct","components_total":1}"#,
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        // The calendar belongs to the root unit: below it, that route does not exist.
        let calendar = motcua_app::calendar::load(&store)
            .await?
            .schedule(2024)?
            .to_json()?;
        let a = c
            .send(
                Method::PUT,
                "/api/calendar/2024",
                Some("application/json"),
                calendar,
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::NOT_FOUND);

        c.bearer = Some("mc_0000".to_owned());
        let a = c.get("/api/indicators?month=2024-05").await?;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.headers.contains_key("www-authenticate"));

        assert!(store.revoke_token("bao-cao", &ctx).await?);
        c.bearer = Some(secret);
        assert_eq!(
            c.get("/api/indicators?month=2024-05").await?.status,
            StatusCode::UNAUTHORIZED
        );
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_audit_trail_is_shown_filtered_and_exported_to_root_administrators() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let mut bad = Client::new(&store);
        bad.login("khe-admin", "sai-mat-khau").await?;
        let mut admin = Client::signed_in(&store, "district-admin", PASSWORD).await?;

        let page = admin.get("/admin/audit").await?;
        assert_eq!(page.status, StatusCode::OK, "{}", db.backend);
        // In words: actions by their labels, people by their full names (the fixture's
        // accounts are named like their logins), never `user:…`.
        assert!(page.body.contains("Đăng nhập sai mật khẩu") && page.body.contains(">khe-admin<"));
        assert!(page.body.contains("Tạo tài khoản") && page.body.contains("Nhập dữ liệu từ tệp"));
        assert!(!page.body.contains(">user:") && !page.body.contains(">login.failure<"));

        let page = admin.get("/admin/audit?action=login.failure").await?;
        assert!(page.body.contains(">khe-admin<"));
        assert!(!page.body.contains("<td>Tạo tài khoản</td>"));
        assert!(page.body.contains("1 bản ghi phù hợp"), "{}", page.body);

        let csv = admin.get("/admin/audit.csv?actor=user%3Akhe-admin").await?;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/csv"))
        );
        let mut reader =
            csv::Reader::from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][2], "khe-admin");
        assert_eq!(&rows[0][4], "Đăng nhập sai mật khẩu");

        // A date that does not exist is named beside its field; the page still answers.
        let a = admin.get("/admin/audit?from=2024-13-01").await?;
        assert_eq!(a.status, StatusCode::OK);
        assert!(
            a.body
                .contains(r#"id="from-error">Nhập ngày dạng ngày/tháng/năm"#)
        );

        // The trail cannot be changed through the application: no route writes to it, and
        // the database refuses updates and deletes.
        assert!(store.execute_raw("DELETE FROM audit_log").await.is_err());
        for r in routes() {
            assert!(
                !r.info.path.starts_with("/admin/audit") || r.info.method == Method::GET,
                "{} {} would change the audit trail",
                r.info.method,
                r.info.path
            );
        }
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn every_write_route_leaves_an_audit_record_with_its_actor() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let calendar = motcua_app::calendar::load(&store)
            .await?
            .schedule(2024)?
            .to_json()?;
        let writes: Vec<_> = routes()
            .into_iter()
            .map(|r| r.info)
            // `POST /track` is a lookup (a form, so that the applicant's number stays out of
            // addresses and logs), not a write: it changes nothing to audit.
            .filter(|i| i.method != Method::GET && i.path != "/track")
            // A citizen's online submission is audited under the account in
            // `tests/web/online.rs` (the form, the supplement) and `tests/app/online.rs`.
            .filter(|i| {
                !matches!(
                    i.path,
                    "/procedures/{code}/submit"
                        | "/citizen/submissions/{id}"
                        | "/citizen/dossiers/{code}/supplement"
                        // Ratings, by the dossier's link, the desk's tablet and the officer who
                        // opens it: audited as `dossier.rate` and `kiosk.open`, checked in
                        // `tests/app/ratings.rs`.
                        | "/rate/{code}"
                        | "/kiosk"
                        | "/desk/kiosk"
                        // The public PAKN forms write as the visitor: audited in
                        // `tests/web/petitions.rs` (`/feedback/follow` is a lookup).
                        | "/feedback"
                        | "/feedback/follow"
                        | "/feedback/reply"
                        | "/feedback/dissatisfied"
                )
            })
            .collect();
        let pending_all = common::pending_dossiers(&store, "ho-xa", 2).await?;
        let (pending, pending_2) = (&pending_all[0], &pending_all[1]);
        let files = common::scan_files();
        let (received, _) = common::received_dossier(&store, &files, "ho-xa").await?;
        let (received_api, _) = common::received_dossier(&store, &files, "ho-xa").await?;
        let (transfer, _) = common::received_dossier(&store, &files, "ho-xa").await?;
        let petition = crate::petitions::submitted(&store, "ho-xa", "Phan Văn Hùng", 60).await?;
        for info in writes {
            if info.path == "/citizen/dossiers/{code}/pay" {
                // The citizen's attempt, on an app paying through the sandbox.
                let mut f = crate::payments::paying_in(store.clone(), &db.url, "0912000001")
                    .await
                    .map_err(|e| e.to_string())?;
                let before = store.audit(&AuditFilter::default()).await?.len();
                f.pay("pay").await.map_err(|e| e.to_string())?;
                let records = store.audit(&AuditFilter::default()).await?;
                assert!(records.len() > before, "{} left no record", info.path);
                assert_eq!(
                    (records[0].action.as_str(), records[0].actor.as_str()),
                    ("payment.start", f.actor.as_str())
                );
                continue;
            }
            if info.path == "/dossiers/{code}/refund" {
                // A dossier paid online through the sandbox, refunded in part by a leader of
                // its unit (money leaves the unit's account: `Action::ApproveDossier`).
                let mut f = crate::payments::paying_in(store.clone(), &db.url, "0912000002")
                    .await
                    .map_err(|e| e.to_string())?;
                let (txn, _) = f.pay("pay").await.map_err(|e| e.to_string())?;
                let signed = f.sandbox.signed_query(&txn).ok_or("no signed query")?;
                f.ipn(&signed).await.map_err(|e| e.to_string())?;
                let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
                motcua_app::auth::create_user(
                    &store,
                    "ho-xa-leader",
                    "Trần Văn Lãnh",
                    "ho-xa",
                    motcua_core::access::Role::Leader,
                    PASSWORD,
                    &ctx,
                )
                .await?;
                let mut leader =
                    Client::signed_in_with(f.client.state.clone(), "ho-xa-leader", PASSWORD)
                        .await?;
                let csrf = leader.csrf().await?;
                let before = store.audit(&AuditFilter::default()).await?.len();
                let a = leader
                    .post(
                        &format!("/dossiers/{}/refund", f.code),
                        &[
                            ("csrf", &csrf),
                            ("txn_ref", &txn),
                            ("amount", "20.000"),
                            ("reason", "Thu thừa lệ phí"),
                        ],
                    )
                    .await?;
                assert!(a.status.is_redirection(), "{} {}", a.status, a.body);
                let records = store.audit(&AuditFilter::default()).await?;
                assert!(records.len() > before, "{} left no record", info.path);
                assert_eq!(
                    (records[0].action.as_str(), records[0].actor.as_str()),
                    ("payment.refund", "user:ho-xa-leader")
                );
                continue;
            }
            if info.path.starts_with("/citizen") {
                let before = store.audit(&AuditFilter::default()).await?.len();
                let (a, action, actor) = crate::citizens::audited_write(&store, info.path).await?;
                assert!(
                    a.status.is_redirection(),
                    "{}: {} {}",
                    info.path,
                    a.status,
                    a.body
                );
                let records = store.audit(&AuditFilter::default()).await?;
                assert!(records.len() > before, "{} left no record", info.path);
                assert_eq!(
                    (records[0].action.as_str(), records[0].actor.as_str()),
                    (action, actor.as_str())
                );
                continue;
            }
            let mut c = Client::signed_in(&store, "district-admin", PASSWORD).await?;
            let csrf = c.csrf().await?;
            let before = store.audit(&AuditFilter::default()).await?.len();
            let (a, action) = match (info.method.as_str(), info.path) {
                ("POST", "/login") => (
                    Client::new(&store)
                        .login("district-admin", PASSWORD)
                        .await?,
                    "login.success",
                ),
                ("POST", "/logout") => (c.post("/logout", &[("csrf", &csrf)]).await?, "logout"),
                ("POST", "/account/password") => (
                    c.post(
                        "/account/password",
                        &[
                            ("csrf", &csrf),
                            ("current", PASSWORD),
                            ("new", PASSWORD),
                            ("confirm", PASSWORD),
                        ],
                    )
                    .await?,
                    "user.password",
                ),
                ("POST", "/admin/users") => (
                    c.post(
                        "/admin/users",
                        &[
                            ("csrf", &csrf),
                            ("username", "nguoi-moi"),
                            ("display_name", "Người mới"),
                            ("unit", "vinh-khe"),
                            ("role", "specialist"),
                            ("password", PASSWORD),
                        ],
                    )
                    .await?,
                    "user.create",
                ),
                ("PUT", "/api/calendar/{year}") => (
                    c.send(
                        Method::PUT,
                        "/api/calendar/2024",
                        Some("application/json"),
                        calendar.clone(),
                        &[("x-csrf-token", &csrf)],
                    )
                    .await?,
                    "calendar.set",
                ),
                ("POST", "/api/dossiers") => (
                    c.send(
                        Method::POST,
                        "/api/dossiers",
                        Some("application/json"),
                        r#"{"procedure":"9.100010","unit":"ho-xa","channel":"direct","components_total":1}"#.to_owned(),
                        &[("x-csrf-token", &csrf)],
                    )
                    .await?,
                    "dossier.receive",
                ),
                ("POST", "/api/dossiers/{code}/steps") => (
                    c.send(
                        Method::POST,
                        &format!("/api/dossiers/{pending}/steps"),
                        Some("application/json"),
                        r#"{"step":"withdraw","reason":"Người nộp xin rút"}"#.to_owned(),
                        &[("x-csrf-token", &csrf)],
                    )
                    .await?,
                    "dossier.withdraw",
                ),
                ("POST", "/desk/new") => (
                    c.post_multipart(
                        "/desk/new",
                        &[
                            ("csrf", &csrf),
                            ("unit", "ho-xa"),
                            ("procedure", "9.100010"),
                            ("channel", "online"),
                            ("online_level", "partial"),
                            ("applicant_name", "Lê Văn Tư"),
                            ("component_0", "Tờ khai"),
                            ("fee_vnd", "0"),
                            ("action", "confirm"),
                        ],
                        &[],
                        &[],
                    )
                    .await?,
                    "dossier.receive",
                ),
                ("POST", "/dossiers/{code}/scans") => (
                    c.post_multipart(
                        &format!("/dossiers/{received}/scans"),
                        &[("csrf", &csrf), ("slot", "2")],
                        &[("file", "b.pdf", common::PDF)],
                        &[],
                    )
                    .await?,
                    "dossier.scan",
                ),
                ("POST", "/dossiers/{code}/payment") => (
                    c.post(
                        &format!("/dossiers/{received}/payment"),
                        &[("csrf", &csrf), ("channel", "offline")],
                    )
                    .await?,
                    "dossier.payment",
                ),
                ("POST", "/dossiers/{code}/transfer") => (
                    c.post(
                        &format!("/dossiers/{transfer}/transfer"),
                        &[("csrf", &csrf)],
                    )
                    .await?,
                    "dossier.payment",
                ),
                ("POST", "/desk/statements") => {
                    // The statement's line pays the dossier's fee of 8.000 đồng.
                    let (paid, _) = common::received_dossier(&store, &files, "ho-xa").await?;
                    let csv = format!(
                        "transaction_id,booked_at,amount_vnd,description\nFT9,20/05/2024 09:00,8000,{paid}\n"
                    );
                    (
                        c.post_multipart(
                            "/desk/statements",
                            &[("csrf", &csrf), ("unit", "ho-xa")],
                            &[("file", "sao-ke.csv", csv.as_bytes())],
                            &[],
                        )
                        .await?,
                        "dossier.payment",
                    )
                }
                ("POST", "/dossiers/{code}/receipt") => (
                    c.post(
                        &format!("/dossiers/{received}/receipt"),
                        &[
                            ("csrf", &csrf),
                            ("form_symbol", "01BLP0-001"),
                            ("series", "HX-24E"),
                        ],
                    )
                    .await?,
                    "receipt.issue",
                ),
                ("POST", "/api/dossiers/{code}/scans") => (
                    c.post_multipart(
                        &format!("/api/dossiers/{received_api}/scans"),
                        &[("slot", "result")],
                        &[("file", "kq.pdf", common::PDF)],
                        &[("x-csrf-token", &csrf)],
                    )
                    .await?,
                    "dossier.scan",
                ),
                ("POST", "/api/dossiers/{code}/payment") => (
                    c.send(
                        Method::POST,
                        &format!("/api/dossiers/{received_api}/payment"),
                        Some("application/json"),
                        r#"{"payment_channel":"online"}"#.to_owned(),
                        &[("x-csrf-token", &csrf)],
                    )
                    .await?,
                    "dossier.payment",
                ),
                ("POST", "/api/dossiers/{code}/receipt") => (
                    c.send(
                        Method::POST,
                        &format!("/api/dossiers/{received_api}/receipt"),
                        Some("application/json"),
                        r#"{"form_symbol":"01BLP0-001","series":"HX-24E"}"#.to_owned(),
                        &[("x-csrf-token", &csrf)],
                    )
                    .await?,
                    "receipt.issue",
                ),
                ("POST", "/dossiers/{code}/steps") => (
                    c.post(
                        &format!("/dossiers/{pending_2}/steps"),
                        &[
                            ("csrf", &csrf),
                            ("step", "withdraw"),
                            ("reason", "Người nộp xin rút"),
                            ("confirm", "on"),
                        ],
                    )
                    .await?,
                    "dossier.withdraw",
                ),
                ("POST", "/dossiers/{code}/correct") => (
                    c.post(
                        &format!("/dossiers/{received}/correct"),
                        &[
                            ("csrf", &csrf),
                            // Only the address changes: the scan of line 2 and the
                            // payment after it find the dossier as it was.
                            ("name", "Nguyễn Thị Hoa"),
                            ("phone", "0912345678"),
                            ("address", "Khu phố 4, Hồ Xá"),
                            ("comp_name_1", "Tờ khai"),
                            ("comp_originals_1", "1"),
                            ("comp_name_2", "Giấy chứng sinh"),
                            ("comp_originals_2", "1"),
                        ],
                    )
                    .await?,
                    "dossier.correct",
                ),
                ("POST", "/petitions/{code}/step") => (
                    c.post(
                        &format!("/petitions/{petition}/step"),
                        &[("csrf", &csrf), ("version", "1"), ("step", "admit")],
                    )
                    .await?,
                    "petition.step",
                ),
                ("POST", "/follow-ups") => (
                    c.post(
                        "/follow-ups",
                        &[
                            ("csrf", &csrf),
                            ("unit", "vinh-khe"),
                            ("month", "2024-05"),
                            ("due", "2099-06-16"),
                        ],
                    )
                    .await?,
                    "followup.create",
                ),
                ("POST", "/follow-ups/submit") => (
                    c.post(
                        "/follow-ups/submit",
                        &[
                            ("csrf", &csrf),
                            ("unit", "vinh-khe"),
                            ("month", "2024-05"),
                            ("report", "Đã số hóa đủ thành phần hồ sơ"),
                        ],
                    )
                    .await?,
                    "followup.submit",
                ),
                ("POST", "/api/months/{month}/close") => (
                    c.send(
                        Method::POST,
                        "/api/months/2024-04/close",
                        None,
                        String::new(),
                        &[("x-csrf-token", &csrf)],
                    )
                    .await?,
                    "month.close",
                ),
                ("POST", "/admin/users/{username}") => (
                    c.post(
                        "/admin/users/khe-reception",
                        &[
                            ("csrf", &csrf),
                            ("display_name", "Phạm Thị Hạnh"),
                            ("unit", "vinh-khe"),
                            ("role", "reception"),
                        ],
                    )
                    .await?,
                    "user.update",
                ),
                ("POST", "/admin/unit") => (
                    c.post(
                        "/admin/unit",
                        &[
                            ("csrf", &csrf),
                            ("unit", "vinh-khe"),
                            ("action", "save"),
                            ("tax_code", "3200123456"),
                        ],
                    )
                    .await?,
                    "settings.set",
                ),
                ("POST", "/admin/users/{username}/action") => (
                    c.post(
                        "/admin/users/khe-reception/action",
                        &[("csrf", &csrf), ("action", "unlock"), ("confirm", "yes")],
                    )
                    .await?,
                    "user.unlock",
                ),
                ("POST", "/desk/online/{id}") => {
                    let citizen =
                        common::citizen::account(&store, "Đỗ Thị Mai", "0977000111").await?;
                    let s = common::online::submitted(
                        &store,
                        &files,
                        &citizen,
                        "ho-xa",
                        "2026-11-20T16:30:00+07:00",
                    )
                    .await?;
                    let before_submission = store.audit(&AuditFilter::default()).await?.len();
                    let a = c
                        .post(
                            &format!("/desk/online/{}", s.id),
                            &[
                                ("csrf", &csrf),
                                ("decision", "return"),
                                ("reason", "Bản quét tờ khai bị mờ"),
                            ],
                        )
                        .await?;
                    assert!(store.audit(&AuditFilter::default()).await?.len() > before_submission);
                    (a, "online.return")
                }
                (m, p) => panic!("write route {m} {p} has no audit check here: add one"),
            };
            assert!(
                a.status.is_success() || a.status.is_redirection(),
                "{} {}: {} {}",
                info.method,
                info.path,
                a.status,
                a.body
            );
            let records = store.audit(&AuditFilter::default()).await?;
            assert!(records.len() > before, "{} left no record", info.path);
            let r = &records[0];
            assert_eq!(r.action, action, "{} {}", db.backend, info.path);
            assert_eq!(r.actor, "user:district-admin", "{}", info.path);
        }
        store.close().await?;
    }
    Ok(())
}

/// The sign-in page of a failed attempt, without what differs between two attempts anyway:
/// the name typed (echoed in the form), the form's fresh token, the minute of the lock.
fn comparable(page: &str, name: &str) -> String {
    let mut page = page.replace(name, "?");
    if let Some(token) = common::hidden(&page, "csrf") {
        page = page.replace(&token, "?");
    }
    match (page.find("tạm khóa đến "), page.find(" do nhập sai")) {
        (Some(from), Some(to)) if from < to => {
            page.replace_range(from..to, "tạm khóa đến ?");
            page
        }
        _ => page,
    }
}

/// Ten wrong passwords lock a name whether an account has it or not: the attempts answer
/// alike, status and page, so trying names does not tell which accounts exist.
#[tokio::test]
async fn unknown_names_lock_like_accounts() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        // One address tries them all: its own limit must not be what answers.
        let state = AppState::new(store.clone(), common::scan_files())
            .with_secure_cookies(false)
            .with_login_limit(1_000, 1_000);
        let mut real = Client::with_state(state.clone());
        let mut ghost = Client::with_state(state);
        for attempt in 1..=11 {
            let a = real.login("khe-reception", "sai-mat-khau").await?;
            let g = ghost.login("khe-nobody", "sai-mat-khau").await?;
            let expected = if attempt < 10 {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::LOCKED
            };
            assert_eq!(
                (a.status, g.status),
                (expected, expected),
                "{} attempt {attempt}",
                db.backend
            );
            assert_eq!(
                comparable(&a.body, "khe-reception"),
                comparable(&g.body, "khe-nobody"),
                "{} attempt {attempt}: the pages differ",
                db.backend
            );
        }
        // Locked, the right password is refused like any other.
        let a = real.login("khe-reception", PASSWORD).await?;
        let g = ghost.login("khe-nobody", PASSWORD).await?;
        assert_eq!(
            (a.status, g.status),
            (StatusCode::LOCKED, StatusCode::LOCKED)
        );
        // The trail says what happened, for the administrators of the root unit.
        let locked = store
            .audit(&AuditFilter {
                action: Some("login.locked".to_owned()),
                ..AuditFilter::default()
            })
            .await?;
        let targets: Vec<&str> = locked.iter().map(|r| r.target.as_str()).collect();
        assert_eq!(targets.len(), 2, "{targets:?}");
        assert!(targets.contains(&"khe-nobody"), "{targets:?}");
        store.close().await?;
    }
    Ok(())
}
