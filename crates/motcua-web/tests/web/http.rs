//! The router driven in memory (`oneshot`), on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use crate::common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, loaded};
use motcua_core::Timestamp;
use motcua_store::SqlStore;

#[tokio::test]
async fn api_and_pages_on_the_fixture() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let mut c = Client::signed_in(&store, "district-viewer", PASSWORD).await?;
        let mut get = async |uri: &str| -> Result<(StatusCode, String), common::Error> {
            let a = c.get(uri).await?;
            Ok((a.status, a.body))
        };

        let (status, body) = get("/health").await?;
        assert_eq!(status, StatusCode::OK, "{}", db.backend);
        assert!(body.contains("\"ok\""));

        let (status, body) = get("/api/indicators?unit=vinh-linh&month=2024-05").await?;
        assert_eq!(status, StatusCode::OK);
        let json: serde_json::Value = serde_json::from_str(&body)?;
        let direct = motcua_app::indicators(&store, "vinh-linh", "2024-05".parse()?).await?;
        assert_eq!(
            json,
            serde_json::to_value(&direct)?,
            "{}: the API serves the contract JSON",
            db.backend
        );

        let (status, body) = get("/api/indicators?unit=khong-co&month=2024-05").await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("không có đơn vị mã «khong-co»"), "{body}");

        let (status, body) = get("/api/indicators?unit=vinh-linh&month=2024-13").await?;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("tháng không hợp lệ"), "{body}");

        // The first page opens on the month of the latest dossier: May 2024.
        let (status, page) = get("/").await?;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("huyện Vĩnh Linh – tháng 5/2024"), "{page}");
        assert!(page.contains("33,8%") && page.contains("tăng 8,8"));
        assert!(page.contains("98,7%") && page.contains("giảm 0,44"));
        assert!(page.contains("1 hồ sơ ở xã Vĩnh Khê"));
        assert!(page.contains("Cửa Tùng; Vĩnh Chấp; Vĩnh Lâm; Vĩnh Long; Vĩnh Thái; Vĩnh Tú"));
        assert!(!page.contains("https://"), "no CDN");

        let (status, page) = get("/?unit=vinh-khe&month=2024-04").await?;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("xã Vĩnh Khê – tháng 4/2024"));

        let (status, body) = get("/api/calendar/2024").await?;
        assert_eq!(status, StatusCode::OK);
        let schedule: serde_json::Value = serde_json::from_str(&body)?;
        assert_eq!(schedule["year"], 2024);
        assert_eq!(schedule["make_up_days"][0]["date"], "2024-05-04");
        let (status, _) = get("/api/calendar/abc").await?;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        let (status, _) = get("/khong-co-trang").await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_database_without_dossiers_says_so() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = SqlStore::connect(&db.url).await?;
    let units = tempfile::tempdir()?;
    std::fs::copy(
        motcua_testkit::vinh_linh().join("units.csv"),
        units.path().join("units.csv"),
    )?;
    let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
    motcua_app::import_dir(&store, units.path(), &ctx).await?;
    motcua_app::auth::create_user(
        &store,
        "viewer",
        "Người xem",
        "vinh-linh",
        motcua_core::access::Role::Viewer,
        PASSWORD,
        &ctx,
    )
    .await?;
    let mut c = Client::signed_in(&store, "viewer", PASSWORD).await?;
    let a = c.get("/").await?;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("Chưa có dữ liệu"), "{}", a.body);
    assert!(
        a.body.contains("Người xem"),
        "the header names who is signed in"
    );
    Ok(())
}

/// Hides what differs from one run to the next: the CSRF tokens of forms and sessions.
fn redacted(page: &str, tokens: &[&str]) -> String {
    let mut out = page.to_owned();
    if let Some(form) = common::hidden(page, "csrf") {
        out = out.replace(&form, "[csrf]");
    }
    for t in tokens.iter().filter(|t| !t.is_empty()) {
        out = out.replace(t, "[csrf]");
    }
    out
}

/// The status and body of an answer, as a snapshot holds it.
fn answer(a: &common::Answer) -> String {
    format!("{}\n{}", a.status, a.body)
}

/// The main pages and the API's refusals, byte for byte, on the fixture at a fixed instant:
/// what a refactoring of the web layer must leave unchanged.
#[tokio::test]
async fn pages_and_refusals_are_unchanged() -> TestResult {
    use axum::http::Method;
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let scans = tempfile::tempdir()?;
        let files = motcua_store::Files::new(scans.path(), motcua_store::DEFAULT_MAX_SCAN_BYTES);
        let state = motcua_web::AppState::new(store.clone(), files.clone())
            .with_secure_cookies(false)
            .with_fixed_clock(Timestamp::parse("2024-06-03T09:30:00+07:00")?);

        let mut anonymous = Client::with_state(state.clone());
        let login = anonymous.get("/login").await?;
        insta::assert_snapshot!("login", redacted(&login.body, &[]));
        let a = anonymous.get("/api/indicators?month=2024-05").await?;
        insta::assert_snapshot!("api_401", answer(&a));

        let mut admin = Client::signed_in_with(state.clone(), "district-admin", PASSWORD).await?;
        let csrf = admin.csrf().await?;
        let page = admin.get("/?unit=vinh-linh&month=2024-05").await?;
        insta::assert_snapshot!("dashboard", redacted(&page.body, &[&csrf]));
        let page = admin
            .get("/dossiers?unit=vinh-linh&month=2024-05&count=resolved_late")
            .await?;
        insta::assert_snapshot!("dossier_list", redacted(&page.body, &[&csrf]));
        let page = admin.get("/follow-ups?month=2024-05").await?;
        insta::assert_snapshot!("followups", redacted(&page.body, &[&csrf]));
        let page = admin.get("/admin/users").await?;
        insta::assert_snapshot!("admin_users", redacted(&page.body, &[&csrf]));
        let page = admin.get("/account/password").await?;
        insta::assert_snapshot!("password", redacted(&page.body, &[&csrf]));
        let page = admin
            .get("/report?unit=vinh-linh&month=2024-05&format=html")
            .await?;
        insta::assert_snapshot!("report_html", page.body);
        let a = admin.get("/api/months/closed").await?;
        insta::assert_snapshot!("api_months_closed", answer(&a));
        let page = admin.get("/khong-co-trang").await?;
        insta::assert_snapshot!("page_404", redacted(&answer(&page), &[&csrf]));

        let (code, _) = common::received_dossier(&store, &files, "vinh-khe").await?;
        let mut desk = Client::signed_in_with(state.clone(), "khe-reception", PASSWORD).await?;
        let csrf = desk.csrf().await?;
        let page = desk.get("/desk?unit=vinh-khe").await?;
        insta::assert_snapshot!("desk_worklist", redacted(&page.body, &[&csrf]));
        let page = desk
            .get("/desk/new?unit=vinh-khe&procedure=1.001193")
            .await?;
        // The form's one-time token is random.
        let token = common::hidden(&page.body, "token").unwrap_or_default();
        insta::assert_snapshot!(
            "desk_reception_form",
            redacted(&page.body, &[&csrf, &token])
        );
        let page = desk.get(&format!("/dossiers/{code}")).await?;
        insta::assert_snapshot!("dossier_page", redacted(&page.body, &[&csrf]));
        let page = desk
            .get(&format!("/dossiers/{code}/slips/tiep-nhan"))
            .await?;
        insta::assert_snapshot!("slip_reception", page.body);
        let a = desk
            .post(
                &format!("/dossiers/{code}/payment"),
                &[("csrf", &csrf), ("channel", "offline")],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let page = desk.get(&format!("/dossiers/{code}")).await?;
        insta::assert_snapshot!("dossier_page_paid", redacted(&page.body, &[&csrf]));
        let form_symbol = common::hidden(&page.body, "form_symbol").ok_or("no form symbol")?;
        let series = common::hidden(&page.body, "series").ok_or("no series")?;
        let a = desk
            .post(
                &format!("/dossiers/{code}/receipt"),
                &[
                    ("csrf", &csrf),
                    ("form_symbol", &form_symbol),
                    ("series", &series),
                    ("fee_kind", "charge"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let page = desk.get(&format!("/dossiers/{code}/receipt")).await?;
        insta::assert_snapshot!("receipt", page.body);
        let page = desk.get(&format!("/dossiers/{code}")).await?;
        insta::assert_snapshot!("dossier_page_receipt", redacted(&page.body, &[&csrf]));
        let page = desk
            .post(
                &format!("/dossiers/{code}/steps"),
                // A form complete and confirmed: the rules refuse it (not yet processed).
                &[
                    ("csrf", &csrf),
                    ("step", "return_result"),
                    ("collector_name", "Nguyễn Thị Hoa"),
                    ("collector_id", "045190000123"),
                    ("confirm", "on"),
                ],
            )
            .await?;
        insta::assert_snapshot!("dossier_page_409", answer(&page).replace(&csrf, "[csrf]"));

        // The API's refusals: their JSON bodies.
        let mut viewer = Client::signed_in_with(state.clone(), "district-viewer", PASSWORD).await?;
        let viewer_csrf = viewer.csrf().await?;
        let a = viewer
            .get("/api/indicators?unit=vinh-linh&month=2024-13")
            .await?;
        insta::assert_snapshot!("api_400", answer(&a));
        let a = viewer
            .get("/api/indicators?unit=khong-co&month=2024-05")
            .await?;
        insta::assert_snapshot!("api_404", answer(&a));
        let a = viewer.get("/api/khong-co").await?;
        insta::assert_snapshot!("api_404_route", answer(&a));
        let a = viewer
            .send(Method::DELETE, "/api/indicators", None, String::new(), &[])
            .await?;
        insta::assert_snapshot!("api_405", answer(&a));
        let reception = r#"{"procedure":"9.100010","unit":"vinh-khe","channel":"direct","components_total":2,"components_digitized":2,"fee_vnd":0}"#;
        let a = viewer
            .send(
                Method::POST,
                "/api/dossiers",
                Some("application/json"),
                reception.to_owned(),
                &[("x-csrf-token", &viewer_csrf)],
            )
            .await?;
        insta::assert_snapshot!("api_403", answer(&a));
        let json_post = |uri: String, body: String, content_type: &'static str| {
            let mut c = desk.clone();
            let csrf = csrf.clone();
            async move {
                c.send(
                    Method::POST,
                    &uri,
                    Some(content_type),
                    body,
                    &[("x-csrf-token", &csrf)],
                )
                .await
            }
        };
        let steps = format!("/api/dossiers/{code}/steps");
        let a = json_post(
            steps.clone(),
            r#"{"step":"return_result"}"#.to_owned(),
            "application/json",
        )
        .await?;
        insta::assert_snapshot!("api_409", answer(&a));
        let a = json_post(
            steps.clone(),
            r#"{"step":"fly"}"#.to_owned(),
            "application/json",
        )
        .await?;
        insta::assert_snapshot!("api_400_json", answer(&a));
        let a = json_post(steps.clone(), "step=fly".to_owned(), "text/plain").await?;
        insta::assert_snapshot!("api_415", answer(&a));
        let a = json_post(steps, "x".repeat(3 * 1024 * 1024), "application/json").await?;
        insta::assert_snapshot!("api_413", answer(&a));
        store.close().await?;
    }
    Ok(())
}
