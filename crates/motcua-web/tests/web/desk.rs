//! The officers' pages, driven like a browser: find a procedure without diacritics, receive,
//! see the worklist, take steps, read the timeline; both databases.

use crate::common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, hidden, loaded};
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_store::Files;
use motcua_web::AppState;

#[tokio::test]
async fn reception_and_processing_through_the_pages() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        for (name, role) in [
            ("tiep-nhan", Role::Reception),
            ("chuyen-vien", Role::Specialist),
            ("lanh-dao", Role::Leader),
        ] {
            motcua_app::auth::create_user(&store, name, name, "ho-xa", role, PASSWORD, &ctx)
                .await?;
        }
        // Scans go to a folder of this test, with a small limit.
        let scans = tempfile::tempdir()?;
        let state = AppState::new(store.clone(), Files::new(scans.path(), 64 * 1024))
            .with_secure_cookies(false);
        let mut desk = Client::signed_in_with(state.clone(), "tiep-nhan", PASSWORD).await?;
        let mut specialist = Client::signed_in_with(state.clone(), "chuyen-vien", PASSWORD).await?;
        let mut leader = Client::signed_in_with(state, "lanh-dao", PASSWORD).await?;

        // The form lists the unit's procedures under "— chọn thủ tục —"; the type-ahead box
        // (reception.js) filters them in the browser.
        let form = desk.get("/desk/new?unit=ho-xa").await?;
        assert_eq!(form.status, StatusCode::OK, "{}", db.backend);
        assert!(form.body.contains("— chọn thủ tục —"));
        assert!(form.body.contains("Đăng ký khai sinh"));
        assert!(form.body.contains("multipart/form-data"));
        let csrf = hidden(&form.body, "csrf").ok_or("no token")?;
        let fields = [
            ("csrf", csrf.as_str()),
            ("procedure", "1.001193"),
            ("unit", "ho-xa"),
            ("channel", "direct"),
            ("fee_vnd", "8.000"),
            ("applicant_name", "Nguyễn Thị Hoa"),
            ("applicant_phone", "0912345678"),
            ("component_0", "Tờ khai đăng ký khai sinh"),
            ("originals_0", "1"),
            ("component_1", "Giấy chứng sinh"),
            ("originals_1", "1"),
            ("action", "confirm"),
        ];
        let dossiers_before = store.dossiers().await?.len();
        // A scan over the limit, or not a PDF or an image, refuses the whole reception and
        // leaves nothing: no dossier, no file.
        let big = [b"%PDF-1.4\n".as_slice(), &vec![b'x'; 70 * 1024]].concat();
        for (file, bytes, status, message) in [
            (
                "lon.pdf",
                big.as_slice(),
                StatusCode::PAYLOAD_TOO_LARGE,
                "vượt giới hạn",
            ),
            (
                "to-khai.exe",
                b"MZ\x90\x00\x03\x00".as_slice(),
                StatusCode::BAD_REQUEST,
                "không phải loại được nhận",
            ),
        ] {
            let a = desk
                .post_multipart("/desk/new", &fields, &[("scan_0", file, bytes)], &[])
                .await?;
            assert_eq!(a.status, status, "{file}: {}", a.body);
            assert!(a.body.contains(message), "{file}: {}", a.body);
            assert!(a.body.contains(file), "the message names the file");
            assert_eq!(store.dossiers().await?.len(), dossiers_before, "{file}");
            assert_eq!(
                motcua_testkit::count_files(scans.path()),
                0,
                "{file} left a file"
            );
        }
        let a = desk
            .post_multipart(
                "/desk/new",
                &fields,
                &[("scan_0", "to-khai.pdf", common::PDF)],
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(motcua_testkit::count_files(scans.path()), 1);
        let page_path = a.location().trim_end_matches("?da-tiep-nhan").to_owned();
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
        assert!(page.body.contains("Nguyễn Thị Hoa"));
        assert!(
            page.body.contains("2 thành phần, đã số hóa 1"),
            "{}",
            page.body
        );
        assert!(page.body.contains("Số hóa thành phần thứ 1: to-khai.pdf"));
        // The scan opens from the page, as a PDF.
        let link_start = page
            .body
            .find(&format!("/dossiers/{code}/files/"))
            .ok_or("no scan link")?;
        let link = &page.body[link_start..];
        let link = &link[..link.find('"').ok_or("link end")?];
        let file = desk.get(link).await?;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(
            file.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/pdf")
        );
        assert!(file.body.starts_with("%PDF"));
        // The second component is scanned from the dossier's page; an oversized file there
        // is refused on the page and leaves nothing.
        let csrf = hidden(&page.body, "csrf").ok_or("no token")?;
        let a = desk
            .post_multipart(
                &format!("{page_path}/scans"),
                &[("csrf", &csrf), ("slot", "2")],
                &[("file", "lon.pdf", &big)],
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(a.body.contains("vượt giới hạn"));
        assert_eq!(motcua_testkit::count_files(scans.path()), 1);
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let a = desk
            .post_multipart(
                &format!("{page_path}/scans"),
                &[("csrf", &csrf), ("slot", "2")],
                &[("file", "giay-chung-sinh.png", png)],
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(motcua_testkit::count_files(scans.path()), 2);
        let page = desk.get(&page_path).await?;
        assert!(page.body.contains("2 thành phần, đã số hóa 2"));

        // The receipt-and-appointment slip, with the QR code of the dossier code.
        let slip = desk.get(&format!("{page_path}/slips/tiep-nhan")).await?;
        assert_eq!(slip.status, StatusCode::OK);
        assert!(
            slip.body
                .contains("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
        );
        assert!(slip.body.contains("<svg"), "QR code");
        assert!(slip.body.contains("Giấy chứng sinh"));
        assert!(slip.body.contains("Nguyễn Thị Hoa"));
        let no_slip = desk.get(&format!("{page_path}/slips/tu-choi")).await?;
        assert_eq!(no_slip.status, StatusCode::NOT_FOUND, "not refused");

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
        // A specialist does not approve: a specialist proposes.
        let a = specialist
            .post(&steps, &[("csrf", &csrf), ("step", "approve")])
            .await?;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        // Approving while waiting for the supplement: refused, saying why, on the page.
        let csrf_leader = hidden(&leader.get(&page_path).await?.body, "csrf").ok_or("no token")?;
        let a = leader
            .post(&steps, &[("csrf", &csrf_leader), ("step", "approve")])
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
        let slip = desk.get(&format!("{page_path}/slips/bo-sung")).await?;
        assert_eq!(slip.status, StatusCode::OK);
        assert!(slip.body.contains("Thiếu giấy chứng sinh"));

        // Supplemented, approved, paid, e-receipted, returned.
        let csrf_desk = hidden(&desk_page.body, "csrf").ok_or("no token")?;
        let ok = |a: &common::Answer| assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        ok(&desk
            .post(&steps, &[("csrf", &csrf_desk), ("step", "supplemented")])
            .await?);
        ok(&specialist
            .post(&steps, &[("csrf", &csrf), ("step", "propose_approval")])
            .await?);
        ok(&leader
            .post(&steps, &[("csrf", &csrf_leader), ("step", "approve")])
            .await?);
        let a = desk
            .post(
                &format!("{page_path}/receipt"),
                &[
                    ("csrf", &csrf_desk),
                    ("form_symbol", "01BLP0-001"),
                    ("series", "HX-24E"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::CONFLICT, "no receipt before payment");
        assert!(a.body.contains("chưa ghi nhận nộp phí"));
        ok(&desk
            .post(
                &format!("{page_path}/payment"),
                &[("csrf", &csrf_desk), ("channel", "offline")],
            )
            .await?);
        let a = desk
            .post(
                &format!("{page_path}/receipt"),
                &[
                    ("csrf", &csrf_desk),
                    ("form_symbol", "01BLP0-001"),
                    ("series", "HX-24E"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(a.location(), format!("{page_path}/receipt"));
        let receipt = desk.get(a.location()).await?;
        assert_eq!(receipt.status, StatusCode::OK);
        assert!(receipt.body.contains("8.000 đồng"));
        assert!(receipt.body.contains("Tám nghìn đồng"));
        assert!(receipt.body.contains("HX-24E"));
        assert!(receipt.body.contains("Nguyễn Thị Hoa"));
        ok(&desk
            .post(
                &steps,
                &[
                    ("csrf", &csrf_desk),
                    ("step", "return_result"),
                    ("collector_name", "Nguyễn Thị Hoa"),
                    ("collector_id", "045190000123"),
                    ("confirm", "on"),
                ],
            )
            .await?);
        let page = desk.get(&page_path).await?;
        assert!(page.body.contains("Đã trả kết quả"));
        assert!(page.body.contains("Đã nộp tại Bộ phận Một cửa"));
        assert!(page.body.contains("Cấp biên lai điện tử số"));
        let control = desk.get(&format!("{page_path}/slips/kiem-soat")).await?;
        assert!(
            control
                .body
                .contains("Yêu cầu bổ sung hồ sơ: Thiếu giấy chứng sinh")
        );
        assert!(
            ["Trước hạn", "Đúng hạn", "Quá hạn"]
                .iter()
                .any(|t| control.body.contains(t))
        );
        store.close().await?;
    }
    Ok(())
}
