//! The aggregates follow every dossier write, on both databases: random lifecycles
//! (receptions, resolutions, withdrawals, payments, scans, e-receipts, citizens' ratings,
//! imports that move a dossier to another unit, month or procedure, with its rating) and, after every step, the stored aggregates
//! equal a recount from the dossiers (`motcua verify`), and the indicators served from them
//! equal the indicators computed from the dossiers.

use motcua_core::Timestamp;
use motcua_core::details::Details;
use motcua_core::dossier::{Channel, Outcome, PaymentChannel, SubmissionLevel};
use motcua_core::fees::NewReceipt;
use motcua_core::interchange::ImportFiles;
use motcua_core::lifecycle::Lifecycle;
use motcua_core::procedure::Procedure;
use motcua_core::rating::{Comment, Rating, RatingChannel, RatingInput};
use motcua_core::timestamp::Month;
use motcua_core::unit::Unit;
use motcua_store::{Change, SqlStore, StoreError};
use motcua_testkit::DossierBuilder;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

type Op = (u8, u32, u32, u32);

const DAY: i64 = 86_400_000_000;

struct World {
    store: SqlStore,
    communes: Vec<Unit>,
    procedures: Vec<Procedure>,
    codes: Vec<motcua_core::dossier::DossierCode>,
}

fn at(day: i64) -> Timestamp {
    // 2024-03-01 08:00 local time, plus days.
    Timestamp::from_micros(1_709_254_800_000_000 + day * DAY)
}

async fn step(
    w: &mut World,
    op: Op,
    n: usize,
) -> Result<Option<Month>, Box<dyn std::error::Error>> {
    let (kind, a, b, c) = op;
    let ctx = motcua_testkit::ctx("test", at(0));
    if kind == 0 || w.codes.is_empty() {
        let unit = &w.communes[a as usize % w.communes.len()];
        let procedure = &w.procedures[b as usize % w.procedures.len()];
        let channel = [Channel::Direct, Channel::Postal, Channel::Online][c as usize % 3];
        let received_at = Timestamp::from_micros(
            at(i64::from(a % 150)).as_micros() + i64::from(b % 9) * 3_600_000_000,
        );
        let total = c % 4;
        let level = if c % 2 == 0 {
            SubmissionLevel::Full
        } else {
            SubmissionLevel::Partial
        };
        let new = DossierBuilder::new(&format!("PT{n}"), &unit.code, &procedure.code)
            .received(received_at)
            .due(Timestamp::from_micros(
                received_at.as_micros() + i64::from(c % 40) * DAY + 3_600_000_000,
            ))
            .channel(channel)
            .components(total, b % (total + 1))
            .fee(if b % 3 == 0 { 20_000 } else { 0 });
        let new = if channel == Channel::Online {
            new.online(level)
        } else {
            new
        }
        .build();
        let state = Lifecycle::received(unit.code.clone(), received_at);
        let stored = w
            .store
            .receive_dossier(&new, &state, &Details::default(), &ctx, None)
            .await?;
        w.codes.push(stored.code.clone());
        return Ok(Some(Month::of(received_at)));
    }
    let code = w.codes[a as usize % w.codes.len()].clone();
    let d = w.store.dossier(&code).await?.ok_or("dossier")?;
    let lifecycle = w.store.lifecycle(&code).await?;
    let details = w.store.details(&code).await?;
    let mut after = d.clone();
    match kind {
        1 if d.rating.is_some() => {
            // A rated dossier's result is final: its rating stays valid.
            return Ok(Some(Month::of(d.received_at)));
        }
        1 => {
            // Settled (or its settlement corrected).
            let t = Timestamp::from_micros(d.received_at.as_micros() + i64::from(b % 60) * DAY);
            after.resolved_at = Some(t);
            after.outcome =
                Some([Outcome::Approved, Outcome::Rejected, Outcome::Withdrawn][c as usize % 3]);
            after.result_digitized =
                (after.outcome == Some(Outcome::Approved)).then_some(b % 2 == 0);
        }
        2 => {
            // Paid and scanned.
            if d.fee_vnd > 0 {
                after.payment_channel = Some(if c % 2 == 0 {
                    PaymentChannel::Online
                } else {
                    PaymentChannel::Offline
                });
                after.paid_at = Some(d.received_at);
            }
            after.components_digitized = d.components_total;
        }
        3 => {
            if d.fee_vnd > 0 && d.payment_channel.is_some() {
                let receipt = NewReceipt {
                    unit: d.unit_code.clone(),
                    dossier: d.code.clone(),
                    form_symbol: "01BLP0-001".to_owned(),
                    series: "PT-24E".to_owned(),
                    amount_vnd: d.fee_vnd,
                    payment_channel: d.payment_channel.unwrap_or(PaymentChannel::Offline),
                    issued_at: d.received_at,
                    fee_kind: None,
                };
                match w.store.issue_receipt(&receipt, &ctx, None).await {
                    Ok(_) | Err(StoreError::Refused(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            return Ok(Some(Month::of(d.received_at)));
        }
        5 => {
            // The citizen rates it through the dossier's link: refused before the result,
            // for a withdrawn dossier and a second time; counted otherwise.
            let token = motcua_app::ratings::rating_token(&w.store, &code, at(0)).await?;
            let input = RatingInput {
                rating: Rating::ALL[b as usize % 3],
                comment: Comment::parse("Ý kiến")?,
                channel: [RatingChannel::Online, RatingChannel::Kiosk][c as usize % 2],
            };
            let proof = motcua_app::ratings::RatingProof::Link(&token);
            match motcua_app::ratings::rate_dossier(
                &w.store,
                code.as_str(),
                proof,
                &input,
                None,
                at(200),
            )
            .await
            {
                Ok(()) => {
                    assert!(d.is_resolved() && d.rating.is_none(), "{d:?}");
                }
                Err(motcua_app::AppError::Refused(_)) => {
                    assert!(!d.is_resolved() || d.rating.is_some(), "{d:?}");
                }
                Err(e) => return Err(e.into()),
            }
            return Ok(d.resolved_at.or(Some(d.received_at)).map(Month::of));
        }
        _ => {
            // An import from another system corrects the dossier: another unit, procedure,
            // channel or reception date.
            after.unit_code = w.communes[b as usize % w.communes.len()].code.clone();
            after.procedure_code = w.procedures[c as usize % w.procedures.len()].code.clone();
            after.channel = [Channel::Direct, Channel::Online][b as usize % 2];
            after.online_level =
                (after.channel == Channel::Online).then_some(SubmissionLevel::Partial);
            let shift = i64::from(c % 70) - 35;
            after.received_at = Timestamp::from_micros(d.received_at.as_micros() + shift * DAY);
            after.due_at =
                Timestamp::from_micros(after.received_at.as_micros() + i64::from(b % 30) * DAY);
            if let Some(r) = after.resolved_at
                && r < after.received_at
            {
                after.resolved_at = Some(after.received_at);
            }
            let mut csv = Vec::new();
            motcua_core::interchange::write_dossiers(&mut csv, [&after])?;
            let files = ImportFiles {
                units: None,
                procedures: None,
                procedure_components: None,
                dossiers: Some(("dossiers.csv", &csv)),
            };
            match motcua_app::import_files(&w.store, files, &ctx).await {
                Ok(_) | Err(motcua_app::AppError::Invalid(_)) => {}
                Err(e) => return Err(e.into()),
            }
            return Ok(Some(Month::of(after.received_at)));
        }
    }
    let held = w.store.held_dossier(&code).await?.ok_or("dossier")?;
    assert_eq!(held.stored_lifecycle(), lifecycle.as_ref());
    assert_eq!(held.details, details);
    let state = lifecycle
        .clone()
        .unwrap_or_else(|| Lifecycle::received(d.unit_code.clone(), d.received_at));
    w.store
        .apply_change(
            &held,
            (&after, &state, None),
            &Change::Payment(PaymentChannel::Offline),
            &[],
            &ctx,
            None,
        )
        .await?;
    Ok(after.resolved_at.or(Some(after.received_at)).map(Month::of))
}

async fn check(w: &World, month: Month, unit: &str) -> Result<(), Box<dyn std::error::Error>> {
    let differences = motcua_app::verify(&w.store).await?;
    assert!(
        differences.is_empty(),
        "aggregates differ from the recount: {differences:#?}"
    );
    let dossiers = w.store.dossiers().await?;
    for m in [month.previous(), month, month.next()] {
        // The rating counts of the whole district recounted by their definitions
        // (docs/spec/indicators.md), without `Counts::tally`.
        let resolved_in = |d: &&motcua_core::dossier::Dossier| {
            d.resolved_at.is_some_and(|t| m.start() <= t && t < m.end())
                && matches!(d.outcome, Some(Outcome::Approved | Outcome::Rejected))
        };
        let rated: Vec<_> = dossiers
            .iter()
            .filter(resolved_in)
            .filter(|d| d.rating.is_some())
            .collect();
        let dissatisfied: Vec<_> = rated
            .iter()
            .filter(|d| d.rating == Some(Rating::Dissatisfied))
            .collect();
        let in_time = dissatisfied
            .iter()
            .filter(|d| d.resolved_at.is_some_and(|t| t <= d.due_at))
            .count();
        let served = motcua_app::indicators(&w.store, "vinh-linh", m).await?;
        let c = &served.counts;
        assert_eq!(
            (
                c.resolved_rated,
                c.resolved_rated_dissatisfied,
                c.resolved_in_time_dissatisfied
            ),
            (
                rated.len() as u64,
                dissatisfied.len() as u64,
                in_time as u64
            ),
            "ratings of {m}"
        );
        let satisfied_num =
            c.resolved_early + c.resolved_on_time + c.pending_within_due - in_time as u64;
        assert_eq!(
            (
                served.rates.dossier_satisfaction_rate.num,
                served.rates.dossier_satisfaction_rate.den
            ),
            (satisfied_num, c.resolved + c.pending),
            "satisfaction of {m}"
        );
        for scope in ["vinh-linh", unit] {
            let served = motcua_app::indicators(&w.store, scope, m).await?;
            let recounted = motcua_app::indicators_recounted(&w.store, scope, m).await?;
            assert_eq!(
                serde_json::to_value(&served)?,
                serde_json::to_value(&recounted)?,
                "{scope} {m}"
            );
        }
    }
    Ok(())
}

#[test]
fn aggregates_equal_a_recount_after_every_step() -> Result<(), Box<dyn std::error::Error>> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let dbs = rt.block_on(motcua_testkit::test_databases());
    for db in &dbs {
        let world = rt.block_on(async {
            let store = SqlStore::connect(&db.url).await?;
            // The fixture's units and procedures only: every dossier comes from the steps.
            let dir = tempfile::tempdir()?;
            for f in ["units.csv", "procedures.csv"] {
                std::fs::copy(motcua_testkit::vinh_linh().join(f), dir.path().join(f))?;
            }
            motcua_app::import_dir(&store, dir.path(), &motcua_testkit::ctx("test", at(0))).await?;
            let communes: Vec<Unit> = store
                .units()
                .await?
                .into_iter()
                .filter(|u| u.parent.is_some())
                .take(4)
                .collect();
            let procedures: Vec<Procedure> = store
                .procedures()
                .await?
                .into_iter()
                .filter(|p| communes.iter().all(|u| p.offered_by_unit(u)))
                .take(5)
                .collect();
            Ok::<_, Box<dyn std::error::Error>>(World {
                store,
                communes,
                procedures,
                codes: Vec::new(),
            })
        })?;
        assert!(
            world.procedures.len() >= 3,
            "the fixture offers procedures to communes"
        );
        let mut runner = TestRunner::new(Config {
            cases: 8,
            failure_persistence: None,
            ..Config::default()
        });
        let ops = prop::collection::vec((0u8..6, any::<u32>(), any::<u32>(), any::<u32>()), 4..20);
        let n = std::cell::Cell::new(0usize);
        let world = tokio::sync::Mutex::new(world);
        let result = runner.run(&ops, |ops| {
            rt.block_on(async {
                let mut world = world.lock().await;
                for op in ops {
                    n.set(n.get() + 1);
                    let month = step(&mut world, op, n.get()).await?;
                    let unit = world.communes[op.1 as usize % world.communes.len()]
                        .code
                        .to_string();
                    check(&world, month.unwrap_or(Month::of(at(0))), &unit).await?;
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
