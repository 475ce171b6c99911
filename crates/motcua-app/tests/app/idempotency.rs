//! Idempotency-Keys kept with their work, on both databases: a key's answer is written in the
//! transaction of the write it answers (reception, step, payment, e-receipt), so a retry
//! replays it; the same key for another request is a mismatch; concurrent requests with one
//! key do the work once; a refused or failed write keeps no key, and no number either.

use motcua_app::AppError;
use motcua_app::desk::{self, Handled, ReceiptSeries, Reception};
use motcua_core::access::{Principal, Role};
use motcua_core::dossier::{Channel, Dossier, PaymentChannel};
use motcua_core::fees::Receipt;
use motcua_core::lifecycle::Step;
use motcua_store::{Answer, IdempotencyRecord, Prior, SqlStore, StoreError};
use motcua_testkit::{acting, officer};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const AT: &str = "2024-05-20T08:00:00+07:00";

fn reception(fee_vnd: i64) -> Reception {
    Reception {
        procedure: "9.100010".to_owned(),
        unit: "ho-xa".to_owned(),
        channel: Channel::Direct,
        online_level: None,
        components_total: 2,
        components_digitized: 2,
        fee_vnd,
        applicant: Default::default(),
        request: String::new(),
        components: Vec::new(),
    }
}

fn series() -> ReceiptSeries {
    ReceiptSeries {
        form_symbol: "01BLP0-001".to_owned(),
        series: "HX-24E".to_owned(),
        fee_kind: None,
    }
}

/// The record of `key` for `request`; the answer is the dossier's code and status.
fn handled(who: &Principal, key: &str, request: &str) -> IdempotencyRecord<Handled> {
    IdempotencyRecord::new(who.actor(), key, request, |h: &Handled| {
        Ok(Answer {
            status: 200,
            body: format!("{} {}", h.dossier.code, h.lifecycle.status.as_str()),
        })
    })
}

fn receipt(who: &Principal, key: &str, request: &str) -> IdempotencyRecord<Receipt> {
    IdempotencyRecord::new(who.actor(), key, request, |r: &Receipt| {
        Ok(Answer {
            status: 201,
            body: format!("{} {}", r.dossier, r.number_text()),
        })
    })
}

/// The answer a key already holds, from a refused write.
fn prior<T: std::fmt::Debug>(result: Result<T, AppError>) -> Prior {
    match result {
        Err(AppError::Store(StoreError::KeyUsed(prior))) => prior,
        other => panic!("expected the key to be used: {other:?}"),
    }
}

async fn store(url: &str) -> Result<SqlStore, Box<dyn std::error::Error>> {
    let store = SqlStore::connect(url).await?;
    let ctx = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
    motcua_app::import_dir(&store, &motcua_testkit::vinh_linh(), &ctx)
        .await
        .map_err(|e| e.to_string())?;
    Ok(store)
}

#[tokio::test]
async fn every_keyed_write_is_replayed_and_a_key_serves_one_request() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = store(&db.url).await?;
        let who = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let ctx = acting(&who, AT)?;
        let n0 = store.dossiers().await?.len();

        let h = desk::receive_keyed(
            &store,
            &who,
            &reception(8_000),
            &ctx,
            Some(handled(&who, "r-1", "R1")),
        )
        .await?;
        let code = h.dossier.code.to_string();
        let first = Answer {
            status: 200,
            body: format!("{code} received"),
        };
        // Stored with the dossier: read outside any write, and met by a retry's write.
        let stored = store.idempotency_answer(&who.actor(), "r-1", "R1").await?;
        assert_eq!(
            stored,
            Some(Prior::Answered(first.clone())),
            "{}",
            db.backend
        );
        let again = desk::receive_keyed(
            &store,
            &who,
            &reception(8_000),
            &ctx,
            Some(handled(&who, "r-1", "R1")),
        )
        .await;
        assert_eq!(prior(again), Prior::Answered(first), "{}", db.backend);
        assert_eq!(store.dossiers().await?.len(), n0 + 1, "one dossier");

        // The same key for another request: a mismatch, early and in the write.
        let other = store.idempotency_answer(&who.actor(), "r-1", "R2").await?;
        assert_eq!(other, Some(Prior::Mismatch));
        let again = desk::receive_keyed(
            &store,
            &who,
            &reception(0),
            &ctx,
            Some(handled(&who, "r-1", "R2")),
        )
        .await;
        assert_eq!(prior(again), Prior::Mismatch);
        // Keys belong to their principal.
        let portal = officer("cong", "ho-xa", Role::Reception)?;
        assert_eq!(
            store
                .idempotency_answer(&portal.actor(), "r-1", "R1")
                .await?,
            None
        );
        assert_eq!(store.dossiers().await?.len(), n0 + 1);

        // A step, a payment and a receipt: each replayed, none done twice.
        let step = Step::Withdraw {
            reason: "Người nộp xin rút".parse()?,
        };
        desk::record_payment_keyed(
            &store,
            &who,
            &code,
            PaymentChannel::Offline,
            &ctx,
            Some(handled(&who, "p-1", "P")),
        )
        .await?;
        let again = desk::record_payment_keyed(
            &store,
            &who,
            &code,
            PaymentChannel::Offline,
            &ctx,
            Some(handled(&who, "p-1", "P")),
        )
        .await;
        assert_eq!(
            prior(again),
            Prior::Answered(Answer {
                status: 200,
                body: format!("{code} received"),
            })
        );
        let r = desk::issue_receipt_keyed(
            &store,
            &who,
            &code,
            &series(),
            &ctx,
            Some(receipt(&who, "b-1", "B")),
        )
        .await?;
        let again = desk::issue_receipt_keyed(
            &store,
            &who,
            &code,
            &series(),
            &ctx,
            Some(receipt(&who, "b-1", "B")),
        )
        .await;
        assert_eq!(
            prior(again),
            Prior::Answered(Answer {
                status: 201,
                body: format!("{code} {}", r.number_text()),
            })
        );
        assert_eq!(store.dossier_receipts(&h.dossier.code).await?.len(), 1);
        desk::take_step_keyed(
            &store,
            &who,
            &code,
            &step,
            &ctx,
            Some(handled(&who, "s-1", "S")),
        )
        .await?;
        let again = desk::take_step_keyed(
            &store,
            &who,
            &code,
            &step,
            &ctx,
            Some(handled(&who, "s-1", "S")),
        )
        .await;
        assert_eq!(
            prior(again),
            Prior::Answered(Answer {
                status: 200,
                body: format!("{code} withdrawn"),
            })
        );
        let events = store.dossier_events(&h.dossier.code).await?;
        assert_eq!(
            events.len(),
            4,
            "{}: received, paid, receipt, withdrawn",
            db.backend
        );
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_with_one_key_do_the_work_once() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = store(&db.url).await?;
        let who = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let ctx = acting(&who, AT)?;
        let n0 = store.dossiers().await?.len();

        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (store, who, ctx) = (store.clone(), who.clone(), ctx.clone());
            tasks.push(tokio::spawn(async move {
                let key = Some(handled(&who, "r-1", "R1"));
                desk::receive_keyed(&store, &who, &reception(8_000), &ctx, key).await
            }));
        }
        let (mut done, mut replayed) = (Vec::new(), Vec::new());
        for t in tasks {
            match t.await? {
                Ok(h) => done.push(format!("{} received", h.dossier.code)),
                other => match prior(other) {
                    Prior::Answered(a) => replayed.push(a.body),
                    Prior::Mismatch => panic!("same request"),
                },
            }
        }
        assert_eq!(done.len(), 1, "{}: the work is done once", db.backend);
        assert!(replayed.iter().all(|b| *b == done[0]), "{replayed:?}");
        assert_eq!(store.dossiers().await?.len(), n0 + 1, "{}", db.backend);

        // The store's writes alone (no look-up before them): the key's row decides.
        let template = desk::get(&store, &who, done[0].split(' ').next().ok_or("code")?).await?;
        let new = motcua_core::dossier::Dossier {
            code: motcua_core::dossier::DossierCode::parse("HO-XA-240520").ok_or("prefix")?,
            ..template.dossier.clone()
        };
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (store, who, ctx) = (store.clone(), who.clone(), ctx.clone());
            let (new, state) = (new.clone(), template.lifecycle.clone());
            tasks.push(tokio::spawn(async move {
                let key = IdempotencyRecord::new(who.actor(), "r-2", "R2", |d: &Dossier| {
                    Ok(Answer {
                        status: 201,
                        body: d.code.to_string(),
                    })
                });
                let details = Default::default();
                store
                    .receive_dossier(&new, &state, &details, &ctx, Some(key))
                    .await
            }));
        }
        let (mut done, mut replayed) = (Vec::new(), Vec::new());
        for t in tasks {
            match t.await? {
                Ok(d) => done.push(d.code.to_string()),
                Err(StoreError::KeyUsed(Prior::Answered(a))) => replayed.push(a.body),
                Err(e) => panic!("{}: {e}", db.backend),
            }
        }
        assert_eq!(done.len(), 1, "{}", db.backend);
        assert_eq!(replayed, vec![done[0].clone(); 7], "{}", db.backend);
        assert_eq!(store.dossiers().await?.len(), n0 + 2, "{}", db.backend);

        // Receipts of one paid dossier: eight requests with one key, one receipt.
        let code = done[0].clone();
        desk::record_payment(&store, &who, &code, PaymentChannel::Online, &ctx).await?;
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (store, who, ctx, code) = (store.clone(), who.clone(), ctx.clone(), code.clone());
            tasks.push(tokio::spawn(async move {
                let key = Some(receipt(&who, "b-1", "B"));
                desk::issue_receipt_keyed(&store, &who, &code, &series(), &ctx, key).await
            }));
        }
        let mut done = 0;
        for t in tasks {
            match t.await? {
                Ok(_) => done += 1,
                other => assert!(matches!(prior(other), Prior::Answered(_))),
            }
        }
        assert_eq!(done, 1, "{}", db.backend);
        let dossier = motcua_core::dossier::DossierCode::parse(&code).ok_or("code")?;
        assert_eq!(store.dossier_receipts(&dossier).await?.len(), 1);
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_refused_or_failed_write_keeps_no_key() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = store(&db.url).await?;
        let who = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let ctx = acting(&who, AT)?;
        let n0 = store.dossiers().await?.len();

        // An answer that cannot be made fails the write: no dossier, no key, no number used.
        let broken = IdempotencyRecord::new(who.actor(), "r-1", "R1", |_: &Handled| {
            Err("no answer".to_owned())
        });
        let e = desk::receive_keyed(&store, &who, &reception(8_000), &ctx, Some(broken)).await;
        assert!(
            matches!(e, Err(AppError::Store(StoreError::Answer(_)))),
            "{}: {e:?}",
            db.backend
        );
        assert_eq!(store.dossiers().await?.len(), n0);
        assert_eq!(
            store.idempotency_answer(&who.actor(), "r-1", "R1").await?,
            None
        );
        let plain = desk::receive(&store, &who, &reception(0), &ctx).await?;
        let h = desk::receive_keyed(
            &store,
            &who,
            &reception(8_000),
            &ctx,
            Some(handled(&who, "r-1", "R1")),
        )
        .await?;
        let number = |code: &str| code.rsplit('-').next().and_then(|n| n.parse::<u32>().ok());
        assert_eq!(
            number(h.dossier.code.as_str()),
            number(plain.dossier.code.as_str()).map(|n| n + 1),
            "{}: the failed write took no code",
            db.backend
        );
        let code = h.dossier.code.to_string();

        // A receipt refused (not paid yet) keeps no key: once paid, the same key issues it.
        let e = desk::issue_receipt_keyed(
            &store,
            &who,
            &code,
            &series(),
            &ctx,
            Some(receipt(&who, "b-1", "B")),
        )
        .await;
        assert!(matches!(e, Err(AppError::Refused(_))), "{e:?}");
        assert_eq!(
            store.idempotency_answer(&who.actor(), "b-1", "B").await?,
            None
        );
        desk::record_payment(&store, &who, &code, PaymentChannel::Offline, &ctx).await?;
        let r = desk::issue_receipt_keyed(
            &store,
            &who,
            &code,
            &series(),
            &ctx,
            Some(receipt(&who, "b-1", "B")),
        )
        .await?;
        assert_eq!(r.dossier.as_str(), code);
        // Refused inside the store's transaction (one receipt per dossier): no key either.
        let e = desk::issue_receipt_keyed(
            &store,
            &who,
            &code,
            &series(),
            &ctx,
            Some(receipt(&who, "b-2", "B")),
        )
        .await;
        assert!(matches!(e, Err(AppError::Refused(_))), "{e:?}");
        assert_eq!(
            store.idempotency_answer(&who.actor(), "b-2", "B").await?,
            None
        );

        // A change refused inside its transaction (the dossier moved on since it was read)
        // rolls its key back too.
        let loaded = desk::get(&store, &who, &code).await?;
        let specialist = officer("chuyen-vien", "ho-xa", Role::Specialist)?;
        let ctx2 = acting(&specialist, AT)?;
        desk::take_step(&store, &specialist, &code, &Step::StartProcessing, &ctx2).await?;
        let held = loaded.clone();
        let key = IdempotencyRecord::new(who.actor(), "s-1", "S", |_: &()| {
            Ok(Answer {
                status: 200,
                body: String::new(),
            })
        });
        let e = store
            .apply_change(
                &held,
                (&loaded.dossier, &loaded.lifecycle, None),
                &motcua_store::Change::Payment(PaymentChannel::Online),
                &[],
                &ctx,
                Some(key),
            )
            .await;
        assert!(
            matches!(e, Err(StoreError::Refused(_))),
            "{}: {e:?}",
            db.backend
        );
        assert_eq!(
            store.idempotency_answer(&who.actor(), "s-1", "S").await?,
            None
        );
        store.close().await?;
        Ok(())
    })
    .await
}
