//! People by full name (issue 16, item 5): the slips handed to citizens, the e-receipt, the
//! dossier's history and the control sheet name the officer, never the login; the command
//! line and API tokens read as what they are. And the privacy of papers (item 16): the
//! view-only role neither opens scans nor reads ID numbers; the roles that handle dossiers
//! do. Both databases.

use crate::common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, loaded};
use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, Role};
use motcua_core::details::{Applicant, Component, Slot};
use motcua_core::dossier::{Channel, PaymentChannel};
use motcua_store::SqlStore;

const LOGIN: &str = "tiep-nhan-ho-xa";
const NAME: &str = "Nguyễn Thị Lan";

/// A dossier received, scanned, paid and receipted at Hồ Xá's desk by `tiep-nhan-ho-xa`
/// (Nguyễn Thị Lan), for an applicant with an ID number: its code and the scan's hash.
async fn handled_by_lan(
    store: &SqlStore,
    files: &motcua_store::Files,
) -> Result<(String, String), common::Error> {
    let ctx0 = motcua_testkit::ctx("test", Timestamp::from_micros(0));
    let lan = motcua_app::auth::create_user(
        store,
        LOGIN,
        NAME,
        "ho-xa",
        Role::Reception,
        PASSWORD,
        &ctx0,
    )
    .await?;
    let officer = lan.principal();
    let ctx = AuditContext {
        actor: officer.actor(),
        remote_addr: None,
        at: Timestamp::parse("2024-05-20T08:00:00+07:00")?,
    };
    let component = |name: &str| Component {
        name: name.to_owned(),
        originals: 1,
        copies: 0,
        scan: None,
    };
    let reception = motcua_app::desk::Reception {
        procedure: "9.100010".to_owned(),
        unit: "ho-xa".to_owned(),
        channel: Channel::Direct,
        online_level: None,
        components_total: 1,
        components_digitized: 0,
        fee_vnd: 8_000,
        applicant: Applicant {
            name: "Trần Văn Bình".to_owned(),
            id_number: "045099001234".to_owned(),
            ..Applicant::default()
        },
        request: String::new(),
        components: vec![component("Căn cước công dân")],
    };
    let h = motcua_app::desk::receive(store, &officer, &reception, &ctx).await?;
    let code = h.dossier.code.to_string();
    let h = motcua_app::desk::attach_scan(
        store,
        files,
        &officer,
        &code,
        Slot::Component(0),
        "cccd.pdf",
        common::PDF,
        &ctx,
    )
    .await?;
    let sha = h
        .details
        .and_then(|d| d.components[0].scan.clone())
        .ok_or("no scan")?
        .sha256;
    motcua_app::desk::record_payment(store, &officer, &code, PaymentChannel::Offline, &ctx).await?;
    let series = motcua_app::desk::ReceiptSeries {
        form_symbol: "01BLP0-001".to_owned(),
        series: "HX-24E".to_owned(),
        fee_kind: Some(motcua_core::fees::FeeKind::Charge),
    };
    motcua_app::desk::issue_receipt(store, &officer, &code, &series, &ctx).await?;
    Ok((code, sha))
}

#[tokio::test]
async fn slips_the_receipt_and_the_history_name_the_officer_not_the_login() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let (code, _) = handled_by_lan(&store, &common::scan_files()).await?;
        let mut admin = Client::signed_in(&store, "district-admin", PASSWORD).await?;
        for (page, what) in [
            (format!("/dossiers/{code}"), "history"),
            (format!("/dossiers/{code}/slips/tiep-nhan"), "Mẫu 01"),
            (format!("/dossiers/{code}/slips/kiem-soat"), "Mẫu 05"),
            (format!("/dossiers/{code}/receipt"), "e-receipt"),
        ] {
            let a = admin.get(&page).await?;
            assert_eq!(
                a.status,
                StatusCode::OK,
                "{} {what}: {}",
                db.backend,
                a.body
            );
            assert!(
                a.body.contains(NAME),
                "{} {what} lacks the full name",
                db.backend
            );
            assert!(
                !a.body.contains(LOGIN),
                "{} {what} shows the login",
                db.backend
            );
            assert!(
                !a.body.contains("user:"),
                "{} {what} shows an actor code",
                db.backend
            );
        }
    }
    Ok(())
}

#[tokio::test]
async fn the_command_line_and_tokens_read_as_such() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;
    let (code, _) = handled_by_lan(&store, &common::scan_files()).await?;
    // An import from the command line (the fixture, loaded by `test`) and a token's name.
    let tree = motcua_core::unit::UnitTree::new(store.units().await?)?;
    let names = motcua_core::audit::ActorNames::new(
        store
            .known_actors(&["user:tiep-nhan-ho-xa".to_owned(), "token:sync".to_owned()])
            .await?,
        &tree,
    );
    assert_eq!(names.label("user:tiep-nhan-ho-xa", None), NAME);
    assert_eq!(
        names.label("cli:unknown", Some("motcua import")),
        "Dòng lệnh (motcua import)"
    );
    let ctx = motcua_testkit::ctx("cli:root", Timestamp::from_micros(0));
    motcua_app::auth::create_token(&store, "dong-bo-tinh", "ho-xa", true, &ctx).await?;
    let names = motcua_core::audit::ActorNames::new(
        store
            .known_actors(&["token:dong-bo-tinh".to_owned()])
            .await?,
        &tree,
    );
    let label = names.label("token:dong-bo-tinh", None);
    assert!(
        label.starts_with("Mã truy cập «dong-bo-tinh» của "),
        "{label}"
    );
    assert!(label.contains("Hồ Xá"), "{label}");
    // The history of an imported dossier says where it came from, not `cli:…`.
    let imported = common::pending_dossiers(&store, "ho-xa", 1).await?;
    let mut admin = Client::signed_in(&store, "district-admin", PASSWORD).await?;
    let a = admin.get(&format!("/dossiers/{}", imported[0])).await?;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        !a.body.contains("cli:") && !a.body.contains(">test<"),
        "{}",
        a.body
    );
    let _ = code;
    Ok(())
}

#[tokio::test]
async fn the_view_only_role_sees_no_scans_and_no_id_numbers() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let (code, sha) = handled_by_lan(&store, &common::scan_files()).await?;
        let file = format!("/dossiers/{code}/files/{sha}");

        let mut viewer = Client::signed_in(&store, "district-viewer", PASSWORD).await?;
        let a = viewer.get(&file).await?;
        assert_eq!(
            a.status,
            StatusCode::FORBIDDEN,
            "{}: {}",
            db.backend,
            a.body
        );
        assert!(!a.body.contains("%PDF"), "{}", db.backend);
        let page = viewer.get(&format!("/dossiers/{code}")).await?;
        assert_eq!(page.status, StatusCode::OK, "{}", db.backend);
        assert!(
            !page.body.contains(&file),
            "{}: the page links the scan",
            db.backend
        );
        assert!(
            !page.body.contains("045099001234"),
            "{}: ID number shown",
            db.backend
        );
        assert!(
            page.body.contains("Bản quét"),
            "{}: the scan's presence",
            db.backend
        );
        let slip = viewer
            .get(&format!("/dossiers/{code}/slips/tiep-nhan"))
            .await?;
        assert!(
            !slip.body.contains("045099001234"),
            "{}: ID on the slip",
            db.backend
        );

        // The roles that handle dossiers still open them.
        for who in ["district-admin", LOGIN] {
            let mut officer = Client::signed_in(&store, who, PASSWORD).await?;
            let a = officer.get(&file).await?;
            assert_eq!(a.status, StatusCode::OK, "{} {who}", db.backend);
            assert!(a.body.starts_with("%PDF"), "{} {who}", db.backend);
            let page = officer.get(&format!("/dossiers/{code}")).await?;
            assert!(
                page.body.contains(&file),
                "{} {who}: no link to the scan",
                db.backend
            );
            let slip = officer
                .get(&format!("/dossiers/{code}/slips/tiep-nhan"))
                .await?;
            assert!(
                slip.body.contains("045099001234"),
                "{} {who}: no ID",
                db.backend
            );
        }
    }
    Ok(())
}
