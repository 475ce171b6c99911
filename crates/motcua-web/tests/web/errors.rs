//! Errors as pages of the app (issue 16, item 10): an unknown address answers an HTML page
//! (JSON only under `/api/`), 403/404 pages carry the officer's header and menu, messages
//! start with a capital letter, name units by their names and give sizes in MB.

use crate::common;

use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use common::{Client, PASSWORD, TestResult, loaded};
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_core::freetext::Reason;
use motcua_core::lifecycle::Step;

fn content_type(a: &common::Answer) -> &str {
    a.headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn an_unknown_address_is_a_page_with_a_way_back() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;

    // A visitor: an HTML page with a link home and to the sign-in.
    let mut visitor = Client::new(&store);
    let a = visitor.get("/khong-co-trang-nay").await?;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(
        content_type(&a).starts_with("text/html"),
        "{}",
        content_type(&a)
    );
    assert!(a.body.contains("<h1>Không tìm thấy</h1>"), "{}", a.body);
    assert!(a.body.contains("Không tìm thấy trang"), "{}", a.body);
    assert!(a.body.contains(r#"href="/login""#));
    assert!(!a.body.contains(r#"{"error""#));

    // A signed-in officer: the header and menu, as on every page.
    let mut officer = Client::signed_in(&store, "khe-reception", PASSWORD).await?;
    let a = officer.get("/khong-co-trang-nay").await?;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(a.body.contains(r#"id="who""#), "{}", a.body);
    assert!(a.body.contains("Đăng xuất"));
    assert!(a.body.contains(r#"href="/desk""#));

    // Under /api/ the documented JSON stays.
    let a = officer.get("/api/khong-co").await?;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(content_type(&a).starts_with("application/json"));
    assert!(a.body.starts_with(r#"{"error":"#), "{}", a.body);
    Ok(())
}

#[tokio::test]
async fn forbidden_and_missing_pages_keep_the_menu_and_speak_properly() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;
    let mut viewer = Client::signed_in(&store, "district-viewer", PASSWORD).await?;
    let a = viewer.get("/admin/users").await?;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a.body.contains(r#"id="who""#), "{}", a.body);
    assert!(a.body.contains("<h1>Không có quyền truy cập</h1>"));
    assert!(
        a.body.contains(r#"id="error">Tài khoản không có quyền"#),
        "{}",
        a.body
    );

    let a = viewer.get("/dossiers/KHONG-CO-HO-SO").await?;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(a.body.contains(r#"id="who""#));
    assert!(
        a.body.contains(r#"id="error">Không có hồ sơ mã"#),
        "{}",
        a.body
    );
    Ok(())
}

#[tokio::test]
async fn refusals_name_units_by_their_names() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;
    let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
    let user = motcua_app::auth::create_user(
        &store,
        "chuyen-vien-ho-xa",
        "Đỗ Văn Hùng",
        "ho-xa",
        Role::Specialist,
        PASSWORD,
        &ctx,
    )
    .await?;
    let code = common::pending_dossiers(&store, "ho-xa", 1)
        .await?
        .remove(0);
    let ctx = motcua_testkit::ctx("user:chuyen-vien-ho-xa", motcua_testkit::after_fixture());
    let step = Step::Transfer {
        to: motcua_core::unit::UnitCode::parse("ho-xa")?,
        reason: Reason::parse("thuộc thẩm quyền cấp huyện")?,
    };
    let e = motcua_app::desk::take_step(&store, &user.principal(), &code, &step, &ctx)
        .await
        .err()
        .ok_or("a transfer to the handling unit itself was accepted")?
        .to_string();
    let tree = motcua_core::unit::UnitTree::new(store.units().await?)?;
    let name = &tree.find("ho-xa").ok_or("no ho-xa")?.name;
    assert!(e.contains(name.as_str()), "{e}");
    assert!(!e.contains("«ho-xa»"), "{e}");
    assert!(e.starts_with('H'), "{e}");
    Ok(())
}

#[test]
fn sizes_are_in_megabytes() {
    let files = motcua_store::Files::new(std::env::temp_dir(), 10 * 1024 * 1024);
    let e = files
        .check_size("cccd.pdf", 12_000_009)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("11,4 MB") && e.contains("10 MB"), "{e}");
    assert!(!e.contains("byte") && !e.contains("12000009"), "{e}");
}
