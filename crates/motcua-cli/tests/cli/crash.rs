//! `motcua serve` killed (SIGKILL) while API writes with Idempotency-Keys are in flight,
//! several times, and restarted on the same database. Every client retries its request with
//! the same key until it gets an answer, then every key is sent once more: each key ends with
//! one answer, given again word for word; no dossier exists that no answer names; each dossier
//! has at most one receipt and every receipt key got one. On both databases.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use motcua_store::SqlStore;

type Error = Box<dyn std::error::Error + Send + Sync>;
type TestResult = Result<(), Error>;

/// Clients sending at once; each receives `JOBS` dossiers, pays each fee and asks for its
/// receipt, every request with its own key.
const CLIENTS: usize = 12;
const JOBS: usize = 8;
const REQUESTS: usize = CLIENTS * JOBS * 3;
/// How many times the server is killed, evenly spread over the requests.
const KILLS: usize = 3;
/// How long a client waits for a server to come back before the test gives up.
const PATIENCE: Duration = Duration::from_secs(60);

const SERIES: &str = r#"{"form_symbol":"01BLP0-001","series":"HX-26E"}"#;
const PAYMENT: &str = r#"{"payment_channel":"offline"}"#;

fn motcua(database: &str, args: &[&str]) -> Result<String, Error> {
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(args)
        .env("DATABASE_URL", database)
        .output()?;
    if !out.status.success() {
        return Err(format!("motcua {args:?}: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A running `motcua serve` and the address it listens on.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(database: &str, files: &Path) -> Result<Server, Error> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
            .args(["serve", "--listen", "127.0.0.1:0", "--insecure-cookies"])
            .env("DATABASE_URL", database)
            .env("MOTCUA_FILES", files)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let mut addr = None;
        for line in lines.by_ref() {
            if let Some(rest) = line?.strip_prefix("Đang phục vụ tại http://") {
                addr = rest.split('/').next().map(str::to_owned);
                break;
            }
        }
        // Keep reading, so the server never writes into a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        match addr {
            Some(addr) => Ok(Server { child, addr }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err("the server did not start".into())
            }
        }
    }
}

impl Drop for Server {
    /// `kill -9` (SIGKILL): no shutdown, whatever it was doing; also when a test fails.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer, read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reply {
    status: u16,
    replayed: bool,
    body: String,
}

/// One POST over HTTP/1.0. A connection refused or cut, or an answer cut short (its
/// Content-Length not met), is an error: the server died.
fn post(addr: &str, path: &str, token: &str, key: &str, body: &str) -> std::io::Result<Reply> {
    let cut = || std::io::Error::other("answer cut short");
    let mut stream = std::net::TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(PATIENCE))?;
    write!(
        stream,
        "POST {path} HTTP/1.0\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Idempotency-Key: {key}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(cut)?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(cut)?;
    let mut replayed = false;
    let mut length = None;
    for line in lines {
        let (name, value) = line.split_once(':').ok_or_else(cut)?;
        match name.trim().to_ascii_lowercase().as_str() {
            "idempotent-replayed" => replayed = value.trim() == "true",
            "content-length" => length = value.trim().parse::<usize>().ok(),
            _ => {}
        }
    }
    if length != Some(body.len()) {
        return Err(cut());
    }
    Ok(Reply {
        status,
        replayed,
        body: body.to_owned(),
    })
}

/// What every client shares: the server's current address, the token, the answers so far.
struct Shared {
    addr: RwLock<String>,
    token: String,
    answered: AtomicUsize,
    /// Requests refused while the server was down or cut by a kill, then sent again.
    retried: AtomicUsize,
    /// Of those, the ones cut: sent to a server that died before its answer was out.
    cut: AtomicUsize,
    /// Every request with its key and the answer it ended with.
    log: Mutex<Vec<Sent>>,
}

#[derive(Debug, Clone)]
struct Sent {
    path: String,
    key: String,
    body: String,
    reply: Reply,
}

impl Shared {
    /// Sends the request until an answer comes, with the same key each time. An answer that
    /// says another request with the key is still running (what older versions said, for
    /// ever, of a key whose request died with the server) is asked again a few times, then
    /// kept as the key's answer.
    fn send(&self, path: &str, key: &str, body: &str) -> Result<Reply, Error> {
        let start = Instant::now();
        let mut waits = 0;
        loop {
            let addr = self.addr.read().map_err(|_| "poisoned")?.clone();
            match post(&addr, path, &self.token, key, body) {
                Ok(r) if in_flight(&r) && waits < 20 => waits += 1,
                Ok(reply) => {
                    self.answered.fetch_add(1, Ordering::SeqCst);
                    self.log.lock().map_err(|_| "poisoned")?.push(Sent {
                        path: path.to_owned(),
                        key: key.to_owned(),
                        body: body.to_owned(),
                        reply: reply.clone(),
                    });
                    return Ok(reply);
                }
                Err(e) if start.elapsed() < PATIENCE => {
                    self.retried.fetch_add(1, Ordering::SeqCst);
                    if e.kind() != std::io::ErrorKind::ConnectionRefused {
                        self.cut.fetch_add(1, Ordering::SeqCst);
                    }
                }
                Err(e) => return Err(format!("{path} ({key}): no answer: {e}").into()),
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// One client: receives its dossiers, pays each fee, asks for each receipt.
    fn client(&self, client: usize) -> Result<(), Error> {
        for job in 0..JOBS {
            let key = |kind: &str| format!("{kind}-{client}-{job}");
            let received = self.send("/api/dossiers", &key("r"), &reception())?;
            if received.status != 201 {
                continue;
            }
            let code = code_of(&received)?;
            let path = format!("/api/dossiers/{code}/payment");
            if self.send(&path, &key("p"), PAYMENT)?.status != 200 {
                continue;
            }
            let path = format!("/api/dossiers/{code}/receipt");
            self.send(&path, &key("b"), SERIES)?;
        }
        Ok(())
    }
}

fn in_flight(r: &Reply) -> bool {
    r.status == 409 && r.body.contains("đang được xử lý")
}

fn reception() -> String {
    r#"{"procedure":"9.100010","unit":"ho-xa","channel":"direct","components_total":2,"components_digitized":2,"fee_vnd":8000}"#
        .to_owned()
}

fn code_of(r: &Reply) -> Result<String, Error> {
    let json: serde_json::Value = serde_json::from_str(&r.body)?;
    Ok(json["dossier"]["code"]
        .as_str()
        .ok_or_else(|| format!("no code in {}", r.body))?
        .to_owned())
}

/// The units and procedures of the Vĩnh Linh fixture, without its dossiers.
fn catalogue() -> Result<tempfile::TempDir, Error> {
    let dir = tempfile::tempdir()?;
    for name in ["units.csv", "procedures.csv"] {
        std::fs::copy(
            motcua_testkit::vinh_linh().join(name),
            dir.path().join(name),
        )?;
    }
    Ok(dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_survive_a_server_killed_mid_request() -> motcua_testkit::TestResult {
    // This file's errors cross threads (Send + Sync); the runner's are plain.
    motcua_testkit::for_each_db(async |db| {
        keys_survive_on(db)
            .await
            .map_err(|e| -> Box<dyn std::error::Error> { e })
    })
    .await
}

async fn keys_survive_on(db: &motcua_testkit::TestDb) -> TestResult {
    let started = Instant::now();
    let dir = catalogue()?;
    motcua(&db.url, &["import", &dir.path().display().to_string()])?;
    let out = motcua(
        &db.url,
        &[
            "token", "add", "--name", "crash", "--unit", "ho-xa", "--write",
        ],
    )?;
    let token = out
        .lines()
        .find(|l| l.starts_with("mc_"))
        .ok_or_else(|| format!("no token in {out}"))?
        .to_owned();
    let files = tempfile::tempdir()?;
    let mut server = Server::start(&db.url, files.path())?;
    let shared = Arc::new(Shared {
        addr: RwLock::new(server.addr.clone()),
        token,
        answered: AtomicUsize::new(0),
        retried: AtomicUsize::new(0),
        cut: AtomicUsize::new(0),
        log: Mutex::new(Vec::new()),
    });
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || shared.client(c))
        })
        .collect();
    // Kill the server each time another share of the requests has been answered: the
    // other clients are then in the middle of theirs.
    for kill in 1..=KILLS {
        while shared.answered.load(Ordering::SeqCst) < kill * REQUESTS / (KILLS + 1)
            && !clients.iter().all(|c| c.is_finished())
        {
            std::thread::sleep(Duration::from_millis(2));
        }
        drop(server);
        server = Server::start(&db.url, files.path())?;
        *shared.addr.write().map_err(|_| "poisoned")? = server.addr.clone();
    }
    for c in clients {
        c.join().map_err(|_| "a client panicked")??;
    }
    let first: Vec<Sent> = shared.log.lock().map_err(|_| "poisoned")?.clone();
    let stuck: Vec<&str> = first
        .iter()
        .filter(|s| in_flight(&s.reply))
        .map(|s| s.key.as_str())
        .collect();
    assert!(
        stuck.is_empty(),
        "{}: {} keys stuck in flight: {stuck:?}",
        db.backend,
        stuck.len()
    );
    assert_eq!(
        first.len(),
        REQUESTS,
        "{}: every request answered",
        db.backend
    );
    let cut = shared.cut.load(Ordering::SeqCst);
    assert!(cut > 0, "{}: the kills cut requests in flight", db.backend);
    eprintln!(
        "{}: {REQUESTS} requests, {cut} cut by the kills and {} refused while down, all \
         sent again; {:?}",
        db.backend,
        shared.retried.load(Ordering::SeqCst) - cut,
        started.elapsed()
    );

    // Every key once more, on the last server: its first answer, word for word.
    for s in &first {
        let again = post(&server.addr, &s.path, &shared.token, &s.key, &s.body)?;
        assert!(
            !in_flight(&again),
            "{}: key {} stuck in flight",
            db.backend,
            s.key
        );
        assert_eq!(
            (again.status, &again.body),
            (s.reply.status, &s.reply.body),
            "{}: key {}",
            db.backend,
            s.key
        );
        assert!(again.replayed, "{}: key {} replayed", db.backend, s.key);
    }
    drop(server);

    // What the database holds is what the answers say, and no more.
    let store = SqlStore::connect(&db.url).await?;
    let stored: BTreeSet<String> = store
        .dossiers()
        .await?
        .iter()
        .map(|d| d.code.to_string())
        .collect();
    let by_kind = |kind: &str| -> Vec<&Sent> {
        first
            .iter()
            .filter(|s| s.key.starts_with(&format!("{kind}-")))
            .collect()
    };
    let mut answered = BTreeSet::new();
    for s in by_kind("r") {
        assert_eq!(s.reply.status, 201, "{}: {}", db.backend, s.reply.body);
        answered.insert(code_of(&s.reply)?);
    }
    assert_eq!(by_kind("r").len(), CLIENTS * JOBS);
    assert_eq!(
        stored.len(),
        answered.len(),
        "{}: one dossier per key with a 201",
        db.backend
    );
    assert_eq!(
        stored, answered,
        "{}: every dossier is some key's",
        db.backend
    );
    for s in by_kind("p") {
        assert_eq!(s.reply.status, 200, "{}: {}", db.backend, s.reply.body);
    }
    let mut receipts = BTreeMap::new();
    for code in &stored {
        let code = motcua_core::dossier::DossierCode::parse(code).ok_or("code")?;
        let found = store.dossier_receipts(&code).await?;
        assert!(found.len() <= 1, "{}: {code} has {found:?}", db.backend);
        receipts.insert(code.to_string(), found);
    }
    let receipt_keys = by_kind("b");
    assert_eq!(receipt_keys.len(), CLIENTS * JOBS);
    for s in receipt_keys {
        assert_eq!(s.reply.status, 201, "{}: {}", db.backend, s.reply.body);
        let answer: serde_json::Value = serde_json::from_str(&s.reply.body)?;
        let dossier = answer["dossier"].as_str().ok_or("no dossier")?;
        let found = receipts.get(dossier).ok_or("unknown dossier")?;
        assert_eq!(
            found.iter().map(|r| r.number).collect::<Vec<_>>(),
            vec![answer["number"].as_i64().ok_or("no number")?],
            "{}: the receipt key {} got the dossier's one receipt",
            db.backend,
            s.key
        );
    }
    store.close().await?;
    Ok(())
}
