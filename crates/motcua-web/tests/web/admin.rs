//! The administrator's pages (issue 16, items 11 and 12): accounts edited, disabled and
//! re-enabled, unlocked, given a temporary password, each confirmed first and audited; a
//! duplicate login refused beside its field with the form kept; and the audit trail read in
//! Vietnamese, filtered from lists, paginated by keyset and exported with Vietnamese headers.

use crate::common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, hidden, loaded};
use motcua_core::Timestamp;
use motcua_core::access::{AuditFilter, Role, Username};

/// Sends an action on an account: without `confirm` the confirmation page, with it the
/// action.
async fn act(
    admin: &mut Client,
    login: &str,
    action: &str,
    confirm: bool,
) -> Result<common::Answer, common::Error> {
    let csrf = admin.csrf().await?;
    let mut fields = vec![("csrf", csrf.as_str()), ("action", action)];
    if confirm {
        fields.push(("confirm", "yes"));
    }
    admin
        .post(&format!("/admin/users/{login}/action"), &fields)
        .await
}

async fn audited(store: &motcua_store::SqlStore, action: &str) -> Result<usize, common::Error> {
    Ok(store
        .audit(&AuditFilter {
            action: Some(action.to_owned()),
            ..AuditFilter::default()
        })
        .await?
        .len())
}

#[tokio::test]
async fn accounts_are_edited_disabled_unlocked_and_reset_with_confirmation() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let b = db.backend;
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        motcua_app::auth::create_user(
            &store,
            "chuyen-vien-khe",
            "Lê Văn Tám",
            "vinh-khe",
            Role::Specialist,
            PASSWORD,
            &ctx,
        )
        .await?;
        let mut admin = Client::signed_in(&store, "district-admin", PASSWORD).await?;

        // The list shows the status in words, and links each account.
        let list = admin.get("/admin/users").await?;
        assert!(list.body.contains("Đang hoạt động"), "{b}");
        assert!(list.body.contains("/admin/users/chuyen-vien-khe"), "{b}");

        // Edit: full name, unit, role; audited with the fields before and after.
        let csrf = admin.csrf().await?;
        let a = admin
            .post(
                "/admin/users/chuyen-vien-khe",
                &[
                    ("csrf", &csrf),
                    ("display_name", "Lê Văn Tâm"),
                    ("unit", "ho-xa"),
                    ("role", "leader"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let page = admin.get(a.location()).await?;
        assert!(
            page.body
                .contains("Đã lưu thông tin tài khoản của Lê Văn Tâm"),
            "{b}"
        );
        let (user, _) = store
            .user_by_name(&Username::parse("chuyen-vien-khe")?)
            .await?
            .ok_or("gone")?;
        assert_eq!(
            (user.display_name.as_str(), user.unit.as_str(), user.role),
            ("Lê Văn Tâm", "ho-xa", Role::Leader),
            "{b}"
        );
        let update = store
            .audit(&AuditFilter {
                action: Some("user.update".to_owned()),
                ..AuditFilter::default()
            })
            .await?;
        assert_eq!(update[0].before["display_name"], "Lê Văn Tám", "{b}");
        assert_eq!(update[0].after["role"], "leader", "{b}");

        // An empty name is refused beside its field; what was typed stays.
        let a = admin
            .post(
                "/admin/users/chuyen-vien-khe",
                &[
                    ("csrf", &csrf),
                    ("display_name", " "),
                    ("unit", "vinh-khe"),
                    ("role", "viewer"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(a.body.contains("Nhập họ và tên"), "{b}");
        assert!(
            a.body.contains(r#"<option value="viewer" selected>"#),
            "{b}"
        );

        // Disable: a confirmation first, nothing done yet.
        let mut tam = Client::signed_in(&store, "chuyen-vien-khe", PASSWORD).await?;
        let a = act(&mut admin, "chuyen-vien-khe", "disable", false).await?;
        assert_eq!(a.status, StatusCode::OK, "{b}");
        assert!(a.body.contains("Khóa tài khoản của Lê Văn Tâm?"), "{b}");
        assert_eq!(audited(&store, "user.disable").await?, 0, "{b}");
        let a = act(&mut admin, "chuyen-vien-khe", "disable", true).await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(audited(&store, "user.disable").await?, 1, "{b}");
        // Signed out at once, and no new sign-in.
        let a = tam.get("/desk").await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: still signed in");
        let mut again = Client::new(&store);
        let a = again.login("chuyen-vien-khe", PASSWORD).await?;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{b}");
        assert!(a.body.contains("Tài khoản đã bị khóa"), "{b}");
        let list = admin.get("/admin/users?unit=ho-xa").await?;
        assert!(list.body.contains("Đã khóa"), "{b}");

        // Re-enable.
        act(&mut admin, "chuyen-vien-khe", "enable", true).await?;
        assert_eq!(audited(&store, "user.enable").await?, 1, "{b}");
        Client::signed_in(&store, "chuyen-vien-khe", PASSWORD).await?;

        // Locked by wrong passwords: the list says so; the administrator unlocks.
        let mut guesser = Client::new(&store);
        for _ in 0..motcua_core::access::LOCKOUT_THRESHOLD {
            guesser.login("chuyen-vien-khe", "sai-mat-khau-1").await?;
        }
        let list = admin.get("/admin/users?unit=ho-xa").await?;
        assert!(list.body.contains("Bị tạm khóa do đăng nhập sai"), "{b}");
        let a = act(&mut admin, "chuyen-vien-khe", "unlock", true).await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(audited(&store, "user.unlock").await?, 1, "{b}");
        Client::signed_in(&store, "chuyen-vien-khe", PASSWORD).await?;

        // A temporary password, shown once, to be changed at the next sign-in.
        let a = act(&mut admin, "chuyen-vien-khe", "password", false).await?;
        assert!(
            a.body.contains("Cấp mật khẩu tạm thời cho Lê Văn Tâm?"),
            "{b}"
        );
        let a = act(&mut admin, "chuyen-vien-khe", "password", true).await?;
        assert_eq!(a.status, StatusCode::OK, "{b}");
        let start = a
            .body
            .find(r#"<span class="temporary">"#)
            .ok_or("no password shown")?
            + 24;
        let temporary = &a.body[start..start + 14];
        assert_eq!(audited(&store, "user.password_reset").await?, 1, "{b}");
        let trail = store.audit(&AuditFilter::default()).await?;
        assert!(
            trail
                .iter()
                .all(|r| !r.after.to_string().contains(temporary)),
            "{b}"
        );
        let mut tam = Client::new(&store);
        assert_eq!(
            tam.login("chuyen-vien-khe", PASSWORD).await?.status,
            StatusCode::UNAUTHORIZED,
            "{b}: the old password still works"
        );
        let a = tam.login("chuyen-vien-khe", temporary).await?;
        assert_eq!(a.location(), "/account/password", "{b}");
        let a = tam.get("/desk").await?;
        assert_eq!(
            a.location(),
            "/account/password",
            "{b}: work before the change"
        );
        let page = tam.get("/account/password").await?;
        assert!(page.body.contains("do quản trị hệ thống cấp"), "{b}");
        let csrf = hidden(&page.body, "csrf").ok_or("no token")?;
        let a = tam
            .post(
                "/account/password",
                &[
                    ("csrf", &csrf),
                    ("current", temporary),
                    ("new", "mat-khau-rieng-2024"),
                    ("confirm", "mat-khau-rieng-2024"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let mut tam = Client::signed_in(&store, "chuyen-vien-khe", "mat-khau-rieng-2024").await?;
        assert_eq!(tam.get("/desk").await?.status, StatusCode::OK, "{b}");
    }
    Ok(())
}

#[tokio::test]
async fn a_duplicate_login_is_named_beside_its_field_and_the_form_kept() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;
    let mut admin = Client::signed_in(&store, "district-admin", PASSWORD).await?;
    let csrf = admin.csrf().await?;
    let a = admin
        .post(
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("username", "khe-reception"),
                ("display_name", "Phạm Thị Hạnh"),
                ("unit", "vinh-khe"),
                ("role", "specialist"),
                ("password", "ngắn"),
            ],
        )
        .await?;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("novalidate"));
    // Both problems at once, each beside its field.
    assert!(
        a.body
            .contains(r#"id="username-error">Tên đăng nhập «khe-reception» đã có"#),
        "{}",
        a.body
    );
    assert!(
        a.body
            .contains(r#"id="password-error">Mật khẩu phải có ít nhất 8 ký tự"#)
    );
    assert!(a.body.contains(r#"value="Phạm Thị Hạnh""#));
    assert!(a.body.contains(r#"value="khe-reception""#));
    assert!(a.body.contains(r#"<option value="specialist" selected>"#));
    assert!(a.body.contains(r#"<option value="vinh-khe" selected>"#));
    Ok(())
}

#[tokio::test]
async fn the_audit_trail_reads_in_vietnamese_and_pages_by_keyset() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let b = db.backend;
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        motcua_app::auth::create_user(
            &store,
            "quan-tri",
            "Hoàng Minh Quân",
            "vinh-linh",
            Role::Admin,
            PASSWORD,
            &ctx,
        )
        .await?;
        let mut admin = Client::signed_in(&store, "quan-tri", PASSWORD).await?;
        // 120 more sign-ins of the administrator, a minute apart.
        for i in 0..120 {
            let at = Timestamp::parse("2024-05-20T08:00:00+07:00")?;
            let ctx = motcua_testkit::ctx(
                "user:quan-tri",
                Timestamp::from_micros(at.as_micros() + i * 60_000_000),
            );
            store
                .record_audit(&ctx, "login.success", "quan-tri")
                .await?;
        }
        let page = admin.get("/admin/audit").await?;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        let body = &page.body;
        assert!(body.contains("Hoàng Minh Quân"), "{b}");
        assert!(body.contains("Đăng nhập"), "{b}");
        for code in ["login.success", "user:quan-tri", "cli:", "T0", "+07:00"] {
            assert!(!body.contains(&format!(">{code}")), "{b}: shows {code}");
        }
        assert!(!body.contains(">user:"), "{b}");
        // 100 rows, then the next page from the last one shown.
        assert_eq!(body.matches("<tr><td>").count(), 100, "{b}");
        let next = body
            .split(r#"id="next""#)
            .next()
            .and_then(|s| s.rsplit("href=\"").next())
            .ok_or("no next page")?
            .trim_end_matches("\" ")
            .replace("&amp;", "&");
        assert!(next.contains("before="), "{b}: {next}");
        let second = admin.get(&next).await?;
        assert!(second.body.contains("Trang đầu"), "{b}");
        let rows = second.body.matches("<tr><td>").count();
        assert!(rows > 20 && rows <= 100, "{b}: {rows}");

        // Filters from lists: person (by name), action, dates typed dd/mm/yyyy.
        assert!(
            body.contains(r#"<option value="user:quan-tri">Hoàng Minh Quân</option>"#),
            "{b}"
        );
        assert!(
            body.contains(r#"<option value="dossier.return_result">Hồ sơ: "#),
            "{b}"
        );
        let a = admin
            .get("/admin/audit?actor=user%3Aquan-tri&action=login.success&from=01%2F01%2F1970")
            .await?;
        assert!(a.body.contains("121 bản ghi phù hợp"), "{b}: {}", a.body);
        let a = admin.get("/admin/audit?from=31%2F02%2F2024").await?;
        assert!(a.body.contains(r#"id="from-error""#), "{b}");
        // By unit: the district's own accounts, not the communes'.
        let a = admin
            .get("/admin/audit?unit=vinh-khe&action=login.success")
            .await?;
        assert!(a.body.contains("0 bản ghi phù hợp"), "{b}: {}", a.body);

        // An account edited: a before/after table with Vietnamese labels, no JSON.
        let csrf = admin.csrf().await?;
        admin
            .post(
                "/admin/users/khe-reception",
                &[
                    ("csrf", &csrf),
                    ("display_name", "Phạm Thị Hạnh"),
                    ("unit", "vinh-khe"),
                    ("role", "reception"),
                ],
            )
            .await?;
        let a = admin.get("/admin/audit?action=user.update").await?;
        assert!(a.body.contains("Sửa thông tin tài khoản"), "{b}");
        assert!(
            a.body.contains(
                "<th scope=\"row\">Họ và tên</th><td>khe-reception</td><td>Phạm Thị Hạnh</td>"
            ),
            "{b}: {}",
            a.body
        );
        assert!(
            !a.body.contains("display_name") && !a.body.contains("{&quot;"),
            "{b}"
        );

        // The export: Vietnamese headers, words not codes.
        let csv = admin.get("/admin/audit.csv?action=user.update").await?;
        assert_eq!(csv.status, StatusCode::OK, "{b}");
        let first = csv
            .body
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap_or("");
        assert_eq!(
            first,
            "Số thứ tự bản ghi,Thời điểm,Người thực hiện,Địa chỉ máy,Thao tác,Đối tượng,Trước,Sau",
            "{b}"
        );
        assert!(
            csv.body
                .contains("Hoàng Minh Quân,,Sửa thông tin tài khoản,Phạm Thị Hạnh"),
            "{b}: {}",
            csv.body
        );
        let xlsx = admin.get("/admin/audit.xlsx?action=user.update").await?;
        assert_eq!(xlsx.status, StatusCode::OK, "{b}");
        assert!(
            xlsx.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("spreadsheetml")),
            "{b}"
        );
    }
    Ok(())
}
