//! `motcua-bench lists`: the first page of the long lists over a large database, in process
//! and over HTTP (the real router on a local socket, a read-only token of the root unit): the
//! worklist of the largest province and of its busiest commune, and the dossiers behind
//! "received" and "pending" of the month for the same scopes. Each answer is checked first
//! (at most 100 rows; the drill-down's total equals the indicators' figure).

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use motcua_app::lists::ListQuery;
use motcua_core::access::{Credential, Principal, Role};
use motcua_core::counts::{CountId, Figure};
use motcua_core::lists::{ListFilter, PAGE_SIZE, PageAt, SortDir, SortKey, WorkStatus};
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitCode;
use motcua_store::SqlStore;

use crate::{ctx, now, scopes};

/// p50 and p95 of a sample, in milliseconds.
fn p50_p95(mut d: Vec<Duration>) -> (f64, f64) {
    d.sort_unstable();
    let at = |q: usize| d.get((d.len() * q / 100).min(d.len().saturating_sub(1)));
    let ms = |x: Option<&Duration>| x.map_or(f64::NAN, |x| x.as_secs_f64() * 1000.0);
    (ms(at(50)), ms(at(95)))
}

async fn time_it<F, Fut, T>(runs: usize, mut f: F) -> Result<(f64, f64)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    for _ in 0..3 {
        std::hint::black_box(f().await?);
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let r = f().await?;
        times.push(t.elapsed());
        std::hint::black_box(r);
    }
    Ok(p50_p95(times))
}

pub(crate) async fn lists(url: &str, month: Month, runs: usize) -> Result<()> {
    let store = SqlStore::connect(url).await?;
    let (province, commune) = scopes(&store, month).await?;
    let catalogue = store.catalogue().await?;
    let root = catalogue
        .tree
        .root()
        .map(|r| r.code.clone())
        .ok_or_else(|| anyhow::anyhow!("no root"))?;
    let backend = if url.starts_with("sqlite") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
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
    let secret = motcua_app::auth::create_token(
        &store,
        &format!("bench-lists-{}", now().as_micros()),
        root.as_str(),
        false,
        &ctx(),
    )
    .await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = motcua_web::router(motcua_web::AppState::new(
        store.clone(),
        motcua_store::Files::new(
            std::env::temp_dir().join("motcua-files"),
            motcua_store::DEFAULT_MAX_SCAN_BYTES,
        ),
    ));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::new();
    let first = |sort| ListQuery {
        filter: ListFilter::default(),
        sort,
        dir: SortDir::Asc,
        at: PageAt::First,
    };
    let work_q = first(SortKey::Due);
    let figure_q = first(SortKey::Received);
    let mut rows = Vec::new();
    for (name, unit) in [("province", &province), ("commune", &commune)] {
        let units = catalogue.tree.scope(unit).len();
        let at = now();
        // The worklist's first page.
        let w = motcua_app::lists::worklist(&store, &viewer, unit, WorkStatus::All, &work_q, at)
            .await?;
        if w.rows.len() > PAGE_SIZE {
            bail!("{} rows on a page", w.rows.len());
        }
        let (s, v, q) = (&store, &viewer, &work_q);
        let (p50, p95) = time_it(runs, || async move {
            Ok(motcua_app::lists::worklist(s, v, unit, WorkStatus::All, q, at).await?)
        })
        .await?;
        let path = format!("/desk?unit={unit}");
        let (h50, h95) = http(&client, &addr, &path, &secret, runs).await?;
        rows.push(format!(
            "| {backend} | worklist `/desk`, {name} ({units} units) | {} | {p50:.1} / {p95:.1} | {h50:.1} / {h95:.1} |",
            w.counts.all
        ));
        // The drill-down's first page: received and pending in the month.
        let report = motcua_app::indicators(&store, unit.as_str(), month).await?;
        for id in [CountId::Received, CountId::Pending] {
            let figure = Figure::Count(id);
            let l = figure_page(&store, &viewer, unit, month, figure, &figure_q).await?;
            if l.rows.len() > PAGE_SIZE || l.total != report.counts.get(id) {
                bail!(
                    "{unit} {}: {} rows, total {} ≠ figure {}",
                    id.id(),
                    l.rows.len(),
                    l.total,
                    report.counts.get(id)
                );
            }
            let q = &figure_q;
            let (p50, p95) = time_it(runs, || figure_page(s, v, unit, month, figure, q)).await?;
            let path = format!("/dossiers?unit={unit}&month={month}&count={}", id.id());
            let (h50, h95) = http(&client, &addr, &path, &secret, runs).await?;
            rows.push(format!(
                "| {backend} | drill-down `{}`, {name} ({units} units) | {} | {p50:.1} / {p95:.1} | {h50:.1} / {h95:.1} |",
                id.id(),
                l.total
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
    Ok(())
}

async fn figure_page(
    store: &SqlStore,
    viewer: &Principal,
    unit: &UnitCode,
    month: Month,
    figure: Figure,
    q: &ListQuery,
) -> Result<motcua_app::lists::FigureList> {
    Ok(motcua_app::lists::figure_list(store, viewer, unit, month, figure, q).await?)
}

async fn http(
    client: &reqwest::Client,
    addr: &std::net::SocketAddr,
    path: &str,
    secret: &str,
    runs: usize,
) -> Result<(f64, f64)> {
    let url = &format!("http://{addr}{path}");
    time_it(runs, || async move {
        let response = client.get(url).bearer_auth(secret).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        if !status.is_success() {
            bail!("{url}: HTTP {status}");
        }
        Ok(body)
    })
    .await
}
