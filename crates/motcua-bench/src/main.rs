//! `motcua-bench`: the benchmarks of BENCHMARKS.md that need a whole system.
//!
//! - `indicators`: the indicators of one province-month and one commune-month, in process and
//!   over HTTP, against PostgreSQL or SQLite computing the same figures by GROUP BY from the
//!   same dossiers (`benches/indicators_groupby.sql`), every answer checked equal; it also
//!   writes what `benches/duckdb_indicators.py` needs to run the same query in DuckDB.
//! - `lists`: the first page of the worklist and of the dossiers behind a figure (`lists.rs`).
//! - `ingest`: durable ingest of dossier records through the store (group commit), from
//!   concurrent producers, each record acknowledged once committed.
//!
//! Figures are printed as Markdown rows for BENCHMARKS.md.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::aggregate::{Row, row_of, stored_columns};
use motcua_core::indicators::IndicatorReport;
use motcua_core::interchange::ImportPlan;
use motcua_core::timestamp::Month;
use motcua_core::unit::{UnitCode, UnitKind};
use motcua_store::SqlStore;
use sea_orm::{ConnectionTrait, Statement};

mod lists;
mod timing;

const GROUP_BY: &str = include_str!("../../../benches/indicators_groupby.sql");

#[derive(Parser)]
#[command(name = "motcua-bench")]
struct Cli {
    /// sqlite://PATH or postgres://…
    #[arg(long, env = "DATABASE_URL")]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Indicators of the largest province and of its busiest commune for a month.
    Indicators {
        #[arg(long)]
        month: Month,
        /// Timed requests per scope, in process and over HTTP each.
        #[arg(long, default_value_t = 1000)]
        runs: usize,
        /// Timed GROUP BY queries per scope.
        #[arg(long, default_value_t = 5)]
        groupby_runs: usize,
        /// Folder for DuckDB's inputs (scopes, offerings, expected figures).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// First pages of the worklist and of the drill-down, for the largest province and its
    /// busiest commune.
    Lists {
        #[arg(long)]
        month: Month,
        /// Timed requests per list, in process and over HTTP each.
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// Durable ingest from concurrent producers, one transaction per record and grouped.
    Ingest {
        /// Dossiers to send (two records each: received, then settled).
        #[arg(long, default_value_t = 20_000)]
        dossiers: u64,
        #[arg(long, default_value_t = 32)]
        producers: usize,
        /// Records per transaction at most, when grouped.
        #[arg(long, default_value_t = 256)]
        batch: usize,
        /// Dossiers sent one transaction per record, for the comparison.
        #[arg(long, default_value_t = 2_000)]
        single: u64,
    },
}

fn now() -> Timestamp {
    Timestamp::from_datetime(time::OffsetDateTime::now_utc()).unwrap_or(Timestamp::from_micros(0))
}

fn ctx() -> AuditContext {
    AuditContext {
        actor: "bench".to_owned(),
        remote_addr: None,
        at: now(),
    }
}

/// The allocator of the `motcua` binary, so that what is measured is what runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Indicators {
            month,
            runs,
            groupby_runs,
            out,
        } => indicators(&cli.database, month, runs, groupby_runs, out).await,
        Command::Lists { month, runs } => lists::lists(&cli.database, month, runs).await,
        Command::Ingest {
            dossiers,
            producers,
            batch,
            single,
        } => ingest(&cli.database, dossiers, producers, batch, single).await,
    }
}

/// The largest province (most units) and, in it, the commune with the most dossiers received
/// in `month`.
async fn scopes(store: &SqlStore, month: Month) -> Result<(UnitCode, UnitCode)> {
    let catalogue = store.catalogue().await?;
    let tree = &catalogue.tree;
    let province = tree
        .iter_preorder()
        .filter(|u| u.kind == UnitKind::Province && u.parent.is_some())
        .max_by_key(|u| tree.scope(&u.code).len())
        .or_else(|| tree.root())
        .context("no unit")?
        .code
        .clone();
    let scope: Vec<UnitCode> = tree
        .scope(&province)
        .iter()
        .map(|u| u.code.clone())
        .collect();
    let counts = store.unit_counts(Some(&scope), &[month]).await?;
    let commune = counts
        .iter()
        .filter(|(u, _)| tree.is_leaf(u))
        .max_by_key(|(u, c)| (c.first().map_or(0, |c| c.received), (*u).clone()))
        .map(|(u, _)| u.clone())
        .context("no dossier in the month")?;
    Ok((province, commune))
}

fn totals(report: &IndicatorReport) -> [Row; 2] {
    [row_of(&report.counts), row_of(&report.previous.counts)]
}

/// The GROUP BY query for a scope, summed over its units: [month, previous month].
async fn group_by(
    db: &sea_orm::DatabaseConnection,
    scope: &[UnitCode],
    month: Month,
) -> Result<[Row; 2]> {
    let units = scope
        .iter()
        .map(|u| format!("'{}'", u.as_str().replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = GROUP_BY
        .replace("{units}", &units)
        .replace("{S}", &month.start().as_micros().to_string())
        .replace("{E}", &month.end().as_micros().to_string())
        .replace("{P}", &month.previous().start().as_micros().to_string());
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let mut out = [motcua_core::aggregate::ZERO; 2];
    for r in rows {
        let k: i64 = r.try_get_by_index(1)?;
        let slot = out.get_mut(usize::try_from(k)?).context("k")?;
        for (i, x) in slot.iter_mut().enumerate() {
            *x += r.try_get_by_index::<i64>(i + 2)?;
        }
    }
    Ok(out)
}

fn check_equal(what: &str, a: &[Row; 2], b: &[Row; 2]) -> Result<()> {
    for k in 0..2 {
        for (i, f) in stored_columns().enumerate() {
            if a[k][i] != b[k][i] {
                bail!("{what}: {f} (k={k}) {} ≠ {}", a[k][i], b[k][i]);
            }
        }
    }
    Ok(())
}

async fn indicators(
    url: &str,
    month: Month,
    runs: usize,
    groupby_runs: usize,
    out: Option<PathBuf>,
) -> Result<()> {
    let store = SqlStore::connect(url).await?;
    let (province, commune) = scopes(&store, month).await?;
    let catalogue = store.catalogue().await?;
    let backend = timing::backend(url);
    let dossiers: Vec<String> = store
        .query_text("SELECT CAST(COUNT(*) AS TEXT) FROM dossiers")
        .await?;
    println!(
        "<!-- {backend}: {} dossiers; province {province} ({} units), commune {commune}; month {month} -->",
        dossiers.first().map_or("?", String::as_str),
        catalogue.tree.scope(&province).len()
    );

    // HTTP: the real router on a local socket, a read-only token of the root unit.
    let root = catalogue.tree.root().context("no root")?.code.clone();
    let (addr, secret) = timing::serve(&store, &root).await?;
    let client = reqwest::Client::new();

    let db = sea_orm::Database::connect(url).await?;
    // The offerings the GROUP BY joins (what `online_services_used` counts).
    db.execute_unprepared("DROP TABLE IF EXISTS offerings")
        .await?;
    db.execute_unprepared(
        "CREATE TABLE offerings (unit TEXT NOT NULL, procedure_code TEXT NOT NULL)",
    )
    .await?;
    let mut offerings: Vec<(String, String)> = Vec::new();
    for u in catalogue.tree.iter_preorder() {
        for p in &catalogue.procedures {
            if catalogue.offers(&u.code, &p.code) {
                offerings.push((u.code.to_string(), p.code.to_string()));
            }
        }
    }
    db.execute_unprepared("CREATE INDEX offerings_key ON offerings (unit, procedure_code)")
        .await?;
    for chunk in offerings.chunks(5_000) {
        let values = chunk
            .iter()
            .map(|(u, p)| format!("('{}', '{}')", u.replace('\'', "''"), p.replace('\'', "''")))
            .collect::<Vec<_>>()
            .join(", ");
        db.execute_unprepared(&format!("INSERT INTO offerings VALUES {values}"))
            .await?;
    }

    let mut rows: Vec<String> = Vec::new();
    for (name, code) in [("province", &province), ("commune", &commune)] {
        let scope: Vec<UnitCode> = catalogue
            .tree
            .scope(code)
            .iter()
            .map(|u| u.code.clone())
            .collect();
        // In process.
        let report = motcua_app::indicators(&store, code.as_str(), month).await?;
        let (s, c) = (&store, code.as_str());
        let inproc = timing::time(20, runs, || async move {
            Ok(motcua_app::indicators(s, c, month).await?)
        })
        .await?;
        let (p50, p99) = (inproc.ms(50), inproc.ms(99));
        // Over HTTP.
        let path = format!("/api/indicators?unit={code}&month={month}");
        let answer: IndicatorReport =
            serde_json::from_slice(&timing::get(&client, &addr, &path, &secret).await?)?;
        if answer != report {
            bail!("the HTTP answer differs from the in-process one for {code}");
        }
        let (cl, a, p, t) = (&client, &addr, path.as_str(), secret.as_str());
        let http = timing::time(0, runs, || timing::get(cl, a, p, t)).await?;
        let (h50, h99) = (http.ms(50), http.ms(99));
        // GROUP BY over the same dossiers.
        let want = totals(&report);
        let (d, sc) = (&db, scope.as_slice());
        let grouped = timing::time(0, groupby_runs, || async move {
            let got = group_by(d, sc, month).await?;
            check_equal(&format!("GROUP BY {code}"), &got, &want)?;
            Ok(got)
        })
        .await?;
        let (g50, g99) = (grouped.ms(50), grouped.ms(99));
        rows.push(format!(
            "| {backend} | {name} ({} units) | {p50:.3} / {p99:.3} | {h50:.3} / {h99:.3} | {g50:.1} / {g99:.1} | {:.0}× |",
            scope.len(),
            g50 / p50
        ));
        if let Some(dir) = &out {
            std::fs::create_dir_all(dir)?;
            let units: Vec<&str> = scope.iter().map(UnitCode::as_str).collect();
            let expected: BTreeMap<&str, i64> = stored_columns()
                .enumerate()
                .map(|(i, f)| (f, want[0][i]))
                .collect();
            let previous: BTreeMap<&str, i64> = stored_columns()
                .enumerate()
                .map(|(i, f)| (f, want[1][i]))
                .collect();
            std::fs::write(
                dir.join(format!("{name}.json")),
                serde_json::to_vec_pretty(&serde_json::json!({
                    "unit": code.as_str(),
                    "month": month.to_string(),
                    "start": month.start().as_micros(),
                    "end": month.end().as_micros(),
                    "previous_start": month.previous().start().as_micros(),
                    "units": units,
                    "in_process_ms": {"p50": p50, "p99": p99},
                    "counts": expected,
                    "previous": previous,
                }))?,
            )?;
        }
    }
    if let Some(dir) = &out {
        let mut csv = String::from("unit,procedure_code\n");
        for (u, p) in &offerings {
            csv.push_str(&format!("{u},{p}\n"));
        }
        std::fs::write(dir.join("offerings.csv"), csv)?;
    }
    db.execute_unprepared("DROP TABLE IF EXISTS offerings")
        .await?;
    println!(
        "| backend | scope | in process p50 / p99 (ms) | HTTP p50 / p99 (ms) | GROUP BY p50 / p99 (ms) | GROUP BY ÷ in process (p50) |"
    );
    println!("|---|---|---|---|---|---|");
    for r in rows {
        println!("{r}");
    }
    Ok(())
}

/// A dossier as first received: not settled, not paid.
fn as_received(d: &motcua_core::dossier::Dossier) -> motcua_core::dossier::Dossier {
    motcua_core::dossier::Dossier {
        resolved_at: None,
        outcome: None,
        returned_at: None,
        result_digitized: None,
        payment_channel: None,
        paid_at: None,
        e_receipt: None,
        ..d.clone()
    }
}

async fn send(
    ingestor: &motcua_app::ingest::Ingestor,
    dossiers: &[motcua_core::dossier::Dossier],
    producers: usize,
) -> Result<(u64, Duration)> {
    let shared = Arc::new(dossiers.to_vec());
    let start = Instant::now();
    let mut tasks = Vec::new();
    for p in 0..producers {
        let ingestor = ingestor.clone();
        let shared = shared.clone();
        tasks.push(tokio::spawn(async move {
            let mut sent = 0u64;
            for d in shared.iter().skip(p).step_by(producers) {
                ingestor.submit(as_received(d)).await?;
                ingestor.submit(d.clone()).await?;
                sent += 2;
            }
            Ok::<u64, motcua_app::AppError>(sent)
        }));
    }
    let mut events = 0;
    for t in tasks {
        events += t.await??;
    }
    Ok((events, start.elapsed()))
}

async fn ingest(
    url: &str,
    dossiers: u64,
    producers: usize,
    batch: usize,
    single: u64,
) -> Result<()> {
    let store = SqlStore::connect(url).await?;
    let first: Month = "2025-01".parse()?;
    let generator =
        motcua_gen::Generator::new(motcua_gen::Config::new(7, dossiers + single, first, 12))?;
    let plan = ImportPlan {
        units: generator.units().to_vec(),
        procedures: generator.procedures().cloned().collect(),
        dossiers: Vec::new(),
    };
    store.apply_import(&plan, &ctx()).await?;
    let all: Vec<motcua_core::dossier::Dossier> = generator.dossiers().collect();
    let (one_by_one, grouped) = all.split_at(usize::try_from(single)?.min(all.len()));
    let backend = timing::backend(url);
    let durability = if url.starts_with("sqlite") {
        store
            .query_text("SELECT CAST(synchronous AS TEXT) FROM pragma_synchronous")
            .await?
            .join(",")
            + " (synchronous; 2 = FULL)"
    } else {
        let s = store.query_text("SHOW synchronous_commit").await?.join(",");
        let f = store.query_text("SHOW fsync").await?.join(",");
        format!("synchronous_commit={s}, fsync={f}")
    };
    println!("<!-- {backend}: {durability}; {producers} producers -->");
    println!("| backend | records per transaction | records | seconds | records/s |");
    println!("|---|---|---|---|---|");
    for (limit, part) in [(1usize, one_by_one), (batch, grouped)] {
        let clock: motcua_app::ingest::Clock = Arc::new(now);
        let ingestor = motcua_app::ingest::Ingestor::start(store.clone(), "bench", limit, clock);
        let (events, took) = send(&ingestor, part, producers).await?;
        println!(
            "| {backend} | ≤ {limit} | {events} | {:.1} | {:.0} |",
            took.as_secs_f64(),
            events as f64 / took.as_secs_f64()
        );
    }
    let differences = motcua_app::verify(&store).await?;
    if !differences.is_empty() {
        bail!(
            "aggregates differ from the recount after ingest: {} differences",
            differences.len()
        );
    }
    println!("<!-- aggregates equal the recount after ingest -->");
    Ok(())
}
