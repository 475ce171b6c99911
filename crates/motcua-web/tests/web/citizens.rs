//! Citizens' accounts through the router: the whole sign-up (the code read back from the
//! outbox) → account → sign-out → sign-in; wrong, expired and reused codes; the limits per
//! address and per recipient; a citizen's cookie opens no officer's page and an officer's
//! session no citizen's; `next` stays on this site; one citizen sees only their own
//! dossiers; the pages as snapshots (the part between the header and the end of `<main>`).
//!
//! Runs on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use axum::http::StatusCode;
use motcua_core::Timestamp;
use motcua_core::outbox::Channel;
use motcua_store::SqlStore;
use motcua_web::AppState;

use crate::common::{self, Answer, Client, Error, PASSWORD, TestResult, loaded, visible};

/// A Monday morning of 2026 (08:00 in Vietnam): every page of these tests happens then, or
/// minutes later.
const T0: i64 = 1_780_880_400_000_000;
const MINUTE: i64 = 60_000_000;

fn state(store: &SqlStore, minutes: i64) -> AppState {
    AppState::new(store.clone(), common::scan_files())
        .with_secure_cookies(false)
        .with_fixed_clock(Timestamp::from_micros(T0 + minutes * MINUTE))
}

fn visitor(store: &SqlStore) -> Client {
    Client::with_state(state(store, 0))
}

/// The latest code sent to `to`, read from the outbox's message.
async fn code_sent_to(store: &SqlStore, to: &str) -> Result<String, Error> {
    let messages = store.messages_to(to).await?;
    let last = messages.last().ok_or("no message in the outbox")?;
    let (_, after) = last
        .body
        .split_once("Dịch vụ công: ")
        .ok_or("no code in the message")?;
    Ok(after.chars().take(6).collect())
}

async fn sign_up(c: &mut Client, contact: &str) -> Result<Answer, Error> {
    c.post(
        "/citizen/sign-up",
        &[
            ("kind", "person"),
            ("full_name", "Trần Văn Bình"),
            ("contact", contact),
            ("password", common::citizen::PASSWORD),
            ("confirm", common::citizen::PASSWORD),
            ("tax_code", ""),
        ],
    )
    .await
}

#[tokio::test]
async fn a_citizen_signs_up_with_the_code_signs_out_and_in_again() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let b = db.backend;
        let mut c = visitor(&store);
        let a = c.get("/citizen/sign-up").await?;
        assert_eq!(a.status, StatusCode::OK, "{b}");
        insta::assert_snapshot!("citizen_sign_up", visible(&a));

        let a = sign_up(&mut c, "+84 912 345 678").await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        // The contact stays out of the address: a cookie carries it to the code's page.
        assert_eq!(a.location(), "/citizen/confirm");
        assert!(c.cookies.contains_key("motcua_citizen_pending"), "{b}");
        let sent = store.messages_to("0912345678").await?;
        assert_eq!(sent.len(), 1, "{b}");
        assert_eq!(sent[0].channel, Channel::Sms);
        let code = code_sent_to(&store, "0912345678").await?;
        assert!(
            sent[0]
                .body
                .starts_with("Mã xác nhận đăng ký tài khoản Dịch vụ công: ")
        );
        // Nothing exists before the code comes back.
        let phone = motcua_core::citizen::Contact::Phone("0912345678".to_owned());
        assert!(store.citizen_by_contact(&phone).await?.is_none(), "{b}");

        let a = c.get("/citizen/confirm").await?;
        insta::assert_snapshot!("citizen_confirm", visible(&a));
        let a = c
            .post("/citizen/confirm", &[("to", "0912345678"), ("code", &code)])
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        assert_eq!(a.location(), "/citizen");
        assert!(!c.cookies.contains_key("motcua_citizen_pending"), "{b}");
        let cookie = a
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with("motcua_citizen="))
            .ok_or("no session cookie")?;
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(flag), "{b}: {cookie}");
        }
        let a = c.get("/citizen").await?;
        assert_eq!(a.status, StatusCode::OK, "{b}");
        assert!(a.body.contains("Trần Văn Bình") && a.body.contains("0912345678"));
        assert!(a.body.contains("Bạn chưa nộp hồ sơ nào"), "{b}");
        insta::assert_snapshot!("citizen_account_empty", visible(&a));
        // Signed in, the sign-up and sign-in forms lead on.
        assert_eq!(c.get("/citizen/sign-up").await?.location(), "/citizen");
        assert_eq!(
            c.get("/citizen/sign-in?next=/track").await?.location(),
            "/track"
        );
        // The portal's pages greet the citizen by name, with the sign-out button.
        let a = c.get("/procedures").await?;
        assert!(
            a.body.contains("id=\"citizen-name\">Trần Văn Bình</a>"),
            "{b}"
        );
        assert!(!a.body.contains("href=\"/citizen/sign-up\""), "{b}");
        // A citizen signed in is not offered the officers' sign-in.
        assert!(!a.body.contains("Cán bộ đăng nhập"), "{b}");

        let csrf = common::citizen::csrf(&mut c).await?;
        // Without the session's token, no sign-out.
        let a = c.post("/citizen/sign-out", &[("csrf", "sai")]).await?;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{b}");
        let a = c.post("/citizen/sign-out", &[("csrf", &csrf)]).await?;
        assert_eq!((a.status, a.location()), (StatusCode::SEE_OTHER, "/"));
        assert!(!c.cookies.contains_key(common::citizen::COOKIE), "{b}");
        let a = c.get("/citizen").await?;
        assert_eq!(a.location(), "/citizen/sign-in", "{b}");

        let a = c.get("/citizen/sign-in?next=/citizen/profile").await?;
        insta::assert_snapshot!("citizen_sign_in", visible(&a));
        let wrong = c
            .post(
                "/citizen/sign-in",
                &[("contact", "0912 345 678"), ("password", "sai-mat-khau")],
            )
            .await?;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{b}");
        // An unknown contact reads exactly as a wrong password.
        let unknown = c
            .post(
                "/citizen/sign-in",
                &[("contact", "0987654321"), ("password", "sai-mat-khau")],
            )
            .await?;
        assert_eq!(
            unknown.body.replace("0987654321", "X"),
            wrong.body.replace("0912 345 678", "X"),
            "{b}"
        );
        let a = c
            .post(
                "/citizen/sign-in",
                &[
                    ("contact", "0912 345 678"),
                    ("password", common::citizen::PASSWORD),
                    ("next", "/citizen/profile"),
                ],
            )
            .await?;
        assert_eq!(
            (a.status, a.location()),
            (StatusCode::SEE_OTHER, "/citizen/profile")
        );
        let a = c.get("/citizen/profile").await?;
        assert_eq!(a.status, StatusCode::OK, "{b}");
        insta::assert_snapshot!("citizen_profile", visible(&a));

        // The trail names the citizen by full name.
        let trail = store
            .query_text("SELECT action FROM audit_log WHERE action LIKE 'citizen.%' ORDER BY id")
            .await?;
        assert_eq!(
            trail,
            [
                "citizen.code_sent",
                "citizen.code_confirmed",
                "citizen.sign_up",
                "citizen.sign_in",
                "citizen.sign_out",
                "citizen.sign_in_failure",
                "citizen.sign_in",
            ],
            "{b}"
        );
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn wrong_expired_and_reused_codes_are_refused() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let b = db.backend;
        let mut c = visitor(&store);
        sign_up(&mut c, "binh@example.vn").await?;
        let sent = store.messages_to("binh@example.vn").await?;
        assert_eq!(sent[0].channel, Channel::Email, "{b}");
        assert_eq!(
            sent[0].subject,
            "Mã xác nhận đăng ký tài khoản Dịch vụ công"
        );
        let code = code_sent_to(&store, "binh@example.vn").await?;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let a = c
            .post(
                "/citizen/confirm",
                &[("to", "binh@example.vn"), ("code", wrong)],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(
            a.body
                .contains("Mã xác nhận không đúng. Bạn còn 4 lần nhập."),
            "{b}"
        );
        insta::assert_snapshot!("citizen_confirm_wrong", visible(&a));
        let a = c
            .post(
                "/citizen/confirm",
                &[("to", "binh@example.vn"), ("code", "12")],
            )
            .await?;
        assert!(a.body.contains("Nhập mã xác nhận gồm 6 chữ số"), "{b}");

        // Ten minutes later the code has expired.
        let mut late = Client::with_state(state(&store, 10));
        let a = late
            .post(
                "/citizen/confirm",
                &[("to", "binh@example.vn"), ("code", &code)],
            )
            .await?;
        assert!(a.body.contains("đã hết hiệu lực"), "{b}: {}", a.body);
        // A new code; the old one no longer serves.
        let a = late
            .post(
                "/citizen/confirm",
                &[("to", "binh@example.vn"), ("action", "resend")],
            )
            .await?;
        assert!(a.body.contains("Đã gửi mã mới tới binh@example.vn"), "{b}");
        let fresh = code_sent_to(&store, "binh@example.vn").await?;
        if fresh != code {
            let a = late
                .post(
                    "/citizen/confirm",
                    &[("to", "binh@example.vn"), ("code", &code)],
                )
                .await?;
            assert!(a.body.contains("Mã xác nhận không đúng"), "{b}");
        }
        let a = late
            .post(
                "/citizen/confirm",
                &[("to", "binh@example.vn"), ("code", &fresh)],
            )
            .await?;
        assert_eq!(
            (a.status, a.location()),
            (StatusCode::SEE_OTHER, "/citizen"),
            "{b}"
        );
        // Used once: the same code again creates nothing more.
        let mut again = Client::with_state(state(&store, 11));
        let a = again
            .post(
                "/citizen/confirm",
                &[("to", "binh@example.vn"), ("code", &fresh)],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(a.body.contains("Không có mã xác nhận nào đang chờ"), "{b}");
        assert!(!again.cookies.contains_key(common::citizen::COOKIE));
        // The address has an account now: a second sign-up is refused beside the field.
        let a = sign_up(&mut again, "BINH@example.vn").await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(a.body.contains("«binh@example.vn» đã có tài khoản"), "{b}");
        let n = store
            .query_text("SELECT CAST(COUNT(*) AS TEXT) FROM citizens")
            .await?;
        assert_eq!(n, ["1"], "{b}");
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_sign_up_form_shows_every_error_and_keeps_what_was_typed() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let b = db.backend;
        let mut c = visitor(&store);
        let a = c
            .post(
                "/citizen/sign-up",
                &[
                    ("kind", "business"),
                    ("full_name", "Công ty TNHH Bình An"),
                    ("contact", "0212 345 678"),
                    ("password", "12345678"),
                    ("confirm", ""),
                    ("tax_code", "320012"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        for text in [
            "Nhập số điện thoại di động gồm 10 chữ số",
            "Mật khẩu không được chỉ gồm chữ số",
            "Mã số thuế «320012» không hợp lệ",
            "value=\"Công ty TNHH Bình An\"",
            "value=\"0212 345 678\"",
            "value=\"business\" checked",
        ] {
            assert!(a.body.contains(text), "{b}: lacks {text}");
        }
        assert!(!a.body.contains("12345678\""), "{b}: the password is kept");
        insta::assert_snapshot!("citizen_sign_up_errors", visible(&a));
        assert!(store.messages_to("0212345678").await?.is_empty());
        let a = c
            .post(
                "/citizen/sign-up",
                &[
                    ("kind", "person"),
                    ("full_name", "Trần Văn Bình"),
                    ("contact", "0912345678"),
                    ("password", "mat-khau-1"),
                    ("confirm", "mat-khau-2"),
                ],
            )
            .await?;
        assert!(
            a.body.contains("Hai lần nhập mật khẩu không giống nhau"),
            "{b}"
        );
        assert!(store.messages_to("0912345678").await?.is_empty(), "{b}");
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn sign_ups_codes_and_sign_ins_are_limited() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let b = db.backend;
        // At most three codes per recipient in 15 minutes, whatever the address.
        let mut c = visitor(&store);
        sign_up(&mut c, "0912345678").await?;
        for _ in 0..2 {
            let a = c
                .post(
                    "/citizen/confirm",
                    &[("to", "0912345678"), ("action", "resend")],
                )
                .await?;
            assert_eq!(a.status, StatusCode::OK, "{b}");
        }
        let a = c
            .post(
                "/citizen/confirm",
                &[("to", "0912345678"), ("action", "resend")],
            )
            .await?;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{b}");
        assert!(a.body.contains("Đã gửi 3 mã xác nhận"), "{b}");
        assert_eq!(store.messages_to("0912345678").await?.len(), 3, "{b}");
        // Fifteen minutes later, one more.
        let mut later = Client::with_state(state(&store, 16));
        let a = later
            .post(
                "/citizen/confirm",
                &[("to", "0912345678"), ("action", "resend")],
            )
            .await?;
        assert_eq!(a.status, StatusCode::OK, "{b}");

        // Per client address: the tries of sign-in, sign-up and codes together.
        let mut c = Client::with_state(state(&store, 0).with_citizen_limit(2, 1));
        for _ in 0..2 {
            let a = c
                .post(
                    "/citizen/sign-in",
                    &[("contact", "0987654321"), ("password", "x")],
                )
                .await?;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{b}");
        }
        for (uri, fields) in [
            (
                "/citizen/sign-in",
                vec![("contact", "0987654321"), ("password", "x")],
            ),
            (
                "/citizen/confirm",
                vec![("to", "0987654321"), ("code", "123456")],
            ),
        ] {
            let a = c.post(uri, &fields).await?;
            assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{b}: {uri}");
            assert!(a.body.contains("quá nhiều lần"), "{b}");
        }
        let a = sign_up(&mut c, "0987654321").await?;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{b}");
        assert!(store.messages_to("0987654321").await?.is_empty(), "{b}");
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn citizens_and_officers_do_not_open_each_others_pages() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let b = db.backend;
        let mut citizen = common::citizen::signed_in(&store, "Trần Văn Bình", "0912345678").await?;
        for page in ["/desk?unit=ho-xa", "/account/password", "/admin/users"] {
            let a = citizen.get(page).await?;
            assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {page}");
            assert!(a.location().starts_with("/login"), "{b}: {page}");
        }
        let a = citizen
            .get("/api/indicators?unit=vinh-linh&month=2024-05")
            .await?;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{b}");
        // The citizen's own cookie value, sent as an officer's session, is no session.
        let value = citizen
            .cookies
            .get(common::citizen::COOKIE)
            .cloned()
            .ok_or("no cookie")?;
        let mut forged = Client::new(&store);
        forged.cookies.insert("motcua_session".to_owned(), value);
        let a = forged.get("/desk").await?;
        assert!(a.location().starts_with("/login"), "{b}");

        let mut officer = Client::signed_in(&store, "district-admin", PASSWORD).await?;
        for page in ["/citizen", "/citizen/profile"] {
            let a = officer.get(page).await?;
            assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {page}");
            assert!(a.location().starts_with("/citizen/sign-in"), "{b}: {page}");
        }
        let session = officer
            .cookies
            .get("motcua_session")
            .cloned()
            .ok_or("no session")?;
        let mut forged = Client::new(&store);
        forged
            .cookies
            .insert(common::citizen::COOKIE.to_owned(), session);
        assert!(
            forged
                .get("/citizen")
                .await?
                .location()
                .starts_with("/citizen/sign-in")
        );
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn only_a_local_next_is_followed() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;
    common::citizen::account(&store, "Trần Văn Bình", "0912345678").await?;
    for (next, lands) in [
        ("/procedures?q=khai", "/procedures?q=khai"),
        ("//evil.example/x", "/citizen"),
        ("https://evil.example/", "/citizen"),
        ("/\\evil.example", "/citizen"),
    ] {
        let mut c = Client::new(&store);
        let a = c
            .post(
                "/citizen/sign-in",
                &[
                    ("contact", "0912345678"),
                    ("password", common::citizen::PASSWORD),
                    ("next", next),
                ],
            )
            .await?;
        assert_eq!(
            (a.status, a.location()),
            (StatusCode::SEE_OTHER, lands),
            "{next}"
        );
    }
    // A page asked for without a session comes back after the sign-in.
    let a = Client::new(&store).get("/citizen/profile").await?;
    assert_eq!(a.location(), "/citizen/sign-in?next=/citizen/profile");
    Ok(())
}

#[tokio::test]
async fn a_citizen_sees_only_their_own_dossiers_and_edits_their_profile() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let b = db.backend;
        let binh = common::citizen::account(&store, "Trần Văn Bình", "0912345678").await?;
        let an = common::citizen::account(&store, "Lê Thị An", "0987654321").await?;
        let codes = common::pending_dossiers(&store, "ho-xa", 3).await?;
        for (code, who) in [
            (&codes[0], binh.id.0),
            (&codes[1], binh.id.0),
            (&codes[2], an.id.0),
        ] {
            store
                .execute_raw(&format!(
                    "UPDATE dossiers SET citizen_id = {who} WHERE code = '{code}'"
                ))
                .await?;
        }
        let mut c = Client::with_state(state(&store, 0));
        let session = motcua_app::citizens::start_session(
            &store,
            &binh,
            &motcua_testkit::ctx("test", Timestamp::from_micros(T0)),
        )
        .await?;
        c.cookies
            .insert(common::citizen::COOKIE.to_owned(), session.cookie);
        let a = c.get("/citizen").await?;
        assert!(
            a.body.contains(&codes[0]) && a.body.contains(&codes[1]),
            "{b}"
        );
        assert!(
            !a.body.contains(&codes[2]),
            "{b}: another citizen's dossier"
        );
        assert!(
            a.body.contains("UBND thị trấn Hồ Xá"),
            "{b}: the unit by name"
        );
        insta::assert_snapshot!(
            "citizen_account",
            visible(&a)
                .replace(&codes[0], "[1]")
                .replace(&codes[1], "[2]")
        );

        let csrf = common::citizen::csrf(&mut c).await?;
        let a = c
            .post(
                "/citizen/profile",
                &[
                    ("csrf", &csrf),
                    ("full_name", ""),
                    ("id_number", "0451"),
                    ("tax_code", "abc"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        for text in [
            "Nhập họ và tên",
            "Nhập số định danh cá nhân gồm 12 chữ số",
            "Mã số thuế «abc»",
        ] {
            assert!(a.body.contains(text), "{b}: lacks {text}");
        }
        insta::assert_snapshot!("citizen_profile_errors", visible(&a));
        let a = c
            .post(
                "/citizen/profile",
                &[
                    ("csrf", &csrf),
                    ("full_name", "Trần Văn Bình An"),
                    ("id_number", "0451 2300 1234"),
                    ("tax_code", ""),
                ],
            )
            .await?;
        assert_eq!(
            (a.status, a.location()),
            (StatusCode::SEE_OTHER, "/citizen?saved=1")
        );
        let a = c.get("/citizen?saved=1").await?;
        assert!(a.body.contains("Đã lưu thông tin tài khoản"), "{b}");
        assert!(a.body.contains("045123001234") && a.body.contains("Trần Văn Bình An"));
        store.close().await?;
    }
    Ok(())
}

/// A write of a citizen's route (`tests/web/auth.rs` walks every write route): the answer,
/// the action it must have audited last, and the actor of that record.
pub async fn audited_write(
    store: &SqlStore,
    path: &str,
) -> Result<(Answer, &'static str, String), Error> {
    let password = common::citizen::PASSWORD;
    Ok(match path {
        "/citizen/sign-up" => {
            let a = sign_up(&mut Client::new(store), "0987000002").await?;
            (a, "citizen.code_sent", "contact:0987000002".to_owned())
        }
        "/citizen/confirm" => {
            let mut c = Client::new(store);
            sign_up(&mut c, "0987000003").await?;
            let code = code_sent_to(store, "0987000003").await?;
            let a = c
                .post("/citizen/confirm", &[("to", "0987000003"), ("code", &code)])
                .await?;
            let phone = motcua_core::citizen::Contact::Phone("0987000003".to_owned());
            let made = store
                .citizen_by_contact(&phone)
                .await?
                .ok_or("no account")?;
            (a, "citizen.sign_in", made.citizen.id.actor())
        }
        "/citizen/sign-in" => {
            let made = common::citizen::account(store, "Lê Văn Cường", "0987000004").await?;
            let a = Client::new(store)
                .post(
                    "/citizen/sign-in",
                    &[("contact", "0987000004"), ("password", password)],
                )
                .await?;
            (a, "citizen.sign_in", made.id.actor())
        }
        "/citizen/profile" | "/citizen/sign-out" => {
            let phone = if path == "/citizen/profile" {
                "0987000005"
            } else {
                "0987000006"
            };
            let made = common::citizen::account(store, "Lê Văn Dũng", phone).await?;
            let mut c = common::citizen::client(store, &made).await?;
            let csrf = common::citizen::csrf(&mut c).await?;
            let a = c
                .post(
                    path,
                    &[
                        ("csrf", &csrf),
                        ("full_name", "Lê Văn Dũng"),
                        ("id_number", ""),
                        ("tax_code", ""),
                    ],
                )
                .await?;
            let action = if path == "/citizen/profile" {
                "citizen.profile"
            } else {
                "citizen.sign_out"
            };
            (a, action, made.id.actor())
        }
        other => return Err(format!("write route {other} has no audit check: add one").into()),
    })
}

/// The citizen's writes refuse a form without the session's token, or with a wrong one.
#[tokio::test]
async fn every_citizen_form_refuses_a_post_without_its_token() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;
    let made = common::citizen::account(&store, "Trần Văn Bình", "0912345678").await?;
    let mut c = common::citizen::client(&store, &made).await?;
    let writes: Vec<_> = motcua_web::routes()
        .into_iter()
        .map(|r| r.info)
        .filter(|i| i.access == motcua_web::Access::Citizen && i.method != axum::http::Method::GET)
        // Multipart forms (the online submission's files): `online.rs` checks their token.
        .filter(|i| !i.uploads)
        .collect();
    assert!(writes.len() >= 2);
    for info in writes {
        for token in [None, Some("sai")] {
            let mut fields = vec![("full_name", "Người khác")];
            if let Some(t) = token {
                fields.push(("csrf", t));
            }
            let a = c.post(info.path, &fields).await?;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{} {token:?}", info.path);
            assert!(a.body.contains("mã chống giả mạo"), "{}", a.body);
        }
    }
    // Nothing happened: still signed in, the same name.
    assert_eq!(c.get("/citizen").await?.status, StatusCode::OK);
    assert_eq!(store.citizen(made.id).await?, Some(made));
    Ok(())
}
