//! The `motcua` binary as a user runs it: commands, output, exit status, error messages.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Output, Stdio};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn motcua(database: &str, args: &[&str]) -> std::io::Result<Output> {
    Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(args)
        .env("DATABASE_URL", database)
        .env_remove("RUST_BACKTRACE")
        .output()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn fixture() -> String {
    motcua_testkit::vinh_linh().display().to_string()
}

#[tokio::test]
async fn indicators_json_for_the_district_a_commune_and_april() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let out = motcua(&db.url, &["import", &fixture()])?;
        assert!(
            out.status.success(),
            "{}: {}",
            db.backend,
            text(&out.stderr)
        );
        assert!(text(&out.stdout).contains("3794 mới"));

        let out = motcua(
            &db.url,
            &[
                "indicators",
                "--unit",
                "vinh-linh",
                "--month",
                "2024-05",
                "--json",
            ],
        )?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        assert_eq!(json["unit"], "vinh-linh");
        assert_eq!(json["month"], "2024-05");
        assert_eq!(json["counts"]["received"], 2074);
        assert_eq!(json["counts"]["resolved"], 1773);
        assert_eq!(json["counts"]["resolved_late"], 1);
        assert_eq!(json["rates"]["online_full_rate"]["num"], 701);
        assert_eq!(json["units"].as_array().map(Vec::len), Some(24));
        assert!(json["previous"]["counts"]["received"].as_u64() > Some(0));

        let out = motcua(
            &db.url,
            &[
                "indicators",
                "--unit",
                "vinh-khe",
                "--month",
                "2024-05",
                "--json",
            ],
        )?;
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        assert_eq!(json["counts"]["resolved_late"], 1);
        assert_eq!(json["units"][0]["code"], "vinh-khe");

        let out = motcua(
            &db.url,
            &[
                "indicators",
                "--unit",
                "vinh-linh",
                "--month",
                "2024-04",
                "--json",
            ],
        )?;
        let april: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        assert_eq!(april["month"], "2024-04");
        assert_eq!(april["counts"]["received"], 1720);

        let out = motcua(
            &db.url,
            &["indicators", "--unit", "vinh-linh", "--month", "2024-05"],
        )?;
        let plain = text(&out.stdout);
        assert!(
            plain.contains("33,8%") && plain.contains("tăng 8,8") && plain.contains("2.074"),
            "{plain}"
        );

        let out_dir = tempfile::tempdir()?;
        let out = motcua(&db.url, &["export", &out_dir.path().display().to_string()])?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(out_dir.path().join("dossiers.csv").exists());
        Ok(())
    })
    .await
}

/// Runs a failing command and checks it fails like a tool should: non-zero, one readable
/// paragraph on standard error, nothing on standard output, no panic.
fn assert_clean_failure(out: &Output, must_mention: &str) {
    let err = text(&out.stderr);
    assert!(!out.status.success(), "must fail: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
    assert!(err.contains(must_mention), "«{must_mention}» not in: {err}");
    assert!(out.stdout.is_empty(), "stdout: {}", text(&out.stdout));
}

#[test]
fn bad_input_gives_a_readable_error() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let out = motcua(&db.url, &["import", "/khong/co/thu-muc"])?;
    assert_clean_failure(&out, "/khong/co/thu-muc");

    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("units.csv"),
        "code,name,short_name,kind,label,parent_code\n\"a,b\n",
    )?;
    let out = motcua(&db.url, &["import", &dir.path().display().to_string()])?;
    assert_clean_failure(&out, "units.csv, dòng 2");

    let out = motcua(
        "mysql://localhost/x",
        &["indicators", "--unit", "a", "--month", "2024-05"],
    )?;
    assert_clean_failure(&out, "mysql://localhost/x");
    let out = motcua(
        "postgres://",
        &["indicators", "--unit", "a", "--month", "2024-05"],
    )?;
    assert!(!out.status.success());
    assert!(!text(&out.stderr).contains("panicked"));

    let out = motcua(&db.url, &["import", &fixture()])?;
    assert!(out.status.success());
    let out = motcua(
        &db.url,
        &["indicators", "--unit", "khong-co", "--month", "2024-05"],
    )?;
    assert_clean_failure(&out, "khong-co");
    let out = motcua(
        &db.url,
        &["indicators", "--unit", "vinh-linh", "--month", "05/2024"],
    )?;
    assert_clean_failure(&out, "YYYY-MM");
    Ok(())
}

/// `serve` checks its e-mail options before it opens anything: an SMTP server needs a
/// sender, and a URL that is no SMTP server is refused, its password never shown.
#[test]
fn serve_refuses_bad_mail_options_at_start() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let serve = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_motcua"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("DATABASE_URL", &db.url)
            .env_remove("MOTCUA_SMTP_URL")
            .env_remove("MOTCUA_MAIL_FROM")
            .output()
    };
    let out = serve(&["--smtp-url", "smtp://127.0.0.1:2525"])?;
    assert_clean_failure(&out, "--mail-from");
    let out = serve(&[
        "--smtp-url",
        "http://thu:mat-khau-bi-mat@127.0.0.1:2525",
        "--mail-from",
        "noreply@example.vn",
    ])?;
    assert_clean_failure(&out, "máy chủ thư");
    assert!(!text(&out.stderr).contains("mat-khau-bi-mat"));
    let out = serve(&[
        "--smtp-url",
        "smtp://127.0.0.1:2525",
        "--mail-from",
        "không phải địa chỉ",
    ])?;
    assert_clean_failure(&out, "địa chỉ gửi thư");
    Ok(())
}

/// `motcua import` refuses to move a stored unit under another parent and says how to ask
/// for it; `--allow-moves` does it.
#[test]
fn moving_a_unit_takes_allow_moves() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let out = motcua(&db.url, &["import", &fixture()])?;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("units.csv"),
        "code,name,short_name,kind,label,parent_code\n\
         vinh-khe,UBND xã Vĩnh Khê,Vĩnh Khê,commune,xã,ho-xa\n",
    )?;
    let folder = dir.path().display().to_string();
    let out = motcua(&db.url, &["import", &folder])?;
    assert_clean_failure(&out, "--allow-moves");
    let out = motcua(&db.url, &["import", "--allow-moves", &folder])?;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("1 đơn vị mới hoặc thay đổi"),
        "{}",
        text(&out.stdout)
    );
    // The same file again changes nothing.
    let out = motcua(&db.url, &["import", &folder])?;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("0 đơn vị mới hoặc thay đổi (1 không đổi)"),
        "{}",
        text(&out.stdout)
    );
    Ok(())
}

/// A plain HTTP/1.0 GET over a socket: enough for a smoke test without a client library.
fn http_get(addr: &str, path: &str) -> std::io::Result<String> {
    let mut stream = std::net::TcpStream::connect(addr)?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

/// One HTTP/1.0 exchange; `cookie` is sent as the Cookie header when not empty, `body` as a
/// form when not empty.
pub(crate) fn http_request(
    addr: &str,
    method: &str,
    path: &str,
    cookie: &str,
    body: &str,
) -> std::io::Result<String> {
    let mut stream = std::net::TcpStream::connect(addr)?;
    let mut head = format!("{method} {path} HTTP/1.0\r\nHost: {addr}\r\n");
    if !cookie.is_empty() {
        head.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if !body.is_empty() {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    write!(stream, "{head}\r\n{body}")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

/// The `name=value` of a Set-Cookie header of a response.
pub(crate) fn set_cookie(response: &str, name: &str) -> Option<String> {
    response
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: "))
        .find(|c| c.starts_with(&format!("{name}=")))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
}

/// Signs in as a demo account whose password the banner printed; returns the session cookie.
fn sign_in(addr: &str, banner: &str, username: &str) -> Result<String, Box<dyn std::error::Error>> {
    let line = banner
        .lines()
        .find(|l| l.split_whitespace().any(|w| w == username))
        .ok_or_else(|| format!("no account {username} in {banner}"))?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words
        .iter()
        .rposition(|w| *w == username)
        .ok_or("no name")?;
    let password = words.get(at + 1).ok_or("no password")?;
    let form = http_request(addr, "GET", "/login", "", "")?;
    let csrf_cookie = set_cookie(&form, "motcua_login_csrf").ok_or("no form cookie")?;
    let token = csrf_cookie.trim_start_matches("motcua_login_csrf=");
    let answer = http_request(
        addr,
        "POST",
        "/login",
        &csrf_cookie,
        &format!("csrf={token}&next=%2F&username={username}&password={password}"),
    )?;
    Ok(
        set_cookie(&answer, "motcua_session")
            .ok_or_else(|| format!("sign-in refused: {answer}"))?,
    )
}

#[test]
fn demo_serves_the_may_figures() -> TestResult {
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["demo", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut addr = None;
    let mut banner = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        banner.push_str(&line);
        banner.push('\n');
        if let Some(rest) = line.strip_prefix("Đang phục vụ tại http://") {
            // The address line comes last.
            addr = rest.split('/').next().map(str::to_owned);
            break;
        }
    }
    // A failed assertion unwinds through the closure: catch it, so the demo is stopped
    // either way (a leftover server would keep the test's pipes open).
    let result = std::panic::catch_unwind(|| -> TestResult {
        let addr = addr.ok_or_else(|| format!("no address in: {banner}"))?;
        assert!(banner.contains("3794"), "{banner}");
        let health = http_get(&addr, "/health")?;
        assert!(
            health.starts_with("HTTP/1.0 200") || health.starts_with("HTTP/1.1 200"),
            "{health}"
        );
        // Officers' pages need an account; the banner gives one per role. The home page
        // greets a visitor who has none with the public portal.
        let page = http_get(&addr, "/desk")?;
        assert!(page.contains("303 See Other") && page.contains("location: /login"));
        let page = http_get(&addr, "/")?;
        assert!(page.contains("Cán bộ đăng nhập"), "{page}");
        for role in [
            "Quản trị hệ thống",
            "Lãnh đạo",
            "Chuyên viên",
            "Cán bộ tiếp nhận",
            "Chỉ xem",
        ] {
            assert!(banner.contains(role), "{banner}");
        }
        let viewer = sign_in(&addr, &banner, "xem")?;
        let page = http_request(&addr, "GET", "/?unit=vinh-linh&month=2024-05", &viewer, "")?;
        assert!(
            page.contains("33,8%") && page.contains("tăng 8,8"),
            "{page}"
        );
        // The commune's officer sees the commune only.
        let commune = sign_in(&addr, &banner, "tiep-nhan-ho-xa")?;
        let page = http_request(&addr, "GET", "/?unit=vinh-linh&month=2024-05", &commune, "")?;
        assert!(page.contains(" 404 Not Found"), "{page}");
        // The administrator's audit trail shows the sign-ins, with the client's address.
        let admin = sign_in(&addr, &banner, "quan-tri")?;
        let page = http_request(
            &addr,
            "GET",
            "/admin/audit?action=login.success",
            &admin,
            "",
        )?;
        assert!(
            page.contains("user:xem") && page.contains("127.0.0.1"),
            "{page}"
        );
        Ok(())
    });
    // Ctrl-C, as a person stops the demo: it shuts down and removes its temporary database.
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait()?;
    match result {
        Ok(r) => r?,
        Err(panic) => std::panic::resume_unwind(panic),
    }
    assert!(status.success(), "demo exit: {status}");
    Ok(())
}

/// A demo started with `args`, its address and the banner it printed (up to the address).
pub(crate) fn start_demo(
    args: &[&str],
) -> Result<(std::process::Child, String, String), Box<dyn std::error::Error>> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["demo", "--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut banner = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        banner.push_str(&line);
        banner.push('\n');
        if let Some(rest) = line.strip_prefix("Đang phục vụ tại http://") {
            let addr = rest.split('/').next().unwrap_or_default().to_owned();
            return Ok((child, addr, banner));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(format!("no address in: {banner}").into())
}

/// Runs `body` on a demo started with `args` (its `host:port` and its banner), then stops the
/// demo with Ctrl+C and checks that it exits cleanly; a panic in `body` is raised again once
/// the demo has stopped.
pub(crate) fn with_demo(
    args: &[&str],
    body: impl FnOnce(&str, &str) -> TestResult + std::panic::UnwindSafe,
) -> TestResult {
    let (mut child, addr, banner) = start_demo(args)?;
    let result = std::panic::catch_unwind(|| body(&addr, &banner));
    let _ = signal(&child, "INT");
    let status = child.wait()?;
    match result {
        Ok(r) => r?,
        Err(panic) => std::panic::resume_unwind(panic),
    }
    assert!(status.success(), "demo exit: {status}");
    Ok(())
}

/// The demo's open work is due around the day it starts: at a given instant, a commune's
/// worklist holds overdue dossiers, dossiers due today, due within two working days and due
/// later, all received in the weeks before; and the accounts carry people's full names.
#[test]
fn demo_work_is_due_around_the_day_it_starts() -> TestResult {
    // A Wednesday morning.
    with_demo(
        &["--clock", "2026-12-02T10:00:00+07:00"],
        |addr, banner| -> TestResult {
            assert!(banner.contains("Võ Thị Lan"), "{banner}");
            let desk = sign_in(addr, banner, "tiep-nhan-ho-xa")?;
            let page = http_request(addr, "GET", "/desk", &desk, "")?;
            for (class, what) in [
                ("overdue", "overdue"),
                ("today", "due today"),
                ("soon", "due within two working days"),
                ("ontrack", "due later"),
            ] {
                assert!(
                    page.contains(&format!("<tr class=\"{class}\"")),
                    "a dossier {what} on the worklist"
                );
            }
            // Received in the last weeks (codes carry the day), none in the future.
            let codes: Vec<&str> = page
                .split("data-code=\"HO-XA-")
                .skip(1)
                .filter_map(|r| r.get(..6))
                .collect();
            assert!(
                codes
                    .iter()
                    .any(|d| d.starts_with("2611") || d.starts_with("2612")),
                "{codes:?}"
            );
            assert!(!codes.iter().any(|d| *d > "261202"), "{codes:?}");
            // The hand-off shows a real mix: the specialist's assigned work, the proposals
            // waiting for the leader, results the leader approved waiting to be handed back.
            let specialist = sign_in(addr, banner, "chuyen-vien-ho-xa")?;
            let queue = http_request(addr, "GET", "/queue", &specialist, "")?;
            assert!(queue.contains("id=\"queue\""), "assigned work: {queue}");
            let leader = sign_in(addr, banner, "lanh-dao-ho-xa")?;
            let queue = http_request(addr, "GET", "/queue", &leader, "")?;
            assert!(
                queue.contains("Cấp kết quả") && queue.contains("Từ chối giải quyết"),
                "proposals wait for the leader: {queue}"
            );
            assert!(page.contains("Đã có kết quả"), "approved, to hand back");
            assert!(page.contains("Đã tiếp nhận"), "still at the desk");
            Ok(())
        },
    )
}

/// Sends a signal to a child process by name (`TERM`, `INT`).
pub(crate) fn signal(child: &std::process::Child, name: &str) -> std::io::Result<()> {
    Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .map(|_| ())
}

#[test]
fn sigterm_stops_the_demo_cleanly_and_logs_in_a_pipe_carry_no_colour() -> TestResult {
    // The demo's temporary folder goes under a folder of the test's own.
    let tmp = tempfile::tempdir()?;
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["demo", "--listen", "127.0.0.1:0"])
        .env("TMPDIR", tmp.path())
        .env("RUST_LOG", "info")
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Standard error is a pipe, read while the demo runs (a full pipe would block it).
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let logs = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stderr.read_to_end(&mut bytes).map(|_| bytes)
    });
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut banner = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        banner.push_str(&line);
        banner.push('\n');
        if line.starts_with("Đang phục vụ tại http://") {
            break;
        }
    }
    let db_dir = banner
        .lines()
        .find_map(|l| {
            l.split_once("vào cơ sở dữ liệu tạm ")
                .map(|(_, d)| d.trim())
        })
        .map(std::path::PathBuf::from);
    let serving = banner.contains("Đang phục vụ");
    // What systemd and container runtimes send to stop a service.
    signal(&child, "TERM")?;
    let status = child.wait()?;
    let logs = logs.join().map_err(|_| "the log reader panicked")??;
    assert!(serving, "{banner}");
    let db_dir = db_dir.ok_or_else(|| format!("no database folder in: {banner}"))?;
    assert!(db_dir.starts_with(tmp.path()), "{}", db_dir.display());
    assert_eq!(
        status.code(),
        Some(0),
        "the demo stops cleanly on SIGTERM: {status}"
    );
    assert!(
        !db_dir.exists(),
        "the demo's temporary database is left behind in {}",
        db_dir.display()
    );
    // Log lines were written, to a pipe: plain text, no colour escape codes.
    assert!(!logs.is_empty(), "no log lines");
    assert!(
        !logs.contains(&0x1b),
        "escape codes in the logs: {}",
        String::from_utf8_lossy(&logs)
    );
    Ok(())
}

/// A failure that names `path` and says why in Vietnamese: no raw operating-system text.
fn assert_names_the_path(out: &Output, path: &std::path::Path, why: &str) {
    let shown = path.display().to_string();
    assert_clean_failure(out, &shown);
    let err = text(&out.stderr);
    assert!(err.contains(why), "«{why}» not in: {err}");
    for raw in ["os error", "Os {", "No such file", "Not a directory"] {
        assert!(!err.contains(raw), "«{raw}» in: {err}");
    }
}

#[tokio::test]
async fn every_file_that_cannot_be_read_or_written_is_named() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = format!("sqlite://{}", dir.path().join("m.db").display());
    let missing = dir.path().join("missing");
    let a_file = dir.path().join("a-file");
    std::fs::write(&a_file, "x")?;
    let arg = |p: &std::path::Path| p.display().to_string();

    let out = motcua(&db, &["import", &arg(&missing)])?;
    assert_names_the_path(&out, &missing, "không tồn tại");

    let schedule = missing.join("lich-2024.json");
    let out = motcua(&db, &["calendar", "set", &arg(&schedule)])?;
    assert_names_the_path(&out, &schedule, "không tồn tại");

    let below_a_file = a_file.join("export");
    let out = motcua(&db, &["export", &arg(&below_a_file)])?;
    assert_names_the_path(&out, &below_a_file, "không phải là thư mục");

    let out = motcua(&db, &["import", &fixture()])?;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = missing.join("bao-cao.docx");
    let report_arg = arg(&report);
    let out = motcua(
        &db,
        &[
            "report",
            "--unit",
            "vinh-linh",
            "--month",
            "2024-05",
            "--format",
            "docx",
            "--output",
            &report_arg,
        ],
    )?;
    assert_names_the_path(&out, &report, "không tồn tại");
    let calendar = missing.join("lich.json");
    let out = motcua(
        &db,
        &[
            "calendar",
            "export",
            "--year",
            "2024",
            "--output",
            &arg(&calendar),
        ],
    )?;
    assert_names_the_path(&out, &calendar, "không tồn tại");

    let database = missing.join("motcua.db");
    let out = motcua(
        &format!("sqlite://{}", database.display()),
        &["user", "list"],
    )?;
    assert_names_the_path(&out, &database, "không tồn tại");
    Ok(())
}

#[tokio::test]
async fn calendar_explain_show_export_and_set() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let out = motcua(&db.url, &["import", &fixture()])?;
        assert!(out.status.success(), "{}", text(&out.stderr));

        // Friday 3/5/2024 16:20, after the 15:00 cut-off: counted from the make-up Saturday.
        let out = motcua(
            &db.url,
            &[
                "calendar",
                "explain",
                "--received",
                "2024-05-03T16:20:00+07:00",
                "--days",
                "2",
                "--cutoff",
            ],
        )?;
        let steps = text(&out.stdout);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            steps.contains("sau 15:00: bắt đầu tính từ 07:00 thứ Bảy 04/05/2024 (ngày làm bù)"),
            "{steps}"
        );
        assert!(
            steps.contains("Chủ nhật 05/05/2024: nghỉ cuối tuần, không tính."),
            "{steps}"
        );
        assert!(
            steps.contains("Hạn trả kết quả: 07:00 thứ Ba 07/05/2024."),
            "{steps}"
        );

        let out = motcua(
            &db.url,
            &["calendar", "explain", "--dossier", "VINH-KHE-240520-0001"],
        )?;
        let steps = text(&out.stdout);
        assert!(
            steps.contains("Hạn trả kết quả: 08:20 thứ Hai 03/06/2024."),
            "{steps}"
        );

        let out = motcua(&db.url, &["calendar", "explain", "--dossier", "KHONG-CO"])?;
        assert_clean_failure(&out, "KHONG-CO");

        let out = motcua(&db.url, &["calendar", "show", "--year", "2024"])?;
        let shown = text(&out.stdout);
        assert!(
            shown.contains("thứ Bảy 04/05/2024") && shown.contains("2450/VPCP-KGVX"),
            "{shown}"
        );

        // Export the 2024 schedule, add a day off, load it back: open dossiers move.
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("2024.json");
        let out = motcua(
            &db.url,
            &[
                "calendar",
                "export",
                "--year",
                "2024",
                "--output",
                &file.display().to_string(),
            ],
        )?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file)?)?;
        json["days_off"].as_array_mut().ok_or("days_off")?.push(
            serde_json::json!({"date": "2024-05-31", "reason": "Nghỉ đột xuất (thử nghiệm)"}),
        );
        std::fs::write(&file, serde_json::to_string(&json)?)?;
        let out = motcua(&db.url, &["calendar", "set", &file.display().to_string()])?;
        let said = text(&out.stdout);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(said.contains("Đã lưu lịch nghỉ năm 2024."), "{said}");
        assert!(
            said.contains(" → "),
            "some open dossier of the fixture must move: {said}"
        );

        std::fs::write(&file, "{ \"year\": 2024 }")?;
        let out = motcua(&db.url, &["calendar", "set", &file.display().to_string()])?;
        assert_clean_failure(&out, "2024.json");
        Ok(())
    })
    .await
}

fn motcua_stdin(database: &str, args: &[&str], input: &str) -> std::io::Result<Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(args)
        .env("DATABASE_URL", database)
        .env("USER", "root-tester")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes())?;
    }
    child.wait_with_output()
}

#[tokio::test]
async fn accounts_and_tokens_from_the_command_line() -> TestResult {
    use motcua_store::SqlStore;
    motcua_testkit::for_each_db(async |db| {
        let out = motcua(&db.url, &["import", &fixture()])?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let out = motcua(&db.url, &["user", "list"])?;
        assert!(text(&out.stdout).contains("Chưa có tài khoản nào"));

        // The first administrator, with a generated password shown once.
        let out = motcua(
            &db.url,
            &[
                "user",
                "add",
                "--username",
                "quan-tri",
                "--name",
                "Quản trị huyện",
                "--unit",
                "vinh-linh",
                "--role",
                "admin",
            ],
        )?;
        let stdout = text(&out.stdout);
        assert!(
            out.status.success(),
            "{}: {}",
            db.backend,
            text(&out.stderr)
        );
        assert!(stdout.contains("Đã tạo tài khoản «quan-tri» (Quản trị hệ thống"));
        let password = stdout
            .lines()
            .find_map(|l| l.strip_prefix("Mật khẩu: "))
            .ok_or("no password printed")?
            .to_owned();
        let store = SqlStore::connect(&db.url).await?;
        let at = motcua_core::Timestamp::from_micros(1_700_000_000_000_000);
        let ctx = motcua_testkit::ctx("test", at);
        motcua_app::auth::login(&store, "quan-tri", &password, &ctx).await?;

        // A password from standard input; then a reset.
        let out = motcua_stdin(
            &db.url,
            &[
                "user",
                "add",
                "--username",
                "tiep-nhan",
                "--unit",
                "ho-xa",
                "--role",
                "reception",
                "--password-stdin",
            ],
            "mật-khẩu-từ-stdin\n",
        )?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(!text(&out.stdout).contains("Mật khẩu:"));
        motcua_app::auth::login(&store, "tiep-nhan", "mật-khẩu-từ-stdin", &ctx).await?;
        let out = motcua_stdin(
            &db.url,
            &["user", "password", "tiep-nhan", "--password-stdin"],
            "mật-khẩu-mới-2024\n",
        )?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        motcua_app::auth::login(&store, "tiep-nhan", "mật-khẩu-mới-2024", &ctx).await?;
        let out = motcua(&db.url, &["user", "list"])?;
        let list = text(&out.stdout);
        assert!(
            list.contains("quan-tri") && list.contains("UBND thị trấn Hồ Xá"),
            "{list}"
        );

        // Refusals: a taken name, an unknown unit or role, a weak password.
        for (args, input, message) in [
            (
                vec![
                    "user",
                    "add",
                    "--username",
                    "quan-tri",
                    "--unit",
                    "vinh-linh",
                    "--role",
                    "viewer",
                ],
                "",
                "đã có",
            ),
            (
                vec![
                    "user",
                    "add",
                    "--username",
                    "moi",
                    "--unit",
                    "khong-co",
                    "--role",
                    "viewer",
                ],
                "",
                "khong-co",
            ),
            (
                vec![
                    "user",
                    "add",
                    "--username",
                    "moi",
                    "--unit",
                    "vinh-linh",
                    "--role",
                    "vua",
                ],
                "",
                "vai trò không hợp lệ",
            ),
            (
                vec![
                    "user",
                    "add",
                    "--username",
                    "moi",
                    "--unit",
                    "vinh-linh",
                    "--role",
                    "viewer",
                    "--password-stdin",
                ],
                "12345678\n",
                "không được chỉ gồm chữ số",
            ),
        ] {
            let out = motcua_stdin(&db.url, &args, input)?;
            assert!(!out.status.success(), "{args:?}");
            let err = text(&out.stderr);
            assert!(err.contains(message), "{args:?}: {err}");
            assert!(!err.contains("panicked"));
        }

        // A token, used, then revoked; both audited with the operating-system user.
        let out = motcua_stdin(
            &db.url,
            &["token", "add", "--name", "bao-cao", "--unit", "ho-xa"],
            "",
        )?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let secret = text(&out.stdout)
            .lines()
            .find(|l| l.starts_with("mc_"))
            .ok_or("no token printed")?
            .to_owned();
        let principal = motcua_app::auth::token(&store, &secret)
            .await?
            .ok_or("token not live")?;
        assert_eq!(principal.unit.as_str(), "ho-xa");
        let out = motcua_stdin(&db.url, &["token", "revoke", "bao-cao"], "")?;
        assert!(out.status.success());
        assert!(motcua_app::auth::token(&store, &secret).await?.is_none());
        let out = motcua(&db.url, &["token", "revoke", "bao-cao"])?;
        assert!(!out.status.success());
        let trail = store
            .audit(&motcua_core::access::AuditFilter {
                actor: Some("cli:root-tester".to_owned()),
                ..Default::default()
            })
            .await?;
        let actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "token.revoke",
                "token.create",
                "user.password",
                "user.create"
            ],
            "{}",
            db.backend
        );
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_monthly_report_from_the_command_line() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let out = motcua(&db.url, &["import", &fixture()])?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let args = ["report", "--unit", "vinh-linh", "--month", "2024-05"];
        let out = motcua(&db.url, &args)?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let report = text(&out.stdout);
        assert!(report.starts_with(
            "KẾT QUẢ THỰC HIỆN CẢI CÁCH THỦ TỤC HÀNH CHÍNH THÁNG 5/2024 – HUYỆN VĨNH LINH"
        ));
        assert!(report.contains("đạt 33,8% (tăng 8,8 điểm phần trăm"));

        let dir = tempfile::tempdir()?;
        let html = dir.path().join("bao-cao.html");
        let html_arg = html.display().to_string();
        let out = motcua(
            &db.url,
            &[&args[..], &["--format", "html", "--output", &html_arg]].concat(),
        )?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let page = std::fs::read_to_string(&html)?;
        assert!(page.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
        assert!(page.contains("quá hạn 1 hồ sơ ở xã Vĩnh Khê"));
        // Dated the day after the month by default; another date when chosen, and the
        // remediation deadline follows it.
        assert!(
            page.contains("Vĩnh Linh, ngày 01 tháng 6 năm 2024"),
            "{page}"
        );
        assert!(report.contains("trước ngày 16/6/2024"));
        let out = motcua(&db.url, &[&args[..], &["--date", "05/06/2024"]].concat())?;
        assert!(
            text(&out.stdout).contains("trước ngày 20/6/2024"),
            "{}",
            text(&out.stderr)
        );
        let out = motcua(&db.url, &[&args[..], &["--date", "30/04/2024"]].concat())?;
        assert!(!out.status.success());
        assert!(text(&out.stderr).contains("trước ngày đầu của tháng 5/2024"));

        // The signer and the recipients are the unit's settings.
        let out = motcua(&db.url, &["report-settings", "show", "--unit", "vinh-khe"])?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let shown = text(&out.stdout);
        for line in [
            "Cơ quan ban hành: ỦY BAN NHÂN DÂN / XÃ VĨNH KHÊ",
            "Số, ký hiệu: Số: /BC-UBND",
            "Địa danh: Vĩnh Khê",
            "Ký: TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
            "Kính gửi: Ủy ban nhân dân huyện Vĩnh Linh.",
        ] {
            assert!(shown.contains(line), "«{line}» not in\n{shown}");
        }
        let out = motcua(
            &db.url,
            &[
                "report-settings",
                "set",
                "--unit",
                "vinh-khe",
                "--signer",
                "Hoàng Thị Mai",
                "--authority",
                "deputy",
                "--signer-title",
                "PHÓ CHỦ TỊCH",
            ],
        )?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("Ký: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")
        );
        let out = motcua(
            &db.url,
            &[
                "report", "--unit", "vinh-khe", "--month", "2024-05", "--format", "html",
            ],
        )?;
        let page = text(&out.stdout);
        for needle in [
            "Hoàng Thị Mai",
            "KT. CHỦ TỊCH",
            "Vĩnh Khê, ngày 01 tháng 6 năm 2024",
            "- Như trên;",
        ] {
            assert!(
                page.contains(needle),
                "«{needle}» not in the commune's page"
            );
        }
        let out = motcua(
            &db.url,
            &[
                "report-settings",
                "set",
                "--unit",
                "vinh-khe",
                "--symbol",
                "",
            ],
        )?;
        assert!(!out.status.success());
        assert!(
            text(&out.stderr).contains("Ký hiệu: không được để trống"),
            "{}",
            text(&out.stderr)
        );

        for format in ["docx", "xlsx"] {
            let file = dir.path().join(format!("bao-cao.{format}"));
            let file_arg = file.display().to_string();
            let out = motcua(
                &db.url,
                &[&args[..], &["--format", format, "--output", &file_arg]].concat(),
            )?;
            assert!(out.status.success(), "{format}: {}", text(&out.stderr));
            assert!(
                std::fs::read(&file)?.starts_with(b"PK"),
                "{format} is a zip"
            );
            let out = motcua(&db.url, &[&args[..], &["--format", format]].concat())?;
            assert!(!out.status.success(), "{format} needs a file");
            assert!(text(&out.stderr).contains("--output"));
        }
        // Targets are configurable: with a lower e-receipt target, fewer units are below.
        let out = motcua(&db.url, &["targets", "show"])?;
        assert!(
            text(&out.stdout).contains("e_receipt_rate                90%"),
            "{}",
            text(&out.stdout)
        );
        assert!(report.contains(
            "Phòng Kinh tế và Hạ tầng: tỷ lệ phát hành biên lai điện tử 75% (chỉ tiêu 90%)"
        ));
        let out = motcua(&db.url, &["targets", "set", "e_receipt_rate=70"])?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let out = motcua(&db.url, &args)?;
        let lowered = text(&out.stdout);
        assert!(!lowered.contains("Phòng Kinh tế và Hạ tầng"), "{lowered}");
        assert!(!lowered.contains("Xã Vĩnh Lâm:"), "72,22% meets 70%");
        assert!(
            lowered.contains("Xã Vĩnh Khê: tỷ lệ số hóa đầy đủ thành phần hồ sơ đầu vào 89,47%"),
            "the other targets still apply: {lowered}"
        );
        let out = motcua(&db.url, &["targets", "set", "e_receipt=90"])?;
        assert!(!out.status.success());
        assert!(text(&out.stderr).contains("không có chỉ số «e_receipt»"));
        let out = motcua(&db.url, &["targets", "show"])?;
        assert!(
            text(&out.stdout).contains("e_receipt_rate                70%"),
            "a refused set changes nothing"
        );

        let out = motcua(
            &db.url,
            &["report", "--unit", "khong-co", "--month", "2024-05"],
        )?;
        assert!(!out.status.success());
        assert!(text(&out.stderr).contains("không có đơn vị mã «khong-co»"));
        let out = motcua(&db.url, &[&args[..], &["--format", "pdf"]].concat())?;
        assert!(!out.status.success(), "an unknown format is refused");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn verify_finds_a_damaged_aggregate_and_repairs_it() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let out = motcua(&db.url, &["import", &fixture()])?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let out = motcua(&db.url, &["verify"])?;
        assert!(
            out.status.success(),
            "{}: {}",
            db.backend,
            text(&out.stderr)
        );
        assert!(text(&out.stdout).contains("khớp"), "{}", text(&out.stdout));

        // Damage one month of one unit, as a bug or a hand edit would.
        let store = motcua_store::SqlStore::connect(&db.url).await?;
        store
            .execute_raw(
                "UPDATE agg_months SET received = received + 3
                 WHERE unit = 'vinh-khe' AND month = 2024 * 12 + 4",
            )
            .await?;
        store.close().await?;
        let out = motcua(&db.url, &["verify"])?;
        assert!(!out.status.success(), "{}", db.backend);
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains("đơn vị vinh-khe, tháng 2024-05, received: lưu")
                && text(&out.stderr).contains("motcua verify --repair"),
            "{stdout}"
        );
        let out = motcua(&db.url, &["verify", "--repair"])?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stdout).contains("Đã dựng lại"));
        let out = motcua(&db.url, &["verify"])?;
        assert!(out.status.success(), "{}", text(&out.stdout));
        Ok(())
    })
    .await
}

#[test]
fn generate_writes_the_three_files_and_says_so_in_vietnamese() -> TestResult {
    let dir = tempfile::tempdir()?;
    let out_dir = dir.path().join("bench");
    let path = out_dir.display().to_string();
    let args = [
        "generate",
        "--out",
        &path,
        "--dossiers",
        "1500",
        "--seed",
        "7",
    ];
    let out = motcua("sqlite://unused.db", &args)?;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("3.356 đơn vị"), "{said}");
    assert!(
        said.contains("34 tỉnh, thành phố, 3.321 xã, phường, đặc khu"),
        "{said}"
    );
    assert!(said.contains("1.500 hồ sơ"), "{said}");
    assert!(said.contains("Thời gian:"), "{said}");
    let first = std::fs::read(out_dir.join("dossiers.csv"))?;
    assert_eq!(
        first.iter().filter(|&&b| b == b'\n').count(),
        1 + 1500,
        "header and one line per dossier"
    );
    // Same seed, same bytes; an unknown month is refused with a message.
    let out = motcua("sqlite://unused.db", &args)?;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(out_dir.join("dossiers.csv"))?, first);
    let out = motcua(
        "sqlite://unused.db",
        &[
            "generate",
            "--out",
            &path,
            "--dossiers",
            "10",
            "--from",
            "2025-13",
        ],
    )?;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("tháng không hợp lệ"),
        "{}",
        text(&out.stderr)
    );
    Ok(())
}

#[tokio::test]
async fn close_month_freezes_may_and_shows_what_changed_afterwards() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let out = motcua(&db.url, &["import", &fixture()])?;
        assert!(out.status.success(), "{}", text(&out.stderr));

        let out = motcua(&db.url, &["close-month", "--month", "2024-05"])?;
        assert!(
            out.status.success(),
            "{}: {}",
            db.backend,
            text(&out.stderr)
        );
        assert!(
            text(&out.stdout).starts_with("Đã chốt số liệu tháng 05/2024 lúc "),
            "{}",
            text(&out.stdout)
        );

        // Once only, and never a month that has not ended.
        let out = motcua(&db.url, &["close-month", "--month", "2024-05"])?;
        assert_clean_failure(&out, "Tháng 05/2024 đã được chốt số liệu ngày");
        let out = motcua(&db.url, &["close-month", "--month", "2099-01"])?;
        assert_clean_failure(&out, "Tháng 01/2099 chưa kết thúc");
        let out = motcua(&db.url, &["close-month", "--month", "2024-13"])?;
        assert!(!out.status.success());

        // A dossier of May imported after the close.
        let dir = tempfile::tempdir()?;
        std::fs::write(
            dir.path().join("dossiers.csv"),
            "code,procedure_code,unit_code,channel,online_level,received_at,due_at,resolved_at,outcome,returned_at,components_total,components_digitized,result_digitized,fee_vnd,payment_channel,paid_at,e_receipt,source_system
HO-XA-240520-9001,9.100010,ho-xa,direct,,2024-05-20T08:00:00+07:00,2024-05-29T08:00:00+07:00,,,,2,2,,0,,,,new
",
        )?;
        let out = motcua(&db.url, &["import", &dir.path().display().to_string()])?;
        assert!(out.status.success(), "{}", text(&out.stderr));

        let args = ["indicators", "--unit", "vinh-linh", "--month", "2024-05"];
        let out = motcua(&db.url, &args)?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains("Số liệu tháng 05/2024 đã chốt ngày "),
            "{stdout}"
        );
        assert!(
            stdout.contains("có thay đổi: số hồ sơ tiếp nhận +1, số hồ sơ tiếp nhận trực tiếp và qua bưu chính +1,"),
            "{stdout}"
        );
        assert!(
            stdout.contains("Đơn vị có thay đổi: thị trấn Hồ Xá."),
            "{stdout}"
        );
        assert!(stdout.contains("Tiếp nhận 2.074 hồ sơ"), "frozen: {stdout}");

        let out = motcua(&db.url, &[&args[..], &["--json"]].concat())?;
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        assert_eq!(json["counts"]["received"], 2074);
        assert_eq!(json["closed"]["changes"]["received"], 1);
        assert_eq!(json["closed"]["changes"]["pending"], 1);
        assert_eq!(json["closed"]["live"]["counts"]["received"], 2075);
        assert_eq!(
            json["closed"]["units_changed"],
            serde_json::json!(["ho-xa"])
        );

        let out = motcua(&db.url, &["verify"])?;
        assert!(out.status.success(), "{}", text(&out.stdout));
        Ok(())
    })
    .await
}

/// After an ordinary supplement the stored appointment is the calendar's with the pause: the
/// explanation counts the pause and says nothing of an adjusted date; dates are written the
/// Vietnamese way, never as ISO timestamps.
#[tokio::test]
async fn calendar_explain_counts_the_pauses_of_a_dossier() -> TestResult {
    use motcua_core::access::Role;
    use motcua_core::lifecycle::Step;
    motcua_testkit::for_each_db(async |db| {
        let out = motcua(&db.url, &["import", &fixture()])?;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let store = motcua_store::SqlStore::connect(&db.url).await?;
        let desk = motcua_testkit::officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let specialist = motcua_testkit::officer("chuyen-vien", "ho-xa", Role::Specialist)?;
        let reception = motcua_app::desk::Reception {
            procedure: "1.001193".to_owned(),
            unit: "ho-xa".to_owned(),
            channel: motcua_core::dossier::Channel::Direct,
            online_level: None,
            components_total: 1,
            components_digitized: 0,
            fee_vnd: 0,
            applicant: Default::default(),
            request: String::new(),
            components: Vec::new(),
        };
        let at = motcua_testkit::acting;
        let h = motcua_app::desk::receive(
            &store,
            &desk,
            &reception,
            &at(&desk, "2024-05-20T08:00:00+07:00")?,
        )
        .await?;
        let code = h.dossier.code.to_string();
        for (who, step, t) in [
            (
                &specialist,
                Step::StartProcessing,
                "2024-05-20T09:00:00+07:00",
            ),
            (
                &specialist,
                Step::RequestSupplement {
                    reason: "Thiếu giấy chứng sinh".parse()?,
                },
                "2024-05-20T10:00:00+07:00",
            ),
            (
                &desk,
                Step::Supplemented { documents: vec![] },
                "2024-05-22T10:00:00+07:00",
            ),
        ] {
            motcua_app::desk::take_step(&store, who, &code, &step, &at(who, t)?).await?;
        }
        store.close().await?;
        let out = motcua(&db.url, &["calendar", "explain", "--dossier", &code])?;
        let said = text(&out.stdout);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(!said.contains("Lưu ý"), "{}: {said}", db.backend);
        assert!(!said.contains("+07:00"), "{said}");
        assert!(
            said.contains("Chờ bổ sung hồ sơ"),
            "the pause is explained: {said}"
        );
        Ok(())
    })
    .await
}

/// `motcua payments reconcile` needs the gateway's options, and with them sweeps once and
/// says what it settled (nothing pending here; the sweep's cases are the web tests').
#[test]
fn payments_reconcile_needs_a_gateway_and_reports_its_sweep() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let reconcile = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_motcua"))
            .args(["payments", "reconcile"])
            .args(args)
            .env("DATABASE_URL", &db.url)
            .env_remove("MOTCUA_VNPAY_TMN_CODE")
            .env_remove("MOTCUA_VNPAY_HASH_SECRET")
            .env_remove("MOTCUA_VNPAY_HASH_SECRET_FILE")
            .env_remove("RUST_BACKTRACE")
            .output()
    };
    let out = reconcile(&[])?;
    assert_clean_failure(&out, "--vnpay-tmn-code");
    let out = reconcile(&[
        "--vnpay-tmn-code",
        "TESTTMN1",
        "--vnpay-hash-secret",
        "bi-mat-thu-nghiem",
        "--vnpay-api-url",
        "http://127.0.0.1:9/merchant_webapi/api/transaction",
    ])?;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Đối soát: hỏi cổng thanh toán 0 giao dịch; đã thanh toán 0, không thành công 0, hết hạn 0, còn chờ 0.\n"
    );
    assert!(!text(&out.stderr).contains("bi-mat-thu-nghiem"));
    Ok(())
}
