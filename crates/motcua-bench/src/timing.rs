//! What every benchmark of `motcua-bench` shares: the one timing loop (warm-up calls, then
//! timed calls, each answer kept from the optimiser), its percentiles, the backend's name and
//! the real router served on a local socket with a read-only token of the root unit.

use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use motcua_core::unit::UnitCode;
use motcua_store::SqlStore;

use crate::{ctx, now};

/// The times of a benchmark's runs, sorted.
pub(crate) struct Sample(Vec<Duration>);

impl Sample {
    /// The `percent`th percentile in milliseconds (NaN for no run).
    pub(crate) fn ms(&self, percent: usize) -> f64 {
        let d = &self.0;
        d.get((d.len() * percent / 100).min(d.len().saturating_sub(1)))
            .map_or(f64::NAN, |x| x.as_secs_f64() * 1000.0)
    }
}

/// Calls `f` `warmup` times untimed, then `runs` times timed.
pub(crate) async fn time<F, Fut, T>(warmup: usize, runs: usize, mut f: F) -> Result<Sample>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    for _ in 0..warmup {
        std::hint::black_box(f().await?);
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let r = f().await?;
        times.push(t.elapsed());
        std::hint::black_box(r);
    }
    times.sort_unstable();
    Ok(Sample(times))
}

/// The backend's name in the tables.
pub(crate) fn backend(url: &str) -> &'static str {
    if url.starts_with("sqlite") {
        "SQLite"
    } else {
        "PostgreSQL"
    }
}

/// The real router on a local socket, and the secret of a new read-only token of `root`.
pub(crate) async fn serve(store: &SqlStore, root: &UnitCode) -> Result<(SocketAddr, String)> {
    let secret = motcua_app::auth::create_token(
        store,
        &format!("bench-{}", now().as_micros()),
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
    Ok((addr, secret))
}

/// One GET of `path` with the token; the body, or an error for a status other than success.
pub(crate) async fn get(
    client: &reqwest::Client,
    addr: &SocketAddr,
    path: &str,
    secret: &str,
) -> Result<Vec<u8>> {
    let url = format!("http://{addr}{path}");
    let response = client.get(&url).bearer_auth(secret).send().await?;
    let status = response.status();
    let body = response.bytes().await?;
    if !status.is_success() {
        bail!("{url}: HTTP {status}");
    }
    Ok(body.to_vec())
}
