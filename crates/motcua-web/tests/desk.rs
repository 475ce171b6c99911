//! The officers' pages, driven like a browser: find a procedure without diacritics, receive,
//! see the worklist, take steps, read the timeline; both databases.

mod common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, hidden, loaded};
use motcua_core::Timestamp;
use motcua_core::access::Role;

#[tokio::test]
async fn reception_and_processing_through_the_pages() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        for (name, role) in [
            ("tiep-nhan", Role::Reception),
            ("chuyen-vien", Role::Specialist),
        ] {
            motcua_app::auth::create_user(&store, name, name, "ho-xa", role, PASSWORD, &ctx)
                .await?;
        }
        let mut desk = Client::signed_in(&store, "tiep-nhan", PASSWORD).await?;
        let mut specialist = Client::signed_in(&store, "chuyen-vien", PASSWORD).await?;

        // "khai sinh", typed without diacritics, finds "Đăng ký khai sinh".
        let form = desk.get("/desk/new?q=khai+sinh").await?;
        assert_eq!(form.status, StatusCode::OK, "{}", db.backend);
        assert!(form.body.contains("Đăng ký khai sinh"));
        assert!(
            !form.body.contains("Đăng ký kết hôn"),
            "only matches are offered"
        );
        let csrf = hidden(&form.body, "csrf").ok_or("no token")?;
        let a = desk
            .post(
                "/desk/new",
                &[
                    ("csrf", &csrf),
                    ("procedure", "1.001193"),
                    ("unit", "ho-xa"),
                    ("channel", "direct"),
                    ("components_total", "2"),
                    ("components_digitized", "2"),
                    ("fee_vnd", "8.000"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let page_path = a.location().to_owned();
        assert!(page_path.starts_with("/dossiers/HO-XA-"), "{page_path}");
        let code = page_path.trim_start_matches("/dossiers/").to_owned();

        let page = desk.get(&page_path).await?;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Đã tiếp nhận"));
        assert!(
            page.body.contains("8.000 đồng (Tám nghìn đồng)"),
            "fee in figures and words"
        );
        assert!(page.body.contains("Tiếp nhận hồ sơ"), "the timeline starts");

        // The specialist's worklist holds it; a bad form is refused with the reason.
        let list = specialist.get("/desk").await?;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains(&code));
        assert!(list.body.contains("hồ sơ đang giải quyết"));
        let csrf = hidden(&specialist.get(&page_path).await?.body, "csrf").ok_or("no token")?;
        let steps = format!("{page_path}/steps");
        let a = specialist
            .post(&steps, &[("csrf", &csrf), ("step", "start_processing")])
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        let a = specialist
            .post(
                &steps,
                &[
                    ("csrf", &csrf),
                    ("step", "request_supplement"),
                    ("reason", "Thiếu giấy chứng sinh"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        // Approving while waiting for the supplement: refused, saying why, on the page.
        let a = specialist
            .post(&steps, &[("csrf", &csrf), ("step", "approve")])
            .await?;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("không thể phê duyệt kết quả"), "{}", a.body);
        assert!(a.body.contains("Chờ bổ sung hồ sơ"));

        let page = specialist.get(&page_path).await?;
        assert!(
            page.body
                .contains("Yêu cầu bổ sung hồ sơ: Thiếu giấy chứng sinh")
        );
        assert!(page.body.contains("Thời gian dừng tính hạn"));
        assert!(page.body.contains("đang dừng"));
        // The specialist is not offered the desk's step; the desk is.
        assert!(!page.body.contains("data-step=\"supplemented\""));
        let desk_page = desk.get(&page_path).await?;
        assert!(desk_page.body.contains("data-step=\"supplemented\""));
        store.close().await?;
    }
    Ok(())
}
