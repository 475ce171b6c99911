//! Bank transfers at the desk on the pages, both databases: the dossier page shows the
//! VietQR box while the fee is due and the unit (or the district above it) has an account,
//! "Xác nhận đã nhận chuyển khoản" records the payment; reception's `/desk/statements`
//! imports a statement and lists each line's outcome, a bad file comes back with every
//! problem beside the file field and nothing recorded.

use crate::common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, loaded};
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_core::vietqr::BankAccount;

async fn setup(url: &str) -> Result<(motcua_store::SqlStore, Client), common::Error> {
    let store = loaded(url).await?;
    let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
    motcua_app::auth::create_user(
        &store,
        "tiep-nhan",
        "Võ Thị Lan",
        "ho-xa",
        Role::Reception,
        PASSWORD,
        &ctx,
    )
    .await?;
    let c = Client::signed_in(&store, "tiep-nhan", PASSWORD).await?;
    Ok((store, c))
}

#[tokio::test]
async fn the_dossier_page_shows_the_vietqr_code_and_confirms_the_transfer() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let (store, mut c) = setup(&db.url).await?;
        let files = common::scan_files();
        let (code, _) = common::received_dossier(&store, &files, "ho-xa").await?;
        // No account anywhere: no box.
        let page = c.get(&format!("/dossiers/{code}")).await?;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("Chuyển khoản qua mã VietQR"),
            "{}",
            db.backend
        );
        // The district's account serves Hồ Xá.
        let account = BankAccount::parse("970415", "113000246810", "UBND HUYEN VINH LINH")
            .map_err(|e| format!("{e:?}"))?;
        motcua_app::desk::set_bank_account(
            &store,
            "vinh-linh",
            &account,
            &motcua_testkit::ctx("test", Timestamp::from_micros(0)),
        )
        .await?;
        let page = c.get(&format!("/dossiers/{code}")).await?;
        assert!(page.body.contains("Chuyển khoản qua mã VietQR"));
        assert!(
            page.body
                .contains("Ngân hàng TMCP Công Thương Việt Nam (VietinBank)")
        );
        assert!(page.body.contains("113000246810"));
        assert!(page.body.contains("UBND HUYEN VINH LINH"));
        assert!(page.body.contains(&format!("{code} LE PHI")));
        assert!(page.body.contains("8.000 đồng"), "the fee in figures");
        assert!(page.body.contains("<svg"), "the QR code");
        let csrf = c.csrf().await?;
        let done = c
            .post(&format!("/dossiers/{code}/transfer"), &[("csrf", &csrf)])
            .await?;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        let page = c.get(&format!("/dossiers/{code}")).await?;
        assert!(
            page.body.contains("Đã nộp bằng chuyển khoản lúc"),
            "{}",
            db.backend
        );
        assert!(
            page.body.contains("cán bộ xác nhận đã nhận"),
            "the timeline says how"
        );
        assert!(
            !page.body.contains("Chuyển khoản qua mã VietQR"),
            "paid: no more code"
        );
        // A second confirmation is refused on the page, nothing more recorded.
        let again = c
            .post(&format!("/dossiers/{code}/transfer"), &[("csrf", &csrf)])
            .await?;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.body.contains("đã nộp phí, lệ phí lúc"));
    }
    Ok(())
}

#[tokio::test]
async fn reception_imports_a_statement_on_its_page() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let (store, mut c) = setup(&db.url).await?;
        let files = common::scan_files();
        let (code, _) = common::received_dossier(&store, &files, "ho-xa").await?;
        let form = c.get("/desk/statements").await?;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("novalidate"));
        assert!(form.body.contains("Nhập sao kê tài khoản"));
        let csrf = c.csrf().await?;

        // A bad file: every problem beside the field, nothing recorded.
        let bad = format!(
            "transaction_id,booked_at,amount_vnd,description\nFT1,20/05/2024 09:00,8000,{code}\nFT2,hôm qua,8000,x\n"
        );
        let a = c
            .post_multipart(
                "/desk/statements",
                &[("csrf", &csrf), ("unit", "ho-xa")],
                &[("file", "sao-ke.csv", bad.as_bytes())],
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", db.backend);
        assert!(a.body.contains("id=\"file-error\""));
        assert!(
            a.body.contains("sao-ke.csv, dòng 3, cột 2 (booked_at)"),
            "{}",
            a.body
        );
        assert!(a.body.contains("aria-invalid=\"true\""));
        let dossier = store
            .dossier(&motcua_core::dossier::DossierCode::parse(&code).ok_or("code")?)
            .await?
            .ok_or("dossier")?;
        assert_eq!(dossier.paid_at, None);
        // No file: said beside the field.
        let a = c
            .post_multipart(
                "/desk/statements",
                &[("csrf", &csrf), ("unit", "ho-xa")],
                &[],
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert!(a.body.contains("Chọn tệp sao kê (CSV)"));

        let good = format!(
            "transaction_id,booked_at,amount_vnd,description\nFT1,20/05/2024 09:00,8.000,{} le phi\nFT2,20/05/2024 09:05,10000,ung ho\n",
            code.replace('-', " ")
        );
        let a = c
            .post_multipart(
                "/desk/statements",
                &[("csrf", &csrf), ("unit", "ho-xa")],
                &[("file", "sao-ke.csv", good.as_bytes())],
                &[],
            )
            .await?;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(
            a.body.contains("ghi nhận nộp phí, lệ phí 1 hồ sơ"),
            "{}",
            a.body
        );
        assert!(
            a.body
                .contains(&format!("<a href=\"/dossiers/{code}\">{code}</a>"))
        );
        assert!(a.body.contains("Không tìm thấy mã hồ sơ trong nội dung"));
        let dossier = store
            .dossier(&motcua_core::dossier::DossierCode::parse(&code).ok_or("code")?)
            .await?
            .ok_or("dossier")?;
        assert_eq!(
            dossier.paid_at,
            Some(Timestamp::parse("2024-05-20T09:00:00+07:00")?)
        );
        // Again: nothing more.
        let a = c
            .post_multipart(
                "/desk/statements",
                &[("csrf", &csrf), ("unit", "ho-xa")],
                &[("file", "sao-ke.csv", good.as_bytes())],
                &[],
            )
            .await?;
        assert!(a.body.contains("ghi nhận nộp phí, lệ phí 0 hồ sơ"));
        assert!(a.body.contains("Hồ sơ đã nộp phí, lệ phí trước đó"));
    }
    Ok(())
}
