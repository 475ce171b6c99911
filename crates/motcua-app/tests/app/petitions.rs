//! Feedback and petitions (PAKN) on both databases: random lifecycles (submissions, decisions,
//! questions and replies, answers, publications, dissatisfaction, repeats, assignments to
//! another unit), and after every step the stored aggregates equal a recount (`motcua
//! verify`), and the PAKN counts and rates served from them equal an independent count of
//! the stored PAKN written here from the rules of `docs/spec/indicators.md`.

use motcua_core::Timestamp;
use motcua_core::access::{Credential, Principal, Role};
use motcua_core::counts::Counts;
use motcua_core::petition::{Petition, PetitionCode, PetitionForm, PetitionStep};
use motcua_core::rates::Rate;
use motcua_core::timestamp::Month;
use motcua_core::unit::{Unit, UnitCode, UnitTree};
use motcua_store::SqlStore;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

type Op = (u8, u32, u32);

const HOUR: i64 = 3_600_000_000;

struct World {
    store: SqlStore,
    tree: UnitTree,
    communes: Vec<Unit>,
    codes: Vec<PetitionCode>,
    officer: Principal,
    now: Timestamp,
}

fn start() -> Timestamp {
    Timestamp::parse("2025-03-03T08:00:00+07:00").unwrap_or(Timestamp::from_micros(0))
}

fn form(unit: &UnitCode, n: u32) -> PetitionForm {
    PetitionForm {
        unit: unit.to_string(),
        kind: ["phan_anh", "kien_nghi"][n as usize % 2].to_owned(),
        subject: ["quy_dinh", "hanh_vi", "thu_tuc"][n as usize % 3].to_owned(),
        content: format!("Nội dung phản ánh số {n}"),
        name: "Trần Thị Bình".to_owned(),
        contact: format!("09123{:05}", n % 100_000),
        dossier_code: String::new(),
    }
}

async fn step(w: &mut World, op: Op) -> Result<(), Box<dyn std::error::Error>> {
    let (kind, a, b) = op;
    // The clock moves on: up to six days, at any hour (inside and outside sessions).
    w.now = Timestamp::from_micros(w.now.as_micros() + i64::from(b % 145) * HOUR);
    let ctx = motcua_testkit::ctx("test", w.now);
    if kind == 0 || w.codes.is_empty() {
        let unit = w.communes[a as usize % w.communes.len()].code.clone();
        let p = motcua_app::petitions::submit(&w.store, &form(&unit, a), &ctx)
            .await
            .map_err(|e| format!("{e}: {e:?}"))?;
        w.codes.push(p.code);
        return Ok(());
    }
    let code = w.codes[a as usize % w.codes.len()].clone();
    let stored = w.store.petition(&code).await?.ok_or("petition")?;
    let text = || format!("Nội dung {b}");
    let officer = match kind {
        1 => Some(if b % 4 == 0 {
            PetitionStep::Refuse { reason: text() }
        } else {
            PetitionStep::Admit
        }),
        2 => Some(PetitionStep::AskForMore { question: text() }),
        3 => None,
        4 => Some(PetitionStep::Answer { text: text() }),
        5 => Some(PetitionStep::Publish),
        6 => None,
        7 => Some(PetitionStep::MarkRepeat {
            of: w.codes[b as usize % w.codes.len()].clone(),
        }),
        _ => Some(PetitionStep::Assign {
            unit: w.communes[b as usize % w.communes.len()].code.clone(),
            officer: Some("chuyen-vien".to_owned()),
        }),
    };
    let result = match officer {
        Some(s) => {
            motcua_app::petitions::officer_step(
                &w.store,
                &w.officer,
                code.as_str(),
                stored.version,
                &s,
                &ctx,
            )
            .await
        }
        None => {
            let s = if kind == 3 {
                PetitionStep::Reply { text: text() }
            } else {
                PetitionStep::Dissatisfied
            };
            motcua_app::petitions::petitioner_step(
                &w.store,
                code.as_str(),
                stored.petition.contact.as_str(),
                &s,
                &ctx,
            )
            .await
        }
    };
    match result {
        // A step that does not follow is refused and changes nothing.
        Ok(_) | Err(motcua_app::AppError::Refused(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Whether a deadline of `p` was missed by `t`, from its stored due times.
fn late(p: &Petition, t: Timestamp) -> bool {
    let missed = |due: Option<Timestamp>, done: Option<Timestamp>| {
        due.is_some_and(|due| due < t && done.is_none_or(|done| due < done))
    };
    let refused = p.refusal_reason.is_some();
    missed(Some(p.deadlines.decide), p.decided_at)
        || (!refused && missed(p.deadlines.answer, p.answered_at))
        || (!refused && missed(p.deadlines.publish, p.published_at))
        || p.asked_at.is_some_and(|a| a <= t && a > p.deadlines.ask)
}

/// The PAKN counts of `petitions` for `month`, written from the spec's sentences.
fn expected(petitions: &[&Petition], month: Month) -> Counts {
    let (start, end) = (month.start(), month.end());
    let within = |t: Option<Timestamp>| t.is_some_and(|t| start <= t && t < end);
    let before_end = |t: Option<Timestamp>| t.is_some_and(|t| t < end);
    let mut c = Counts::default();
    for p in petitions {
        let refused = p.refusal_reason.is_some();
        let done = if refused {
            p.decided_at
        } else {
            p.published_at
        };
        if within(Some(p.received_at)) {
            c.petitions_received += 1;
            let by = done.filter(|d| *d < end).unwrap_or(end);
            if p.dissatisfied_at.is_some() || p.repeat_of.is_some() || late(p, by) {
                c.petitions_received_unsatisfactory += 1;
            }
        }
        if refused && within(p.decided_at) {
            c.petitions_rejected += 1;
        }
        if !refused && within(p.published_at) {
            c.petitions_answered += 1;
            if let Some(t) = p.published_at
                && !late(p, t)
            {
                c.petitions_answered_in_time += 1;
            }
        }
        if p.received_at < end && !before_end(done) {
            c.petitions_pending += 1;
            if !late(p, end) {
                c.petitions_pending_within_due += 1;
            }
        }
    }
    c
}

const IDS: [&str; 7] = [
    "petitions_received",
    "petitions_rejected",
    "petitions_answered",
    "petitions_answered_in_time",
    "petitions_pending",
    "petitions_pending_within_due",
    "petitions_received_unsatisfactory",
];

async fn check(w: &World) -> Result<(), Box<dyn std::error::Error>> {
    let differences = motcua_app::verify(&w.store).await?;
    assert!(
        differences.is_empty(),
        "aggregates differ from the recount: {differences:#?}"
    );
    let mut all = Vec::new();
    for code in &w.codes {
        all.push(w.store.petition(code).await?.ok_or("petition")?.petition);
    }
    let month = Month::of(w.now);
    let scopes: Vec<UnitCode> = std::iter::once(UnitCode::parse("vinh-linh")?)
        .chain(w.communes.iter().map(|u| u.code.clone()))
        .collect();
    for m in [
        month.previous().previous(),
        month.previous(),
        month,
        month.next(),
    ] {
        for scope in &scopes {
            let mine: Vec<&Petition> = all
                .iter()
                .filter(|p| w.tree.is_within(&p.unit_code, scope))
                .collect();
            let want = expected(&mine, m);
            let served = motcua_app::indicators(&w.store, scope.as_str(), m).await?;
            let (got, want_json) = (
                serde_json::to_value(served.counts)?,
                serde_json::to_value(want)?,
            );
            for id in IDS {
                assert_eq!(got[id], want_json[id], "{id} of {scope} in {m}");
            }
            let on_time = Rate::new(
                want.petitions_answered_in_time + want.petitions_pending_within_due,
                want.petitions_answered + want.petitions_pending,
            );
            let satisfied = Rate::new(
                want.petitions_received - want.petitions_received_unsatisfactory,
                want.petitions_received,
            );
            assert_eq!(served.rates.petition_on_time_rate, on_time, "{scope} {m}");
            assert_eq!(
                served.rates.petition_satisfaction_rate, satisfied,
                "{scope} {m}"
            );
        }
    }
    Ok(())
}

#[test]
fn petition_aggregates_equal_an_independent_count_after_every_step()
-> Result<(), Box<dyn std::error::Error>> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let dbs = rt.block_on(motcua_testkit::test_databases());
    for db in &dbs {
        let world = rt.block_on(async {
            let store = SqlStore::connect(&db.url).await?;
            let dir = tempfile::tempdir()?;
            for f in ["units.csv", "procedures.csv"] {
                std::fs::copy(motcua_testkit::vinh_linh().join(f), dir.path().join(f))?;
            }
            motcua_app::import_dir(&store, dir.path(), &motcua_testkit::ctx("test", start()))
                .await?;
            let units = store.units().await?;
            let tree = UnitTree::new(units.clone())?;
            let root = tree.root().ok_or("root")?.code.clone();
            let communes: Vec<Unit> = units
                .into_iter()
                .filter(|u| u.parent.is_some())
                .take(3)
                .collect();
            Ok::<_, Box<dyn std::error::Error>>(World {
                store,
                tree,
                communes,
                codes: Vec::new(),
                officer: Principal {
                    id: 1,
                    name: "lanh-dao".to_owned(),
                    unit: root,
                    credential: Credential::User { role: Role::Leader },
                },
                now: start(),
            })
        })?;
        let mut runner = TestRunner::new(Config {
            cases: 6,
            failure_persistence: None,
            ..Config::default()
        });
        let ops = prop::collection::vec((0u8..9, any::<u32>(), any::<u32>()), 6..30);
        let world = tokio::sync::Mutex::new(world);
        let result = runner.run(&ops, |ops| {
            rt.block_on(async {
                let mut world = world.lock().await;
                for op in ops {
                    step(&mut world, op).await?;
                    check(&world).await?;
                }
                Ok::<_, Box<dyn std::error::Error>>(())
            })
            .map_err(|e| TestCaseError::fail(format!("{}: {e}", db.backend)))
        });
        if let Err(e) = result {
            return Err(format!("{}: {e}", db.backend).into());
        }
        assert!(!world.into_inner().codes.is_empty());
    }
    Ok(())
}
