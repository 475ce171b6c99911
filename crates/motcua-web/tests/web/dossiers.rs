//! The dossier API over HTTP: Idempotency-Key replays, illegal steps, bad JSON; both databases.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{Client, PASSWORD, TestResult, loaded};
use motcua_core::Timestamp;
use motcua_core::access::Role;

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

        // Ten concurrent requests with one key: one dossier, and every one of them gets its
        // answer (none is told to wait for another: the later ones wait in the database).
        let mut tasks = Vec::new();
        for _ in 0..10 {
            tasks.push(tokio::spawn(post(&mut c, "k-2", RECEPTION)));
        }
        let mut bodies = Vec::new();
        let mut fresh = 0;
        for t in tasks {
            let a = t.await??;
            assert_eq!(a.status, StatusCode::CREATED, "{}: {}", db.backend, a.body);
            if !a.headers.contains_key("idempotent-replayed") {
                fresh += 1;
            }
            bodies.push(a.body);
        }
        assert_eq!(fresh, 1, "{}: one request did the work", db.backend);
        bodies.dedup();
        assert_eq!(bodies.len(), 1, "{}: one answer", db.backend);
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

/// A refusal keeps nothing: the receipt asked for before the payment is refused (409), and
/// the same request with the same key, once the fee is paid, issues it. Payment and receipt
/// are replayed word for word, with the header.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_request_is_judged_again_and_a_done_one_is_replayed() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let token = motcua_app::auth::create_token(
            &store,
            "cong-dvc",
            "ho-xa",
            true,
            &motcua_testkit::ctx("test", Timestamp::from_micros(0)),
        )
        .await?;
        let mut portal = Client::new(&store);
        portal.bearer = Some(token);
        let mut post = async |uri: &str, body: &str, key: &str| {
            portal
                .send(
                    Method::POST,
                    uri,
                    Some("application/json"),
                    body.to_owned(),
                    &[("idempotency-key", key)],
                )
                .await
        };
        let a = post(
            "/api/dossiers",
            &RECEPTION.replace(r#""fee_vnd":0"#, r#""fee_vnd":8000"#),
            "r-1",
        )
        .await?;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        let json: serde_json::Value = serde_json::from_str(&a.body)?;
        let code = json["dossier"]["code"].as_str().ok_or("no code")?;
        let receipt_uri = format!("/api/dossiers/{code}/receipt");
        let series = r#"{"form_symbol":"01BLP0-001","series":"HX-24E"}"#;

        let refused = post(&receipt_uri, series, "b-1").await?;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(
            refused.body.contains("chưa ghi nhận nộp phí"),
            "{}",
            refused.body
        );

        let payment_uri = format!("/api/dossiers/{code}/payment");
        let paid = post(&payment_uri, r#"{"payment_channel":"offline"}"#, "p-1").await?;
        assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
        assert!(!paid.headers.contains_key("idempotent-replayed"));
        let again = post(&payment_uri, r#"{"payment_channel":"offline"}"#, "p-1").await?;
        assert_eq!(
            (again.status, &again.body),
            (StatusCode::OK, &paid.body),
            "{}: the payment's answer, not «đã nộp phí»",
            db.backend
        );
        assert!(again.headers.contains_key("idempotent-replayed"));

        let issued = post(&receipt_uri, series, "b-1").await?;
        assert_eq!(
            issued.status,
            StatusCode::CREATED,
            "{}: {}",
            db.backend,
            issued.body
        );
        assert!(!issued.headers.contains_key("idempotent-replayed"));
        let again = post(&receipt_uri, series, "b-1").await?;
        assert_eq!(
            (again.status, &again.body),
            (StatusCode::CREATED, &issued.body)
        );
        assert!(again.headers.contains_key("idempotent-replayed"));
        let a = portal.get(&receipt_uri).await?;
        assert_eq!(a.status, StatusCode::OK);
        let stored: serde_json::Value = serde_json::from_str(&a.body)?;
        let answered: serde_json::Value = serde_json::from_str(&issued.body)?;
        assert_eq!(stored["number"], answered["number"], "one receipt");
        store.close().await?;
    }
    Ok(())
}
