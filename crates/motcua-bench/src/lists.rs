//! `motcua-bench lists`: the first page of the long lists over a large database, in process
//! and over HTTP (the real router on a local socket, a read-only token of the root unit): the
//! worklist of the largest province and of its busiest commune, and the dossiers behind
//! "received" and "pending" of the month for the same scopes. Each answer is checked first
//! (at most 100 rows; the drill-down's total equals the indicators' figure).
//!
//! It also times the reception form's applicant prefill by ID number
//! (`SqlStore::latest_applicant`, an indexed look-up on `applicant_id`) against the statement
//! it replaced (a `LIKE` over the details' JSON), both in the same run. Generated dossiers
//! have no applicant: when no dossier has one, every dossier is first given a synthetic one
//! (name and a 12-digit ID number, about two dossiers per number), details and search
//! columns alike.

use anyhow::{Context, Result, bail};
use motcua_app::lists::ListQuery;
use motcua_core::access::{Credential, Principal, Role};
use motcua_core::counts::{CountId, Figure};
use motcua_core::lists::{ListFilter, PAGE_SIZE, PageAt, SortDir, SortKey, WorkStatus};
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitCode;
use motcua_store::SqlStore;
use sea_orm::{ConnectionTrait, Statement};

use crate::timing::{self, Sample};
use crate::{now, scopes};

/// Markdown cells `p50 / p95` of a sample.
fn cells(s: &Sample) -> String {
    format!("{:.1} / {:.1}", s.ms(50), s.ms(95))
}

pub(crate) async fn lists(url: &str, month: Month, runs: usize) -> Result<()> {
    let store = SqlStore::connect(url).await?;
    let db = sea_orm::Database::connect(url).await?;
    settle(&db).await?;
    let (province, commune) = scopes(&store, month).await?;
    let catalogue = store.catalogue().await?;
    let root = catalogue.tree.root().context("no root")?.code.clone();
    let backend = timing::backend(url);
    let dossiers: Vec<String> = store
        .query_text("SELECT CAST(COUNT(*) AS TEXT) FROM dossiers")
        .await?;
    println!(
        "<!-- {backend}: {} dossiers; province {province} ({} units), commune {commune}; month {month}; {runs} runs -->",
        dossiers.first().map_or("?", String::as_str),
        catalogue.tree.scope(&province).len()
    );
    let viewer = Principal {
        id: 0,
        name: "bench".to_owned(),
        unit: root.clone(),
        credential: Credential::User { role: Role::Viewer },
    };
    let (addr, secret) = timing::serve(&store, &root).await?;
    let client = reqwest::Client::new();
    let (cl, a, t) = (&client, &addr, secret.as_str());
    let http = |path: String| async move {
        let p = path.as_str();
        timing::time(3, runs, || timing::get(cl, a, p, t)).await
    };
    let first = |sort| ListQuery {
        filter: ListFilter::default(),
        sort,
        dir: SortDir::Asc,
        at: PageAt::First,
    };
    let work_q = first(SortKey::Due);
    let figure_q = first(SortKey::Received);
    let (s, v) = (&store, &viewer);
    let mut rows = Vec::new();
    for (name, unit) in [("province", &province), ("commune", &commune)] {
        let units = catalogue.tree.scope(unit).len();
        let at = now();
        // The worklist's first page.
        let w = motcua_app::lists::worklist(s, v, unit, WorkStatus::All, &work_q, at).await?;
        if w.rows.len() > PAGE_SIZE {
            bail!("{} rows on a page", w.rows.len());
        }
        let q = &work_q;
        let inproc = timing::time(3, runs, || async move {
            Ok(motcua_app::lists::worklist(s, v, unit, WorkStatus::All, q, at).await?)
        })
        .await?;
        let web = http(format!("/desk?unit={unit}")).await?;
        rows.push(format!(
            "| {backend} | worklist `/desk`, {name} ({units} units) | {} | {} | {} |",
            w.counts.all,
            cells(&inproc),
            cells(&web)
        ));
        // The drill-down's first page: received and pending in the month.
        let report = motcua_app::indicators(s, unit.as_str(), month).await?;
        for id in [CountId::Received, CountId::Pending] {
            let figure = Figure::Count(id);
            let q = &figure_q;
            let l = motcua_app::lists::figure_list(s, v, unit, month, figure, q).await?;
            if l.rows.len() > PAGE_SIZE || l.total != report.counts.get(id) {
                bail!(
                    "{unit} {}: {} rows, total {} ≠ figure {}",
                    id.id(),
                    l.rows.len(),
                    l.total,
                    report.counts.get(id)
                );
            }
            let inproc = timing::time(3, runs, || async move {
                Ok(motcua_app::lists::figure_list(s, v, unit, month, figure, q).await?)
            })
            .await?;
            let web = http(format!(
                "/dossiers?unit={unit}&month={month}&count={}",
                id.id()
            ))
            .await?;
            rows.push(format!(
                "| {backend} | drill-down `{}`, {name} ({units} units) | {} | {} | {} |",
                id.id(),
                l.total,
                cells(&inproc),
                cells(&web)
            ));
        }
    }
    println!(
        "| Database | List, scope | Rows in all | In process p50 / p95 (ms) | HTTP p50 / p95 (ms) |"
    );
    println!("|---|---|---:|---:|---:|");
    for r in rows {
        println!("{r}");
    }
    prefill(
        &store,
        &db,
        url,
        &catalogue.tree,
        [&province, &commune],
        runs,
    )
    .await
}

/// On PostgreSQL, what autovacuum does after a large import or update, done now (it may be
/// off on a benchmark server): the planner's statistics, and the visibility map that lets an
/// index answer alone.
async fn settle(db: &sea_orm::DatabaseConnection) -> Result<()> {
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        let started = std::time::Instant::now();
        db.execute_unprepared("VACUUM (ANALYZE) dossiers").await?;
        println!(
            "<!-- VACUUM (ANALYZE) dossiers: {:.0} s -->",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// The applicant prefill by ID number, for the province's and the commune's clerks: the
/// store's indexed look-up, then the statement it replaced, on the same ID number.
async fn prefill(
    store: &SqlStore,
    db: &sea_orm::DatabaseConnection,
    url: &str,
    tree: &motcua_core::unit::UnitTree,
    [province, commune]: [&UnitCode; 2],
    runs: usize,
) -> Result<()> {
    give_applicants(db).await?;
    let backend = timing::backend(url);
    let id = store
        .query_text(&format!(
            "SELECT applicant_id FROM dossiers WHERE unit_code = '{}' AND applicant_id IS NOT NULL
             ORDER BY received_at DESC LIMIT 1",
            commune.as_str().replace('\'', "''")
        ))
        .await?
        .pop()
        .context("no applicant in the commune")?;
    println!("\n<!-- {backend}: prefill by the ID number {id} -->");
    println!(
        "| Database | Prefill by ID number, scope | Before: LIKE over details p50 / p95 (ms) | After: `applicant_id` p50 / p95 (ms) |"
    );
    println!("|---|---|---:|---:|");
    for (name, unit) in [("province", province), ("commune", commune)] {
        let units: Vec<UnitCode> = tree.scope(unit).iter().map(|u| u.code.clone()).collect();
        let (found, before) = former_prefill(db, &units, &id).await?;
        let after = store.latest_applicant(&units, &id).await?;
        if after.as_ref().map(|(c, _)| c.to_string()) != found {
            bail!("{unit}: the prefill found {after:?}, the former statement {found:?}");
        }
        let (s, u, i) = (store, units.as_slice(), id.as_str());
        let new = timing::time(
            3,
            runs,
            || async move { Ok(s.latest_applicant(u, i).await?) },
        )
        .await?;
        let old = timing::time(1, runs.min(20), || former_prefill(db, u, i)).await?;
        println!(
            "| {backend} | {name} ({} units) | {} | {} |",
            units.len(),
            cells(&old),
            cells(&new)
        );
        std::hint::black_box(before);
    }
    Ok(())
}

/// The statement the prefill ran before issue 16's benchmark: the latest dossiers of the
/// units whose details' JSON holds the ID number, found by `LIKE`. The code found, if any.
async fn former_prefill(
    db: &sea_orm::DatabaseConnection,
    units: &[UnitCode],
    id: &str,
) -> Result<(Option<String>, usize)> {
    let list = units
        .iter()
        .map(|u| format!("'{}'", u.as_str().replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT code FROM dossiers WHERE details LIKE '%\"id_number\":\"{id}\"%'
         AND unit_code IN ({list}) ORDER BY received_at DESC LIMIT 20"
    );
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let first = match rows.first() {
        Some(r) => Some(r.try_get_by_index::<String>(0)?),
        None => None,
    };
    Ok((first, rows.len()))
}

/// Gives every dossier a synthetic applicant when none has one (generated data): a name and
/// a 12-digit ID number drawn from the reception's second, written in the details and in the
/// search columns as the store writes them.
async fn give_applicants(db: &sea_orm::DatabaseConnection) -> Result<()> {
    let backend = db.get_database_backend();
    let some = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT code FROM dossiers WHERE applicant_id IS NOT NULL LIMIT 1",
        ))
        .await?;
    if some.is_some() {
        return Ok(());
    }
    let id = "CAST(100000000000 + (received_at / 1000000) % 500000 AS TEXT)";
    let started = std::time::Instant::now();
    db.execute_unprepared(&format!(
        "UPDATE dossiers SET
             details = '{{\"applicant\":{{\"name\":\"Nguyễn Văn ' || {id} || '\",\"id_number\":\"' || {id} || '\"}}}}',
             applicant_name = 'nguyen van ' || {id},
             applicant_id = {id}
         WHERE details IS NULL"
    ))
    .await?;
    println!(
        "<!-- every dossier given a synthetic applicant in {:.0} s -->",
        started.elapsed().as_secs_f64()
    );
    settle(db).await
}
