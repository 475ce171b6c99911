//! Ingest with group commit, on both databases: records from concurrent producers are all
//! stored, each acknowledged once committed; a refused record is answered alone; the
//! aggregates follow.

use std::sync::Arc;

use motcua_app::ingest::Ingestor;
use motcua_core::Timestamp;
use motcua_core::dossier::{Dossier, DossierCode, Outcome};
use motcua_store::SqlStore;
use motcua_testkit::DossierBuilder;

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_records_are_all_stored_and_counted() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let dir = tempfile::tempdir()?;
        for f in ["units.csv", "procedures.csv"] {
            std::fs::copy(motcua_testkit::vinh_linh().join(f), dir.path().join(f))?;
        }
        let t0 = Timestamp::parse("2024-05-02T08:00:00+07:00")?;
        motcua_app::import_dir(&store, dir.path(), &motcua_testkit::ctx("test", t0)).await?;
        let unit = store
            .units()
            .await?
            .into_iter()
            .find(|u| u.code.as_str() == "ho-xa")
            .ok_or("ho-xa")?;
        let procedure = store
            .procedures()
            .await?
            .into_iter()
            .find(|p| p.offered_by_unit(&unit))
            .ok_or("procedure")?;
        let ingestor = Ingestor::start(store.clone(), "sync:test", 64, Arc::new(move || t0));
        let make = |i: usize, resolved: bool| {
            let d = DossierBuilder::new(&format!("DVC-{i:05}"), &unit.code, &procedure.code)
                .received(t0);
            if resolved {
                d.resolved(t0, Outcome::Approved)
                    .result_digitized(true)
                    .build()
            } else {
                d.build()
            }
        };
        let mut tasks = Vec::new();
        for p in 0..8 {
            let ingestor = ingestor.clone();
            let records: Vec<Dossier> = (0..25)
                .flat_map(|i| [make(p * 25 + i, false), make(p * 25 + i, true)])
                .collect();
            tasks.push(tokio::spawn(async move {
                for d in records {
                    ingestor.submit(d).await?;
                }
                Ok::<_, motcua_app::AppError>(())
            }));
        }
        // A record that breaks a rule is refused, alone.
        let mut bad = make(9_999, true);
        bad.outcome = None;
        let refused = ingestor.submit(bad).await;
        assert!(
            matches!(&refused, Err(motcua_app::AppError::Refused(m)) if m.contains("DVC-09999")),
            "{refused:?}"
        );
        for t in tasks {
            t.await??;
        }
        let report = motcua_app::indicators(&store, "ho-xa", "2024-05".parse()?).await?;
        assert_eq!(report.counts.received, 200, "{}", db.backend);
        assert_eq!(report.counts.resolved, 200);
        assert!(
            store
                .dossier(&DossierCode::parse("DVC-09999").ok_or("code")?)
                .await?
                .is_none()
        );
        assert!(motcua_app::verify(&store).await?.is_empty());
        Ok(())
    })
    .await
}
