//! The router driven in memory (`oneshot`), on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

mod common;

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
