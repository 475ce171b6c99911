//! The dossier API over HTTP: Idempotency-Key replays, illegal steps, bad JSON; both databases.

mod common;

use axum::http::{Method, StatusCode};
use common::{Client, PASSWORD, TestResult, loaded};
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_store::Store;

const RECEPTION: &str = r#"{"procedure":"9.100010","unit":"ho-xa","channel":"direct","components_total":2,"components_digitized":2,"fee_vnd":0}"#;

async fn count(store: &motcua_store::SqlStore) -> Result<usize, common::Error> {
    Ok(store.dossiers().await?.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_idempotency_key_returns_the_first_answer() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        motcua_app::auth::create_user(
            &store,
            "tiep-nhan",
            "Cán bộ tiếp nhận",
            "ho-xa",
            Role::Reception,
            PASSWORD,
            &motcua_testkit::ctx("test", Timestamp::from_micros(0)),
        )
        .await?;
        let token = motcua_app::auth::create_token(
            &store,
            "cong-dvc",
            "ho-xa",
            true,
            &motcua_testkit::ctx("test", Timestamp::from_micros(0)),
        )
        .await?;
        let mut c = Client::signed_in(&store, "tiep-nhan", PASSWORD).await?;
        let csrf = c.csrf().await?;
        let n0 = count(&store).await?;
        let post = |c: &mut Client, key: &'static str, body: &'static str| {
            let mut c = c.clone();
            let csrf = csrf.clone();
            async move {
                c.send(
                    Method::POST,
                    "/api/dossiers",
                    Some("application/json"),
                    body.to_owned(),
                    &[("x-csrf-token", &csrf), ("idempotency-key", key)],
                )
                .await
            }
        };

        let first = post(&mut c, "k-1", RECEPTION).await?;
        assert_eq!(
            first.status,
            StatusCode::CREATED,
            "{}: {}",
            db.backend,
            first.body
        );
        let again = post(&mut c, "k-1", RECEPTION).await?;
        assert_eq!(
            again.status,
            StatusCode::CREATED,
            "{}: {}",
            db.backend,
            again.body
        );
        assert_eq!(again.body, first.body, "the first answer, word for word");
        assert!(again.headers.contains_key("idempotent-replayed"));
        assert_eq!(count(&store).await?, n0 + 1, "one dossier, not two");

        // The same key for another request is refused.
        let other = post(
            &mut c,
            "k-1",
            r#"{"procedure":"9.100010","unit":"ho-xa","channel":"postal","components_total":1}"#,
        )
        .await?;
        assert_eq!(other.status, StatusCode::CONFLICT);
        assert!(other.body.contains("đã được dùng cho một yêu cầu khác"));

        // Ten concurrent retries of one key: one dossier.
        let mut tasks = Vec::new();
        for _ in 0..10 {
            tasks.push(tokio::spawn(post(&mut c, "k-2", RECEPTION)));
        }
        let mut created = 0;
        for t in tasks {
            let a = t.await??;
            match a.status {
                StatusCode::CREATED => created += 1,
                StatusCode::CONFLICT => assert!(a.body.contains("đang được xử lý")),
                s => panic!("{s}: {}", a.body),
            }
        }
        assert!(created >= 1);
        assert_eq!(count(&store).await?, n0 + 2, "{}", db.backend);

        // Keys belong to their principal: the portal's token may use "k-1" for its own dossier.
        let mut portal = Client::new(&store);
        portal.bearer = Some(token);
        let a = portal
            .send(
                Method::POST,
                "/api/dossiers",
                Some("application/json"),
                RECEPTION.to_owned(),
                &[("idempotency-key", "k-1")],
            )
            .await?;
        assert_eq!(a.status, StatusCode::CREATED);
        assert_ne!(a.body, first.body);

        // Steps: an illegal one is refused with the reason; bad JSON says where.
        let json: serde_json::Value = serde_json::from_str(&first.body)?;
        let code = json["dossier"]["code"]
            .as_str()
            .ok_or("no code")?
            .to_owned();
        let step = |c: &mut Client, body: &'static str| {
            let mut c = c.clone();
            let csrf = csrf.clone();
            let uri = format!("/api/dossiers/{code}/steps");
            async move {
                c.send(
                    Method::POST,
                    &uri,
                    Some("application/json"),
                    body.to_owned(),
                    &[("x-csrf-token", &csrf)],
                )
                .await
            }
        };
        let a = step(&mut c, r#"{"step":"return_result"}"#).await?;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(
            a.body
                .contains("không thể trả kết quả khi hồ sơ đang ở trạng thái «Đã tiếp nhận»"),
            "{}",
            a.body
        );
        let a = step(&mut c, r#"{"step":"fly"}"#).await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert!(a.body.contains("dòng 1, cột"), "{}", a.body);
        let a = step(
            &mut c,
            r#"{"step":"withdraw","reason":"Người nộp xin rút"}"#,
        )
        .await?;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);

        let a = c.get(&format!("/api/dossiers/{code}")).await?;
        assert_eq!(a.status, StatusCode::OK);
        let json: serde_json::Value = serde_json::from_str(&a.body)?;
        assert_eq!(json["lifecycle"]["status"], "withdrawn");
        assert_eq!(json["status_name"], "Đã rút hồ sơ");
        assert_eq!(json["events"].as_array().map(Vec::len), Some(2));
        assert_eq!(json["events"][1]["actor"], "user:tiep-nhan");
        store.close().await?;
    }
    Ok(())
}
