//! The router driven in memory (`oneshot`), on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use motcua_core::Timestamp;
use motcua_store::SqlStore;
use motcua_web::{AppState, router};
use tower::ServiceExt;

type TestResult = Result<(), Box<dyn std::error::Error>>;

async fn get(
    store: &SqlStore,
    uri: &str,
) -> Result<(StatusCode, String), Box<dyn std::error::Error>> {
    let app = router(AppState {
        store: store.clone(),
    });
    let response = app.oneshot(Request::get(uri).body(Body::empty())?).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, String::from_utf8(body.to_vec())?))
}

async fn loaded(url: &str) -> Result<SqlStore, Box<dyn std::error::Error>> {
    let store = SqlStore::connect(url).await?;
    motcua_app::import_dir(
        &store,
        &motcua_testkit::vinh_linh(),
        &motcua_testkit::ctx("test", Timestamp::from_micros(0)),
    )
    .await?;
    Ok(store)
}

#[tokio::test]
async fn api_and_pages_on_the_fixture() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;

        let (status, body) = get(&store, "/health").await?;
        assert_eq!(status, StatusCode::OK, "{}", db.backend);
        assert!(body.contains("\"ok\""));

        let (status, body) = get(&store, "/api/indicators?unit=vinh-linh&month=2024-05").await?;
        assert_eq!(status, StatusCode::OK);
        let json: serde_json::Value = serde_json::from_str(&body)?;
        let direct = motcua_app::indicators(&store, "vinh-linh", "2024-05".parse()?).await?;
        assert_eq!(
            json,
            serde_json::to_value(&direct)?,
            "{}: the API serves the contract JSON",
            db.backend
        );

        let (status, body) = get(&store, "/api/indicators?unit=khong-co&month=2024-05").await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("không có đơn vị mã «khong-co»"), "{body}");

        let (status, body) = get(&store, "/api/indicators?unit=vinh-linh&month=2024-13").await?;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("tháng không hợp lệ"), "{body}");

        // The first page opens on the month of the latest dossier: May 2024.
        let (status, page) = get(&store, "/").await?;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("huyện Vĩnh Linh – tháng 5/2024"), "{page}");
        assert!(page.contains("33,8%") && page.contains("tăng 8,8"));
        assert!(page.contains("98,7%") && page.contains("giảm 0,44"));
        assert!(page.contains("1 hồ sơ ở xã Vĩnh Khê"));
        assert!(page.contains("Cửa Tùng; Vĩnh Chấp; Vĩnh Lâm; Vĩnh Long; Vĩnh Thái; Vĩnh Tú"));
        assert!(!page.contains("https://"), "no CDN");

        let (status, page) = get(&store, "/?unit=vinh-khe&month=2024-04").await?;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("xã Vĩnh Khê – tháng 4/2024"));

        let (status, body) = get(&store, "/api/calendar/2024").await?;
        assert_eq!(status, StatusCode::OK);
        let schedule: serde_json::Value = serde_json::from_str(&body)?;
        assert_eq!(schedule["year"], 2024);
        assert_eq!(schedule["make_up_days"][0]["date"], "2024-05-04");
        let (status, _) = get(&store, "/api/calendar/abc").await?;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        let (status, _) = get(&store, "/khong-co-trang").await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn an_empty_database_says_so() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = SqlStore::connect(&db.url).await?;
    let (status, page) = get(&store, "/").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Chưa có dữ liệu"));
    Ok(())
}
