//! Passwords, session cookies and API tokens never reach the database or the logs in clear.
//! Alone in its test binary: it installs a log capture, and tracing's per-callsite caches
//! are shared with whatever else runs in the process.

#[path = "web/common/mod.rs"]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use common::{Client, Error, PASSWORD, TestResult, loaded};
use motcua_core::Timestamp;
use motcua_store::SqlStore;

/// Collects everything logged, at every level, by every crate.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        self.0
            .lock()
            .map(|v| String::from_utf8_lossy(&v).into_owned())
            .unwrap_or_default()
    }
}

async fn all_stored_text(store: &SqlStore) -> Result<String, Error> {
    let mut out = String::new();
    for sql in [
        "SELECT username || ' ' || display_name || ' ' || password_hash FROM users",
        "SELECT token_hash || ' ' || csrf FROM sessions",
        "SELECT name || ' ' || token_hash FROM api_tokens",
        "SELECT actor || ' ' || action || ' ' || target || ' ' || before_value || ' ' || after_value FROM audit_log",
    ] {
        for row in store.query_text(sql).await? {
            out.push_str(&row);
            out.push('\n');
        }
    }
    Ok(out)
}

#[tokio::test(flavor = "current_thread")]
async fn passwords_and_secrets_are_never_stored_or_logged_in_clear() -> TestResult {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let first = "Mật-khẩu-Ban-Đầu-9x7";
        let second = "Mật-khẩu-Thứ-Hai-4q2";
        let wrong = "Sai-Mật-Khẩu-1z8";

        let mut admin = Client::signed_in(&store, "district-admin", PASSWORD).await?;
        let csrf = admin.csrf().await?;
        let a = admin
            .post(
                "/admin/users",
                &[
                    ("csrf", &csrf),
                    ("username", "can-bo-moi"),
                    ("display_name", "Cán bộ mới"),
                    ("unit", "ho-xa"),
                    ("role", "reception"),
                    ("password", first),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let mut c = Client::new(&store);
        assert_eq!(
            c.login("can-bo-moi", wrong).await?.status,
            StatusCode::UNAUTHORIZED
        );
        let mut officer = Client::signed_in(&store, "can-bo-moi", first).await?;
        let session = officer
            .cookies
            .get("motcua_session")
            .cloned()
            .ok_or("no cookie")?;
        let csrf = officer.csrf().await?;
        let a = officer
            .post(
                "/account/password",
                &[
                    ("csrf", &csrf),
                    ("current", first),
                    ("new", second),
                    ("confirm", second),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(a.location(), "/login?done=changed");
        // The old password no longer works; the new one does.
        assert_eq!(
            Client::new(&store).login("can-bo-moi", first).await?.status,
            StatusCode::UNAUTHORIZED
        );
        Client::signed_in(&store, "can-bo-moi", second).await?;
        let token = motcua_app::auth::create_token(
            &store,
            "tich-hop",
            "ho-xa",
            false,
            &motcua_testkit::ctx("test", Timestamp::from_micros(0)),
        )
        .await?;

        let stored = all_stored_text(&store).await?;
        assert!(stored.contains("$argon2id$"), "{}", db.backend);
        for secret in [first, second, wrong, PASSWORD, &session, &token] {
            assert!(
                !stored.contains(secret),
                "{}: «{secret}» is stored in clear",
                db.backend
            );
        }
        if let Some(path) = db.url.strip_prefix("sqlite://") {
            // The database file itself, and its write-ahead log, hold none of them.
            for file in [path.to_owned(), format!("{path}-wal")] {
                if let Ok(bytes) = std::fs::read(&file) {
                    let raw = String::from_utf8_lossy(&bytes);
                    for secret in [first, second, wrong, PASSWORD] {
                        assert!(!raw.contains(secret), "{file} holds «{secret}»");
                    }
                }
            }
        }
        store.close().await?;
    }
    let logged = logs.text();
    assert!(logged.contains("signed in"), "the capture works: {logged}");
    for secret in [
        "Mật-khẩu-Ban-Đầu-9x7",
        "Mật-khẩu-Thứ-Hai-4q2",
        "Sai-Mật-Khẩu-1z8",
        PASSWORD,
    ] {
        assert!(!logged.contains(secret), "«{secret}» was logged");
    }
    Ok(())
}
