//! The public portal, signed out: the home page greets a citizen (and a signed-in officer
//! still lands on the dashboard), the catalogue searched without diacritics, a procedure's
//! and a unit's pages with what the catalogue holds (including the columns added for the
//! portal), and tracking: a table of tries showing that a wrong number tells nothing more
//! than an unknown code, the per-address limit, and the slip's QR leading to the page.
//!
//! Runs on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use motcua_web::{AppState, router};
use tower::ServiceExt;

use crate::common::portal::portal;
use crate::common::{self, Client, Error, PASSWORD, TestResult, loaded};

#[tokio::test]
async fn the_home_page_greets_citizens_and_officers_keep_their_desk() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let b = db.backend;
        let a = Client::new(&store).get("/").await?;
        assert_eq!(a.status, StatusCode::OK, "{b}");
        for text in [
            "href=\"/procedures\"",
            "href=\"/track\"",
            "href=\"/procedures?online=1\"",
            "Nộp hồ sơ trực tuyến",
            "Tra cứu hồ sơ",
            "Cán bộ đăng nhập",
            "href=\"/units/ho-xa\"",
            "Dịch vụ công huyện Vĩnh Linh",
        ] {
            assert!(a.body.contains(text), "{b}: the home page lacks {text}");
        }
        // A signed-in officer at `/` lands where they did: the dashboard.
        let mut viewer = Client::signed_in(&store, "district-viewer", PASSWORD).await?;
        let a = viewer.get("/?month=2024-05").await?;
        assert_eq!(a.status, StatusCode::OK, "{b}");
        assert!(a.body.contains("33,8%"), "{b}: the officer's dashboard");
        assert!(!a.body.contains("Cán bộ đăng nhập"), "{b}");
        // A refused token is still refused, not greeted.
        let mut token = Client::new(&store);
        token.bearer = Some("mc_wrong".to_owned());
        assert_eq!(token.get("/").await?.status, StatusCode::UNAUTHORIZED);
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn the_catalogue_is_searched_without_diacritics() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let b = db.backend;
        let mut c = Client::new(&store);
        for q in ["khai+sinh", "KHAI+SINH", "Khai+s%C3%ADnh", "dang+ky+khai"] {
            let a = c.get(&format!("/procedures?q={q}")).await?;
            assert_eq!(a.status, StatusCode::OK, "{b}");
            assert!(a.body.contains("Đăng ký khai sinh"), "{b}: {q}");
            assert!(!a.body.contains("Đăng ký kết hôn"), "{b}: {q}");
        }
        let a = c.get("/procedures?q=khong+co+thu+tuc+nay").await?;
        assert!(a.body.contains("Không tìm thấy thủ tục nào"), "{b}");
        // Online only: partial and full, never desk-only.
        let a = c.get("/procedures?online=1").await?;
        assert!(a.body.contains("Dịch vụ công trực tuyến một phần"), "{b}");
        assert!(
            !a.body.contains("Nộp trực tiếp hoặc qua bưu chính</span>"),
            "{b}"
        );
        // One unit's catalogue names the unit; an unknown unit is a page that does not exist.
        let a = c.get("/procedures?unit=ho-xa").await?;
        assert!(a.body.contains("của thị trấn Hồ Xá"), "{b}");
        let a = c.get("/procedures?unit=khong-co").await?;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{b}");
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn procedure_and_unit_pages_publish_what_the_catalogue_holds() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = portal(&db.url).await?;
        let b = db.backend;
        let mut c = Client::new(&store);
        let a = c.get("/procedures/1.001193?unit=ho-xa").await?;
        assert_eq!(a.status, StatusCode::OK, "{b}");
        for text in [
            "Dịch vụ công trực tuyến toàn trình",
            "<li>Chuẩn bị tờ khai và giấy chứng sinh</li>",
            "<li>Nhận giấy khai sinh</li>",
            "trực tuyến trên Cổng dịch vụ công",
            "href=\"https://dichvucong.gov.vn/mau/to-khai-khai-sinh.docx\"",
            "1 ngày làm việc",
            "Không thu phí, lệ phí",
            "Số 10 Lê Duẩn, khu phố 3, thị trấn Hồ Xá",
            "0233 3824 123",
            "07:00–11:30 và 13:30–17:00",
        ] {
            assert!(
                a.body.contains(text),
                "{b}: the procedure page lacks {text}"
            );
        }
        // Without the added columns, the page says what is not held.
        let a = c.get("/procedures/1.000894").await?;
        assert!(a.body.contains("Các bước nộp hồ sơ"), "{b}");
        assert!(a.body.contains("Dịch vụ công trực tuyến một phần"), "{b}");
        assert_eq!(
            c.get("/procedures/9.999999").await?.status,
            StatusCode::NOT_FOUND
        );
        // A unit that does not carry the procedure out is not offered as its desk.
        let a = c.get("/procedures/1.001193?unit=vinh-linh").await?;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{b}");

        let a = c.get("/units/ho-xa?month=2024-05").await?;
        assert_eq!(a.status, StatusCode::OK, "{b}");
        for text in [
            "UBND thị trấn Hồ Xá",
            "Số 10 Lê Duẩn",
            "Kết quả giải quyết hồ sơ tháng 5/2024",
            "Tỷ lệ hồ sơ trực tuyến toàn trình",
            "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn",
            "Số hồ sơ tiếp nhận",
        ] {
            assert!(a.body.contains(text), "{b}: the unit page lacks {text}");
        }
        // The district's figures are the article's.
        let a = c.get("/units/vinh-linh?month=2024-05").await?;
        assert!(a.body.contains("33,8%"), "{b}");
        assert!(
            a.body.contains("Chưa được cập nhật"),
            "{b}: no address held"
        );

        // Export writes the added columns back; the import of that export changes nothing.
        let out = tempfile::tempdir()?;
        motcua_app::export_dir(&store, out.path()).await?;
        let units = std::fs::read_to_string(out.path().join("units.csv"))?;
        assert!(units.contains("address,phone"), "{b}: {units}");
        assert!(units.contains("0233 3824 123"), "{b}");
        let procedures = std::fs::read_to_string(out.path().join("procedures.csv"))?;
        assert!(
            procedures.contains("Chuẩn bị tờ khai và giấy chứng sinh | Nộp tại"),
            "{b}"
        );
        let components = std::fs::read_to_string(out.path().join("procedure_components.csv"))?;
        assert!(components.contains(",template_url"), "{b}");
        let again = motcua_app::import_dir(
            &store,
            out.path(),
            &motcua_testkit::ctx("test", motcua_testkit::after_fixture()),
        )
        .await?;
        assert_eq!((again.units, again.procedures), (0, 0), "{b}: {again:?}");
        store.close().await?;
    }
    Ok(())
}

/// `POST /track` from a client address.
async fn track_from(
    state: &AppState,
    addr: [u8; 4],
    code: &str,
    proof: &str,
) -> Result<(StatusCode, String), Error> {
    let body = format!(
        "code={}&proof={}",
        common::encode(code),
        common::encode(proof)
    );
    let mut req = Request::post("/track")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))?;
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((addr, 40_000))));
    let response = router(state.clone()).oneshot(req).await?;
    let status = response.status();
    let bytes = response.into_body().collect().await?.to_bytes();
    Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}

#[tokio::test]
async fn tracking_tells_nothing_without_the_applicants_number() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let b = db.backend;
        let files = common::scan_files();
        // Received at the desk from Nguyễn Thị Hoa, telephone 0912345678.
        let (code, _) = common::received_dossier(&store, &files, "ho-xa").await?;
        let imported = common::pending_dossiers(&store, "ho-xa", 1).await?;
        let state = AppState::new(store.clone(), files).with_secure_cookies(false);
        let (status, found) = track_from(&state, [10, 0, 0, 1], &code, "0912 345 678").await?;
        assert_eq!(status, StatusCode::OK, "{b}");
        for text in [
            "Đã tiếp nhận",
            "Tiếp nhận hồ sơ tại Bộ phận Một cửa UBND thị trấn Hồ Xá",
            "Quá trình giải quyết",
        ] {
            assert!(found.contains(text), "{b}: the dossier's page lacks {text}");
        }
        // Never an officer's login, a scan's file name or the applicant's own data.
        for text in ["setup", "to-khai.pdf", "Nguyễn Thị Hoa", "Khu phố 3"] {
            assert!(!found.contains(text), "{b}: the tracking page shows {text}");
        }
        // Every way of not proving it gives the one answer of an unknown code.
        let unknown = track_from(&state, [10, 0, 0, 2], "HO-XA-240101-9999", "0912345678").await?;
        assert_eq!(unknown.0, StatusCode::OK, "{b}");
        assert!(unknown.1.contains("Không tìm thấy hồ sơ nào khớp"), "{b}");
        let same = |answer: &str, typed_code: &str, typed_proof: &str| {
            answer
                .replace(typed_code, "CODE")
                .replace(typed_proof, "PROOF")
        };
        let expected = same(&unknown.1, "HO-XA-240101-9999", "0912345678");
        let cases: [(&str, &str, &str); 5] = [
            ("wrong phone", &code, "0912345679"),
            ("another applicant's ID", &code, "045198001234"),
            ("a phone too short to prove anything", &code, "123"),
            (
                "a dossier with no applicant on record",
                &imported[0],
                "0912345678",
            ),
            ("not a code", "HO XA/../1", "0912345678"),
        ];
        for (i, (case, typed_code, typed_proof)) in cases.into_iter().enumerate() {
            let addr = [10, 0, 1, u8::try_from(i).unwrap_or(0)];
            let (status, body) = track_from(&state, addr, typed_code, typed_proof).await?;
            assert_eq!(status, unknown.0, "{b}: {case}");
            assert_eq!(
                same(&body, typed_code, typed_proof),
                expected,
                "{b}: {case} answers differently from an unknown code"
            );
        }
        // Missing fields: both errors at once, beside their fields, the code kept.
        let (status, body) = track_from(&state, [10, 0, 2, 1], &code, "").await?;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(body.contains("id=\"proof-error\""), "{b}");
        assert!(body.contains(&format!("value=\"{code}\"")), "{b}");
        let (_, body) = track_from(&state, [10, 0, 2, 2], "", "").await?;
        assert!(body.contains("id=\"code-error\"") && body.contains("id=\"proof-error\""));
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn tracking_is_throttled_per_address() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;
    let state = AppState::new(store.clone(), common::scan_files())
        .with_secure_cookies(false)
        .with_track_limit(3, 1);
    for _ in 0..3 {
        let (status, _) =
            track_from(&state, [10, 9, 9, 9], "HO-XA-240101-9999", "0912345678").await?;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, body) =
        track_from(&state, [10, 9, 9, 9], "HO-XA-240101-9999", "0912345678").await?;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("Bạn đã tra cứu quá nhiều lần"), "{body}");
    // What was typed stays in the form.
    assert!(body.contains("value=\"HO-XA-240101-9999\""));
    // Another address is not held back.
    let (status, _) = track_from(&state, [10, 9, 9, 8], "HO-XA-240101-9999", "0912345678").await?;
    assert_eq!(status, StatusCode::OK);
    store.close().await?;
    Ok(())
}

#[tokio::test]
async fn the_slips_qr_opens_the_tracking_page_with_the_code() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;
    let (code, _) = common::received_dossier(&store, &common::scan_files(), "vinh-khe").await?;
    let mut officer = Client::signed_in(&store, "khe-reception", PASSWORD).await?;
    let a = appointment_slip(&mut officer, &code, "motcua.vinhlinh.example").await?;
    let url = format!("http://motcua.vinhlinh.example/track?code={code}");
    assert!(a.body.contains(&url), "{}", a.body);
    // The address the QR holds fills the form in.
    let a = Client::new(&store)
        .get(&format!("/track?code={code}"))
        .await?;
    assert!(a.body.contains(&format!("value=\"{code}\"")));
    store.close().await?;
    Ok(())
}

#[tokio::test]
async fn a_configured_public_url_is_what_the_qr_opens_whatever_the_officers_host() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;
    let (code, _) = common::received_dossier(&store, &common::scan_files(), "vinh-khe").await?;
    let public = motcua_web::PublicUrl::parse("https://dichvucong.quangtri.gov.vn/")?;
    let state = AppState::new(store.clone(), common::scan_files())
        .with_secure_cookies(false)
        .with_public_url(public);
    let mut officer = Client::signed_in_with(state, "khe-reception", PASSWORD).await?;
    let a = appointment_slip(&mut officer, &code, "10.0.0.5:8080").await?;
    let url = format!("https://dichvucong.quangtri.gov.vn/track?code={code}");
    assert!(a.body.contains(&url), "{}", a.body);
    assert!(!a.body.contains("10.0.0.5"), "{}", a.body);
    store.close().await?;
    Ok(())
}

/// The appointment slip (Mẫu 01) of `code` as the officer's browser asks for it at `host`.
async fn appointment_slip(
    officer: &mut Client,
    code: &str,
    host: &str,
) -> Result<common::Answer, Error> {
    let a = officer
        .send(
            axum::http::Method::GET,
            &format!("/dossiers/{code}/slips/tiep-nhan"),
            None,
            String::new(),
            &[("host", host)],
        )
        .await?;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    Ok(a)
}
