//! Every rejection of docs/spec/interchange.md "Validation": the message names file, line and
//! column, and the database is left exactly as it was (on SQLite and PostgreSQL). Last, a
//! property test feeds mutated fixture files to the importer on both databases.

mod mutate;

use std::collections::BTreeMap;
use std::path::Path;

use motcua_app::{AppError, import_dir};
use motcua_core::Timestamp;
use motcua_core::interchange::{DOSSIER_COLUMNS, Issue, PROCEDURE_COLUMNS, UNIT_COLUMNS};
use motcua_store::SqlStore;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};

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
    procedures: Option<Vec<BTreeMap<&'static str, String>>>,
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
        procedures: None,
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

/// A procedure of the fixture's kind, as column → value.
fn procedure(code: &str) -> BTreeMap<&'static str, String> {
    [
        ("code", code),
        ("name", "Thủ tục thử"),
        ("field", "Hộ tịch"),
        ("offered_by", "commune"),
        ("online_level", "full"),
        ("processing_days", "1"),
        ("fee_vnd", "0"),
        ("components", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

/// A bad second row of `units.csv` (`column` at fault), after a good one.
fn bad_unit(name: &'static str, column: &'static str, bad: BTreeMap<&'static str, String>) -> Case {
    Case {
        name,
        dossiers: vec![valid_dossier("TEST-0001")],
        units: Some(vec![unit("thu-a", "vinh-linh"), bad]),
        procedures: None,
        file: "units.csv",
        line: 3,
        column,
    }
}

fn edited(
    mut row: BTreeMap<&'static str, String>,
    edits: &[(&'static str, &str)],
) -> BTreeMap<&'static str, String> {
    for (k, v) in edits {
        row.insert(k, (*v).to_owned());
    }
    row
}

fn cases() -> Vec<Case> {
    let resolved = [
        ("resolved_at", "2024-05-20T10:00:00+07:00"),
        ("outcome", "approved"),
    ];
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
            procedures: None,
            file: "units.csv",
            line: 3,
            column: "parent_code",
        },
        // Issue 14, item 4: codes are a strict alphabet.
        bad_second_dossier(
            "dossier code with a zero-width space",
            "code",
            &[("code", "HO-XA-240401-0002\u{200B}")],
        ),
        bad_second_dossier(
            "dossier code with a word joiner",
            "code",
            &[("code", "HO-XA\u{2060}-240401-0002")],
        ),
        bad_second_dossier(
            "dossier code with a byte order mark",
            "code",
            &[("code", "\u{FEFF}HO-XA-240401-0002")],
        ),
        bad_second_dossier(
            "dossier code with a non-breaking hyphen",
            "code",
            &[("code", "HO\u{2011}XA-240401-0002")],
        ),
        bad_second_dossier(
            "dossier code with a slash and ..",
            "code",
            &[("code", "HO-XA/../HO-XA-240401-0002")],
        ),
        Case {
            name: "procedure code with a zero-width space",
            dossiers: vec![valid_dossier("TEST-0001")],
            units: None,
            procedures: Some(vec![procedure("9.900001"), procedure("1.001193\u{200B}")]),
            file: "procedures.csv",
            line: 3,
            column: "code",
        },
        bad_unit("unit code with ..", "code", unit("thu..b", "vinh-linh")),
        // Item 5: bounded text without control characters, the same on both databases.
        bad_second_dossier(
            "a 5 MB dossier code",
            "code",
            &[("code", &"A".repeat(5_000_000))],
        ),
        bad_unit(
            "NUL in a unit name",
            "name",
            edited(unit("thu-b", "vinh-linh"), &[("name", "UBND xã\0 Thử")]),
        ),
        bad_unit(
            "escape sequence in a short name",
            "short_name",
            edited(
                unit("thu-b", "vinh-linh"),
                &[("short_name", "Thử\u{1b}[31m")],
            ),
        ),
        bad_unit(
            "unit name of 100 000 characters",
            "name",
            edited(
                unit("thu-b", "vinh-linh"),
                &[("name", &"Ư".repeat(100_000))],
            ),
        ),
        Case {
            name: "NUL in a procedure name",
            dossiers: vec![valid_dossier("TEST-0001")],
            units: None,
            procedures: Some(vec![edited(
                procedure("9.900002"),
                &[("name", "Thủ\0 tục")],
            )]),
            file: "procedures.csv",
            line: 2,
            column: "name",
        },
        // Item 6: invalid data accepted.
        bad_second_dossier(
            "returned before received",
            "returned_at",
            &[
                ("resolved_at", "2024-05-20T08:30:00+07:00"),
                ("outcome", "approved"),
                ("returned_at", "2024-05-19T08:00:00+07:00"),
            ],
        ),
        bad_second_dossier(
            "returned before resolved",
            "returned_at",
            &[
                resolved[0],
                resolved[1],
                ("returned_at", "2024-05-20T09:00:00+07:00"),
            ],
        ),
        bad_second_dossier(
            "payment channel without paid_at",
            "paid_at",
            &[("fee_vnd", "8000"), ("payment_channel", "offline")],
        ),
        bad_second_dossier(
            "result digitized on a rejected dossier",
            "result_digitized",
            &[
                resolved[0],
                ("outcome", "rejected"),
                ("result_digitized", "true"),
            ],
        ),
        bad_second_dossier(
            "result digitized on a withdrawn dossier",
            "result_digitized",
            &[
                resolved[0],
                ("outcome", "withdrawn"),
                ("result_digitized", "false"),
            ],
        ),
        bad_second_dossier(
            "resolved in the future",
            "resolved_at",
            &[("resolved_at", "2030-01-02T10:00:00+07:00"), resolved[1]],
        ),
        bad_second_dossier(
            "received in the future",
            "received_at",
            &[
                ("received_at", "2030-01-02T08:00:00+07:00"),
                ("due_at", "2030-01-03T08:00:00+07:00"),
            ],
        ),
        bad_second_dossier(
            "paid in the future",
            "paid_at",
            &[
                ("fee_vnd", "8000"),
                ("payment_channel", "online"),
                ("paid_at", "2030-01-02T10:00:00+07:00"),
            ],
        ),
        bad_unit(
            "a commune moved under another commune",
            "parent_code",
            unit("vinh-khe", "ho-xa"),
        ),
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
    motcua_testkit::for_each_db(async |db| {
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
            if let Some(procedures) = &case.procedures {
                write_csv(
                    &dir.path().join("procedures.csv"),
                    PROCEDURE_COLUMNS,
                    procedures,
                )?;
            }
            let result = import_dir(&store, dir.path(), &motcua_testkit::ctx("test", now())).await;
            let Err(AppError::Invalid(issues)) = result else {
                let got = format!("{result:?}");
                panic!(
                    "{}: {}: expected a rejection, got {}",
                    db.backend,
                    case.name,
                    got.chars().take(500).collect::<String>()
                );
            };
            let columns: &[&str] = match case.file {
                "units.csv" => UNIT_COLUMNS,
                "procedures.csv" => PROCEDURE_COLUMNS,
                _ => DOSSIER_COLUMNS,
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
                "{}: {}",
                case.name,
                message.chars().take(2000).collect::<String>()
            );
            // The message is for a person: short, and without what a terminal would obey.
            assert!(
                message.len() < 10_000,
                "{}: {} bytes",
                case.name,
                message.len()
            );
            assert!(
                !message.chars().any(|c| c.is_control() && c != '\n'),
                "{}: {message:?}",
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
        Ok(())
    })
    .await
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

/// The fixture with `edit` applied to its files (name → bytes), in a fresh folder.
fn fixture_copy(
    edit: impl Fn(&str, Vec<u8>) -> Vec<u8>,
) -> Result<tempfile::TempDir, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    for name in mutate::FILES {
        let bytes = std::fs::read(motcua_testkit::vinh_linh().join(name))?;
        std::fs::write(dir.path().join(name), edit(name, bytes))?;
    }
    Ok(dir)
}

/// `text` with every line break (LF, CRLF, CR) made `ending`.
fn with_endings(text: &[u8], ending: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'\r' if text.get(i + 1) == Some(&b'\n') => {
                out.extend_from_slice(ending);
                i += 1;
            }
            b'\r' | b'\n' => out.extend_from_slice(ending),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

fn located(issues: &[Issue], file: &str, line: u64, column: &str) -> bool {
    issues.iter().any(|i| {
        i.file.ends_with(file)
            && i.line == line
            && i.column.as_ref().map(|c| c.name.as_str()) == Some(column)
    })
}

/// Issue 14, item 3: the fixture's own files are CRLF; a bad row is named by its physical
/// line whatever the line endings (LF, CRLF, lone CR), and a quoted cell spanning lines
/// counts its lines.
#[tokio::test]
async fn rows_are_named_by_their_physical_line_whatever_the_line_endings() -> TestResult {
    let fixture = std::fs::read(motcua_testkit::vinh_linh().join("dossiers.csv"))?;
    assert!(
        fixture.windows(2).any(|w| w == b"\r\n"),
        "the fixture is CRLF"
    );
    motcua_testkit::for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let before = dump(&store, db.backend).await?;
        for ending in [&b"\r\n"[..], b"\n", b"\r"] {
            // Line 101 of dossiers.csv names a unit that does not exist; units.csv has a
            // name over two lines (lines 27–28) and a bad kind on line 29.
            let dir = fixture_copy(|name, bytes| {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let text = match name {
                    "dossiers.csv" => {
                        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
                        let mut cells: Vec<&str> = lines[100].split(',').collect();
                        cells[2] = "khong-co";
                        lines[100] = cells.join(",");
                        lines.join("\n") + "\n"
                    }
                    "units.csv" => format!(
                        "{text}thu-a,\"UBND xã\r\nThử\",Thử,commune,xã,vinh-linh\n\
                         thu-b,UBND xã B,B,communeX,xã,vinh-linh\n"
                    ),
                    _ => text,
                };
                with_endings(text.as_bytes(), ending)
            })?;
            let Err(AppError::Invalid(issues)) =
                import_dir(&store, dir.path(), &motcua_testkit::ctx("test", now())).await
            else {
                panic!("{}: {ending:?}: must be refused", db.backend);
            };
            for (file, line, column) in [
                ("dossiers.csv", 101, "unit_code"),
                ("units.csv", 27, "name"),
                ("units.csv", 29, "kind"),
            ] {
                assert!(
                    located(&issues, file, line, column),
                    "{}: {ending:?}: {file}, line {line}, {column} not in {issues:#?}",
                    db.backend
                );
            }
            assert_eq!(issues.len(), 3, "{}: {ending:?}: {issues:#?}", db.backend);
        }
        assert!(before == dump(&store, db.backend).await?, "{}", db.backend);
        store.close().await?;
        Ok(())
    })
    .await
}

/// Item 6: an entry named like an interchange file that cannot be read (here a link to
/// nothing) is an error naming it, never an absent file; nothing is written.
#[cfg(unix)]
#[tokio::test]
async fn an_unreadable_file_is_an_error_naming_it() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        for dangling in ["dossiers.csv", "units.csv"] {
            let before = dump(&store, db.backend).await?;
            let dir = tempfile::tempdir()?;
            for name in ["units.csv", "procedures.csv"] {
                std::fs::copy(
                    motcua_testkit::vinh_linh().join(name),
                    dir.path().join(name),
                )?;
            }
            if dir.path().join(dangling).exists() {
                std::fs::remove_file(dir.path().join(dangling))?;
            }
            std::os::unix::fs::symlink(dir.path().join("khong-co.csv"), dir.path().join(dangling))?;
            let result = import_dir(&store, dir.path(), &motcua_testkit::ctx("test", now())).await;
            match &result {
                Err(e) => assert!(e.to_string().contains(dangling), "{}: {e}", db.backend),
                Ok(summary) => panic!(
                    "{}: a dangling {dangling} was taken for an absent file: {summary:?}",
                    db.backend
                ),
            }
            assert!(before == dump(&store, db.backend).await?, "{}", db.backend);
        }
        store.close().await?;
        Ok(())
    })
    .await
}

/// Item 8: re-importing identical files writes nothing and logs nothing (no audit record, no
/// revision of the catalogue, no event), as ARCHITECTURE.md says.
#[tokio::test]
async fn reimporting_identical_files_writes_nothing() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
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
        Ok(())
    })
    .await
}

/// Item 6: moving a stored unit under another parent widens the new parent's officers'
/// scope: refused with the way to ask for it, done when asked for.
#[tokio::test]
async fn a_unit_moves_only_when_asked_to() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", now());
        import_dir(&store, &motcua_testkit::vinh_linh(), &ctx).await?;
        let dir = tempfile::tempdir()?;
        let mut moved = store
            .units()
            .await?
            .into_iter()
            .find(|u| u.code.as_str() == "vinh-khe")
            .ok_or("vinh-khe")?;
        moved.parent = Some(motcua_core::unit::UnitCode::parse("ho-xa")?);
        let mut file = Vec::new();
        motcua_core::interchange::write_units(&mut file, [&moved])?;
        std::fs::write(dir.path().join("units.csv"), &file)?;

        let before = dump(&store, db.backend).await?;
        let Err(AppError::Invalid(issues)) = import_dir(&store, dir.path(), &ctx).await else {
            panic!("{}: the move must be refused", db.backend);
        };
        assert!(
            located(&issues, "units.csv", 2, "parent_code"),
            "{issues:#?}"
        );
        assert!(issues[0].reason.contains("--allow-moves"), "{}", issues[0]);
        assert!(before == dump(&store, db.backend).await?, "{}", db.backend);

        let summary = motcua_app::import_dir_with(&store, dir.path(), &ctx, true).await?;
        assert_eq!(
            (summary.units, summary.units_unchanged),
            (1, 0),
            "{}",
            db.backend
        );
        let stored = store.units().await?;
        let unit = stored
            .iter()
            .find(|u| u.code.as_str() == "vinh-khe")
            .ok_or("vinh-khe")?;
        assert_eq!(unit.parent.as_ref().map(|p| p.as_str()), Some("ho-xa"));
        assert!(store.check_aggregates().await?.is_empty(), "{}", db.backend);
        store.close().await?;
        Ok(())
    })
    .await
}

/// Whether `reason` names line `line` ("dòng 12", not "dòng 123").
fn mentions_line(reason: &str, line: u64) -> bool {
    let needle = format!("dòng {line}");
    reason.match_indices(&needle).any(|(i, _)| {
        !reason[i + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// What an import of mutated files gave: `Ok` or the issues as text.
type Outcome = Result<(), Vec<String>>;

/// Checks one outcome against the mutated files: a refusal names every known fault and
/// every issue points at a real place of a real file.
fn judge(
    result: &Result<motcua_app::ImportSummary, AppError>,
    m: &mutate::Mutated,
) -> Result<Outcome, String> {
    let issues = match result {
        // A byte changed anywhere may well leave valid data.
        Ok(_) if m.expected.iter().all(|e| e.loose) => return Ok(Ok(())),
        Ok(_) => return Err(format!("imported despite {:?}", m.expected)),
        Err(AppError::Invalid(issues)) => issues,
        Err(e) => {
            let text = e.to_string();
            return Err(format!(
                "refused without located issues: {}",
                text.chars().take(500).collect::<String>()
            ));
        }
    };
    if issues.is_empty() {
        return Err("refused with no issue".to_owned());
    }
    for e in &m.expected {
        let found = issues.iter().any(|i| {
            i.file.ends_with(e.file)
                && ((i.line == e.line
                    && e.column.as_ref().is_none_or(|(index, name)| {
                        i.column
                            .as_ref()
                            .is_some_and(|c| c.index == *index && c.name == *name)
                    }))
                    || (e.loose && mentions_line(&i.reason, e.line)))
        });
        if !found {
            let shown: Vec<String> = issues
                .iter()
                .map(|i| i.to_string().chars().take(300).collect())
                .collect();
            return Err(format!(
                "{} ({}, line {}, column {:?}) not reported in {shown:#?}",
                e.what, e.file, e.line, e.column
            ));
        }
    }
    for i in issues {
        let Some(f) = mutate::FILES.iter().position(|n| i.file.ends_with(n)) else {
            return Err(format!("issue on an unknown file: {i}"));
        };
        let lines = mutate::line_count(&m.files[f]).max(1);
        if i.line < 1 || i.line > lines {
            return Err(format!("line {} of a file of {lines} lines: {i}", i.line));
        }
        if let Some(c) = &i.column {
            let header = mutate::header_cells(&m.files[f]);
            let Some(cell) = header.get(c.index.wrapping_sub(1)) else {
                return Err(format!(
                    "column {} of a header of {}: {i}",
                    c.index,
                    header.len()
                ));
            };
            if let Ok(name) = std::str::from_utf8(cell)
                && !name.chars().any(|ch| ch.is_control() || ch == '\u{FEFF}')
                && name.trim() != c.name
            {
                return Err(format!(
                    "column {} is «{}», not «{}»",
                    c.index,
                    name.trim(),
                    c.name
                ));
            }
        }
        if i.reason.is_empty()
            || i.reason.chars().count() > 2_000
            || i.reason.chars().any(|c| c.is_control())
        {
            return Err(format!(
                "unreadable reason: {:?}",
                i.reason.chars().take(200).collect::<String>()
            ));
        }
    }
    Ok(Err(issues.iter().map(ToString::to_string).collect()))
}

/// The acceptance test of issue 14: random mutations of the fixture's files (bytes flipped,
/// inserted, deleted; NUL, invalid UTF-8, look-alike characters, control characters, huge
/// cells, cells over thousands of lines; columns removed, doubled, reordered; rows removed,
/// doubled, swapped; UTF-16, Windows-1258-like bytes; LF, CRLF or CR line endings) imported
/// over the fixture's slice on both databases. Never a panic; either the import succeeds and
/// the aggregates equal a recount, or it is refused, the database is unchanged, and every
/// fault the mutation knows of is reported at its file, line (and column); both databases give
/// the same answer.
#[test]
fn mutated_files_are_imported_whole_or_refused_where_they_are_wrong() -> TestResult {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let slice = mutate::Slice::of_fixture(300);
    let original = tempfile::tempdir()?;
    for (name, bytes) in mutate::FILES.iter().zip(slice.files()) {
        std::fs::write(original.path().join(name), bytes)?;
    }
    let ctx = motcua_testkit::ctx("test", now());
    let dbs = rt.block_on(motcua_testkit::test_databases());
    let stores = rt.block_on(async {
        let mut stores = Vec::new();
        for db in &dbs {
            let store = SqlStore::connect(&db.url).await?;
            import_dir(&store, original.path(), &ctx).await?;
            stores.push((db.backend, store));
        }
        Ok::<_, Box<dyn std::error::Error>>(stores)
    })?;
    let mut runner = TestRunner::new(Config {
        cases: 40,
        max_shrink_iters: 200,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/app/validation.proptest-regressions",
        ))),
        ..Config::default()
    });
    let strategy = (
        proptest::array::uniform3(0u8..3),
        proptest::collection::vec(
            (
                0..mutate::KINDS,
                proptest::num::u32::ANY,
                proptest::num::u32::ANY,
                proptest::num::u32::ANY,
            ),
            1..4,
        ),
    );
    let result = runner.run(&strategy, |(endings, ops)| {
        let m = mutate::mutate(&slice, endings, &ops);
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (name, bytes) in mutate::FILES.iter().zip(&m.files) {
            std::fs::write(dir.path().join(name), bytes)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        let mut outcomes: Vec<(&str, Outcome)> = Vec::new();
        for (backend, store) in &stores {
            let fail = |e: String| TestCaseError::fail(format!("{backend}: {e}"));
            let outcome = rt
                .block_on(async {
                    let before = dump(store, backend).await.map_err(|e| e.to_string())?;
                    let result = import_dir(store, dir.path(), &ctx).await;
                    let outcome = judge(&result, &m)?;
                    match &outcome {
                        Ok(()) => {
                            let differences =
                                store.check_aggregates().await.map_err(|e| e.to_string())?;
                            if !differences.is_empty() {
                                return Err(format!("aggregates differ: {differences:?}"));
                            }
                        }
                        Err(_) => {
                            if before != dump(store, backend).await.map_err(|e| e.to_string())? {
                                return Err("refused, but the database changed".to_owned());
                            }
                        }
                    }
                    Ok(outcome)
                })
                .map_err(fail)?;
            outcomes.push((backend, outcome));
        }
        if let [(_, first), rest @ ..] = outcomes.as_slice() {
            for (backend, other) in rest {
                if other != first {
                    return Err(TestCaseError::fail(format!(
                        "{backend} answered {other:?}, sqlite {first:?}"
                    )));
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        return Err(e.to_string().into());
    }
    Ok(())
}
