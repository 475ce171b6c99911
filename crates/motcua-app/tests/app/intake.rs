//! The desk's intake through the application services, on both databases: the component
//! checklist and its scans (content-addressed, size and type checked, refusals leave nothing
//! behind), the result's scan, payment and the e-receipt; the indicators follow at once.

use motcua_app::AppError;
use motcua_app::desk::{self, ReceiptSeries, Reception};
use motcua_core::access::Role;
use motcua_core::details::{Applicant, Component, Slot};
use motcua_core::dossier::{Channel, PaymentChannel};
use motcua_core::history::EventKind;
use motcua_core::lifecycle::Step;
use motcua_store::{Files, SqlStore};

type TestResult = Result<(), Box<dyn std::error::Error>>;

use motcua_testkit::{acting as at, officer};

fn component(name: &str) -> Component {
    Component {
        name: name.to_owned(),
        originals: 1,
        copies: 0,
        scan: None,
    }
}

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n";

#[tokio::test]
async fn scans_payment_and_receipt_at_the_desk() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        motcua_app::import_dir(
            &store,
            &motcua_testkit::vinh_linh(),
            &motcua_testkit::ctx("test", motcua_testkit::after_fixture()),
        )
        .await?;
        let dir = tempfile::tempdir()?;
        let files = Files::new(dir.path(), 1024);
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
            .find(|p| p.offered_by_unit(&ho_xa))
            .ok_or("no procedure")?;
        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let specialist = officer("chuyen-vien", "ho-xa", Role::Specialist)?;
        let outsider = officer("tiep-nhan-khe", "vinh-khe", Role::Reception)?;
        let month = "2024-05".parse()?;
        let before = motcua_app::indicators(&store, "ho-xa", month).await?;

        let reception = Reception {
            procedure: procedure.code.to_string(),
            unit: "ho-xa".to_owned(),
            channel: Channel::Direct,
            online_level: None,
            // Ignored: the checklist decides.
            components_total: 9,
            components_digitized: 9,
            fee_vnd: 8_000,
            applicant: Applicant {
                name: "Nguyễn Thị Hoa".to_owned(),
                phone: "0912 345 678".to_owned(),
                ..Applicant::default()
            },
            request: String::new(),
            components: vec![component("Tờ khai"), component(" Giấy chứng sinh ")],
        };
        let h = desk::receive(
            &store,
            &desk_officer,
            &reception,
            &at(&desk_officer, "2024-05-20T08:00:00+07:00")?,
        )
        .await?;
        let code = h.dossier.code.to_string();
        assert_eq!(
            (h.dossier.components_total, h.dossier.components_digitized),
            (2, 0)
        );
        let details = store
            .details(&h.dossier.code)
            .await?
            .ok_or("details stored")?;
        assert_eq!(details.applicant.name, "Nguyễn Thị Hoa");
        assert_eq!(details.request, procedure.name, "the procedure by default");
        assert_eq!(details.components[1].name, "Giấy chứng sinh");

        // Refusals: too big, a forbidden type, a component that does not exist, another
        // unit's officer. None writes a file or changes the dossier.
        let ctx = at(&desk_officer, "2024-05-20T08:05:00+07:00")?;
        let big = [b"%PDF-".as_slice(), &[b'x'; 2000]].concat();
        for (slot, name, bytes, who, expect) in [
            (
                Slot::Component(0),
                "lon.pdf",
                big.as_slice(),
                &desk_officer,
                "vượt giới hạn",
            ),
            (
                Slot::Component(0),
                "to-khai.exe",
                b"MZ\x90\x00\x03".as_slice(),
                &desk_officer,
                "không phải loại được nhận",
            ),
            (
                Slot::Component(0),
                "to-khai.html",
                b"<html><script>".as_slice(),
                &desk_officer,
                "không phải loại được nhận",
            ),
            (
                Slot::Component(5),
                "to-khai.pdf",
                PDF,
                &desk_officer,
                "không có thành phần thứ 6",
            ),
            (
                Slot::Component(0),
                "to-khai.pdf",
                PDF,
                &outsider,
                "không có hồ sơ",
            ),
        ] {
            let e = desk::attach_scan(&store, &files, who, &code, slot, name, bytes, &ctx)
                .await
                .err()
                .ok_or("refused")?;
            assert!(e.to_string().contains(expect), "{e} ({expect})");
            assert!(
                motcua_testkit::count_files(dir.path()) == 0,
                "nothing left after {name}"
            );
        }
        let unchanged = desk::get(&store, &desk_officer, &code).await?;
        assert_eq!(unchanged.dossier.components_digitized, 0);
        assert_eq!(unchanged.details, h.details);

        // A scan is stored under its hash, the component is digitized.
        let h = desk::attach_scan(
            &store,
            &files,
            &desk_officer,
            &code,
            Slot::Component(0),
            "C:\\scan\\to khai.pdf",
            PDF,
            &ctx,
        )
        .await?;
        assert_eq!(h.dossier.components_digitized, 1);
        let scan = h.details.as_ref().ok_or("details")?.components[0]
            .scan
            .clone()
            .ok_or("scan")?;
        assert_eq!(scan.file_name, "to khai.pdf");
        assert_eq!(scan.size, PDF.len() as u64);
        assert_eq!(files.get(&scan.sha256).await?.as_deref(), Some(PDF));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let h = desk::attach_scan(
            &store,
            &files,
            &desk_officer,
            &code,
            Slot::Component(1),
            "giay-chung-sinh.png",
            png,
            &ctx,
        )
        .await?;
        assert_eq!(h.dossier.components_digitized, 2);
        assert_eq!(motcua_testkit::count_files(dir.path()), 2);
        let after = motcua_app::indicators(&store, "ho-xa", month).await?;
        assert_eq!(
            after.counts.received_fully_digitized,
            before.counts.received_fully_digitized + 1,
            "{}",
            db.backend
        );

        // Payment, then the e-receipt (not before, and only once).
        let series = desk::receipt_series(&store, &h.dossier.unit_code, ctx.at).await?;
        assert_eq!(series.series, "HX-24E");
        let e = desk::issue_receipt(&store, &desk_officer, &code, &series, &ctx).await;
        assert!(matches!(e, Err(AppError::Refused(m)) if m.contains("chưa ghi nhận nộp phí")));
        let e =
            desk::record_payment(&store, &specialist, &code, PaymentChannel::Offline, &ctx).await;
        assert!(e.is_err(), "specialists do not collect fees");
        let h = desk::record_payment(&store, &desk_officer, &code, PaymentChannel::Offline, &ctx)
            .await?;
        assert_eq!(h.dossier.paid_at, Some(ctx.at));
        let e =
            desk::record_payment(&store, &desk_officer, &code, PaymentChannel::Online, &ctx).await;
        assert!(matches!(e, Err(AppError::Refused(m)) if m.contains("đã nộp phí")));
        let custom = ReceiptSeries {
            form_symbol: "01BLP0-002".to_owned(),
            series: "HX-24P".to_owned(),
            fee_kind: None,
        };
        let r = desk::issue_receipt(&store, &desk_officer, &code, &custom, &ctx).await?;
        assert_eq!(r.amount_vnd, 8_000);
        assert_eq!(r.payment_channel, PaymentChannel::Offline);
        let e = desk::issue_receipt(&store, &desk_officer, &code, &custom, &ctx).await;
        assert!(matches!(e, Err(AppError::Refused(m)) if m.contains("đã được cấp biên lai")));
        assert_eq!(
            desk::receipt_series(&store, &h.dossier.unit_code, ctx.at).await?,
            custom,
            "the form proposes the unit's last series"
        );
        assert_eq!(desk::receipts(&store, &desk_officer, &code).await?, vec![r]);
        let after = motcua_app::indicators(&store, "ho-xa", month).await?;
        assert_eq!(
            (
                after.counts.fee_received_paid,
                after.counts.fee_received_e_receipt
            ),
            (
                before.counts.fee_received_paid + 1,
                before.counts.fee_received_e_receipt + 1
            )
        );

        // The result's scan after approval makes the result digitized.
        for step in [
            Step::StartProcessing,
            Step::Approve {
                result_digitized: false,
            },
        ] {
            // The leader settles (a specialist would propose).
            let leader = officer("lanh-dao", "ho-xa", Role::Leader)?;
            desk::take_step(
                &store,
                &leader,
                &code,
                &step,
                &at(&leader, "2024-05-20T09:00:00+07:00")?,
            )
            .await?;
        }
        let h = desk::attach_scan(
            &store,
            &files,
            &specialist,
            &code,
            Slot::Result,
            "ket-qua.pdf",
            PDF,
            &at(&specialist, "2024-05-20T09:30:00+07:00")?,
        )
        .await?;
        assert_eq!(h.dossier.result_digitized, Some(true));
        assert_eq!(h.lifecycle.result_digitized, Some(true));
        assert_eq!(
            motcua_testkit::count_files(dir.path()),
            2,
            "same content, same file"
        );
        let stored = desk::get(&store, &desk_officer, &code).await?;
        assert_eq!(stored.dossier.result_digitized, Some(true));

        let kinds: Vec<EventKind> = store
            .dossier_events(&stored.dossier.code)
            .await?
            .iter()
            .map(|e| e.kind())
            .collect();
        for kind in [
            EventKind::ScanAttached,
            EventKind::PaymentRecorded,
            EventKind::ReceiptIssued,
        ] {
            assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
        }

        // Imported dossiers have no checklist to attach to.
        let imported = store
            .dossiers()
            .await?
            .into_iter()
            .find(|d| d.unit_code.as_str() == "ho-xa" && d.resolved_at.is_none())
            .ok_or("an imported pending dossier")?;
        let e = desk::attach_scan(
            &store,
            &files,
            &desk_officer,
            imported.code.as_str(),
            Slot::Component(0),
            "a.pdf",
            PDF,
            &ctx,
        )
        .await;
        assert!(matches!(e, Err(AppError::Refused(m)) if m.contains("không có danh mục")));
        Ok(())
    })
    .await
}
