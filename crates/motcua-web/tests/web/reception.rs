//! The reception form (issue 16, items 1, 2, 6 and the fees of 10): the procedures of the
//! chosen unit with their own component lists, every field back after a refusal with every
//! problem beside its field, fees as clerks type them, the review page before anything is
//! written, and one dossier per form however often it is sent; both databases.

use crate::common;

use axum::http::StatusCode;
use common::{Answer, Client, Error, PASSWORD, TestResult, hidden, loaded};
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_store::{Files, SqlStore};
use motcua_web::AppState;

/// A reception officer of Hồ Xá and one of the district (whose scope holds every commune and
/// department), on a state whose scans go to `scans`.
async fn clerks(store: &SqlStore, scans: &std::path::Path) -> Result<(Client, Client), Error> {
    let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
    for (name, unit) in [("tiep-nhan", "ho-xa"), ("tiep-nhan-huyen", "vinh-linh")] {
        motcua_app::auth::create_user(store, name, name, unit, Role::Reception, PASSWORD, &ctx)
            .await?;
    }
    let state =
        AppState::new(store.clone(), Files::new(scans, 64 * 1024)).with_secure_cookies(false);
    Ok((
        Client::signed_in_with(state.clone(), "tiep-nhan", PASSWORD).await?,
        Client::signed_in_with(state, "tiep-nhan-huyen", PASSWORD).await?,
    ))
}

/// The fields of a fresh form of `unit` (its token and CSRF) with `fields` over them.
async fn form_fields(
    client: &mut Client,
    unit: &str,
    fields: &[(&str, &str)],
) -> Result<Vec<(String, String)>, Error> {
    let form = client.get(&format!("/desk/new?unit={unit}")).await?;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let mut out = vec![
        (
            "csrf".to_owned(),
            hidden(&form.body, "csrf").ok_or("no csrf")?,
        ),
        (
            "token".to_owned(),
            hidden(&form.body, "token").ok_or("no token")?,
        ),
        ("unit".to_owned(), unit.to_owned()),
    ];
    out.extend(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    Ok(out)
}

async fn send(
    client: &mut Client,
    fields: &[(String, String)],
    files: &[(&str, &str, &[u8])],
) -> Result<Answer, Error> {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client
        .post_multipart("/desk/new", &fields, files, &[])
        .await
}

const BIRTH: &[(&str, &str)] = &[
    ("procedure", "1.001193"),
    ("channel", "direct"),
    ("applicant_name", "Nguyễn Thị Hoa"),
    ("applicant_id", "045190001234"),
    ("applicant_phone", "0912 345 678"),
    ("applicant_address", "Khu phố 3, thị trấn Hồ Xá"),
    ("fee_vnd", "15 000"),
    ("lines", "2"),
    ("component_0", "Tờ khai đăng ký khai sinh theo mẫu"),
    ("originals_0", "1"),
    ("copies_0", "0"),
    ("component_1", "Giấy chứng sinh"),
    ("originals_1", "1"),
    ("copies_1", "0"),
];

#[tokio::test]
async fn the_form_offers_the_units_procedures_with_their_components() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let scans = tempfile::tempdir()?;
        let (mut commune, mut district) = clerks(&store, scans.path()).await?;
        let b = db.backend;

        let form = commune.get("/desk/new?unit=ho-xa").await?;
        assert_eq!(form.status, StatusCode::OK, "{b}");
        assert!(form.body.contains("novalidate"), "{b}: no browser bubbles");
        assert!(
            form.body
                .contains("<option value=\"\">— chọn thủ tục —</option>"),
            "{b}"
        );
        assert!(
            !form.body.contains(" selected>Toàn trình"),
            "{b}: no level chosen in advance"
        );
        assert!(
            form.body.contains("id=\"level-field\" hidden"),
            "{b}: level only online"
        );
        assert!(form.body.contains("src=\"/assets/reception.js\""), "{b}");
        // Every procedure the commune offers, not the first fifty.
        let offered = form.body.matches("<option value=\"").count();
        assert!(offered > 100, "{b}: {offered} procedures listed");

        // A district officer receiving for a department gets that department's procedures
        // (the list follows the unit chosen, for the select and for the type-ahead box).
        let page = district.get("/desk/new?unit=vinh-linh.tu-phap").await?;
        assert!(
            page.body.contains("2.000908"),
            "{b}: the department's procedure"
        );
        assert!(!page.body.contains("1.001193"), "{b}: not a commune's");
        let json = district
            .get("/desk/new/procedures?unit=vinh-linh.tu-phap")
            .await?;
        assert_eq!(json.status, StatusCode::OK, "{b}");
        assert!(
            json.body.contains("\"code\":\"2.000908\""),
            "{b}: {}",
            json.body
        );
        assert!(!json.body.contains("1.001193"), "{b}");
        let json = commune.get("/desk/new/procedures?unit=ho-xa").await?;
        assert!(
            json.body
                .contains("Giấy chứng sinh (hoặc văn bản của người làm chứng"),
            "{b}: the procedure's own components: {}",
            &json.body[..json.body.len().min(600)]
        );
        let outside = commune.get("/desk/new/procedures?unit=vinh-khe").await?;
        assert_eq!(
            outside.status,
            StatusCode::NOT_FOUND,
            "{b}: another commune"
        );

        // A procedure chosen: the checklist is its own list, originals and copies included.
        let page = commune
            .get("/desk/new?unit=ho-xa&procedure=1.001193")
            .await?;
        assert!(page.body.contains("value=\"1.001193\" selected"), "{b}");
        assert!(
            page.body.contains("name=\"component_0\" id=\"component_0\" value=\"Tờ khai đăng ký khai sinh theo mẫu\""),
            "{b}: {}",
            page.body
        );
        assert!(
            page.body
                .contains("name=\"component_1\" id=\"component_1\" value=\"Giấy chứng sinh"),
            "{b}"
        );
        assert!(
            !page.body.contains("name=\"component_2\""),
            "{b}: two components"
        );

        // The script is served from the binary: type-ahead over the options, diacritics
        // folded, Enter never sending the form, the empty result said.
        let js = commune.get("/assets/reception.js").await?;
        assert_eq!(js.status, StatusCode::OK);
        assert!(js.body.contains("normalize(\"NFD\")"));
        assert!(js.body.contains("Không tìm thấy thủ tục nào"));
        assert!(js.body.contains("e.key !== \"Enter\""));
        assert!(
            js.body.contains("\"/desk/new/procedures?unit=\""),
            "the search sends the unit"
        );
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_refusal_gives_everything_back_with_every_problem() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let scans = tempfile::tempdir()?;
        let (mut desk, _) = clerks(&store, scans.path()).await?;
        let b = db.backend;
        let before = store.dossiers().await?.len();
        let mut fields = form_fields(&mut desk, "ho-xa", BIRTH).await?;
        // No name, a fee with a decimal comma, a phone too short, a program for a scan.
        for (k, v) in &mut fields {
            match k.as_str() {
                "applicant_name" => v.clear(),
                "fee_vnd" => *v = "15,5".to_owned(),
                "applicant_phone" => *v = "09123".to_owned(),
                _ => {}
            }
        }
        let a = send(
            &mut desk,
            &fields,
            &[
                ("scan_0", "to-khai.pdf", common::PDF),
                (
                    "scan_1",
                    "giay-chung-sinh.exe",
                    b"MZ\x90\x00\x03\x00".as_slice(),
                ),
            ],
        )
        .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{b}: {}", a.body);
        let body = &a.body;
        // Every problem at once, each beside its field, and in the summary.
        for (id, message) in [
            ("applicant_name", "Nhập họ tên người nộp"),
            ("fee_vnd", "Phí, lệ phí là số đồng nguyên"),
            ("applicant_phone", "Số điện thoại gồm 10 chữ số"),
        ] {
            assert!(
                body.contains(&format!("id=\"{id}-error\">{message}")),
                "{b}: {id}: {body}"
            );
            assert!(
                body.contains(&format!("href=\"#{id}\"")),
                "{b}: summary links {id}"
            );
        }
        assert!(
            body.contains("giay-chung-sinh.exe» không phải loại được nhận"),
            "{b}"
        );
        // Everything typed is back: the procedure still chosen, the applicant, the lines.
        assert!(
            body.contains("value=\"1.001193\" selected"),
            "{b}: procedure kept"
        );
        assert!(body.contains("value=\"045190001234\""), "{b}");
        assert!(body.contains("value=\"Khu phố 3, thị trấn Hồ Xá\""), "{b}");
        assert!(body.contains("value=\"09123\""), "{b}");
        assert!(body.contains("value=\"15,5\""), "{b}: the fee as typed");
        assert!(
            body.contains("value=\"Giấy chứng sinh\""),
            "{b}: component lines kept"
        );
        // The scan accepted is kept (stored once, by its hash) and need not be chosen again.
        assert!(body.contains("Đã nhận: to-khai.pdf"), "{b}");
        let hash = hidden(body, "scan_hash_0").ok_or("scan kept by hash")?;
        assert_eq!(hash.len(), 64);
        assert_eq!(
            store.dossiers().await?.len(),
            before,
            "{b}: nothing received"
        );

        // Corrected, sent again without choosing the scan: it is still there at the end.
        let mut fields = form_fields(&mut desk, "ho-xa", BIRTH).await?;
        fields.push(("scan_hash_0".to_owned(), hash.clone()));
        fields.push(("scan_name_0".to_owned(), "to-khai.pdf".to_owned()));
        fields.push(("action".to_owned(), "confirm".to_owned()));
        let a = send(&mut desk, &fields, &[]).await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{b}: {}", a.body);
        let page = desk.get(a.location()).await?;
        assert!(
            page.body.contains("2 thành phần, đã số hóa 1"),
            "{b}: {}",
            page.body
        );
        assert!(
            page.body.contains("Đã tiếp nhận hồ sơ HO-XA-"),
            "{b}: the success notice"
        );
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn fees_are_read_as_clerks_type_them() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let scans = tempfile::tempdir()?;
        let (mut desk, _) = clerks(&store, scans.path()).await?;
        for fee in ["15 000", "15.000", "15,000", "15000"] {
            let mut fields = form_fields(&mut desk, "ho-xa", BIRTH).await?;
            for (k, v) in &mut fields {
                if k == "fee_vnd" {
                    *v = fee.to_owned();
                }
            }
            let a = send(&mut desk, &fields, &[]).await?;
            assert_eq!(
                a.status,
                StatusCode::OK,
                "{}: «{fee}»: {}",
                db.backend,
                a.body
            );
            assert!(
                a.body.contains("15.000 đồng (Mười lăm nghìn đồng)"),
                "{}: «{fee}»",
                db.backend
            );
        }
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn review_then_confirm_once_however_often_it_is_sent() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let scans = tempfile::tempdir()?;
        let (mut desk, _) = clerks(&store, scans.path()).await?;
        let b = db.backend;
        let before = store.dossiers().await?.len();
        let fields = form_fields(&mut desk, "ho-xa", BIRTH).await?;

        // Sending the form shows the review page and writes nothing.
        let review = send(
            &mut desk,
            &fields,
            &[("scan_0", "to-khai.pdf", common::PDF)],
        )
        .await?;
        assert_eq!(review.status, StatusCode::OK, "{b}: {}", review.body);
        assert!(review.body.contains("Kiểm tra trước khi tiếp nhận"), "{b}");
        assert!(review.body.contains("Xác nhận tiếp nhận"), "{b}");
        assert!(review.body.contains("Sửa lại"), "{b}");
        assert!(
            review.body.contains("Hẹn trả kết quả"),
            "{b}: the appointment"
        );
        assert!(review.body.contains("Nguyễn Thị Hoa"), "{b}");
        assert!(review.body.contains("to-khai.pdf"), "{b}: the scan");
        assert_eq!(
            store.dossiers().await?.len(),
            before,
            "{b}: nothing received yet"
        );

        // Every field of the review page, as the browser sends it back.
        let carried = |action: &str| {
            let mut out = hidden_inputs(&review.body);
            out.push(("action".to_owned(), action.to_owned()));
            out
        };

        // "Sửa lại": the form again, everything kept.
        let edit = send(&mut desk, &carried("edit"), &[]).await?;
        assert_eq!(edit.status, StatusCode::OK, "{b}");
        assert!(edit.body.contains("value=\"1.001193\" selected"), "{b}");
        assert!(edit.body.contains("value=\"Nguyễn Thị Hoa\""), "{b}");
        assert!(edit.body.contains("Đã nhận: to-khai.pdf"), "{b}");
        assert!(edit.body.contains("value=\"15 000\""), "{b}");

        // Confirmed twice (a double click, a resend after a timeout): one dossier, and the
        // second answer is the first one's page.
        let first = send(&mut desk, &carried("confirm"), &[]).await?;
        assert_eq!(first.status, StatusCode::SEE_OTHER, "{b}: {}", first.body);
        let second = send(&mut desk, &carried("confirm"), &[]).await?;
        assert_eq!(second.status, StatusCode::SEE_OTHER, "{b}: {}", second.body);
        assert_eq!(first.location(), second.location(), "{b}");
        assert_eq!(
            store.dossiers().await?.len(),
            before + 1,
            "{b}: one dossier"
        );
        let page = desk.get(first.location()).await?;
        assert!(
            page.body.contains("đã số hóa 1"),
            "{b}: the scan attached once"
        );
        assert!(page.body.contains("15.000 đồng"), "{b}");

        // The next citizen with the same ID number: the applicant is offered from it.
        let found = desk
            .get("/desk/new/applicant?unit=ho-xa&id=045190001234")
            .await?;
        assert_eq!(found.status, StatusCode::OK, "{b}");
        assert!(found.body.contains("\"found\":true"), "{b}: {}", found.body);
        assert!(found.body.contains("Nguyễn Thị Hoa"), "{b}");
        let none = desk
            .get("/desk/new/applicant?unit=ho-xa&id=999999999999")
            .await?;
        assert!(none.body.contains("\"found\":false"), "{b}");
        store.close().await?;
    }
    Ok(())
}

/// The hidden inputs of a page, in order, as `(name, value)`.
fn hidden_inputs(page: &str) -> Vec<(String, String)> {
    const OPEN: &str = "<input type=\"hidden\" name=\"";
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(i) = rest.find(OPEN) {
        rest = &rest[i + OPEN.len()..];
        let Some(end) = rest.find('"') else { break };
        let name = rest[..end].to_owned();
        let value = hidden(&format!("name=\"{}", rest), &name).unwrap_or_default();
        out.push((name, value));
    }
    out
}
