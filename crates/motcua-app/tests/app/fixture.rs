//! The Vĩnh Linh fixture through the store, on SQLite and (with TEST_DATABASE_URL) PostgreSQL:
//! import, the published figures, other units and months, export round trip, idempotence.

use motcua_app::{export_dir, import_dir, indicators};
use motcua_core::Timestamp;
use motcua_core::dossier::DossierCode;
use motcua_core::history::{EventDetail, EventKind};
use motcua_store::SqlStore;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn now() -> Timestamp {
    Timestamp::parse("2026-11-26T09:00:00+07:00").unwrap_or(Timestamp::from_micros(0))
}

async fn loaded(url: &str) -> Result<SqlStore, Box<dyn std::error::Error>> {
    let store = SqlStore::connect(url).await?;
    let summary = import_dir(
        &store,
        &motcua_testkit::vinh_linh(),
        &motcua_testkit::ctx("test", now()),
    )
    .await?;
    assert_eq!(summary.dossiers_inserted, 3794);
    Ok(store)
}

#[tokio::test]
async fn fixture_reproduces_every_published_figure() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = loaded(&db.url).await?;
        let report = indicators(&store, "vinh-linh", "2024-05".parse()?).await?;
        motcua_testkit::assert_expected(
            &report,
            &motcua_testkit::expected(&motcua_testkit::vinh_linh()),
        );
        assert_eq!(report.units.len(), 24, "{}: leaf units", db.backend);

        // The JSON has the keys of the contract.
        let json = serde_json::to_value(&report)?;
        for key in ["unit", "month", "counts", "rates", "previous", "units"] {
            assert!(json.get(key).is_some(), "{}: key {key}", db.backend);
        }
        assert_eq!(json["counts"]["received"], 2074);
        assert_eq!(json["rates"]["online_full_rate"]["den"], 2074);
        assert!(json["previous"]["rates"]["online_rate"]["value"].is_f64());
        assert!(json["units"][0]["short_name"].is_string());
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn other_units_and_months() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = loaded(&db.url).await?;
        let district = indicators(&store, "vinh-linh", "2024-05".parse()?).await?;
        let commune = indicators(&store, "vinh-khe", "2024-05".parse()?).await?;
        assert_eq!(commune.units.len(), 1);
        assert_eq!(
            commune.counts.resolved_late, 1,
            "{}: the late dossier of Vĩnh Khê",
            db.backend
        );
        let row = district
            .units
            .iter()
            .find(|u| u.code.as_str() == "vinh-khe")
            .ok_or("vinh-khe row")?;
        assert_eq!(
            row.counts, commune.counts,
            "{}: a leaf row equals the leaf's own report",
            db.backend
        );

        // The sum of the leaf rows is the district (the district itself receives nothing).
        let mut sum = motcua_core::counts::Counts::default();
        for u in &district.units {
            sum += u.counts;
        }
        assert_eq!(sum, district.counts);

        let april = indicators(&store, "vinh-linh", "2024-04".parse()?).await?;
        assert_eq!(
            april.counts, district.previous.counts,
            "{}: April = May's previous month",
            db.backend
        );
        assert!(april.counts.received > 0);

        assert!(matches!(
            indicators(&store, "khong-co", "2024-05".parse()?).await,
            Err(motcua_app::AppError::UnknownUnit(_))
        ));
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn import_export_import_gives_identical_rows() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let first = loaded(&db.url).await?;
        let out = tempfile::tempdir()?;
        let exported = export_dir(&first, out.path()).await?;
        assert_eq!(
            (exported.units, exported.procedures, exported.dossiers),
            (25, 385, 3794)
        );

        let second_db = motcua_testkit::sqlite_db();
        let second = SqlStore::connect(&second_db.url).await?;
        import_dir(&second, out.path(), &motcua_testkit::ctx("test", now())).await?;
        assert_eq!(
            first.dossiers().await?,
            second.dossiers().await?,
            "{}",
            db.backend
        );
        assert_eq!(first.procedures().await?, second.procedures().await?);
        assert_eq!(first.units().await?, second.units().await?);

        // And the exported files are the fixture's rows, value for value; the columns we add
        // to the contract (office_hours, cutoff_15h, and the public portal's address, phone,
        // steps, how_to_submit, template_url) hold their defaults.
        for name in [
            "units.csv",
            "procedures.csv",
            "procedure_components.csv",
            "dossiers.csv",
        ] {
            let fixture = read_rows(&motcua_testkit::vinh_linh().join(name))?;
            let mut back = read_rows(&out.path().join(name))?;
            for row in &mut back {
                match row.remove("office_hours").as_deref() {
                    None | Some("") => {}
                    Some(other) => panic!("{name}: office_hours {other}"),
                }
                match row.remove("cutoff_15h").as_deref() {
                    None | Some("false") => {}
                    Some(other) => panic!("{name}: cutoff_15h {other}"),
                }
                for added in [
                    "address",
                    "phone",
                    "steps",
                    "how_to_submit",
                    "template_url",
                    "rating",
                ] {
                    match row.remove(added).as_deref() {
                        None | Some("") => {}
                        Some(other) => panic!("{name}: {added} {other}"),
                    }
                }
            }
            back.sort();
            assert_eq!(fixture, back, "{}: {name}", db.backend);
        }
        first.close().await?;
        second.close().await?;
        Ok(())
    })
    .await
}

/// The rows of a CSV file as sorted header→value maps (row and column order may differ).
fn read_rows(
    path: &std::path::Path,
) -> Result<Vec<std::collections::BTreeMap<String, String>>, Box<dyn std::error::Error>> {
    let bytes = std::fs::read(path)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv_reader(bytes);
    let headers: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        rows.push(
            headers
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_owned))
                .collect(),
        );
    }
    rows.sort();
    Ok(rows)
}

fn csv_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::Reader::from_reader(bytes)
}

#[tokio::test]
async fn reimport_is_idempotent_and_updates_are_logged() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = loaded(&db.url).await?;
        let before = store.dossiers().await?;
        let again = import_dir(
            &store,
            &motcua_testkit::vinh_linh(),
            &motcua_testkit::ctx("test", now()),
        )
        .await?;
        assert_eq!(again.dossiers_inserted, 0, "{}", db.backend);
        assert_eq!(again.dossiers_updated, 0);
        assert_eq!(again.dossiers_unchanged, 3794);
        assert_eq!(before, store.dossiers().await?);
        let code = DossierCode::parse("VINH-KHE-240401-0001").ok_or("code")?;
        let events = store.dossier_events(&code).await?;
        assert_eq!(
            events.len(),
            1,
            "{}: one event after two identical imports",
            db.backend
        );
        assert_eq!(events[0].kind(), EventKind::Imported);

        // A changed row updates the dossier and appends an event naming the change.
        let dir = tempfile::tempdir()?;
        let original = std::fs::read_to_string(motcua_testkit::vinh_linh().join("dossiers.csv"))?;
        let header = original.lines().next().ok_or("header")?;
        let row = original
            .lines()
            .find(|l| l.starts_with("VINH-KHE-240401-0001,"))
            .ok_or("row")?;
        let changed = row.replacen(",old", ",new", 1);
        assert_ne!(row, changed);
        std::fs::write(
            dir.path().join("dossiers.csv"),
            format!("{header}\n{changed}\n"),
        )?;
        let summary =
            import_dir(&store, dir.path(), &motcua_testkit::ctx("officer", now())).await?;
        assert_eq!(summary.dossiers_updated, 1);
        let events = store.dossier_events(&code).await?;
        assert_eq!(events.len(), 2);
        assert_eq!(events[1].actor, "officer");
        let EventDetail::ImportUpdated(update) = &events[1].detail else {
            panic!("an update: {:?}", events[1])
        };
        let system = &update.changed["source_system"];
        assert_eq!(
            (&system.before, &system.after),
            (&"old".into(), &"new".into())
        );

        // Each import that changed something is in the audit trail with its actor (the
        // identical one is not: it wrote nothing), and that trail is append-only too.
        let audit = store
            .audit(&motcua_core::access::AuditFilter {
                action: Some("import".to_owned()),
                ..Default::default()
            })
            .await?;
        assert_eq!(audit.len(), 2, "{}", db.backend);
        assert_eq!(audit[0].actor, "officer");
        assert_eq!(audit[0].after["dossiers_updated"], 1);
        assert!(store.execute_raw("DELETE FROM audit_log").await.is_err());
        assert!(
            store
                .execute_raw("UPDATE audit_log SET actor = 'x'")
                .await
                .is_err()
        );

        // The log is append-only in the database itself.
        assert!(
            store
                .execute_raw("UPDATE dossier_events SET actor = 'x'")
                .await
                .is_err()
        );
        assert!(
            store
                .execute_raw("DELETE FROM dossier_events")
                .await
                .is_err()
        );
        assert_eq!(store.dossier_events(&code).await?.len(), 2);
        store.close().await?;
        Ok(())
    })
    .await
}
