//! Navigation: each role lands on its own page after signing in, its menu has its entries,
//! and the header folds into a "Menu" on a phone (a `<details>`, no script).

use crate::common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, loaded};
use motcua_core::Timestamp;
use motcua_core::access::Role;

#[tokio::test]
async fn each_role_lands_on_its_page_with_its_menu() -> TestResult {
    let db = motcua_testkit::test_databases()
        .await
        .into_iter()
        .next()
        .ok_or("no database")?;
    let store = loaded(&db.url).await?;
    let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
    motcua_app::auth::create_user(
        &store,
        "khe-leader",
        "khe-leader",
        "vinh-khe",
        Role::Leader,
        PASSWORD,
        &ctx,
    )
    .await?;
    for (user, landing, entries, absent) in [
        (
            "khe-reception",
            "/desk",
            &[
                "Hồ sơ cần xử lý",
                "Tiếp nhận hồ sơ",
                "Nhập sao kê tài khoản",
                "Phản ánh, kiến nghị",
                "Chỉ số",
            ][..],
            &["Theo dõi khắc phục", "Tài khoản", "Thông tin thu phí"][..],
        ),
        (
            "khe-specialist",
            "/desk",
            &[
                "Hồ sơ cần xử lý",
                "Được giao cho tôi",
                "Phản ánh, kiến nghị",
                "Chỉ số",
            ][..],
            &[
                "Tiếp nhận hồ sơ",
                "Tài khoản",
                "Chờ phê duyệt",
                "Nhập sao kê tài khoản",
            ][..],
        ),
        (
            "khe-leader",
            "/",
            &[
                "Chỉ số",
                "Chờ phê duyệt",
                "Theo dõi khắc phục",
                "Hồ sơ cần xử lý",
                "Phản ánh, kiến nghị",
            ][..],
            &["Tiếp nhận hồ sơ", "Tài khoản", "Được giao cho tôi"][..],
        ),
        (
            "district-admin",
            "/admin/users",
            &[
                "Tài khoản",
                "Thông tin thu phí",
                "Nhật ký hệ thống",
                "Theo dõi khắc phục",
                "Phản ánh, kiến nghị",
            ][..],
            &["Tiếp nhận hồ sơ"][..],
        ),
        (
            "district-viewer",
            "/",
            &["Chỉ số", "Theo dõi khắc phục"][..],
            &[
                "Tiếp nhận hồ sơ",
                "Hồ sơ cần xử lý",
                "Tài khoản",
                "Phản ánh, kiến nghị",
            ][..],
        ),
    ] {
        let mut c = Client::new(&store);
        let a = c.login(user, PASSWORD).await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{user}");
        assert_eq!(a.location(), landing, "{user} lands on {landing}");
        let page = c.get(landing).await?;
        assert_eq!(page.status, StatusCode::OK, "{user}: {}", page.body);
        let start = page.body.find("<details class=\"nav\"").ok_or("no menu")?;
        let end = page.body[start..]
            .find("</details>")
            .ok_or("menu not closed")?
            + start;
        let menu = &page.body[start..end];
        for entry in entries {
            assert!(menu.contains(&format!(">{entry}</a>")), "{user}: {entry}");
        }
        for entry in absent {
            assert!(
                !menu.contains(&format!(">{entry}</a>")),
                "{user}: no {entry}"
            );
        }
        assert!(menu.contains("<summary>Menu"), "{user}: folds on a phone");
    }
    // A page asked for before signing in is kept.
    let mut c = Client::new(&store);
    let form = c.get("/login?next=/follow-ups").await?;
    let token = common::hidden(&form.body, "csrf").ok_or("no token")?;
    let a = c
        .post(
            "/login",
            &[
                ("csrf", &token),
                ("next", "/follow-ups"),
                ("username", "khe-reception"),
                ("password", PASSWORD),
            ],
        )
        .await?;
    assert_eq!(a.location(), "/follow-ups");
    store.close().await?;
    Ok(())
}
