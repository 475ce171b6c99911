//! Test support: where the fixtures live ([`fixture_dir`], the repository's `fixtures/`) and the check that an
//! [`IndicatorReport`] reproduces the published figures of a fixture's `expected.json`
//! ([`assert_expected`]). Used by the tests of several crates, never by the binary.
//!
//! Also: fresh test databases ([`test_databases`]) and a case run on each of them
//! ([`for_each_db`]), valid dossiers in one line ([`DossierBuilder`]), a dossier's citizen
//! ([`citizen_of`]), a local SMTP server that keeps what it receives ([`SmtpSink`]) and a
//! small OpenID provider the sign-in tests start themselves ([`oidc_provider::TestProvider`]).

mod builder;
mod citizens;
mod each_db;
pub mod oidc_provider;
mod smtp_sink;

pub use builder::{DossierBuilder, IntoCode};
pub use citizens::citizen_of;
pub use each_db::{OnBackend, TestResult, for_each_db};
pub use smtp_sink::{SinkMessage, SmtpSink};

use std::path::PathBuf;

use motcua_core::display::{self, Change};
use motcua_core::indicators::IndicatorReport;
use motcua_core::rates::RateId;

/// `fixtures/NAME` at the top of the repository.
pub fn fixture_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name)
}

/// The folder of the Vĩnh Linh fixture.
pub fn vinh_linh() -> PathBuf {
    fixture_dir("vinh-linh-2024")
}

/// Reads a fixture's `expected.json`.
pub fn expected(dir: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("expected.json"))
        .unwrap_or_else(|e| panic!("cannot read expected.json in {}: {e}", dir.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad expected.json: {e}"))
}

fn rate_id(id: &str) -> RateId {
    RateId::ALL
        .into_iter()
        .find(|r| r.id() == id)
        .unwrap_or_else(|| panic!("expected.json names an unknown rate {id}"))
}

/// Asserts every figure of `expected` against `report`: counts, rates and changes as
/// displayed, and the three unit lists.
pub fn assert_expected(report: &IndicatorReport, expected: &serde_json::Value) {
    assert_eq!(
        report.unit.as_str(),
        expected["unit"].as_str().unwrap_or_default()
    );
    assert_eq!(
        report.month.to_string(),
        expected["month"].as_str().unwrap_or_default()
    );
    let c = &report.counts;
    let counts = &expected["counts"];
    assert_eq!(Some(c.received), counts["received"].as_u64(), "received");
    assert_eq!(Some(c.resolved), counts["resolved"].as_u64(), "resolved");
    assert_eq!(
        Some(c.resolved_early + c.resolved_on_time),
        counts["resolved_early_plus_on_time"].as_u64(),
        "early + on time"
    );
    assert_eq!(
        Some(c.resolved_late),
        counts["resolved_late"].as_u64(),
        "late"
    );
    // The contract's identities hold on every report.
    assert_eq!(
        c.resolved_early + c.resolved_on_time + c.resolved_late,
        c.resolved
    );
    assert_eq!(
        c.received + c.carried_over,
        c.resolved + c.withdrawn + c.pending
    );

    let rates = expected["rates_display"]
        .as_object()
        .unwrap_or_else(|| panic!("rates_display missing"));
    for (id, want) in rates {
        let got = display::rate(report.rates.get(rate_id(id)));
        assert_eq!(got.as_deref(), want.as_str(), "rate {id}");
    }
    let changes = expected["changes_display"]
        .as_object()
        .unwrap_or_else(|| panic!("changes_display missing"));
    for (id, want) in changes {
        let rid = rate_id(id);
        let got = Change::between(report.rates.get(rid), report.previous.rates.get(rid))
            .map(|ch| ch.text());
        assert_eq!(got.as_deref(), want.as_str(), "change of {id}");
    }
    let names = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        report.lists.digitized_100,
        names(&expected["units_digitized_100"]),
        "units at 100% digitization"
    );
    assert_eq!(
        report.lists.good_payment,
        names(&expected["units_good_payment"]),
        "units doing well on payment"
    );
    let late: Vec<(String, String, u64)> = report
        .lists
        .late
        .iter()
        .map(|l| (l.short_name.clone(), l.label.clone(), l.count))
        .collect();
    let want_late: Vec<(String, String, u64)> = expected["units_late"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    (
                        x["short_name"].as_str().unwrap_or_default().to_owned(),
                        x["label"].as_str().unwrap_or_default().to_owned(),
                        x["count"].as_u64().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(late, want_late, "units with late dossiers");
}

/// A fresh, empty database for one test: a SQLite file in a temporary folder, or a new
/// PostgreSQL database (dropped when the value is dropped).
pub struct TestDb {
    pub url: String,
    /// `sqlite` or `postgres`, for assertion messages.
    pub backend: &'static str,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

/// The databases every storage story runs against: SQLite always, and PostgreSQL when
/// `TEST_DATABASE_URL` names a server (`.ci/run` sets it).
pub async fn test_databases() -> Vec<TestDb> {
    let mut out = vec![sqlite_db()];
    if let Ok(admin) = std::env::var("TEST_DATABASE_URL")
        && !admin.trim().is_empty()
    {
        out.push(postgres_db(&admin).await);
    }
    out
}

/// A fresh SQLite database in a temporary folder.
pub fn sqlite_db() -> TestDb {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    TestDb {
        url,
        backend: "sqlite",
        _dir: Some(dir),
        pg: None,
    }
}

async fn postgres_db(admin: &str) -> TestDb {
    use sea_orm::ConnectionTrait;
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let name = format!(
        "motcua_t_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let conn = sea_orm::Database::connect(admin)
        .await
        .unwrap_or_else(|e| panic!("TEST_DATABASE_URL {admin}: {e}"));
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap_or_else(|e| panic!("create database {name}: {e}"));
    let _ = conn.close().await;
    let base = admin.split('?').next().unwrap_or(admin);
    let prefix = base.rsplit_once('/').map_or(base, |(p, _)| p);
    TestDb {
        url: format!("{prefix}/{name}"),
        backend: "postgres",
        _dir: None,
        pg: Some((admin.to_owned(), name)),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.pg.take() else {
            return;
        };
        // Drop runs inside the test's runtime; a separate thread with its own runtime can
        // block on the cleanup without stalling it.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                use sea_orm::ConnectionTrait;
                if let Ok(conn) = sea_orm::Database::connect(admin.as_str()).await {
                    let _ = conn
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}

/// An instant after everything the Vĩnh Linh fixture records (its last result was handed
/// back on 2 June 2024): 3 June 2024, 08:00 local time. An import made earlier would be
/// refused, for no dossier may record an instant after the import.
pub fn after_fixture() -> motcua_core::Timestamp {
    motcua_core::Timestamp::from_micros(1_717_376_400_000_000)
}

/// The audit context of a write made by a test.
pub fn ctx(actor: &str, at: motcua_core::Timestamp) -> motcua_core::access::AuditContext {
    motcua_core::access::AuditContext {
        actor: actor.to_owned(),
        remote_addr: None,
        at,
    }
}

/// The Vĩnh Linh fixture parsed and validated by the pure interchange code (no database).
pub fn vinh_linh_plan() -> motcua_core::interchange::ImportPlan {
    use motcua_core::interchange::{Existing, ImportFiles, ImportOptions, plan_import};
    let dir = vinh_linh();
    let read = |name: &str| {
        std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name} in {}: {e}", dir.display()))
    };
    let (units, procedures, components, dossiers) = (
        read("units.csv"),
        read("procedures.csv"),
        read("procedure_components.csv"),
        read("dossiers.csv"),
    );
    plan_import(
        ImportFiles {
            units: Some(("units.csv", &units)),
            procedures: Some(("procedures.csv", &procedures)),
            procedure_components: Some(("procedure_components.csv", &components)),
            dossiers: Some(("dossiers.csv", &dossiers)),
        },
        Existing::default(),
        ImportOptions::at(after_fixture()),
        &|_, _, _| Err("the fixture gives every due_at".to_owned()),
    )
    .unwrap_or_else(|issues| panic!("the fixture must import: {issues:#?}"))
}

/// An officer of `unit` with `role` (for tests that call the application services directly).
pub fn officer(
    name: &str,
    unit: &str,
    role: motcua_core::access::Role,
) -> Result<motcua_core::access::Principal, Box<dyn std::error::Error>> {
    Ok(motcua_core::access::Principal {
        id: 1,
        name: name.to_owned(),
        unit: motcua_core::unit::UnitCode::parse(unit)?,
        credential: motcua_core::access::Credential::User { role },
    })
}

/// The audit context of `principal` acting at `at` (RFC 3339).
pub fn acting(
    principal: &motcua_core::access::Principal,
    at: &str,
) -> Result<motcua_core::access::AuditContext, Box<dyn std::error::Error>> {
    Ok(ctx(&principal.actor(), motcua_core::Timestamp::parse(at)?))
}

/// How many files a folder holds, all levels down.
pub fn count_files(dir: &std::path::Path) -> usize {
    let mut n = 0;
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                n += 1;
            }
        }
    }
    n
}
