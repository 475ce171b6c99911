//! The calendar wired into the system: appointments filled at import, schedule changes that
//! re-plan open dossiers, explanations; on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use std::collections::HashMap;

use motcua_app::calendar::{self, Calendars};
use motcua_app::import_dir;
use motcua_calendar::{DeadlineRules, Schedule, ScheduleDay};
use motcua_core::Timestamp;
use motcua_core::dossier::DossierCode;
use motcua_core::history::EventDetail;
use motcua_store::SqlStore;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn ts(text: &str) -> Result<Timestamp, Box<dyn std::error::Error>> {
    Ok(Timestamp::parse(text)?)
}

/// The fixture's appointments were set by the district's old system: every dossier received
/// inside office hours has exactly the appointment our engine computes. (After hours, the old
/// system kept the clock time of reception, 17:11, where the contract starts the clock at the
/// next session.)
#[test]
fn the_engine_reproduces_the_fixture_appointments() -> TestResult {
    let plan = motcua_testkit::vinh_linh_plan();
    let calendars = Calendars::new(Vec::new())?;
    let units: HashMap<_, _> = plan.units.iter().map(|u| (&u.code, u)).collect();
    let procs: HashMap<_, _> = plan.procedures.iter().map(|p| (&p.code, p)).collect();
    let mut inside = 0;
    for located in &plan.dossiers {
        let d = &located.value;
        let (unit, procedure) = (units[&d.unit_code], procs[&d.procedure_code]);
        let run = motcua_calendar::due_at(
            d.received_at.to_local(),
            procedure.processing_days,
            DeadlineRules {
                cutoff_15h: procedure.cutoff_15h,
            },
            &[],
            &calendars.for_unit(unit),
        )?;
        if run.start == d.received_at.to_local() {
            inside += 1;
            assert_eq!(
                calendars.due_at(d.received_at, procedure, unit)?,
                d.due_at,
                "{}",
                d.code
            );
        }
    }
    assert!(inside > 3500, "{inside} dossiers received in office hours");
    Ok(())
}

fn dossier_row(code: &str, received: &str, due: &str) -> String {
    format!("{code},1.004873,vinh-khe,direct,,{received},{due},,,,2,2,,15000,,,false,new\n")
}

const HEADER: &str = "code,procedure_code,unit_code,channel,online_level,received_at,due_at,resolved_at,outcome,returned_at,components_total,components_digitized,result_digitized,fee_vnd,payment_channel,paid_at,e_receipt,source_system\n";

async fn loaded(url: &str, extra_rows: &str) -> Result<SqlStore, Box<dyn std::error::Error>> {
    let store = SqlStore::connect(url).await?;
    let now = ts("2026-11-26T09:00:00+07:00")?;
    import_dir(
        &store,
        &motcua_testkit::vinh_linh(),
        &motcua_testkit::ctx("test", now),
    )
    .await?;
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("dossiers.csv"),
        format!("{HEADER}{extra_rows}"),
    )?;
    import_dir(&store, dir.path(), &motcua_testkit::ctx("test", now)).await?;
    Ok(store)
}

#[tokio::test]
async fn import_fills_an_empty_due_at_and_explains_it() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        // Thursday 25/4/2024 09:00, 3 working days: 29/4, 30/4 and 1/5 are off.
        let store = loaded(
            &db.url,
            &dossier_row("T-1", "2024-04-25T09:00:00+07:00", ""),
        )
        .await?;
        let d = store
            .dossier(&DossierCode::parse("T-1").ok_or("code")?)
            .await?
            .ok_or("T-1")?;
        assert_eq!(d.due_at, ts("2024-05-03T09:00:00+07:00")?, "{}", db.backend);

        let explained = calendar::explain_dossier(&store, "T-1").await?;
        assert_eq!(explained.computed, d.due_at);
        let text: Vec<&str> = explained.steps.iter().map(|s| s.text.as_str()).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("Thứ Hai 29/04/2024") && t.contains("không tính")),
            "{text:#?}"
        );
        assert!(
            text.last()
                .is_some_and(|t| t.contains("09:00 thứ Sáu 03/05/2024")),
            "{text:#?}"
        );
        assert!(matches!(
            calendar::explain_dossier(&store, "KHONG-CO").await,
            Err(motcua_app::AppError::UnknownDossier(_))
        ));
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_schedule_change_replans_open_dossiers_and_logs_it() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        // A: appointment computed by the calendar. B: appointment given by another system.
        let rows = dossier_row("T-A", "2024-05-20T09:00:00+07:00", "")
            + &dossier_row(
                "T-B",
                "2024-05-20T09:00:00+07:00",
                "2024-05-30T09:00:00+07:00",
            );
        let store = loaded(&db.url, &rows).await?;
        let a = DossierCode::parse("T-A").ok_or("code")?;
        let b = DossierCode::parse("T-B").ok_or("code")?;
        assert_eq!(
            store.dossier(&a).await?.ok_or("A")?.due_at,
            ts("2024-05-23T09:00:00+07:00")?
        );

        // The government adds a day off on Tuesday 21/5/2024.
        let calendars = calendar::load(&store).await?;
        let mut schedule: Schedule = calendars.schedule(2024)?;
        schedule.days_off.push(ScheduleDay {
            date: time::macros::date!(2024 - 05 - 21),
            reason: "Nghỉ đột xuất (thử nghiệm)".to_owned(),
        });
        let now = ts("2026-11-26T10:00:00+07:00")?;
        let moves = calendar::set_schedule(
            &store,
            schedule.clone(),
            &motcua_testkit::ctx("cli:test", now),
        )
        .await?;

        let moved_a = moves.iter().find(|m| m.code == a).ok_or("A must move")?;
        assert_eq!(moved_a.after, ts("2024-05-24T09:00:00+07:00")?);
        assert!(
            moves.iter().all(|m| m.code != b),
            "{}: a given appointment stays",
            db.backend
        );
        assert!(moves.iter().all(|m| m.after > m.before));
        assert_eq!(
            store.dossier(&a).await?.ok_or("A")?.due_at,
            ts("2024-05-24T09:00:00+07:00")?
        );
        assert_eq!(
            store.dossier(&b).await?.ok_or("B")?.due_at,
            ts("2024-05-30T09:00:00+07:00")?
        );
        let events = store.dossier_events(&a).await?;
        let last = events.last().ok_or("event")?;
        assert_eq!(last.actor, "cli:test");
        let EventDetail::DueReplanned(moved) = &last.detail else {
            panic!("a re-planned appointment: {last:?}")
        };
        assert_eq!(moved.before, ts("2024-05-23T09:00:00+07:00")?);

        // The schedule is stored: the calendar in force now has the day off; setting it again
        // moves nothing.
        let again = calendar::load(&store).await?;
        assert_eq!(
            again
                .for_unit(&store.units().await?[0])
                .is_working_day(time::macros::date!(2024 - 05 - 21)),
            Some(false)
        );
        assert!(
            calendar::set_schedule(&store, schedule, &motcua_testkit::ctx("cli:test", now))
                .await?
                .is_empty()
        );
        store.close().await?;
        Ok(())
    })
    .await
}
