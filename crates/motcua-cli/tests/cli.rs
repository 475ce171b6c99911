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
    for db in motcua_testkit::test_databases().await {
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
    }
    Ok(())
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

#[test]
fn the_demo_copy_matches_the_shared_fixture() -> TestResult {
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/vinh-linh-2024");
    for name in ["units.csv", "procedures.csv", "dossiers.csv"] {
        let shared = std::fs::read(motcua_testkit::vinh_linh().join(name))?;
        let copy = std::fs::read(demo.join(name))?;
        assert!(
            shared == copy,
            "demo/vinh-linh-2024/{name} differs from the shared fixture"
        );
    }
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
            addr = rest.split('/').next().map(str::to_owned);
            break;
        }
    }
    let result = (|| -> TestResult {
        let addr = addr.ok_or_else(|| format!("no address in: {banner}"))?;
        assert!(banner.contains("3794"), "{banner}");
        let health = http_get(&addr, "/health")?;
        assert!(
            health.starts_with("HTTP/1.0 200") || health.starts_with("HTTP/1.1 200"),
            "{health}"
        );
        let page = http_get(&addr, "/?unit=vinh-linh&month=2024-05")?;
        assert!(
            page.contains("33,8%") && page.contains("tăng 8,8"),
            "{page}"
        );
        Ok(())
    })();
    // Ctrl-C, as a person stops the demo: it shuts down and removes its temporary database.
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait()?;
    assert!(status.success(), "demo exit: {status}");
    result
}

#[tokio::test]
async fn calendar_explain_show_export_and_set() -> TestResult {
    for db in motcua_testkit::test_databases().await {
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
    }
    Ok(())
}
