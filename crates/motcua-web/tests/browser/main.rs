//! The officers' pages in a real browser: headless Chromium, driven through WebDriver
//! (`/usr/bin/chromedriver`), against the app served on a local socket; both databases.
//!
//! - `desk_flow`: one dossier's life from reception through the hand-off (desk → specialist
//!   → leader) to the month's dashboard, and the district's dashboard of May 2024 clicked
//!   through.
//! - `roles/`: a day of each role (reception, specialist, the district's reform office, a
//!   commune's leader, administrator, view-only), one module each, run in that order on one
//!   database (the reform office asks the commune for a report its leader then sends; the
//!   desk hands two dossiers to the specialist, who proposes, and the leader approves one and
//!   sends the other back). Every
//!   page is looked at with [`harness::Browser::visit`]: screenshots at 1366×768 and 390×844 in
//!   `$MOTCUA_ARTIFACTS/browser/` (default `target/artifacts/browser/`), no overflow on the
//!   phone, and no serious or critical axe-core violation.
//!
//! - `portal`: the public portal, signed out (home, catalogue, procedure, unit, tracking).
//! - `citizen_story`: issue 18's story — a citizen signs up, submits online on a Friday at
//!   16:30, the desk accepts on Monday, a supplement is asked and uploaded, the result is
//!   approved and downloaded — with the e-mails a local SMTP sink catches and the dashboard.
//! - `citizens`: a citizen's account: sign-up with the code, sign-out, sign-in, profile.
//! - `oidc`: signing in with the national identity account through a test OpenID provider.
//! - `sandbox`: the sandbox VNPay gateway's own pages (payment, refusals, the way back).
//! - `payments`: a citizen pays a dossier's fee through the sandbox, gets the e-receipt, and
//!   the dashboard's payment rates move.
//! - `voice`: a rating by the dossier's link and on the desk's tablet, a PAKN sent, followed,
//!   taken in, answered and published.
//!
//! To walk a new page, call `b.visit(path, name)` in the role's module; to add a role, add a
//! module under `roles/` and a line to [`WALKS`].
//!
//! Without chromedriver the tests print a notice and pass, unless
//! `MOTCUA_BROWSER_TESTS=required` (as `.ci/run` sets), where they fail.

mod citizen_story;
mod citizens;
#[path = "../web/common/mod.rs"]
mod common;
mod desk_flow;
mod gestures;
mod harness;
mod oidc;
mod online;
mod payments;
mod portal;
mod roles;
mod sandbox;
mod voice;

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use common::{Error, PASSWORD, TestResult, loaded};
use harness::{Browser, CHROMEDRIVER, CHROMIUM, ChromeDriver, artifacts_dir, serve, walk_on};
use motcua_core::Timestamp;
use motcua_core::access::Role;

use desk_flow::{dashboard_flow, flow};

/// Whether a missing browser must fail the test rather than skip it.
fn required() -> bool {
    std::env::var("MOTCUA_BROWSER_TESTS").is_ok_and(|v| v.trim() == "required")
}

/// Whether the browser is missing and the test may be skipped (it prints why); an error when
/// it is missing but required.
fn skip_without_browser() -> Result<bool, Error> {
    let missing: Vec<&str> = [CHROMEDRIVER, CHROMIUM]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let msg = format!(
        "{} missing: install the Debian packages chromium and chromium-driver",
        missing.join(" and ")
    );
    if required() {
        return Err(format!("MOTCUA_BROWSER_TESTS=required, but {msg}").into());
    }
    // Straight to stderr: the test harness captures `eprintln!` of passing tests.
    let _ = writeln!(
        std::io::stderr(),
        "NOTICE: browser test skipped ({msg}; MOTCUA_BROWSER_TESTS=required makes this a failure)"
    );
    Ok(true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reception_to_dashboard_in_a_browser() -> TestResult {
    if skip_without_browser()? {
        return Ok(());
    }
    let chromedriver = ChromeDriver::start()?;
    for db in motcua_testkit::test_databases().await {
        let started = Instant::now();
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        motcua_app::auth::create_user(
            &store,
            desk_flow::LEADER,
            desk_flow::LEADER,
            "vinh-khe",
            Role::Leader,
            PASSWORD,
            &ctx,
        )
        .await?;
        let files = tempfile::tempdir()?;
        let served = serve(store.clone(), files.path()).await?;
        let browser = Browser::open(&chromedriver.url, &served.base, db.backend).await?;
        let driver = browser.driver.clone();
        let scans = files.path().to_owned();
        // The session is closed whatever happens, even when an assertion panics.
        driver
            .run_and_quit(|_| async move { flow(&browser, &scans).await })
            .await
            .map_err(|e| format!("{}: {e}", db.backend))?;
        drop(served);
        store.close().await?;
        eprintln!(
            "browser flow on {}: {:.1} s, screenshots in {}",
            db.backend,
            started.elapsed().as_secs_f64(),
            artifacts_dir().display()
        );
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_in_a_browser() -> TestResult {
    if skip_without_browser()? {
        return Ok(());
    }
    let chromedriver = ChromeDriver::start()?;
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let files = tempfile::tempdir()?;
        let served = serve(store.clone(), files.path()).await?;
        walk_on(
            &chromedriver.url,
            &served.base,
            "dashboard",
            db.backend,
            async |b| dashboard_flow(b).await,
        )
        .await?;
        drop(served);
        store.close().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_submission_in_a_browser() -> TestResult {
    if skip_without_browser()? {
        return Ok(());
    }
    let chromedriver = ChromeDriver::start()?;
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let files = tempfile::tempdir()?;
        let scans = motcua_store::Files::new(files.path(), 1024 * 1024);
        let lan = common::citizen::account(&store, "Nguyễn Thị Lan", "0912345678").await?;
        let waiting = common::online::submitted(
            &store,
            &scans,
            &lan,
            "vinh-khe",
            "2026-11-20T16:30:00+07:00",
        )
        .await?;
        let (awaiting, approved) =
            common::online::dossiers(&store, &scans, &lan, "vinh-khe").await?;
        let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc())?;
        let session =
            motcua_app::citizens::start_session(&store, &lan, &motcua_testkit::ctx("test", now))
                .await?;
        let prepared = online::Prepared {
            cookie: session.cookie,
            waiting: waiting.id.0,
            awaiting,
            approved,
        };
        let served = serve(store.clone(), files.path()).await?;
        walk_on(
            &chromedriver.url,
            &served.base,
            "online",
            db.backend,
            async |b| online::walk(b, &prepared).await,
        )
        .await?;
        drop(served);
        store.close().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_gateway_in_a_browser() -> TestResult {
    if skip_without_browser()? {
        return Ok(());
    }
    let chromedriver = ChromeDriver::start()?;
    // The gateway's pages need no database of their own: the first one serves motcua.
    let db = motcua_testkit::test_databases()
        .await
        .into_iter()
        .next()
        .ok_or("no test database")?;
    let store = loaded(&db.url).await?;
    let files = tempfile::tempdir()?;
    let state = harness::app_state(store.clone(), files.path());
    let (served, sandbox) = harness::serve_with_sandbox(state, None).await?;
    let browser = Browser::open(&chromedriver.url, &sandbox.base_url(), "sandbox").await?;
    let driver = browser.driver.clone();
    let merchant = served.base.clone();
    driver
        .run_and_quit(|_| async move { sandbox::walk(&browser, &sandbox, &merchant).await })
        .await?;
    drop(served);
    store.close().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_pays_online_in_a_browser() -> TestResult {
    use motcua_app::desk::{self, Reception};
    use motcua_core::access::Role;
    use motcua_core::dossier::Channel;
    if skip_without_browser()? {
        return Ok(());
    }
    let chromedriver = ChromeDriver::start()?;
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let files = tempfile::tempdir()?;
        let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc())?;
        let ho_xa = store
            .units()
            .await?
            .into_iter()
            .find(|u| u.code.as_str() == "ho-xa")
            .ok_or("ho-xa")?;
        let procedure = store
            .procedures()
            .await?
            .into_iter()
            .find(|p| p.offered_by_unit(&ho_xa))
            .ok_or("procedure")?;
        let officer = motcua_testkit::officer("tiep-nhan", "ho-xa", Role::Reception)
            .map_err(|e| e.to_string())?;
        let reception = Reception {
            procedure: procedure.code.to_string(),
            unit: "ho-xa".to_owned(),
            channel: Channel::Direct,
            online_level: None,
            components_total: 1,
            components_digitized: 1,
            fee_vnd: 50_000,
            applicant: Default::default(),
            request: String::new(),
            components: Vec::new(),
        };
        let ctx = motcua_testkit::ctx(&officer.actor(), now);
        let code = desk::receive(&store, &officer, &reception, &ctx)
            .await?
            .dossier
            .code
            .to_string();
        let id = motcua_testkit::citizen_of(
            &db.url,
            &code,
            "Nguyễn Thị Hồng Nhung",
            Some("0912345678"),
            None,
        )
        .await
        .map_err(|e| e.to_string())?;
        let citizen = store
            .citizen(motcua_core::citizen::CitizenId(id))
            .await?
            .ok_or("citizen")?;
        let session = motcua_app::citizens::start_session(
            &store,
            &citizen,
            &motcua_testkit::ctx("test", now),
        )
        .await?;
        let local = time::OffsetDateTime::now_utc().to_offset(time::UtcOffset::from_hms(7, 0, 0)?);
        let prepared = payments::Prepared {
            cookie: session.cookie,
            code,
            month: format!("{:04}-{:02}", local.year(), u8::from(local.month())),
        };
        let state = harness::app_state(store.clone(), files.path());
        let (served, sandbox) = harness::serve_with_sandbox(state, None).await?;
        walk_on(
            &chromedriver.url,
            &served.base,
            "payments",
            db.backend,
            async |b| payments::walk(b, &prepared).await,
        )
        .await?;
        sandbox.stop();
        drop(served);
        store.close().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizens_voice_in_a_browser() -> TestResult {
    use motcua_core::dossier::Outcome;
    if skip_without_browser()? {
        return Ok(());
    }
    let chromedriver = ChromeDriver::start()?;
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let files = tempfile::tempdir()?;
        let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc())?;
        let all = store.dossiers().await?;
        let approved = |unit: &str| {
            all.iter()
                .find(|d| d.unit_code.as_str() == unit && d.outcome == Some(Outcome::Approved))
                .map(|d| d.code.clone())
                .ok_or_else(|| format!("no approved dossier of {unit} in the fixture"))
        };
        let rated = approved("ho-xa")?;
        let token = motcua_app::ratings::rating_token(&store, &rated, now).await?;
        let prepared = voice::Prepared {
            link: format!("/rate/{rated}?t={token}"),
            kiosk_code: approved("vinh-khe")?.to_string(),
        };
        let served = serve(store.clone(), files.path()).await?;
        walk_on(
            &chromedriver.url,
            &served.base,
            "voice",
            db.backend,
            async |b| voice::walk(b, &prepared).await,
        )
        .await?;
        drop(served);
        store.close().await?;
    }
    Ok(())
}

/// Problems already known on pages this branch does not own, each fixed by another change:
/// (page name prefix, what the problem says). They are printed, not failed on. Remove a line
/// once its page is fixed.
const KNOWN: &[(&str, &str)] = &[];

/// The walks of a day, in order: (name, walk).
type Walk =
    for<'a> fn(
        &'a Browser,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = TestResult> + Send + 'a>>;

const WALKS: [(&str, Walk); 6] = [
    ("reception", |b| Box::pin(roles::reception::walk(b))),
    ("specialist", |b| Box::pin(roles::specialist::walk(b))),
    ("reform office", |b| Box::pin(roles::reform_office::walk(b))),
    ("commune leader", |b| Box::pin(roles::leader::walk(b))),
    ("administrator", |b| Box::pin(roles::admin::walk(b))),
    ("view-only", |b| Box::pin(roles::viewer::walk(b))),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_of_each_role() -> TestResult {
    if skip_without_browser()? {
        return Ok(());
    }
    let chromedriver = ChromeDriver::start()?;
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        for (name, unit) in [
            (roles::DISTRICT_LEADER, "vinh-linh"),
            (roles::COMMUNE_LEADER, "vinh-khe"),
        ] {
            motcua_app::auth::create_user(&store, name, name, unit, Role::Leader, PASSWORD, &ctx)
                .await?;
        }
        // The district's account for transfers: the dossiers' pages show their VietQR code.
        let account = motcua_core::vietqr::BankAccount::parse(
            "970415",
            "113000246810",
            "UBND HUYEN VINH LINH",
        )
        .map_err(|e| format!("{e:?}"))?;
        motcua_app::desk::set_bank_account(&store, "vinh-linh", &account, &ctx).await?;
        let files = tempfile::tempdir()?;
        // The morning's two dossiers at Vĩnh Khê's desk (the applicant's phone
        // `roles::MORNING_PHONE`), for the hand-off of the walks.
        let scans = motcua_store::Files::new(files.path(), 1024 * 1024);
        for _ in 0..2 {
            common::received_dossier(&store, &scans, "vinh-khe").await?;
        }
        let served = serve(store.clone(), files.path()).await?;
        walk_on(
            &chromedriver.url,
            &served.base,
            "roles",
            db.backend,
            async |b| walk_all(b).await,
        )
        .await?;
        drop(served);
        store.close().await?;
    }
    Ok(())
}

/// Every walk of [`WALKS`], then the problems of every page they visited.
async fn walk_all(browser: &Browser) -> TestResult {
    for (name, walk) in WALKS {
        walk(browser).await.map_err(|e| format!("{name}: {e}"))?;
    }
    let problems = browser.problems(KNOWN);
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} problem(s) on the pages walked:\n{}",
        problems.len(),
        problems.join("\n")
    )
    .into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_portal_in_a_browser() -> TestResult {
    if skip_without_browser()? {
        return Ok(());
    }
    let chromedriver = ChromeDriver::start()?;
    for db in motcua_testkit::test_databases().await {
        let store = common::portal::portal(&db.url).await?;
        let files = tempfile::tempdir()?;
        let scans = motcua_store::Files::new(
            files.path().to_owned(),
            motcua_store::DEFAULT_MAX_SCAN_BYTES,
        );
        let (code, _) = common::received_dossier(&store, &scans, "ho-xa").await?;
        let served = serve(store.clone(), files.path()).await?;
        walk_on(
            &chromedriver.url,
            &served.base,
            "portal",
            db.backend,
            async |b| portal::walk(b, &code).await,
        )
        .await?;
        drop(served);
        store.close().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizens_account_in_a_browser() -> TestResult {
    if skip_without_browser()? {
        return Ok(());
    }
    let chromedriver = ChromeDriver::start()?;
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let files = tempfile::tempdir()?;
        let served = serve(store.clone(), files.path()).await?;
        let outbox = store.clone();
        walk_on(
            &chromedriver.url,
            &served.base,
            "citizen",
            db.backend,
            async |b| citizens::walk(b, &outbox).await,
        )
        .await?;
        drop(served);
        store.close().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_with_the_identity_account_in_a_browser() -> TestResult {
    if skip_without_browser()? {
        return Ok(());
    }
    let chromedriver = ChromeDriver::start()?;
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let files = tempfile::tempdir()?;
        let (served, provider) = oidc::serve(store.clone(), files.path()).await?;
        walk_on(
            &chromedriver.url,
            &served.base,
            "oidc",
            db.backend,
            async |b| oidc::walk(b, &provider).await,
        )
        .await?;
        drop(served);
        store.close().await?;
    }
    Ok(())
}
