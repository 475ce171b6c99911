//! Every rejection of docs/spec/interchange.md "Validation": the message names file, line and
//! column, and the database is left exactly as it was (on SQLite and PostgreSQL).

use std::collections::BTreeMap;
use std::path::Path;

use motcua_app::{AppError, import_dir};
use motcua_core::Timestamp;
use motcua_core::interchange::{DOSSIER_COLUMNS, Issue, UNIT_COLUMNS};
use motcua_store::{SqlStore, Store};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn now() -> Timestamp {
    Timestamp::from_micros(1_764_000_000_000_000)
}

/// A valid dossier of the fixture's catalogue, as column → value.
fn valid_dossier(code: &str) -> BTreeMap<&'static str, String> {
    let mut row: BTreeMap<&'static str, String> = DOSSIER_COLUMNS
        .iter()
        .map(|c| (*c, String::new()))
        .collect();
    for (k, v) in [
        ("code", code),
        ("procedure_code", "1.001193"),
        ("unit_code", "vinh-khe"),
        ("channel", "direct"),
        ("received_at", "2024-05-20T08:00:00+07:00"),
        ("due_at", "2024-05-21T08:00:00+07:00"),
        ("components_total", "2"),
        ("components_digitized", "2"),
        ("fee_vnd", "0"),
        ("e_receipt", "false"),
        ("source_system", "new"),
    ] {
        row.insert(k, v.to_owned());
    }
    row
}

fn write_csv(path: &Path, columns: &[&str], rows: &[BTreeMap<&'static str, String>]) -> TestResult {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record(columns)?;
    for row in rows {
        w.write_record(
            columns
                .iter()
                .map(|c| row.get(c).map_or("", String::as_str)),
        )?;
    }
    w.flush()?;
    Ok(())
}

/// One bad case: the files to write and where the problem must be reported.
struct Case {
    name: &'static str,
    dossiers: Vec<BTreeMap<&'static str, String>>,
    units: Option<Vec<BTreeMap<&'static str, String>>>,
    file: &'static str,
    line: u64,
    column: &'static str,
}

fn bad_second_dossier(
    name: &'static str,
    column: &'static str,
    edits: &[(&'static str, &str)],
) -> Case {
    let mut bad = valid_dossier("TEST-0002");
    for (k, v) in edits {
        bad.insert(k, (*v).to_owned());
    }
    Case {
        name,
        dossiers: vec![valid_dossier("TEST-0001"), bad],
        units: None,
        file: "dossiers.csv",
        line: 3,
        column,
    }
}

fn unit(code: &str, parent: &str) -> BTreeMap<&'static str, String> {
    [
        ("code", code),
        ("name", "UBND xã Thử"),
        ("short_name", "Thử"),
        ("kind", "commune"),
        ("label", "xã"),
        ("parent_code", parent),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

fn cases() -> Vec<Case> {
    vec![
        bad_second_dossier(
            "unknown procedure",
            "procedure_code",
            &[("procedure_code", "9.999999")],
        ),
        bad_second_dossier("unknown unit", "unit_code", &[("unit_code", "khong-co")]),
        bad_second_dossier("duplicate code", "code", &[("code", "TEST-0001")]),
        bad_second_dossier(
            "digitized > total",
            "components_digitized",
            &[("components_digitized", "3")],
        ),
        bad_second_dossier(
            "resolved before received",
            "resolved_at",
            &[
                ("resolved_at", "2024-05-19T08:00:00+07:00"),
                ("outcome", "approved"),
            ],
        ),
        bad_second_dossier(
            "outcome without resolved_at",
            "resolved_at",
            &[("outcome", "approved")],
        ),
        bad_second_dossier(
            "resolved_at without outcome",
            "outcome",
            &[("resolved_at", "2024-05-20T10:00:00+07:00")],
        ),
        bad_second_dossier(
            "online level on a desk dossier",
            "online_level",
            &[("online_level", "full")],
        ),
        bad_second_dossier(
            "timestamp without offset",
            "received_at",
            &[("received_at", "2024-05-20T08:00:00")],
        ),
        bad_second_dossier("negative fee", "fee_vnd", &[("fee_vnd", "-1000")]),
        Case {
            name: "cycle in the unit tree",
            dossiers: vec![valid_dossier("TEST-0001")],
            units: Some(vec![
                unit("thu-a", "vinh-linh"),
                unit("thu-b", "thu-c"),
                unit("thu-c", "thu-b"),
            ]),
            file: "units.csv",
            line: 3,
            column: "parent_code",
        },
    ]
}

/// Every row of every table as text, sorted: what "the database is unchanged" compares
/// (the audit trail and the revisions included).
async fn dump(store: &SqlStore, backend: &str) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let tables = if backend == "sqlite" {
        store
            .query_text("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .await?
    } else {
        store
            .query_text(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
            )
            .await?
    };
    let mut out = Vec::new();
    for table in tables {
        let columns = if backend == "sqlite" {
            store
                .query_text(&format!(
                    "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
                ))
                .await?
        } else {
            store
                .query_text(&format!(
                    "SELECT column_name::text FROM information_schema.columns
                     WHERE table_schema = 'public' AND table_name = '{table}'
                     ORDER BY ordinal_position"
                ))
                .await?
        };
        let row = columns
            .iter()
            .map(|c| format!("COALESCE(CAST(\"{c}\" AS TEXT), '∅')"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let mut rows = store
            .query_text(&format!("SELECT {row} FROM \"{table}\""))
            .await?;
        rows.sort();
        out.extend(rows.into_iter().map(|r| format!("{table}: {r}")));
    }
    Ok(out)
}

#[tokio::test]
async fn every_rejection_is_located_and_changes_nothing() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = SqlStore::connect(&db.url).await?;
        import_dir(
            &store,
            &motcua_testkit::vinh_linh(),
            &motcua_testkit::ctx("test", now()),
        )
        .await?;
        let before = dump(&store, db.backend).await?;
        for case in cases() {
            let dir = tempfile::tempdir()?;
            write_csv(
                &dir.path().join("dossiers.csv"),
                DOSSIER_COLUMNS,
                &case.dossiers,
            )?;
            if let Some(units) = &case.units {
                write_csv(&dir.path().join("units.csv"), UNIT_COLUMNS, units)?;
            }
            let result = import_dir(&store, dir.path(), &motcua_testkit::ctx("test", now())).await;
            let Err(AppError::Invalid(issues)) = result else {
                panic!(
                    "{}: {}: expected a rejection, got {result:?}",
                    db.backend, case.name
                );
            };
            let columns: &[&str] = if case.file == "units.csv" {
                UNIT_COLUMNS
            } else {
                DOSSIER_COLUMNS
            };
            let want_index = columns
                .iter()
                .position(|c| *c == case.column)
                .map(|i| i + 1);
            let found = issues.iter().any(|i: &Issue| {
                i.file.ends_with(case.file)
                    && i.line == case.line
                    && i.column.as_ref().map(|c| (c.index, c.name.as_str()))
                        == want_index.map(|ix| (ix, case.column))
                    && !i.reason.is_empty()
            });
            assert!(
                found,
                "{}: {}: not reported at {}:{}:{} in {issues:#?}",
                db.backend, case.name, case.file, case.line, case.column
            );
            let message = AppError::Invalid(issues).to_string();
            assert!(
                message.contains(&format!(
                    "dòng {}, cột {} ({})",
                    case.line,
                    want_index.unwrap_or(0),
                    case.column
                )),
                "{}: {message}",
                case.name
            );
            assert!(
                before == dump(&store, db.backend).await?,
                "{}: {}: database changed",
                db.backend,
                case.name
            );
        }
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn header_problems_are_reported_on_line_one() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = SqlStore::connect(&db.url).await?;
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("units.csv"),
        "code,name,short_name,kind,label,parent_code,extra\n",
    )?;
    let Err(AppError::Invalid(issues)) =
        import_dir(&store, dir.path(), &motcua_testkit::ctx("test", now())).await
    else {
        panic!("an unknown column must be refused");
    };
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].line, 1);
    assert_eq!(
        issues[0]
            .column
            .as_ref()
            .map(|c| (c.index, c.name.as_str())),
        Some((7, "extra"))
    );

    std::fs::write(dir.path().join("units.csv"), "code,name\n")?;
    let Err(AppError::Invalid(issues)) =
        import_dir(&store, dir.path(), &motcua_testkit::ctx("test", now())).await
    else {
        panic!("missing columns must be refused");
    };
    assert!(issues.iter().any(|i| i.reason.contains("kind")));
    assert!(store.units().await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn all_problems_of_a_file_are_reported() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = SqlStore::connect(&db.url).await?;
    import_dir(
        &store,
        &motcua_testkit::vinh_linh(),
        &motcua_testkit::ctx("test", now()),
    )
    .await?;
    let dir = tempfile::tempdir()?;
    let mut rows = vec![valid_dossier("A-1")];
    for (code, col, val) in [
        ("A-2", "fee_vnd", "-1"),
        ("A-3", "channel", "fax"),
        ("A-4", "received_at", "hôm qua"),
    ] {
        let mut r = valid_dossier(code);
        r.insert(col, val.to_owned());
        rows.push(r);
    }
    write_csv(&dir.path().join("dossiers.csv"), DOSSIER_COLUMNS, &rows)?;
    let Err(AppError::Invalid(issues)) =
        import_dir(&store, dir.path(), &motcua_testkit::ctx("test", now())).await
    else {
        panic!("must be refused");
    };
    let lines: Vec<u64> = issues.iter().map(|i| i.line).collect();
    assert_eq!(lines, [3, 4, 5]);
    Ok(())
}

/// Item 8: re-importing identical files writes nothing and logs nothing (no audit record, no
/// revision of the catalogue, no event), as ARCHITECTURE.md says.
#[tokio::test]
async fn reimporting_identical_files_writes_nothing() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = SqlStore::connect(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", now());
        import_dir(&store, &motcua_testkit::vinh_linh(), &ctx).await?;
        let before = dump(&store, db.backend).await?;
        let again = import_dir(&store, &motcua_testkit::vinh_linh(), &ctx).await?;
        assert_eq!(again.dossiers_unchanged, 3794, "{}", db.backend);
        let after = dump(&store, db.backend).await?;
        let changed: Vec<&String> = after.iter().filter(|r| !before.contains(r)).collect();
        assert!(changed.is_empty(), "{}: {changed:#?}", db.backend);
        assert_eq!(before.len(), after.len(), "{}", db.backend);
        store.close().await?;
    }
    Ok(())
}
