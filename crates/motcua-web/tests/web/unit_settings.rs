//! A unit's fee settings on `/admin/unit`, both databases: an administrator sets the district's
//! tax code and bank account, a commune below inherits the account (its dossier page's VietQR
//! box shows it) until it declares its own, and goes back to inheriting when that is removed;
//! a wrong form comes back with every problem beside its field and what was typed; reception
//! gets 403, an administrator of another commune 404.

use crate::common;

use axum::http::StatusCode;
use common::{Answer, Client, PASSWORD, TestResult, loaded, visible};
use motcua_core::Timestamp;
use motcua_core::access::{AuditFilter, Role};
use motcua_core::unit::UnitCode;

async fn save(c: &mut Client, fields: &[(&str, &str)]) -> Result<Answer, common::Error> {
    let csrf = c.csrf().await?;
    let mut all = vec![("csrf", csrf.as_str()), ("action", "save")];
    all.extend_from_slice(fields);
    c.post("/admin/unit", &all).await
}

async fn hoxa_reception(store: &motcua_store::SqlStore) -> Result<(), common::Error> {
    motcua_app::auth::create_user(
        store,
        "hoxa-reception",
        "Võ Thị Lan",
        "ho-xa",
        Role::Reception,
        PASSWORD,
        &motcua_testkit::ctx("test", Timestamp::from_micros(0)),
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn an_administrator_sets_the_account_and_the_units_below_inherit_it() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        hoxa_reception(&store).await?;
        let mut admin = Client::signed_in(&store, "district-admin", PASSWORD).await?;
        let page = admin.get("/admin/unit").await?;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body
                .contains("Tài khoản nhận phí, lệ phí của Huyện Vĩnh Linh")
        );
        assert!(page.body.contains("Chưa có tài khoản nhận tiền"));
        assert!(page.body.contains(">Thông tin thu phí</a>"), "in the menu");

        let a = save(
            &mut admin,
            &[
                ("unit", "vinh-linh"),
                ("tax_code", " 3200123456 "),
                ("bin", "970415"),
                ("number", "1130 0024 6810"),
                ("holder", "UBND huyện Vĩnh Linh"),
            ],
        )
        .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(a.location(), "/admin/unit?unit=vinh-linh&done=saved");
        let page = admin.get(a.location()).await?;
        assert!(
            page.body
                .contains("Đã lưu thông tin thu phí của huyện Vĩnh Linh.")
        );
        assert!(
            page.body
                .contains("Ngân hàng TMCP Công Thương Việt Nam (VietinBank)")
        );
        assert!(
            page.body
                .contains("<dd id=\"own-number\">113000246810</dd>")
        );
        assert!(
            page.body.contains("UBND HUYEN VINH LINH"),
            "as banks print it"
        );
        assert!(page.body.contains("value=\"3200123456\""));

        let district = UnitCode::parse("vinh-linh")?;
        assert_eq!(
            motcua_app::desk::tax_code(&store, &district).await?,
            "3200123456"
        );
        let stored = motcua_app::desk::bank_account(&store, &district)
            .await?
            .ok_or("no account stored")?;
        assert_eq!(
            (stored.bin.as_str(), stored.number.as_str()),
            ("970415", "113000246810")
        );
        let records = store.audit(&AuditFilter::default()).await?;
        let keys: Vec<&str> = records[..2].iter().map(|r| r.target.as_str()).collect();
        assert!(keys.contains(&"unit.vinh-linh.bank_account"), "{keys:?}");
        assert!(keys.contains(&"unit.vinh-linh.tax_code"), "{keys:?}");
        assert!(
            records[..2]
                .iter()
                .all(|r| r.action == "settings.set" && r.actor == "user:district-admin")
        );

        // Hồ Xá declared none: it uses the district's, and its dossier page shows it.
        let page = admin.get("/admin/unit?unit=ho-xa").await?;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body
                .contains("Đang dùng tài khoản của huyện Vĩnh Linh:"),
            "{}",
            db.backend
        );
        let files = common::scan_files();
        let (code, _) = common::received_dossier(&store, &files, "ho-xa").await?;
        let mut reception = Client::signed_in(&store, "hoxa-reception", PASSWORD).await?;
        let dossier = reception.get(&format!("/dossiers/{code}")).await?;
        assert!(dossier.body.contains("Chuyển khoản qua mã VietQR"));
        assert!(
            dossier
                .body
                .contains("<dd id=\"vietqr-account\">113000246810</dd>")
        );
        assert!(dossier.body.contains("UBND HUYEN VINH LINH"));

        // Its own account takes over, then goes: back to the district's.
        let a = save(
            &mut admin,
            &[
                ("unit", "ho-xa"),
                ("tax_code", ""),
                ("bin", "970436"),
                ("number", "0071000123456"),
                ("holder", "UBND THI TRAN HO XA"),
            ],
        )
        .await?;
        assert_eq!(a.location(), "/admin/unit?unit=ho-xa&done=saved");
        let dossier = reception.get(&format!("/dossiers/{code}")).await?;
        assert!(
            dossier
                .body
                .contains("<dd id=\"vietqr-account\">0071000123456</dd>")
        );
        let page = admin.get("/admin/unit?unit=ho-xa").await?;
        assert!(
            page.body
                .contains("Bỏ tài khoản riêng, dùng tài khoản của huyện Vĩnh Linh")
        );
        let csrf = admin.csrf().await?;
        let a = admin
            .post(
                "/admin/unit",
                &[
                    ("csrf", &csrf),
                    ("unit", "ho-xa"),
                    ("action", "remove_account"),
                ],
            )
            .await?;
        assert_eq!(a.location(), "/admin/unit?unit=ho-xa&done=removed");
        let page = admin.get(a.location()).await?;
        assert!(
            page.body
                .contains("Đã bỏ tài khoản riêng của thị trấn Hồ Xá")
        );
        assert!(
            page.body
                .contains("Đang dùng tài khoản của huyện Vĩnh Linh:")
        );
        let dossier = reception.get(&format!("/dossiers/{code}")).await?;
        assert!(
            dossier
                .body
                .contains("<dd id=\"vietqr-account\">113000246810</dd>")
        );
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_wrong_form_names_every_problem_beside_its_field_and_keeps_what_was_typed() -> TestResult
{
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let state = motcua_web::AppState::new(store.clone(), common::scan_files())
            .with_secure_cookies(false)
            .with_fixed_clock(Timestamp::parse("2024-06-03T09:30:00+07:00")?);
        let mut admin = Client::signed_in_with(state, "district-admin", PASSWORD).await?;
        let before = store.audit(&AuditFilter::default()).await?.len();
        let a = save(
            &mut admin,
            &[
                ("unit", "ho-xa"),
                ("tax_code", "32001-23"),
                ("bin", "97041"),
                ("number", "12-34"),
                ("holder", "   "),
            ],
        )
        .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
        for (field, message) in [
            ("tax_code", "Mã số thuế «32001-23» không hợp lệ"),
            ("bin", "Mã ngân hàng (BIN) «97041» không hợp lệ"),
            ("number", "Số tài khoản «12-34» không hợp lệ"),
            ("holder", "Nhập tên chủ tài khoản"),
        ] {
            let beside = format!("<span class=\"field-error\" id=\"{field}-error\">{message}");
            assert!(a.body.contains(&beside), "{}: {field}", db.backend);
            assert!(a.body.contains(&format!("<a href=\"#{field}\">{message}")));
        }
        assert!(a.body.contains("value=\"32001-23\""), "the tax code kept");
        assert!(a.body.contains("value=\"12-34\""), "the number kept");
        insta::assert_snapshot!("admin_unit_errors", visible(&a));

        // A BIN of no bank in the list, and no bank at all.
        let a = save(
            &mut admin,
            &[
                ("unit", "ho-xa"),
                ("bin", "999999"),
                ("number", "0071000123456"),
                ("holder", "UBND THI TRAN HO XA"),
            ],
        )
        .await?;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert!(a.body.contains("Chọn ngân hàng trong danh sách"));
        assert!(a.body.contains("value=\"UBND THI TRAN HO XA\""));
        let a = save(
            &mut admin,
            &[("unit", "ho-xa"), ("number", "0071000123456")],
        )
        .await?;
        assert!(a.body.contains("Chọn ngân hàng nhận tiền"));
        assert!(a.body.contains("Nhập tên chủ tài khoản"));
        assert_eq!(
            store.audit(&AuditFilter::default()).await?.len(),
            before,
            "nothing saved"
        );

        // The page as it reads for a commune with no account anywhere yet.
        let page = admin.get("/admin/unit?unit=ho-xa").await?;
        insta::assert_snapshot!("admin_unit", visible(&page));
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn reception_is_refused_and_another_communes_administrator_finds_nothing() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        hoxa_reception(&store).await?;
        let mut reception = Client::signed_in(&store, "hoxa-reception", PASSWORD).await?;
        let page = reception.get("/admin/unit").await?;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", db.backend);
        let a = save(
            &mut reception,
            &[("unit", "ho-xa"), ("tax_code", "3200123456")],
        )
        .await?;
        assert_eq!(a.status, StatusCode::FORBIDDEN);

        let mut other = Client::signed_in(&store, "khe-admin", PASSWORD).await?;
        assert_eq!(
            other.get("/admin/unit").await?.status,
            StatusCode::OK,
            "its own commune"
        );
        let page = other.get("/admin/unit?unit=ho-xa").await?;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(!page.body.contains("Hồ Xá"), "{}", page.body);
        let a = save(&mut other, &[("unit", "ho-xa"), ("tax_code", "3200123456")]).await?;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        let ho_xa = UnitCode::parse("ho-xa")?;
        assert_eq!(motcua_app::desk::tax_code(&store, &ho_xa).await?, "");
        store.close().await?;
    }
    Ok(())
}
