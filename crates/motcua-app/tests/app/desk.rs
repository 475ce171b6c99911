//! The desk's work through the application services, on both databases: receive, hand over,
//! request a supplement (the clock stops and the appointment moves), approve, return; who may
//! do it; illegal steps; concurrent steps; the indicators follow at once.

use motcua_app::AppError;
use motcua_app::desk::{self, Reception};
use motcua_calendar::ProcessingDays;
use motcua_core::Timestamp;
use motcua_core::access::{AuditFilter, Principal, Role};
use motcua_core::dossier::Channel;
use motcua_core::history::{EventDetail, EventKind};
use motcua_core::lifecycle::{Status, Step, StepKind};
use motcua_core::procedure::Procedure;
use motcua_store::SqlStore;

type TestResult = Result<(), Box<dyn std::error::Error>>;

use motcua_testkit::{TestDb, acting as at, for_each_db, officer};

/// What every case starts from: the Vĩnh Linh fixture imported, Hồ Xá's officers, a
/// procedure Hồ Xá carries out in whole days (so the appointment keeps the clock time), one
/// it does not, and a reception at its desk.
struct Desk {
    store: SqlStore,
    elsewhere: Procedure,
    desk_officer: Principal,
    specialist: Principal,
    leader: Principal,
    outsider: Principal,
    reception: Reception,
}

async fn desk(db: &TestDb) -> Result<Desk, Box<dyn std::error::Error>> {
    let store = SqlStore::connect(&db.url).await?;
    motcua_app::import_dir(
        &store,
        &motcua_testkit::vinh_linh(),
        &motcua_testkit::ctx("test", motcua_testkit::after_fixture()),
    )
    .await?;
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
        .find(|p| {
            p.offered_by_unit(&ho_xa)
                && (1..=30).any(|n| p.processing_days == ProcessingDays::days(n))
        })
        .ok_or("no procedure in whole days")?;
    let elsewhere = store
        .procedures()
        .await?
        .into_iter()
        .find(|p| !p.offered_by_unit(&ho_xa))
        .ok_or("every procedure is a commune's")?;
    // The specialist an assignment names is an account of the unit.
    motcua_app::auth::create_user(
        &store,
        "chuyen-vien",
        "Lê Thị Chuyên",
        "ho-xa",
        Role::Specialist,
        "mat-khau-thu",
        &motcua_testkit::ctx("test", motcua_testkit::after_fixture()),
    )
    .await?;
    let reception = Reception {
        procedure: procedure.code.to_string(),
        unit: "ho-xa".to_owned(),
        channel: Channel::Direct,
        online_level: None,
        components_total: 3,
        components_digitized: 3,
        fee_vnd: 50_000,
        applicant: Default::default(),
        request: String::new(),
        components: Vec::new(),
    };
    Ok(Desk {
        store,
        elsewhere,
        desk_officer: officer("tiep-nhan", "ho-xa", Role::Reception)?,
        specialist: officer("chuyen-vien", "ho-xa", Role::Specialist)?,
        leader: officer("lanh-dao", "ho-xa", Role::Leader)?,
        outsider: officer("chuyen-vien-khe", "vinh-khe", Role::Specialist)?,
        reception,
    })
}

impl Desk {
    /// Receives the reception at Hồ Xá's desk at `t`.
    async fn receive(&self, t: &str) -> Result<desk::Handled, Box<dyn std::error::Error>> {
        Ok(desk::receive(
            &self.store,
            &self.desk_officer,
            &self.reception,
            &at(&self.desk_officer, t)?,
        )
        .await?)
    }
}

#[tokio::test]
async fn received_dossiers_take_the_next_free_numbers_of_the_day() -> TestResult {
    for_each_db(async |db| {
        let w = desk(db).await?;
        // The fixture already holds Hồ Xá's dossiers of that day under the same scheme, from
        // -0001 on: new codes take the next free numbers.
        let taken = w
            .store
            .dossiers()
            .await?
            .iter()
            .filter(|d| d.code.as_str().starts_with("HO-XA-240520-"))
            .count();
        assert!(taken > 0);
        // Monday 20/5/2024, 08:00.
        let h = w.receive("2024-05-20T08:00:00+07:00").await?;
        assert_eq!(
            h.dossier.code.as_str(),
            format!("HO-XA-240520-{:04}", taken + 1),
            "{}",
            db.backend
        );
        assert_eq!(h.lifecycle.status, Status::Received);
        assert_eq!(
            h.dossier.due_at.to_local().hour(),
            8,
            "whole days keep the clock time"
        );
        let second = w.receive("2024-05-20T08:05:00+07:00").await?;
        assert_eq!(
            second.dossier.code.as_str(),
            format!("HO-XA-240520-{:04}", taken + 2)
        );
        w.store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn reception_is_refused_outside_ones_subtree_role_or_competence() -> TestResult {
    for_each_db(async |db| {
        let w = desk(db).await?;
        let (desk_officer, specialist) = (&w.desk_officer, &w.specialist);
        let ctx = at(desk_officer, "2024-05-20T08:10:00+07:00")?;
        // Only inside one's own subtree, and only with the right role.
        let other_unit = Reception {
            unit: "vinh-khe".to_owned(),
            ..w.reception.clone()
        };
        let e = desk::receive(&w.store, desk_officer, &other_unit, &ctx).await;
        assert!(
            matches!(e, Err(AppError::Denied(_))),
            "{}: {e:?}",
            db.backend
        );
        let e = desk::receive(
            &w.store,
            specialist,
            &w.reception,
            &at(specialist, "2024-05-20T08:10:00+07:00")?,
        )
        .await;
        assert!(
            matches!(e, Err(AppError::Denied(_))),
            "{}: {e:?}",
            db.backend
        );

        // A procedure the commune does not carry out is refused.
        let elsewhere = Reception {
            procedure: w.elsewhere.code.to_string(),
            ..w.reception.clone()
        };
        let e = desk::receive(&w.store, desk_officer, &elsewhere, &ctx).await;
        assert!(
            matches!(&e, Err(AppError::Refused(m)) if m.contains("không thuộc thẩm quyền")),
            "{e:?}"
        );
        w.store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_dossier_goes_from_the_desk_to_its_result() -> TestResult {
    for_each_db(async |db| {
        let w = desk(db).await?;
        let (store, desk_officer, specialist) = (&w.store, &w.desk_officer, &w.specialist);
        let before = motcua_app::indicators(store, "ho-xa", "2024-05".parse()?).await?;
        let h = w.receive("2024-05-20T08:00:00+07:00").await?;
        let due = h.dossier.due_at;
        let code = h.dossier.code.to_string();
        let step = |p: &Principal, s: Step, t: &str| {
            let store = store.clone();
            let p = p.clone();
            let code = code.clone();
            let ctx = at(&p, t);
            async move {
                desk::take_step(&store, &p, &code, &s, &ctx?)
                    .await
                    .map_err(Box::<dyn std::error::Error>::from)
            }
        };
        // Reception hands the dossier to the specialist.
        let h = step(
            desk_officer,
            Step::Assign {
                to: "chuyen-vien".to_owned(),
            },
            "2024-05-20T08:30:00+07:00",
        )
        .await?;
        assert_eq!(h.lifecycle.status, Status::InProcessing);
        assert_eq!(h.lifecycle.assignee.as_deref(), Some("chuyen-vien"));
        // Another commune's specialist does not even learn that the dossier exists.
        let e = desk::take_step(
            store,
            &w.outsider,
            &code,
            &Step::StartProcessing,
            &at(&w.outsider, "2024-05-20T09:00:00+07:00")?,
        )
        .await;
        assert!(matches!(e, Err(AppError::UnknownDossier(_))), "{e:?}");
        // The desk cannot approve.
        let e = desk::take_step(
            store,
            desk_officer,
            &code,
            &Step::Approve {
                result_digitized: true,
            },
            &at(desk_officer, "2024-05-20T09:30:00+07:00")?,
        )
        .await;
        assert!(matches!(e, Err(AppError::Denied(_))), "{e:?}");
        // Nor can the specialist: a specialist proposes, the leader decides.
        let e = desk::take_step(
            store,
            specialist,
            &code,
            &Step::Approve {
                result_digitized: true,
            },
            &at(specialist, "2024-05-20T09:30:00+07:00")?,
        )
        .await;
        assert!(matches!(e, Err(AppError::Denied(_))), "{e:?}");

        // A supplement request stops the clock from 10:00 to 11:00: the appointment moves by
        // that hour.
        let h = step(
            specialist,
            Step::RequestSupplement {
                reason: "Thiếu bản sao giấy khai sinh".parse()?,
            },
            "2024-05-20T10:00:00+07:00",
        )
        .await?;
        assert_eq!(h.lifecycle.status, Status::AwaitingSupplement);
        assert_eq!(h.dossier.due_at, due, "a running pause moves nothing yet");
        // An illegal step is refused, saying why.
        let e = step(
            &w.leader,
            Step::Approve {
                result_digitized: true,
            },
            "2024-05-20T10:30:00+07:00",
        )
        .await
        .err()
        .ok_or("approved while waiting for a supplement")?;
        assert!(
            e.to_string().contains(
                "không thể phê duyệt kết quả khi hồ sơ đang ở trạng thái «Chờ bổ sung hồ sơ»"
            ),
            "{e}"
        );
        // Nor is an apology while the clock is stopped: the dossier cannot run late (its
        // letter, Mẫu 04, would say it did).
        let e = step(
            specialist,
            Step::Apologize {
                new_due: Timestamp::from_micros(due.as_micros() + 5 * 86_400_000_000),
                reason: "Chờ xác minh".parse()?,
            },
            "2024-05-20T10:40:00+07:00",
        )
        .await
        .err()
        .ok_or("apologised while waiting for a supplement")?;
        assert!(e.to_string().contains("hồ sơ đang tạm dừng"), "{e}");
        let h = step(desk_officer, Step::Supplemented { documents: vec![] }, "2024-05-20T11:00:00+07:00").await?;
        assert_eq!(h.lifecycle.status, Status::InProcessing);
        assert_eq!(
            h.dossier.due_at.as_micros() - due.as_micros(),
            3_600_000_000,
            "{}: the appointment moved by the hour the clock was stopped",
            db.backend
        );
        // The specialist proposes: nothing is settled, the indicators do not move.
        let h = step(
            specialist,
            Step::ProposeApproval {
                result_digitized: true,
            },
            "2024-05-20T13:00:00+07:00",
        )
        .await?;
        assert_eq!(h.lifecycle.status, Status::AwaitingApproval);
        assert_eq!(h.dossier.resolved_at, None);
        let waiting = desk::awaiting_approval(store, &w.leader).await?;
        assert_eq!(
            waiting.iter().map(|h| h.dossier.code.to_string()).collect::<Vec<_>>(),
            vec![code.clone()],
            "{}",
            db.backend
        );
        let mid = motcua_app::indicators(store, "ho-xa", "2024-05".parse()?).await?;
        assert_eq!(mid.counts.resolved, before.counts.resolved);
        // The leader approves: the settlement time is the approval's.
        let h = step(
            &w.leader,
            Step::Approve {
                result_digitized: true,
            },
            "2024-05-20T14:00:00+07:00",
        )
        .await?;
        assert_eq!(h.lifecycle.status, Status::Approved);
        assert_eq!(
            h.dossier.resolved_at,
            Some(Timestamp::parse("2024-05-20T14:00:00+07:00")?)
        );
        assert!(desk::awaiting_approval(store, &w.leader).await?.is_empty());
        let h = step(
            desk_officer,
            Step::ReturnResult {
                collected_by: Some(motcua_core::lifecycle::Collector {
                    name: "Nguyễn Văn Bình".to_owned(),
                    id_number: "045090001234".to_owned(),
                    relation: "con trai".to_owned(),
                }),
            },
            "2024-05-23T08:00:00+07:00",
        )
        .await?;
        assert_eq!(h.lifecycle.status, Status::Returned);
        let stored = store.dossier(&h.dossier.code).await?.ok_or("gone")?;
        assert_eq!(stored.returned_at, h.dossier.returned_at);
        assert_eq!(stored.due_at, h.dossier.due_at);

        // The history holds every step with its actor; the audit trail too.
        let events = store.dossier_events(&h.dossier.code).await?;
        let kinds: Vec<EventKind> = events.iter().map(|e| e.kind()).collect();
        assert_eq!(kinds[0], EventKind::Received);
        assert_eq!(kinds.len(), 7, "received + 6 steps");
        assert_eq!(events[1].actor, "user:tiep-nhan", "the hand-off");
        assert_eq!(events[2].actor, "user:chuyen-vien");
        assert!(
            matches!(&events[2].detail, EventDetail::Step(s) if s.step.kind() == StepKind::RequestSupplement),
            "{:?}",
            events[2]
        );
        let trail = store
            .audit(&AuditFilter {
                actor: Some("user:tiep-nhan".into()),
                ..Default::default()
            })
            .await?;
        assert_eq!(trail[0].action, "dossier.return_result");

        // The indicators follow at once: one more received in May, one more resolved early.
        let after = motcua_app::indicators(store, "ho-xa", "2024-05".parse()?).await?;
        assert_eq!(after.counts.received, before.counts.received + 1);
        assert_eq!(after.counts.resolved, before.counts.resolved + 1);
        assert_eq!(
            after.counts.resolved_early,
            before.counts.resolved_early + 1
        );
        w.store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn of_two_officers_acting_on_one_state_the_second_is_refused() -> TestResult {
    for_each_db(async |db| {
        let w = desk(db).await?;
        let second = w.receive("2024-05-20T08:05:00+07:00").await?;
        let (d, l) = (second.dossier.clone(), second.lifecycle.clone());
        let next = l.apply(
            &Step::StartProcessing,
            Timestamp::parse("2024-05-20T09:00:00+07:00")?,
        )?;
        let ctx = at(&w.specialist, "2024-05-20T09:00:00+07:00")?;
        let held = motcua_store::HeldDossier::stored(d.clone(), l.clone(), second.details.clone());
        let change = motcua_store::Change::Step(&Step::StartProcessing);
        w.store
            .apply_change(&held, (&d, &next, None), &change, &[], &ctx, None)
            .await?;
        let e = w
            .store
            .apply_change(&held, (&d, &next, None), &change, &[], &ctx, None)
            .await;
        assert!(
            e.is_err_and(|e| e.to_string().contains("vừa được người khác cập nhật")),
            "{}",
            db.backend
        );
        w.store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_pending_dossier_of_the_old_system_is_settled_in_motcua() -> TestResult {
    for_each_db(async |db| {
        let w = desk(db).await?;
        let pending = w
            .store
            .dossiers()
            .await?
            .into_iter()
            .find(|d| d.unit_code.as_str() == "ho-xa" && d.resolved_at.is_none())
            .ok_or("no pending dossier")?;
        let h = desk::take_step(
            &w.store,
            &w.leader,
            pending.code.as_str(),
            &Step::Reject {
                reason: "Không đủ điều kiện".parse()?,
            },
            &at(&w.leader, "2024-06-03T09:00:00+07:00")?,
        )
        .await?;
        assert_eq!(h.lifecycle.status, Status::Rejected, "{}", db.backend);
        w.store.close().await?;
        Ok(())
    })
    .await
}
