//! The hand-off inside a unit and the corrections before it, on both databases: reception
//! corrects a typo before processing starts (audited, old values kept, not a withdrawal, the
//! indicators unchanged) and is refused after; an assignment names a specialist of the unit;
//! the specialist's and the leader's queues; a supplement adds its documents to the checklist.

use motcua_app::AppError;
use motcua_app::desk::{self, Reception};
use motcua_core::access::Role;
use motcua_core::details::{Applicant, Component, Details};
use motcua_core::dossier::Channel;
use motcua_core::history::EventDetail;
use motcua_core::lifecycle::{Step, SuppliedDocument};
use motcua_store::SqlStore;

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

async fn setup(url: &str) -> Result<(SqlStore, Reception), Box<dyn std::error::Error>> {
    let store = SqlStore::connect(url).await?;
    let ctx = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
    motcua_app::import_dir(&store, &motcua_testkit::vinh_linh(), &ctx).await?;
    for (name, full, unit, role) in [
        ("chuyen-vien", "Lê Thị Chuyên", "ho-xa", Role::Specialist),
        (
            "chuyen-vien-khe",
            "Trần Văn Khê",
            "vinh-khe",
            Role::Specialist,
        ),
        ("tiep-nhan-2", "Phạm Thị Nhận", "ho-xa", Role::Reception),
    ] {
        motcua_app::auth::create_user(&store, name, full, unit, role, "mat-khau-thu", &ctx).await?;
    }
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
    let reception = Reception {
        procedure: procedure.code.to_string(),
        unit: "ho-xa".to_owned(),
        channel: Channel::Direct,
        online_level: None,
        components_total: 0,
        components_digitized: 0,
        fee_vnd: 0,
        applicant: Applicant {
            name: "Nguyễn Van An".to_owned(),
            id_number: "045090000001".to_owned(),
            ..Applicant::default()
        },
        request: String::new(),
        components: vec![component("To khai"), component("Giấy chứng sinh")],
    };
    Ok((store, reception))
}

#[tokio::test]
async fn a_typo_is_corrected_before_processing_and_not_after() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let (store, reception) = setup(&db.url).await?;
        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let month = "2024-05".parse()?;
        let h = desk::receive(
            &store,
            &desk_officer,
            &reception,
            &at(&desk_officer, "2024-05-20T08:00:00+07:00")?,
        )
        .await?;
        let code = h.dossier.code.to_string();
        let before = motcua_app::indicators(&store, "ho-xa", month).await?;
        let mut fixed: Details = h.details.clone().ok_or("no details")?;
        fixed.applicant.name = "Nguyễn Văn An".to_owned();
        fixed.components[0].name = "Tờ khai".to_owned();
        let ctx = at(&desk_officer, "2024-05-20T08:10:00+07:00")?;
        let c = desk::correct(&store, &desk_officer, &code, &fixed, &ctx).await?;
        assert_eq!(c.details.as_ref().map(|d| d.applicant.name.as_str()), Some("Nguyễn Văn An"));
        assert_eq!(c.dossier, h.dossier, "{}: the dossier's fields stay", db.backend);
        // The history keeps the old values; it is no withdrawal: the indicators are the same.
        let events = store.dossier_events(&h.dossier.code).await?;
        let EventDetail::Corrected(change) = &events.last().ok_or("no event")?.detail else {
            panic!("{}: not a correction: {events:?}", db.backend)
        };
        let lines = change.lines_vi();
        assert!(lines.contains(&"họ tên: Nguyễn Van An → Nguyễn Văn An".to_owned()), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("To khai (1 bản chính, 0 bản sao)")), "{lines:?}");
        let after = motcua_app::indicators(&store, "ho-xa", month).await?;
        assert_eq!(after.counts, before.counts, "{}", db.backend);
        let trail = store
            .audit(&motcua_core::access::AuditFilter {
                action: Some("dossier.correct".into()),
                ..Default::default()
            })
            .await?;
        assert_eq!(trail.len(), 1);

        // Nothing changed: refused, nothing written.
        let e = desk::correct(&store, &desk_officer, &code, &fixed, &ctx).await;
        assert!(matches!(&e, Err(AppError::Refused(m)) if m.contains("không có thông tin nào thay đổi")), "{e:?}");
        // A specialist may not correct.
        let specialist = officer("chuyen-vien", "ho-xa", Role::Specialist)?;
        let e = desk::correct(&store, &specialist, &code, &fixed, &ctx).await;
        assert!(matches!(e, Err(AppError::Denied(_))), "{e:?}");

        // Once handed over, correction is refused with the reason.
        desk::take_step(
            &store,
            &desk_officer,
            &code,
            &Step::Assign {
                to: "chuyen-vien".to_owned(),
            },
            &at(&desk_officer, "2024-05-20T08:20:00+07:00")?,
        )
        .await?;
        fixed.applicant.phone = "0912345678".to_owned();
        let e = desk::correct(&store, &desk_officer, &code, &fixed, &ctx).await;
        assert!(
            matches!(&e, Err(AppError::Refused(m)) if m.contains("không sửa được thông tin nữa")),
            "{e:?}"
        );
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn assignments_name_a_specialist_of_the_unit_and_fill_the_queues() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let (store, reception) = setup(&db.url).await?;
        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let specialist = officer("chuyen-vien", "ho-xa", Role::Specialist)?;
        let leader = officer("lanh-dao", "ho-xa", Role::Leader)?;
        let t = "2024-05-20T08:00:00+07:00";
        let h = desk::receive(&store, &desk_officer, &reception, &at(&desk_officer, t)?).await?;
        let code = h.dossier.code.to_string();
        let assign = |to: &str| Step::Assign { to: to.to_owned() };
        let ctx = at(&desk_officer, "2024-05-20T08:30:00+07:00")?;
        // Another unit's specialist, or a reception officer, is not a specialist of the unit.
        for who in ["chuyen-vien-khe", "tiep-nhan-2", "khong-co-ai"] {
            let e = desk::take_step(&store, &desk_officer, &code, &assign(who), &ctx).await;
            assert!(
                matches!(&e, Err(AppError::Refused(m)) if m.contains("không phải chuyên viên")),
                "{who}: {e:?}"
            );
        }
        // A specialist may not hand over.
        let e = desk::take_step(&store, &specialist, &code, &assign("chuyen-vien"), &ctx).await;
        assert!(matches!(e, Err(AppError::Denied(_))), "{e:?}");
        let names: Vec<String> = desk::specialists(&store, &h.lifecycle.handling_unit)
            .await?
            .into_iter()
            .map(|s| s.display_name)
            .collect();
        assert_eq!(names, vec!["Lê Thị Chuyên".to_owned()]);
        desk::take_step(&store, &desk_officer, &code, &assign("chuyen-vien"), &ctx).await?;

        let mine = desk::assigned_to_me(&store, &specialist).await?;
        assert_eq!(mine.len(), 1, "{}", db.backend);
        assert_eq!(mine[0].dossier.code, h.dossier.code);
        assert!(desk::assigned_to_me(&store, &leader).await.is_err());
        // The proposal goes to the leader's queue; sent back, it leaves it.
        let sctx = at(&specialist, "2024-05-20T09:00:00+07:00")?;
        let propose = Step::ProposeRejection {
            reason: "Không đủ điều kiện".parse()?,
        };
        desk::take_step(&store, &specialist, &code, &propose, &sctx).await?;
        assert_eq!(desk::awaiting_approval(&store, &leader).await?.len(), 1);
        // Another commune's leader does not see it.
        let other_leader = officer("lanh-dao-khe", "vinh-khe", Role::Leader)?;
        assert!(
            desk::awaiting_approval(&store, &other_leader)
                .await?
                .is_empty()
        );
        let back = Step::SendBack {
            reason: "Ghi rõ căn cứ từ chối".parse()?,
        };
        let lctx = at(&leader, "2024-05-20T10:00:00+07:00")?;
        let h = desk::take_step(&store, &leader, &code, &back, &lctx).await?;
        assert_eq!(h.lifecycle.proposal, None);
        assert!(desk::awaiting_approval(&store, &leader).await?.is_empty());
        assert_eq!(desk::assigned_to_me(&store, &specialist).await?.len(), 1);
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_supplement_brings_its_documents_into_the_checklist() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let (store, reception) = setup(&db.url).await?;
        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let specialist = officer("chuyen-vien", "ho-xa", Role::Specialist)?;
        let h = desk::receive(
            &store,
            &desk_officer,
            &reception,
            &at(&desk_officer, "2024-05-20T08:00:00+07:00")?,
        )
        .await?;
        let code = h.dossier.code.to_string();
        for (who, step, t) in [
            (
                &specialist,
                Step::StartProcessing,
                "2024-05-20T09:00:00+07:00",
            ),
            (
                &specialist,
                Step::RequestSupplement {
                    reason: "Thiếu bản sao giấy khai sinh của mẹ".parse()?,
                },
                "2024-05-20T10:00:00+07:00",
            ),
        ] {
            desk::take_step(&store, who, &code, &step, &at(who, t)?).await?;
        }
        let step = Step::Supplemented {
            documents: vec![
                SuppliedDocument {
                    name: "Bản sao giấy khai sinh của mẹ".to_owned(),
                    originals: 0,
                    copies: 1,
                },
                SuppliedDocument {
                    name: "giấy chứng sinh".to_owned(),
                    originals: 2,
                    copies: 0,
                },
            ],
        };
        let h = desk::take_step(
            &store,
            &desk_officer,
            &code,
            &step,
            &at(&desk_officer, "2024-05-21T10:00:00+07:00")?,
        )
        .await?;
        let d = h.details.clone().ok_or("no details")?;
        let names: Vec<(&str, u32, u32)> = d
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.originals, c.copies))
            .collect();
        assert_eq!(
            names,
            vec![
                ("To khai", 1, 0),
                ("Giấy chứng sinh", 2, 0),
                ("Bản sao giấy khai sinh của mẹ", 0, 1)
            ],
            "{}",
            db.backend
        );
        assert_eq!(h.dossier.components_total, 3);
        let stored = store.held_dossier(&h.dossier.code).await?.ok_or("gone")?;
        assert_eq!(stored.details, Some(d));
        // The appointment moved by the day the clock was stopped, and the explanation knows.
        assert!(h.dossier.due_at > stored.dossier.received_at);
        let explained = motcua_app::calendar::explain_dossier(&store, &code).await?;
        assert_eq!(
            explained.computed, h.dossier.due_at,
            "{}: the explanation takes the pause into account",
            db.backend
        );
        store.close().await?;
        Ok(())
    })
    .await
}
