//! The harness: chromedriver, the app served on a local socket, and a browser session with
//! the few gestures every walk needs. [`Browser::visit`] is the one way to look at a page: it
//! opens it, saves a screenshot at 1366×768 and at 390×844 (`<db>-NN-<name>.png`,
//! `<db>-NN-<name>-phone.png` in `target/artifacts/browser/`), checks that the phone view does
//! not overflow the screen, and runs axe-core (vendored in `tests/vendor/`) on it, recording
//! every serious or critical violation; [`Browser::problems`] lists them at the end of a walk.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::Error;
use motcua_store::SqlStore;
use motcua_web::{AppState, router};
use thirtyfour::components::SelectElement;
use thirtyfour::extensions::query::ElementPollerWithTimeout;
use thirtyfour::prelude::*;

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// How long any element may take to appear.
pub const WAIT: Duration = Duration::from_secs(15);

// ---------------------------------------------------------------------------------------
// Harness: chromedriver, the app on a socket, the browser session and its helpers.
// ---------------------------------------------------------------------------------------

/// A chromedriver process, killed when dropped.
pub struct ChromeDriver {
    child: Child,
    pub url: String,
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ChromeDriver {
    /// Starts chromedriver on a free port and waits until it says it is ready.
    pub fn start() -> Result<Self, Error> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {CHROMEDRIVER}: {e}"))?;
        let driver = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + WAIT;
        while !ready(port) {
            if Instant::now() > deadline {
                return Err(format!("{CHROMEDRIVER} did not answer on port {port}").into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }
}

/// Whether the driver on `port` answers its status request with `"ready": true`.
pub fn ready(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request =
        format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    // Read until the answer says it or the driver stops talking.
    let mut answer = Vec::new();
    let mut chunk = [0u8; 1024];
    while let Ok(n @ 1..) = stream.read(&mut chunk) {
        answer.extend_from_slice(&chunk[..n]);
        if String::from_utf8_lossy(&answer)
            .replace(' ', "")
            .contains("\"ready\":true")
        {
            return true;
        }
    }
    false
}

/// The app served on 127.0.0.1 on a free port; the server stops when dropped.
pub struct Served {
    pub base: String,
    task: tokio::task::JoinHandle<()>,
}

impl Served {
    /// A server already spawned as `task`, answering at `base`.
    pub fn new(base: String, task: tokio::task::JoinHandle<()>) -> Self {
        Self { base, task }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn serve(store: SqlStore, files: &Path) -> Result<Served, Error> {
    serve_state(app_state(store, files)).await
}

/// The state [`serve`] serves: scans in `files`, cookies over plain HTTP.
pub fn app_state(store: SqlStore, files: &Path) -> AppState {
    // Plain HTTP: a Secure cookie would never come back.
    AppState::new(store, motcua_store::Files::new(files, 1024 * 1024)).with_secure_cookies(false)
}

/// Serves `state` on a free local port.
pub async fn serve_state(state: AppState) -> Result<Served, Error> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(Served {
        base: format!("http://{addr}"),
        task,
    })
}

/// Serves `state` on a free local port with online payment through a sandbox VNPay gateway
/// started for it (its IPNs come to this server; the same terminal code and secret on both
/// sides). The test steers the gateway through the returned handle.
pub async fn serve_with_sandbox(
    state: AppState,
    clock: Option<motcua_web::ManualClock>,
) -> Result<(Served, motcua_web::sandbox::Sandbox), Error> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let keys = motcua_core::payment::vnpay::Keys::new(
        crate::common::payments::TERMINAL,
        crate::common::payments::SECRET,
    );
    let (sandbox, gateway) =
        motcua_web::sandbox::start_for(&base, keys, "Ủy ban nhân dân xã Vĩnh Khê", clock).await?;
    let app = router(state.with_payment_gateway(gateway))
        .into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((Served::new(base, task), sandbox))
}

/// Where screenshots go: `$MOTCUA_ARTIFACTS/browser/`, else `<workspace>/target/artifacts/browser/`.
pub fn artifacts_dir() -> PathBuf {
    match std::env::var_os("MOTCUA_ARTIFACTS").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir).join("browser"),
        None => {
            let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
            let workspace = crate_dir.ancestors().nth(2).unwrap_or(crate_dir);
            workspace.join("target/artifacts/browser")
        }
    }
}

/// A browser session on the served app, with the few gestures the flow needs.
pub struct Browser {
    pub driver: WebDriver,
    base: String,
    shots: PathBuf,
    /// The database kind, prefixed to screenshot names so both passes keep theirs.
    pub prefix: String,
    taken: AtomicUsize,
    /// What the pages visited got wrong: axe-core's serious and critical violations, overflow
    /// at phone width.
    problems: Mutex<Vec<String>>,
}

impl Browser {
    pub async fn open(
        driver_url: &str,
        base: &str,
        prefix: impl Into<String>,
    ) -> Result<Self, Error> {
        let prefix = prefix.into();
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(CHROMIUM)?;
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1366,768",
        ] {
            caps.add_arg(arg)?;
        }
        let driver = WebDriver::builder(driver_url, caps)
            .poller(Arc::new(ElementPollerWithTimeout::new(
                WAIT,
                Duration::from_millis(50),
            )))
            .await?;
        let shots = artifacts_dir();
        std::fs::create_dir_all(&shots)
            .map_err(|e| format!("cannot create {}: {e}", shots.display()))?;
        // Shots of an earlier run of this pass would mix with this one's.
        for entry in std::fs::read_dir(&shots)?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(&format!("{prefix}-")) && name.ends_with(".png") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let browser = Self {
            driver,
            base: base.to_owned(),
            shots,
            prefix,
            taken: AtomicUsize::new(0),
            problems: Mutex::new(Vec::new()),
        };
        browser.window(1366, 768).await?;
        Ok(browser)
    }

    pub async fn window(&self, width: u32, height: u32) -> Result<(), Error> {
        self.driver.set_window_rect(0, 0, width, height).await?;
        Ok(())
    }

    /// Opens a path of the app and waits for the page to load.
    pub async fn goto(&self, path: &str) -> Result<(), Error> {
        self.driver.goto(format!("{}{path}", self.base)).await?;
        Ok(())
    }

    /// The current path and query (`/dossiers/…`).
    pub async fn path(&self) -> Result<String, Error> {
        let url = self.driver.current_url().await?;
        Ok(match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        })
    }

    /// Saves a screenshot of the window as `<db>-NN-<name>.png`.
    pub async fn shot(&self, name: &str) -> Result<(), Error> {
        let n = self.taken.fetch_add(1, Ordering::Relaxed) + 1;
        let file = self
            .shots
            .join(format!("{}-{n:02}-{name}.png", self.prefix));
        self.driver.screenshot(&file).await?;
        Ok(())
    }

    /// The first element matching `css`, waiting for it to appear.
    pub async fn find(&self, css: &str) -> Result<WebElement, Error> {
        Ok(self.driver.query(By::Css(css)).desc(css).first().await?)
    }

    /// Whether an element matches `css` now (no waiting).
    pub async fn exists(&self, css: &str) -> Result<bool, Error> {
        Ok(self.driver.query(By::Css(css)).nowait().exists().await?)
    }

    /// Types `value` into the input named `name` (after clearing it).
    pub async fn fill(&self, name: &str, value: &str) -> Result<(), Error> {
        let input = self.find(&format!("[name=\"{name}\"]")).await?;
        input.clear().await?;
        input.send_keys(value).await?;
        Ok(())
    }

    /// Chooses the option of value `value` in the select named `name`.
    pub async fn select(&self, name: &str, value: &str) -> Result<(), Error> {
        let select = self.find(&format!("select[name=\"{name}\"]")).await?;
        SelectElement::new(&select)
            .await?
            .select_by_value(value)
            .await?;
        Ok(())
    }

    /// Clicks the element matching `css` and waits until the browser has left the page (every
    /// click of the flow submits a form or follows a link).
    pub async fn click(&self, css: &str) -> Result<(), Error> {
        let old_page = self.driver.find(By::Tag("html")).await?;
        self.find(css).await?.click().await?;
        old_page.wait_until().stale().await?;
        Ok(())
    }

    /// Opens the header's menu (a `<details>`): WebDriver will not click inside a closed one,
    /// even on a wide screen where its content is shown.
    pub async fn open_menu(&self) -> Result<(), Error> {
        self.driver
            .execute(
                "const d = document.getElementById('nav'); if (d) { d.open = true; }",
                Vec::new(),
            )
            .await?;
        Ok(())
    }

    /// The text of the element with id `id`, waiting for it to appear.
    pub async fn text(&self, id: &str) -> Result<String, Error> {
        let element = self.driver.query(By::Id(id)).desc(id).first().await?;
        let text = element.text().await?;
        if !text.is_empty() {
            return Ok(text);
        }
        // WebDriver's rendered text counts whatever is inside a closed <details> as hidden,
        // even where the page shows it (the header's menu on a wide screen): read its text
        // content, spaces collapsed.
        let content = element.prop("textContent").await?.unwrap_or_default();
        Ok(content.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// The texts of every element matching `css` (waiting for the first).
    pub async fn texts(&self, css: &str) -> Result<Vec<String>, Error> {
        let mut out = Vec::new();
        for e in self
            .driver
            .query(By::Css(css))
            .desc(css)
            .all_from_selector_required()
            .await?
        {
            out.push(e.text().await?);
        }
        Ok(out)
    }

    /// The page's full width and the viewport's, in CSS pixels.
    pub async fn widths(&self) -> Result<(i64, i64), Error> {
        let ret = self
            .driver
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                Vec::new(),
            )
            .await?;
        Ok(ret.convert::<(i64, i64)>()?)
    }

    /// The innermost elements whose right edge passes `width` (what makes a page too wide).
    pub async fn wider_than(&self, width: i64) -> Result<String, Error> {
        let ret = self
            .driver
            .execute(
                "const w = arguments[0]; const out = [];
                 for (const e of document.querySelectorAll('body *')) {
                   if (e.getBoundingClientRect().right <= w + 1) continue;
                   if ([...e.children].some(c => c.getBoundingClientRect().right > w + 1)) continue;
                   if (e.closest('.scroll')) continue;
                   out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''));
                 }
                 return out.slice(0, 8).join(', ');",
                vec![serde_json::json!(width)],
            )
            .await?;
        Ok(ret.convert::<String>()?)
    }
}

/// axe-core, injected into the pages visited (never served by the app).
const AXE: &str = include_str!("../vendor/axe.min.js");

/// Runs axe-core on the page and hands back its serious and critical violations as JSON
/// (`[{id, impact, help, nodes: [selector…]}]`), or `ERROR …`.
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] })
  .then(r => done(JSON.stringify(r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) })))))
  .catch(e => done('ERROR ' + e));
"#;

/// A violation axe-core reported.
#[derive(serde::Deserialize)]
struct Violation {
    id: String,
    impact: String,
    help: String,
    nodes: Vec<String>,
}

impl Browser {
    /// Looks at the page at `path`: opens it, waits for its heading, takes the screenshots at
    /// both sizes, checks the phone view's width and runs axe-core at both sizes. What is wrong
    /// is recorded under `name` (see [`Browser::problems`]), so that one walk reports every
    /// page at once.
    pub async fn visit(&self, path: &str, name: &str) -> Result<(), Error> {
        self.goto(path).await?;
        self.look(name).await
    }

    /// [`Browser::visit`] for the page the browser is on (after a click or a form).
    pub async fn look(&self, name: &str) -> Result<(), Error> {
        self.find("main h1").await?;
        self.shot(name).await?;
        self.axe(name).await?;
        self.window(390, 844).await?;
        self.shot_as(&format!("{name}-phone")).await?;
        let (scroll, inner) = self.widths().await?;
        if scroll > inner + 1 {
            let culprits = self.wider_than(inner).await?;
            self.problem(format!(
                "{name}: {scroll} px wide in a {inner} px phone viewport ({culprits})"
            ));
        }
        self.axe(&format!("{name} (phone)")).await?;
        self.window(1366, 768).await?;
        Ok(())
    }

    /// Saves a screenshot without counting it as a new page (the phone view of the last one).
    async fn shot_as(&self, name: &str) -> Result<(), Error> {
        let n = self.taken.load(Ordering::Relaxed);
        let file = self
            .shots
            .join(format!("{}-{n:02}-{name}.png", self.prefix));
        self.driver.screenshot(&file).await?;
        Ok(())
    }

    /// Injects axe-core and records its serious and critical violations.
    async fn axe(&self, name: &str) -> Result<(), Error> {
        let loaded = self
            .driver
            .execute("return typeof axe !== 'undefined';", Vec::new())
            .await?
            .convert::<bool>()?;
        if !loaded {
            self.driver.execute(AXE, Vec::new()).await?;
        }
        let answer = self
            .driver
            .execute_async(AXE_RUN, Vec::new())
            .await?
            .convert::<String>()?;
        if let Some(e) = answer.strip_prefix("ERROR ") {
            return Err(format!("{name}: axe-core failed: {e}").into());
        }
        let violations: Vec<Violation> = serde_json::from_str(&answer)?;
        for v in violations {
            self.problem(format!(
                "{name}: axe {} ({}): {} — {}",
                v.id,
                v.impact,
                v.help,
                v.nodes.join(", ")
            ));
        }
        Ok(())
    }

    fn problem(&self, text: String) {
        if let Ok(mut p) = self.problems.lock() {
            p.push(text);
        }
    }

    /// Everything wrong on the pages visited so far, but the `known` ones (page name prefix,
    /// what the problem says), which are printed as notices: problems of pages another change
    /// is fixing. Empties the list.
    pub fn problems(&self, known: &[(&str, &str)]) -> Vec<String> {
        let all = self
            .problems
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default();
        let (tolerated, failing): (Vec<String>, Vec<String>) = all.into_iter().partition(|p| {
            known
                .iter()
                .any(|(page, what)| p.starts_with(page) && p.contains(what))
        });
        for t in tolerated {
            let _ = writeln!(std::io::stderr(), "NOTICE (known, not failing): {t}");
        }
        failing
    }
}

/// Opens a browser on the app at `base`, its screenshots named `<walk>-<backend>-NN-…`, runs
/// `run` in it and quits the browser whatever happens; a failure names the database.
pub async fn walk_on(
    driver_url: &str,
    base: &str,
    walk: &str,
    backend: &str,
    run: impl AsyncFnOnce(&Browser) -> crate::common::TestResult,
) -> crate::common::TestResult {
    let browser = Browser::open(driver_url, base, format!("{walk}-{backend}")).await?;
    let driver = browser.driver.clone();
    driver
        .run_and_quit(|_| async move { run(&browser).await })
        .await
        .map_err(|e| format!("{backend}: {e}"))?;
    Ok(())
}
