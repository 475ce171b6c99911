//! The hand-off on the pages (reception → specialist → leader), the confirmations before
//! irreversible steps, who collected the result, the correction before processing, the
//! supplement with its documents, and what the dossier page shows (issue 16, items 2, 7, 8,
//! 14); both databases, at a fixed instant (Monday 20/5/2024, 09:00).

use crate::common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, hidden, loaded};
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_web::AppState;

/// The part of a page from the element of `id` on (to the end of its section).
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let from = page.find(&format!("id=\"{id}\"")).unwrap_or(page.len());
    let rest = &page[from..];
    let to = rest.find("<h2>").unwrap_or(rest.len());
    &rest[..to]
}

#[tokio::test]
async fn a_dossier_goes_reception_specialist_leader_on_the_pages() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let b = db.backend;
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        for (name, full, role) in [
            ("tiep-nhan", "Phạm Thị Nhận", Role::Reception),
            ("chuyen-vien", "Lê Thị Chuyên", Role::Specialist),
            ("chuyen-vien-2", "Đỗ Văn Hai", Role::Specialist),
            ("lanh-dao", "Hoàng Văn Lãnh", Role::Leader),
        ] {
            motcua_app::auth::create_user(&store, name, full, "ho-xa", role, PASSWORD, &ctx)
                .await?;
        }
        let (code, _) = common::received_dossier(&store, &common::scan_files(), "ho-xa").await?;
        let at = Timestamp::parse("2024-05-20T09:00:00+07:00")?;
        let state = AppState::new(store.clone(), common::scan_files())
            .with_secure_cookies(false)
            .with_fixed_clock(at);
        let mut desk = Client::signed_in_with(state.clone(), "tiep-nhan", PASSWORD).await?;
        let mut specialist = Client::signed_in_with(state.clone(), "chuyen-vien", PASSWORD).await?;
        let mut leader = Client::signed_in_with(state, "lanh-dao", PASSWORD).await?;
        let page_path = format!("/dossiers/{code}");
        let steps = format!("{page_path}/steps");

        // Reception: the hand-off lists the unit's specialists by full name, apart from the
        // transfer to another unit; one primary action; no result upload yet.
        let page = desk.get(&page_path).await?;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        let main = section(&page.body, "steps");
        assert!(main.contains("data-step=\"assign\""), "{b}: {main}");
        assert!(main.contains(">Đỗ Văn Hai</option>") && main.contains(">Lê Thị Chuyên</option>"));
        assert!(
            !main.contains("data-step=\"transfer\""),
            "{b}: the transfer is apart"
        );
        assert_eq!(
            main.matches("class=\"primary\"").count(),
            1,
            "{b}: one primary action"
        );
        assert!(
            !page.body.contains("id=\"result-upload\""),
            "{b}: no result yet"
        );
        assert!(
            page.body.contains("id=\"due-explained\""),
            "{b}: the appointment explained"
        );
        assert!(
            page.body.contains("id=\"correct\""),
            "{b}: correction before processing"
        );
        let csrf = hidden(&page.body, "csrf").ok_or("no token")?;
        // No specialist chosen: refused beside the field.
        let a = desk
            .post(&steps, &[("csrf", &csrf), ("step", "assign")])
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(
            a.body.contains("Hãy chọn chuyên viên để chuyển xử lý"),
            "{b}"
        );
        let a = desk
            .post(
                &steps,
                &[
                    ("csrf", &csrf),
                    ("step", "assign"),
                    ("assignee", "chuyen-vien"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let page = desk.get(&page_path).await?;
        assert!(
            page.body
                .contains("Chuyển xử lý cho chuyên viên Lê Thị Chuyên"),
            "{b}"
        );
        assert!(
            !page.body.contains("id=\"correct\""),
            "{b}: taken up, no correction"
        );

        // The specialist: in the queue; proposes, never approves.
        let q = specialist.get("/queue").await?;
        assert_eq!(q.status, StatusCode::OK);
        assert!(
            q.body.contains("Hồ sơ được giao cho tôi") && q.body.contains(&code),
            "{b}"
        );
        let page = specialist.get(&page_path).await?;
        assert!(page.body.contains("data-step=\"propose_approval\""), "{b}");
        assert!(!page.body.contains("data-step=\"approve\""), "{b}");
        assert!(
            page.body.contains("id=\"result-upload\""),
            "{b}: the result, while proposing"
        );
        let csrf_s = hidden(&page.body, "csrf").ok_or("no token")?;
        // A refusal proposal needs its confirmation; what was typed stays.
        let a = specialist
            .post(
                &steps,
                &[
                    ("csrf", &csrf_s),
                    ("step", "propose_rejection"),
                    ("reason", "Sai đối tượng"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(a.body.contains("Hãy đánh dấu ô xác nhận"), "{b}");
        assert!(
            a.body.contains("value=\"Sai đối tượng\""),
            "{b}: the reason kept"
        );
        let a = specialist
            .post(&steps, &[("csrf", &csrf_s), ("step", "propose_approval")])
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);

        // The leader: the approval queue; approves as proposed, or sends back.
        let q = leader.get("/queue").await?;
        assert!(
            q.body.contains("Chờ phê duyệt") && q.body.contains(&code),
            "{b}"
        );
        let page = leader.get(&page_path).await?;
        assert!(page.body.contains("Chờ lãnh đạo phê duyệt"), "{b}");
        let main = section(&page.body, "steps");
        assert!(main.contains("Phê duyệt: cấp kết quả"), "{b}: {main}");
        assert!(
            main.contains("class=\"danger\" data-step=\"send_back\""),
            "{b}: {main}"
        );
        let csrf_l = hidden(&page.body, "csrf").ok_or("no token")?;
        let a = leader
            .post(
                &steps,
                &[
                    ("csrf", &csrf_l),
                    ("step", "send_back"),
                    ("reason", "Kiểm tra lại giấy chứng sinh"),
                    ("confirm", "on"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        assert!(
            !leader.get("/queue").await?.body.contains(&code),
            "{b}: sent back"
        );
        specialist
            .post(&steps, &[("csrf", &csrf_s), ("step", "propose_approval")])
            .await?;
        let a = leader
            .post(&steps, &[("csrf", &csrf_l), ("step", "approve")])
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);

        // Returning the result says who collected it; refused without it.
        let a = desk
            .post(
                &steps,
                &[
                    ("csrf", &csrf),
                    ("step", "return_result"),
                    ("confirm", "on"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(a.body.contains("Hãy ghi họ tên người nhận kết quả"), "{b}");
        assert!(
            a.body.contains("Hãy ghi số định danh người nhận kết quả"),
            "{b}: every error"
        );
        let a = desk
            .post(
                &steps,
                &[
                    ("csrf", &csrf),
                    ("step", "return_result"),
                    ("collector_name", "Trần Văn Nam"),
                    ("collector_id", "045090000777"),
                    ("collector_relation", "chồng"),
                    ("confirm", "on"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let page = desk.get(&page_path).await?;
        let said = "người nhận: Trần Văn Nam, số định danh 045090000777 (chồng)";
        assert!(page.body.contains(said), "{b}: in the history");
        let control = desk.get(&format!("{page_path}/slips/kiem-soat")).await?;
        assert!(control.body.contains(said), "{b}: on Mẫu 05");
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_withdrawn_dossier_says_so_and_takes_no_upload() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let b = db.backend;
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        motcua_app::auth::create_user(
            &store,
            "tiep-nhan",
            "Phạm Thị Nhận",
            "ho-xa",
            Role::Reception,
            PASSWORD,
            &ctx,
        )
        .await?;
        let (code, _) = common::received_dossier(&store, &common::scan_files(), "ho-xa").await?;
        let mut desk = Client::signed_in(&store, "tiep-nhan", PASSWORD).await?;
        let page_path = format!("/dossiers/{code}");
        let page = desk.get(&page_path).await?;
        // The applicant's ID number and email are shown when recorded; here the phone.
        assert!(page.body.contains("điện thoại 0912345678"), "{b}");
        assert!(
            page.body.contains("name=\"slot\" value=\"2\""),
            "{b}: uploads while open"
        );
        let csrf = hidden(&page.body, "csrf").ok_or("no token")?;
        let withdraw = [
            ("csrf", csrf.as_str()),
            ("step", "withdraw"),
            ("reason", "Người nộp xin rút"),
        ];
        let a = desk.post(&format!("{page_path}/steps"), &withdraw).await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}: no confirmation");
        let events = |s: &motcua_store::SqlStore| {
            let s = s.clone();
            let code = code.clone();
            async move {
                let c = motcua_core::dossier::DossierCode::parse(&code).ok_or("code")?;
                Ok::<usize, common::Error>(s.dossier_events(&c).await?.len())
            }
        };
        let before = events(&store).await?;
        assert_eq!(before, 2, "{b}: nothing written");
        let mut confirmed = withdraw.to_vec();
        confirmed.push(("confirm", "on"));
        let a = desk.post(&format!("{page_path}/steps"), &confirmed).await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let page = desk.get(&page_path).await?;
        assert!(page.body.contains("Rút hồ sơ lúc"), "{b}");
        assert!(!page.body.contains("Giải quyết xong lúc"), "{b}");
        assert!(
            !page.body.contains("type=\"file\""),
            "{b}: no upload on a withdrawn dossier"
        );
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_typo_is_corrected_on_the_page_before_processing() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let b = db.backend;
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        motcua_app::auth::create_user(
            &store,
            "tiep-nhan",
            "Phạm Thị Nhận",
            "ho-xa",
            Role::Reception,
            PASSWORD,
            &ctx,
        )
        .await?;
        let (code, _) = common::received_dossier(&store, &common::scan_files(), "ho-xa").await?;
        let mut desk = Client::signed_in(&store, "tiep-nhan", PASSWORD).await?;
        let path = format!("/dossiers/{code}/correct");
        let form = desk.get(&path).await?;
        assert_eq!(form.status, StatusCode::OK, "{b}");
        assert!(
            form.body.contains("value=\"Nguyễn Thị Hoa\""),
            "{b}: filled"
        );
        assert!(form.body.contains("novalidate"));
        let csrf = hidden(&form.body, "csrf").ok_or("no token")?;
        // An empty name is refused beside its field; what was typed stays.
        let a = desk
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("name", ""),
                    ("phone", "0987654321"),
                    ("comp_name_1", "Tờ khai"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(a.body.contains("Hãy ghi họ tên người nộp."), "{b}");
        assert!(a.body.contains("value=\"0987654321\""), "{b}: kept");
        let a = desk
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("name", "Nguyễn Thị Hoà"),
                    ("address", "Khu phố 3, Hồ Xá"),
                    ("phone", "0912345678"),
                    ("id_number", "045190000123"),
                    ("email", "hoa@example.vn"),
                    ("comp_name_1", "Tờ khai"),
                    ("comp_originals_1", "1"),
                    ("comp_name_2", "Giấy chứng sinh"),
                    ("comp_originals_2", "1"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let page = desk.get(&format!("/dossiers/{code}")).await?;
        assert!(
            page.body
                .contains("Sửa thông tin hồ sơ: họ tên: Nguyễn Thị Hoa → Nguyễn Thị Hoà"),
            "{b}"
        );
        assert!(
            page.body.contains("số định danh 045190000123"),
            "{b}: the ID number shown"
        );
        assert!(
            page.body.contains("thư điện tử hoa@example.vn"),
            "{b}: the email shown"
        );
        // Once taken up, refused with the reason.
        let csrf = hidden(&page.body, "csrf").ok_or("no token")?;
        let specialist_step = motcua_core::lifecycle::Step::StartProcessing;
        let officer = motcua_testkit::officer("lanh-dao", "ho-xa", Role::Leader)
            .map_err(|e| e.to_string())?;
        motcua_app::desk::take_step(
            &store,
            &officer,
            &code,
            &specialist_step,
            &motcua_testkit::ctx(
                "user:lanh-dao",
                Timestamp::parse("2030-01-01T08:00:00+07:00")?,
            ),
        )
        .await?;
        let a = desk
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("name", "Nguyễn Thị Hòa"),
                    ("comp_name_1", "Tờ khai"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::CONFLICT, "{b}");
        assert!(a.body.contains("không sửa được thông tin nữa"), "{b}");
        assert!(a.body.contains("value=\"Nguyễn Thị Hòa\""), "{b}: kept");
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_supplement_takes_its_documents_and_says_the_new_date() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let b = db.backend;
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        motcua_app::auth::create_user(
            &store,
            "tiep-nhan",
            "Phạm Thị Nhận",
            "ho-xa",
            Role::Reception,
            PASSWORD,
            &ctx,
        )
        .await?;
        let (code, _) = common::received_dossier(&store, &common::scan_files(), "ho-xa").await?;
        let officer = motcua_testkit::officer("chuyen-vien", "ho-xa", Role::Specialist)
            .map_err(|e| e.to_string())?;
        for (step, t) in [
            (
                motcua_core::lifecycle::Step::StartProcessing,
                "2024-05-20T09:00:00+07:00",
            ),
            (
                motcua_core::lifecycle::Step::RequestSupplement {
                    reason: "Thiếu bản sao sổ hộ khẩu".parse()?,
                },
                "2024-05-20T10:00:00+07:00",
            ),
        ] {
            motcua_app::desk::take_step(
                &store,
                &officer,
                &code,
                &step,
                &motcua_testkit::acting(&officer, t).map_err(|e| e.to_string())?,
            )
            .await?;
        }
        let state = AppState::new(store.clone(), common::scan_files())
            .with_secure_cookies(false)
            .with_fixed_clock(Timestamp::parse("2024-05-21T10:00:00+07:00")?);
        let mut desk = Client::signed_in_with(state, "tiep-nhan", PASSWORD).await?;
        let page_path = format!("/dossiers/{code}");
        let page = desk.get(&page_path).await?;
        assert!(
            page.body.contains("name=\"doc_name_1\""),
            "{b}: the supplement takes documents"
        );
        let csrf = hidden(&page.body, "csrf").ok_or("no token")?;
        let a = desk
            .post(
                &format!("{page_path}/steps"),
                &[
                    ("csrf", &csrf),
                    ("step", "supplemented"),
                    ("doc_name_1", "Bản sao sổ hộ khẩu"),
                    ("doc_copies_1", "1"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let page = desk.get(&page_path).await?;
        let components = section(&page.body, "components");
        assert!(
            components.contains("Bản sao sổ hộ khẩu"),
            "{b}: a line of the checklist"
        );
        assert!(
            components.contains("name=\"slot\" value=\"3\""),
            "{b}: its scan can be uploaded"
        );
        assert!(
            page.body
                .contains("Nhận hồ sơ bổ sung: Bản sao sổ hộ khẩu (ngày hẹn trả: "),
            "{b}"
        );
        assert!(
            !page.body.contains("được tính lại"),
            "{b}: the dates, not a vague note"
        );
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_apology_is_offered_near_the_appointment_and_keeps_what_was_typed() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let b = db.backend;
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        motcua_app::auth::create_user(
            &store,
            "chuyen-vien",
            "Lê Thị Chuyên",
            "ho-xa",
            Role::Specialist,
            PASSWORD,
            &ctx,
        )
        .await?;
        let (code, _) = common::received_dossier(&store, &common::scan_files(), "ho-xa").await?;
        let parsed = motcua_core::dossier::DossierCode::parse(&code).ok_or("code")?;
        let due = store.dossier(&parsed).await?.ok_or("gone")?.due_at;
        // An hour before the appointment: offered (and refused by the one-working-day rule,
        // what was typed kept beside the refusal).
        let near = Timestamp::from_micros(due.as_micros() - 3_600_000_000);
        let state = AppState::new(store.clone(), common::scan_files())
            .with_secure_cookies(false)
            .with_fixed_clock(near);
        let mut specialist = Client::signed_in_with(state, "chuyen-vien", PASSWORD).await?;
        let page_path = format!("/dossiers/{code}");
        let page = specialist.get(&page_path).await?;
        assert!(
            page.body.contains("data-step=\"apologize\""),
            "{b}: offered near the appointment"
        );
        let csrf = hidden(&page.body, "csrf").ok_or("no token")?;
        let a = specialist
            .post(
                &format!("{page_path}/steps"),
                &[
                    ("csrf", &csrf),
                    ("step", "apologize"),
                    ("new_due", "2024-07-01T10:00"),
                    ("reason", "Chờ xác minh của Công an xã"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::CONFLICT, "{b}: {}", a.body);
        let form = section(&a.body, "apology-form");
        assert!(form.contains("value=\"2024-07-01T10:00\""), "{b}: {form}");
        assert!(
            form.contains("value=\"Chờ xác minh của Công an xã\""),
            "{b}"
        );
        assert!(
            form.contains("chậm nhất 01 ngày làm việc"),
            "{b}: the reason beside it"
        );
        store.close().await?;
    }
    Ok(())
}
