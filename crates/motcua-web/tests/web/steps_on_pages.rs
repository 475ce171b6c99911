//! The steps of the dossier page that carry more than a reason: the transfer to another unit
//! (liên thông) and the apology with a new appointment (at most once), with its printable slip;
//! both databases.

use crate::common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, hidden, loaded};
use motcua_calendar::ProcessingDays;
use motcua_core::Timestamp;
use motcua_core::access::Role;

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
                    ("action", "confirm"),
                ],
                &[],
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let page_path = a.location().trim_end_matches("?da-tiep-nhan").to_owned();
        let steps = format!("{page_path}/steps");

        let page = specialist.get(&page_path).await?;
        assert!(page.body.contains("data-step=\"transfer\""));
        // The appointment is days away: no apology is offered yet.
        assert!(!page.body.contains("data-step=\"apologize\""));
        assert!(
            page.body.contains("<option value=\"vinh-linh\">"),
            "units to transfer to"
        );
        // Nothing chosen by default; departments apart from communes.
        assert!(
            page.body
                .contains("<option value=\"\">— chọn đơn vị —</option>")
        );
        assert!(
            page.body
                .contains("<optgroup label=\"Phòng, ban chuyên môn\">")
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
        let a = specialist.post(&steps, &apologize).await?;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("không được hẹn lại lần nữa"), "{}", a.body);
        let slip = specialist
            .get(&format!("{page_path}/slips/xin-loi"))
            .await?;
        assert_eq!(slip.status, StatusCode::OK);
        // Received today, so under Circular 03/2025: an apology before the appointment asks
        // for an extension (Mẫu 04 of 2025), signed for the head of the commune.
        assert!(
            slip.body
                .contains("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
            "{}",
            slip.body
        );
        assert!(slip.body.contains("Số: 01/PXL-TTPVHCC"), "numbered");
        assert!(slip.body.contains("CHỦ TỊCH"), "the head signs");
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
        assert!(a.body.contains("Hãy chọn đơn vị nhận liên thông"));
        // …and without its confirmation, saying so beside the box, the reason kept.
        assert!(a.body.contains("Hãy đánh dấu ô xác nhận"), "{}", a.body);
        assert!(
            a.body
                .contains("name=\"reason\" maxlength=\"2000\" value=\"x\"")
        );

        // The transfer to the district: the district now handles it.
        let a = specialist
            .post(
                &steps,
                &[
                    ("csrf", &csrf),
                    ("step", "transfer"),
                    ("to", "vinh-linh"),
                    ("reason", "Thuộc thẩm quyền của huyện"),
                    ("confirm", "on"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let page = specialist.get(&page_path).await?;
        assert!(
            page.body
                .contains("Chuyển liên thông đến huyện Vĩnh Linh: Thuộc thẩm quyền của huyện")
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

/// What people type is bounded the same way on the dossier page, the reception form and the
/// API (the rules are core's: `Reason`, `details`): a reason of more than 2,000 characters, an
/// applicant's name of more than 300, a control character, and an apology's new appointment
/// years away are refused, and nothing is written.
#[tokio::test]
async fn free_text_and_new_appointments_are_bounded_alike_on_pages_and_api() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let b = db.backend;
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        for (name, role) in [
            ("tiep-nhan", Role::Reception),
            ("chuyen-vien", Role::Specialist),
        ] {
            motcua_app::auth::create_user(&store, name, name, "ho-xa", role, PASSWORD, &ctx)
                .await?;
        }
        let mut api = Client::new(&store);
        api.bearer =
            Some(motcua_app::auth::create_token(&store, "tich-hop", "ho-xa", true, &ctx).await?);
        let mut specialist = Client::signed_in(&store, "chuyen-vien", PASSWORD).await?;
        let code = common::pending_dossiers(&store, "ho-xa", 1)
            .await?
            .remove(0);
        let dossier =
            motcua_core::dossier::DossierCode::parse(&code).ok_or("not a dossier code")?;
        let events = store.dossier_events(&dossier).await?.len();
        let page = format!("/dossiers/{code}/steps");
        let api_steps = format!("/api/dossiers/{code}/steps");
        let csrf = specialist.csrf().await?;
        let send = |c: &mut Client, body: serde_json::Value| {
            let mut c = c.clone();
            let uri = api_steps.clone();
            async move {
                c.send(
                    axum::http::Method::POST,
                    &uri,
                    Some("application/json"),
                    body.to_string(),
                    &[],
                )
                .await
            }
        };

        // A reason of 2,001 characters; one with an escape character.
        let long = "ý".repeat(motcua_core::freetext::MAX_REASON_CHARS + 1);
        let said = "lý do dài 2001 ký tự, quá mức tối đa 2000 ký tự";
        let a = specialist
            .post(
                &page,
                &[("csrf", &csrf), ("step", "reject"), ("reason", &long)],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        // Beside the field, as a sentence.
        assert!(
            a.body
                .contains("Lý do dài 2001 ký tự, quá mức tối đa 2000 ký tự"),
            "{b}: the page says why"
        );
        let a = send(
            &mut api,
            serde_json::json!({"step": "reject", "reason": long}),
        )
        .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}: {}", a.body);
        assert!(a.body.contains(said), "{b}: {}", a.body);
        let escape = "Thiếu giấy tờ\u{1b}[31m";
        let a = specialist
            .post(
                &page,
                &[("csrf", &csrf), ("step", "suspend"), ("reason", escape)],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(a.body.contains("ký tự điều khiển U+001B"), "{b}");
        let a = send(
            &mut api,
            serde_json::json!({"step": "suspend", "reason": escape}),
        )
        .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}: {}", a.body);
        assert!(
            a.body.contains("ký tự điều khiển U+001B"),
            "{b}: {}",
            a.body
        );

        // A new appointment in the year 9999: refused by the rules, on both.
        let a = specialist
            .post(
                &page,
                &[
                    ("csrf", &csrf),
                    ("step", "apologize"),
                    ("new_due", "9999-12-31T10:00"),
                    ("reason", "Chờ xác minh"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::CONFLICT, "{b}");
        assert!(a.body.contains("quá xa"), "{b}");
        let body = serde_json::json!({
            "step": "apologize",
            "new_due": "9999-12-31T10:00:00+07:00",
            "reason": "Chờ xác minh",
        });
        let a = send(&mut api, body).await?;
        assert_eq!(a.status, StatusCode::CONFLICT, "{b}: {}", a.body);
        assert!(a.body.contains("quá xa"), "{b}: {}", a.body);
        assert_eq!(
            store.dossier_events(&dossier).await?.len(),
            events,
            "{b}: nothing written"
        );

        // An applicant's name of 301 characters, at the desk and through the API.
        let name = "Ư".repeat(motcua_core::details::MAX_TEXT_CHARS + 1);
        let said = "dài 301 ký tự, quá mức tối đa 300 ký tự";
        let mut desk = Client::signed_in(&store, "tiep-nhan", PASSWORD).await?;
        let csrf = desk.csrf().await?;
        let dossiers = store.dossiers().await?.len();
        let a = desk
            .post_multipart(
                "/desk/new",
                &[
                    ("csrf", &csrf),
                    ("procedure", "9.100010"),
                    ("unit", "ho-xa"),
                    ("channel", "direct"),
                    ("applicant_name", &name),
                    ("component_0", "Tờ khai"),
                ],
                &[],
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(a.body.contains(said), "{b}");
        let body = serde_json::json!({
            "procedure": "9.100010", "unit": "ho-xa", "channel": "direct",
            "components_total": 1, "applicant": {"name": name},
        });
        let a = api
            .send(
                axum::http::Method::POST,
                "/api/dossiers",
                Some("application/json"),
                body.to_string(),
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}: {}", a.body);
        assert!(
            a.body.contains("«applicant.name»") && a.body.contains(said),
            "{b}: {}",
            a.body
        );
        assert_eq!(
            store.dossiers().await?.len(),
            dossiers,
            "{b}: nothing received"
        );
        store.close().await?;
    }
    Ok(())
}
