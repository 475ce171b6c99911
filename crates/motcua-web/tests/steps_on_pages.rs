//! The steps of the dossier page that carry more than a reason: the transfer to another unit
//! (liên thông) and the apology with a new appointment (at most once), with its printable slip;
//! both databases.

mod common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, hidden, loaded};
use motcua_calendar::ProcessingDays;
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_store::Store;

#[tokio::test]
async fn transfer_and_apology_from_the_dossier_page() -> TestResult {
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
        // A procedure of Hồ Xá long enough for an apology a working day before the appointment.
        let ho_xa = store
            .units()
            .await?
            .into_iter()
            .find(|u| u.code.as_str() == "ho-xa")
            .ok_or("no ho-xa")?;
        let procedure = store
            .procedures()
            .await?
            .into_iter()
            .find(|p| p.offered_by_unit(&ho_xa) && p.processing_days >= ProcessingDays::days(5))
            .ok_or("no procedure of five days or more")?;
        let mut desk = Client::signed_in(&store, "tiep-nhan", PASSWORD).await?;
        let mut specialist = Client::signed_in(&store, "chuyen-vien", PASSWORD).await?;
        let csrf = desk.csrf().await?;
        let a = desk
            .post_multipart(
                "/desk/new",
                &[
                    ("csrf", &csrf),
                    ("procedure", procedure.code.as_str()),
                    ("unit", "ho-xa"),
                    ("channel", "direct"),
                    ("applicant_name", "Phạm Văn Bình"),
                    ("component_0", "Đơn đề nghị"),
                ],
                &[],
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let page_path = a.location().to_owned();
        let steps = format!("{page_path}/steps");

        let page = specialist.get(&page_path).await?;
        assert!(page.body.contains("data-step=\"transfer\""));
        assert!(page.body.contains("data-step=\"apologize\""));
        assert!(
            page.body.contains("<option value=\"vinh-linh\">"),
            "units to transfer to"
        );
        assert!(
            page.body
                .contains("type=\"datetime-local\" name=\"new_due\"")
        );
        let csrf = hidden(&page.body, "csrf").ok_or("no token")?;

        // The apology: a new appointment forty days on, once.
        let later = time::OffsetDateTime::now_utc() + time::Duration::days(40);
        let new_due = later.to_offset(time::macros::offset!(+7)).format(
            time::macros::format_description!("[year]-[month]-[day]T10:00"),
        )?;
        let apologize = [
            ("csrf", csrf.as_str()),
            ("step", "apologize"),
            ("new_due", new_due.as_str()),
            ("reason", "Chờ kết quả xác minh của Công an huyện"),
        ];
        let a = specialist.post(&steps, &apologize).await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let page = specialist.get(&page_path).await?;
        assert!(
            page.body.contains("Đã gửi phiếu xin lỗi"),
            "{db:?}",
            db = db.backend
        );
        assert!(
            !page.body.contains("data-step=\"apologize\""),
            "once per dossier"
        );
        let a = specialist.post(&steps, &apologize).await?;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("không được hẹn lại lần nữa"), "{}", a.body);
        let slip = specialist
            .get(&format!("{page_path}/slips/xin-loi"))
            .await?;
        assert_eq!(slip.status, StatusCode::OK);
        assert!(
            slip.body
                .contains("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
        );
        assert!(slip.body.contains("Chờ kết quả xác minh của Công an huyện"));
        assert!(slip.body.contains("10 giờ 00 phút"), "the new appointment");
        assert!(slip.body.contains("Phạm Văn Bình"));
        // A transfer without its unit is refused, saying so.
        let a = specialist
            .post(
                &steps,
                &[("csrf", &csrf), ("step", "transfer"), ("reason", "x")],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert!(a.body.contains("hãy chọn đơn vị nhận liên thông"));

        // The transfer to the district: the district now handles it.
        let a = specialist
            .post(
                &steps,
                &[
                    ("csrf", &csrf),
                    ("step", "transfer"),
                    ("to", "vinh-linh"),
                    ("reason", "Thuộc thẩm quyền của huyện"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let page = specialist.get(&page_path).await?;
        assert!(
            page.body
                .contains("Chuyển liên thông: Thuộc thẩm quyền của huyện")
        );
        let handled_by = page
            .body
            .split("Đơn vị đang giải quyết</dt><dd>")
            .nth(1)
            .and_then(|s| s.split("</dd>").next())
            .ok_or("no handling unit")?;
        assert!(handled_by.contains("Vĩnh Linh"), "{handled_by}");
        store.close().await?;
    }
    Ok(())
}
