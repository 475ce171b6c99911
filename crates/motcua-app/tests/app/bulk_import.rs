//! A large `dossiers.csv` (more rows than a chunk, enough to take the bulk path) imported
//! from the disk as it is read, on both databases: every row stored and counted, a second
//! import changes nothing, and a bad row at the very end leaves the database exactly as it
//! was, even though the rows before it were good and some of them changed.

use motcua_app::{AppError, import_dir};
use motcua_core::Timestamp;
use motcua_core::timestamp::Month;
use motcua_store::SqlStore;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const DOSSIERS: u64 = 12_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_file_is_written_whole_or_not_at_all() -> TestResult {
    let dir = tempfile::tempdir()?;
    let first: Month = "2025-01".parse()?;
    motcua_gen::write_dir(dir.path(), motcua_gen::Config::new(7, DOSSIERS, first, 3))?;
    let path = dir.path().join("dossiers.csv");
    let original = std::fs::read_to_string(&path)?;
    let ctx = motcua_testkit::ctx("test", Timestamp::parse("2025-06-01T08:00:00+07:00")?);
    motcua_testkit::for_each_db(async |db| {
        std::fs::write(&path, &original)?;
        let store = SqlStore::connect(&db.url).await?;
        let summary = import_dir(&store, dir.path(), &ctx).await?;
        assert_eq!(summary.dossiers_inserted as u64, DOSSIERS, "{}", db.backend);
        assert!(store.check_aggregates().await?.is_empty(), "{}", db.backend);
        let again = import_dir(&store, dir.path(), &ctx).await?;
        assert_eq!(again.dossiers_unchanged as u64, DOSSIERS, "{}", db.backend);
        let before = store.dossiers().await?;

        // Every outcome "approved" of the file becomes "rejected" (thousands of good,
        // changed rows; a refused dossier says nothing of a digitized result), then one bad
        // row at the end.
        let changed: String = original
            .lines()
            .map(|line| {
                let mut cells: Vec<&str> = line.split(',').collect();
                if cells.get(8) == Some(&"approved") {
                    cells[8] = "rejected";
                    cells[12] = "";
                }
                cells.join(",") + "\n"
            })
            .collect();
        assert_ne!(changed, original);
        let last_line = changed.lines().count() + 1;
        let mut bad = changed.clone();
        let mut row: Vec<String> = changed
            .lines()
            .nth(1)
            .ok_or("a row")?
            .split(',')
            .map(str::to_owned)
            .collect();
        row[0] = "BAD-ROW-0001".to_owned();
        row[2] = "no-such-unit".to_owned();
        bad.push_str(&row.join(","));
        bad.push('\n');
        std::fs::write(&path, &bad)?;
        match import_dir(&store, dir.path(), &ctx).await {
            Err(AppError::Invalid(issues)) => {
                assert_eq!(issues.len(), 1, "{}: {issues:?}", db.backend);
                assert_eq!(issues[0].line as usize, last_line, "{}", db.backend);
                assert_eq!(
                    issues[0].column.as_ref().map(|c| c.name.as_str()),
                    Some("unit_code")
                );
            }
            other => panic!(
                "{}: expected the bad row refused, got {other:?}",
                db.backend
            ),
        }
        assert_eq!(store.dossiers().await?, before, "{}", db.backend);
        assert!(store.check_aggregates().await?.is_empty(), "{}", db.backend);

        // Without the bad row, the changes land, all of them.
        std::fs::write(&path, &changed)?;
        let summary = import_dir(&store, dir.path(), &ctx).await?;
        let rejected = changed.matches(",rejected,").count();
        assert!(summary.dossiers_updated > 0, "{}", db.backend);
        assert_eq!(
            summary.dossiers_updated + summary.dossiers_unchanged,
            DOSSIERS as usize,
            "{}",
            db.backend
        );
        let stored_rejected = store
            .dossiers()
            .await?
            .iter()
            .filter(|d| d.outcome == Some(motcua_core::dossier::Outcome::Rejected))
            .count();
        assert_eq!(stored_rejected, rejected, "{}", db.backend);
        assert!(store.check_aggregates().await?.is_empty(), "{}", db.backend);
        Ok(())
    })
    .await
}
