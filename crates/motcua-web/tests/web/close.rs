//! Month close (chốt số liệu) over HTTP, on SQLite and (with TEST_DATABASE_URL) PostgreSQL:
//! who may close a month (leaders and administrators of the root unit, with the session's
//! CSRF token), the answers to a bad, unfinished or already closed month, the list of closed
//! months, and the dashboard's banner with the changes made after the close.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{Client, PASSWORD, TestResult, loaded};
use motcua_core::Timestamp;
use motcua_core::access::Role;

const LATE_DOSSIER: &str = "code,procedure_code,unit_code,channel,online_level,received_at,due_at,resolved_at,outcome,returned_at,components_total,components_digitized,result_digitized,fee_vnd,payment_channel,paid_at,e_receipt,source_system
HO-XA-240520-9001,9.100010,ho-xa,direct,,2024-05-20T08:00:00+07:00,2024-05-29T08:00:00+07:00,,,,2,2,,0,,,,new
";

async fn close(c: &mut Client, month: &str, csrf: &str) -> Result<common::Answer, common::Error> {
    c.send(
        Method::POST,
        &format!("/api/months/{month}/close"),
        None,
        String::new(),
        &[("x-csrf-token", csrf)],
    )
    .await
}

#[tokio::test]
async fn leaders_of_the_root_close_a_month_once_and_the_dashboard_says_so() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let b = db.backend;
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        motcua_app::auth::create_user(
            &store,
            "district-leader",
            "Lãnh đạo huyện",
            "vinh-linh",
            Role::Leader,
            PASSWORD,
            &ctx,
        )
        .await?;
        let root_token =
            motcua_app::auth::create_token(&store, "district-sync", "vinh-linh", true, &ctx)
                .await?;

        // Refused: not signed in, a viewer, a commune's administrator (to whom the route
        // does not exist), an API token (even the root's, with write access), a session
        // without its CSRF token.
        let a = close(&mut Client::new(&store), "2024-05", "").await?;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{b}");
        for (name, status) in [
            ("district-viewer", StatusCode::FORBIDDEN),
            ("khe-admin", StatusCode::NOT_FOUND),
        ] {
            let mut c = Client::signed_in(&store, name, PASSWORD).await?;
            let csrf = c.csrf().await?;
            let a = close(&mut c, "2024-05", &csrf).await?;
            assert_eq!(a.status, status, "{b} {name}: {}", a.body);
        }
        let mut token = Client::new(&store);
        token.bearer = Some(root_token);
        let a = close(&mut token, "2024-05", "").await?;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{b}: {}", a.body);
        let mut leader = Client::signed_in(&store, "district-leader", PASSWORD).await?;
        let a = close(&mut leader, "2024-05", "").await?;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{b}: {}", a.body);
        assert!(motcua_app::month_closes(&store).await?.is_empty());

        // A malformed month, a month that has not ended.
        let csrf = leader.csrf().await?;
        let a = close(&mut leader, "2024-13", &csrf).await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        let a = close(&mut leader, "2099-01", &csrf).await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(a.body.contains("Tháng 01/2099 chưa kết thúc"), "{}", a.body);

        // The district's leader closes May, once.
        let a = close(&mut leader, "2024-05", &csrf).await?;
        assert_eq!(a.status, StatusCode::CREATED, "{b}: {}", a.body);
        let body: serde_json::Value = serde_json::from_str(&a.body)?;
        assert_eq!(body["month"], "2024-05");
        // Who closed, by full name: never a login.
        assert_eq!(body["closed_by"], "Lãnh đạo huyện");
        assert!(!a.body.contains("district-leader"), "{}", a.body);
        let a = close(&mut leader, "2024-05", &csrf).await?;
        assert_eq!(a.status, StatusCode::CONFLICT, "{b}");
        assert!(
            a.body.contains("Tháng 05/2024 đã được chốt số liệu ngày"),
            "{}",
            a.body
        );
        assert!(!a.body.contains("district-leader"), "{}", a.body);
        // The district's administrator may close too (April).
        let mut admin = Client::signed_in(&store, "district-admin", PASSWORD).await?;
        let admin_csrf = admin.csrf().await?;
        let a = close(&mut admin, "2024-04", &admin_csrf).await?;
        assert_eq!(a.status, StatusCode::CREATED, "{b}: {}", a.body);

        // Anyone signed in sees the closed months; nobody else. Who closed them only the
        // principals of the root unit see, by full name; no login is shown to anyone.
        let mut reception = Client::signed_in(&store, "khe-reception", PASSWORD).await?;
        let a = reception.get("/api/months/closed").await?;
        assert_eq!(a.status, StatusCode::OK, "{b}");
        let list: serde_json::Value = serde_json::from_str(&a.body)?;
        assert_eq!(list[0]["month"], "2024-04");
        assert_eq!(list[1]["month"], "2024-05");
        assert!(list[1].get("closed_by").is_none(), "{b}: {}", a.body);
        for login in ["district-leader", "district-admin", "Lãnh đạo huyện"] {
            assert!(!a.body.contains(login), "{b}: a commune sees {login}");
        }
        let a = reception
            .get("/api/indicators?unit=vinh-khe&month=2024-05")
            .await?;
        assert_eq!(a.status, StatusCode::OK, "{b}");
        assert!(a.body.contains("\"closed\""), "{b}: May is closed");
        for login in ["district-leader", "Lãnh đạo huyện"] {
            assert!(!a.body.contains(login), "{b}: a commune sees {login}");
        }
        let mut viewer = Client::signed_in(&store, "district-viewer", PASSWORD).await?;
        let a = viewer.get("/api/months/closed").await?;
        let list: serde_json::Value = serde_json::from_str(&a.body)?;
        // (The test accounts of `loaded` carry their login as their full name.)
        assert!(list[0]["closed_by"].is_string(), "{b}: {}", a.body);
        assert_eq!(list[1]["closed_by"], "Lãnh đạo huyện", "{b}");
        assert!(!a.body.contains("district-leader"), "{b}: {}", a.body);
        let a = viewer
            .get("/api/indicators?unit=vinh-linh&month=2024-05")
            .await?;
        let json: serde_json::Value = serde_json::from_str(&a.body)?;
        assert_eq!(json["closed"]["by"], "Lãnh đạo huyện", "{b}");
        let a = Client::new(&store).get("/api/months/closed").await?;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);

        // The dashboard of May: the banner, no change yet.
        let a = admin.get("/?unit=vinh-linh&month=2024-05").await?;
        assert_eq!(a.status, StatusCode::OK);
        assert!(
            a.body.contains("Số liệu tháng 05/2024 đã chốt ngày"),
            "{b}: no banner"
        );
        assert!(!a.body.contains("closed-changes"));
        let a = admin.get("/?unit=vinh-linh&month=2024-06").await?;
        assert!(!a.body.contains("month-closed"), "June is not closed");

        // A dossier of May imported after the close shows as a change, with its unit.
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("dossiers.csv"), LATE_DOSSIER)?;
        let later = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
        motcua_app::import_dir(&store, dir.path(), &later).await?;
        let a = admin.get("/?unit=vinh-linh&month=2024-05").await?;
        assert!(a.body.contains("id=\"closed-changes\""), "{b}");
        assert!(
            a.body.contains("có thay đổi: số hồ sơ tiếp nhận +1,"),
            "{b}: changes not shown"
        );
        assert!(a.body.contains("Đơn vị có thay đổi: thị trấn Hồ Xá."));
        // The frozen figure stays on the card.
        assert!(a.body.contains("data-count=\"received\">2.074<"), "{b}");
        let a = admin
            .get("/api/indicators?unit=vinh-linh&month=2024-05")
            .await?;
        let json: serde_json::Value = serde_json::from_str(&a.body)?;
        assert_eq!(json["counts"]["received"], 2074);
        assert_eq!(json["closed"]["changes"]["received"], 1);
        assert_eq!(json["closed"]["live"]["counts"]["received"], 2075);
        store.close().await?;
    }
    Ok(())
}
