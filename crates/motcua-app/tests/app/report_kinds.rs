//! The report of each kind of unit — a province, a district, a commune, a department — as
//! Decree 30/2020 lays it out (Appendix I; `docs/research/regulations.md` §8): golden
//! snapshots of the DOCX's paragraphs (text with size, bold and italic) and of the HTML page,
//! on both databases; each unit's report settings stored, read back and refused when wrong.
//!
//! `the_reports_of_every_kind_render` renders every DOCX and XLSX with LibreOffice and every
//! HTML page with Chromium (print to PDF), then page 1 of each to PNG with pdftoppm, into
//! `$MOTCUA_ARTIFACTS/report/kinds/` (default `target/artifacts/report/kinds/`), and checks
//! that neither the national title nor the motto wraps. Without those programs it prints a
//! notice and passes, unless `MOTCUA_REPORT_TESTS=required` (as `.ci/run` sets).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use motcua_app::MonthlyReport;
use motcua_core::counts::CountId;
use motcua_core::letterhead::Authority;
use motcua_core::rates::RateId;
use motcua_store::SqlStore;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The kinds, by the unit that shows each in the fixture (with a province above it).
const KINDS: [(&str, &str); 4] = [
    ("province", "quang-tri"),
    ("district", "vinh-linh"),
    ("commune", "vinh-khe"),
    ("department", "vinh-linh.tu-phap"),
];

/// The fixture under a province: Quảng Trị above Vĩnh Linh (a move, allowed here).
async fn store_with_province(url: &str) -> Result<SqlStore, Box<dyn std::error::Error>> {
    let store = SqlStore::connect(url).await?;
    let ctx = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
    motcua_app::import_dir(&store, &motcua_testkit::vinh_linh(), &ctx).await?;
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("units.csv"),
        "code,name,short_name,kind,label,parent_code\n\
         quang-tri,UBND tỉnh Quảng Trị,Quảng Trị,province,tỉnh,\n\
         vinh-linh,UBND huyện Vĩnh Linh,Vĩnh Linh,district,huyện,quang-tri\n",
    )?;
    motcua_app::import_dir_with(&store, dir.path(), &ctx, true).await?;
    // The district's chairman is away: a vice-chairman signs for him.
    let mut district = motcua_app::report_settings(&store, "vinh-linh").await?;
    district.authority = Authority::Deputy;
    district.signer_title = Some("PHÓ CHỦ TỊCH".to_owned());
    district.signer = "Lê Văn Bình".to_owned();
    motcua_app::set_report_settings(&store, "vinh-linh", &district, &ctx).await?;
    let mut commune = motcua_app::report_settings(&store, "vinh-khe").await?;
    commune.signer = "Hoàng Thị Mai".to_owned();
    motcua_app::set_report_settings(&store, "vinh-khe", &commune, &ctx).await?;
    Ok(store)
}

async fn report_of(
    store: &SqlStore,
    unit: &str,
) -> Result<MonthlyReport, Box<dyn std::error::Error>> {
    let month = "2024-05".parse()?;
    let date = motcua_app::report_date(month, None, motcua_testkit::after_fixture())?;
    Ok(motcua_app::monthly_report(store, unit, month, date).await?)
}

fn zip_entry(bytes: &[u8], name: &str) -> Result<String, Box<dyn std::error::Error>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut out = String::new();
    zip.by_name(name)?.read_to_string(&mut out)?;
    Ok(out)
}

/// The text between `open` (a tag's start, up to its `>`) and `close`, for each occurrence.
fn elements<'a>(xml: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find(open) {
        let after = &rest[at + open.len()..];
        // `<w:p>` or `<w:p …>`, never `<w:pPr>`.
        if !after.starts_with('>') && !after.starts_with(' ') {
            rest = after;
            continue;
        }
        let Some(end) = after.find(close) else { break };
        out.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    out
}

/// The DOCX's paragraphs as people check them against the decree: one line each, its runs
/// as `[size b i] text` (size in points), empty paragraphs as `·`, and the tables' cells
/// marked.
fn docx_lines(docx: &[u8]) -> Result<String, Box<dyn std::error::Error>> {
    let xml = zip_entry(docx, "word/document.xml")?;
    let mut out = String::new();
    for cell in xml.split("<w:tc>").enumerate() {
        if cell.0 > 0 {
            out.push_str("--- cell\n");
        }
        for p in elements(cell.1, "<w:p", "</w:p>") {
            let mut line = String::new();
            for r in elements(p, "<w:r", "</w:r>") {
                let text: String = elements(r, "<w:t", "</w:t>")
                    .iter()
                    .map(|t| t.split_once('>').map_or(*t, |(_, t)| t))
                    .collect();
                if text.is_empty() {
                    continue;
                }
                let size = r
                    .split("<w:sz w:val=\"")
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .and_then(|s| s.parse::<f32>().ok())
                    .map_or("?".to_owned(), |h| format!("{}", h / 2.0));
                let b = if r.contains("<w:b />") { " b" } else { "" };
                let i = if r.contains("<w:i />") { " i" } else { "" };
                line.push_str(&format!("[{size}{b}{i}] {}", text.replace('\u{a0}', " ")));
            }
            if p.contains("PAGE") {
                line.push_str("{PAGE}");
            }
            out.push_str(if line.is_empty() { "·" } else { &line });
            out.push('\n');
        }
    }
    Ok(out)
}

/// The HTML page from the letterhead on (the shared print layout's styles are left out).
fn html_body(html: &str) -> &str {
    html.find("<header class=\"letterhead\">")
        .map_or(html, |at| &html[at..])
}

#[tokio::test]
async fn each_kind_of_unit_has_its_own_letterhead() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = store_with_province(&db.url).await?;
        for (kind, unit) in KINDS {
            let r = report_of(&store, unit).await?;
            let docx = motcua_report::docx(&r.narrative, &r.letterhead)?;
            insta::assert_snapshot!(format!("docx_{kind}"), docx_lines(&docx)?);
            let html = motcua_report::html(&r.narrative, &r.letterhead)?;
            insta::assert_snapshot!(format!("html_{kind}"), html_body(&html));
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn report_settings_are_stored_per_unit_and_checked() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = store_with_province(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
        let district = motcua_app::report_settings(&store, "vinh-linh").await?;
        assert_eq!(district.signer, "Lê Văn Bình", "{}", db.backend);
        assert_eq!(
            district.signature_lines(),
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
        );
        // Another unit keeps the defaults of its kind.
        let department = motcua_app::report_settings(&store, "vinh-linh.ldtbxh").await?;
        assert_eq!(department.symbol, "BC-LĐTBXH");
        assert_eq!(
            department.parent_body.as_deref(),
            Some("UBND HUYỆN VĨNH LINH")
        );
        assert_eq!(department.place, "Vĩnh Linh");
        assert!(department.signer.is_empty());

        // Everything wrong is said at once, and nothing is stored.
        let mut wrong = district.clone();
        wrong.symbol = " ".to_owned();
        wrong.place = String::new();
        wrong.signer = "Lê\u{7}Văn".to_owned();
        let e = motcua_app::set_report_settings(&store, "vinh-linh", &wrong, &ctx)
            .await
            .unwrap_err()
            .to_string();
        for field in ["Ký hiệu", "Địa danh", "Người ký"] {
            assert!(e.contains(field), "{field}: {e}");
        }
        assert_eq!(
            motcua_app::report_settings(&store, "vinh-linh").await?,
            district
        );
        assert!(
            motcua_app::report_settings(&store, "nowhere")
                .await
                .is_err()
        );
        Ok(())
    })
    .await
}

/// Where rendered files go: `$MOTCUA_ARTIFACTS/report/kinds/`, else
/// `<workspace>/target/artifacts/report/kinds/`.
fn artifacts_dir() -> PathBuf {
    let base = match std::env::var_os("MOTCUA_ARTIFACTS").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => {
            let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
            crate_dir
                .ancestors()
                .nth(2)
                .unwrap_or(crate_dir)
                .join("target/artifacts")
        }
    };
    base.join("report/kinds")
}

fn run(cmd: &mut Command) -> TestResult {
    let out = cmd.output()?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?}: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}

fn first_existing(paths: &[&str]) -> Option<PathBuf> {
    paths.iter().map(PathBuf::from).find(|p| p.exists())
}

/// Page 1 of `pdf` as `png` (without its extension), and its text laid out.
fn page_one(pdf: &Path, png: &Path) -> Result<String, Box<dyn std::error::Error>> {
    run(Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(png))?;
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg("-")
        .output()?;
    Ok(String::from_utf8(out.stdout)?)
}

fn page_text(pdf: &Path, page: usize) -> Result<String, Box<dyn std::error::Error>> {
    let page = page.to_string();
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &page, "-l", &page])
        .arg(pdf)
        .arg("-")
        .output()?;
    Ok(String::from_utf8(out.stdout)?)
}

fn pages(pdf: &Path) -> Result<u32, Box<dyn std::error::Error>> {
    let out = Command::new("pdfinfo").arg(pdf).output()?;
    let info = String::from_utf8(out.stdout)?;
    Ok(info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .ok_or("no page count")?)
}

/// The national title and the motto each on one line of the page.
fn assert_emblem_on_one_line(text: &str, what: &str) {
    for line in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ] {
        assert!(
            text.contains(line),
            "{what}: «{line}» wraps or is missing:\n{text}"
        );
    }
}

#[tokio::test]
async fn the_reports_of_every_kind_render() -> TestResult {
    let soffice = first_existing(&["/usr/bin/libreoffice", "/usr/bin/soffice"]);
    let chromium = first_existing(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
    let missing = if soffice.is_none() {
        Some("LibreOffice (libreoffice-writer-nogui, libreoffice-calc-nogui) is not installed")
    } else if chromium.is_none() {
        Some("Chromium is not installed")
    } else if !Path::new("/usr/bin/pdftoppm").exists() {
        Some("pdftoppm (poppler-utils) is not installed")
    } else {
        None
    };
    if let Some(msg) = missing {
        if std::env::var("MOTCUA_REPORT_TESTS").is_ok_and(|v| v.trim() == "required") {
            return Err(format!("MOTCUA_REPORT_TESTS=required, but {msg}").into());
        }
        let _ = writeln!(
            std::io::stderr(),
            "NOTICE: report rendering of every unit kind skipped ({msg}; MOTCUA_REPORT_TESTS=required makes this a failure)"
        );
        return Ok(());
    }
    let (soffice, chromium) = (soffice.ok_or("soffice")?, chromium.ok_or("chromium")?);
    let db = motcua_testkit::sqlite_db();
    let store = store_with_province(&db.url).await?;
    let out = artifacts_dir();
    std::fs::create_dir_all(&out)?;
    let profile = tempfile::tempdir()?;
    let mut office_files = Vec::new();
    for (kind, unit) in KINDS {
        let r = report_of(&store, unit).await?;
        let docx = out.join(format!("{kind}-bao-cao.docx"));
        std::fs::write(&docx, motcua_report::docx(&r.narrative, &r.letterhead)?)?;
        let xlsx = out.join(format!("{kind}-chi-so.xlsx"));
        std::fs::write(&xlsx, motcua_app::report_file(&store, &r, true).await?)?;
        office_files.push(docx);
        office_files.push(xlsx);
        let html = out.join(format!("{kind}-bao-cao.html"));
        std::fs::write(&html, motcua_report::html(&r.narrative, &r.letterhead)?)?;
        let pdf = out.join(format!("{kind}-bao-cao-html.pdf"));
        run(Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
            ])
            .arg(format!(
                "--user-data-dir={}",
                profile.path().join("chromium").display()
            ))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", html.display())))?;
        let text = page_one(&pdf, &out.join(format!("{kind}-bao-cao-html")))?;
        assert_emblem_on_one_line(&text, &format!("{kind}: HTML"));
        assert!(
            text.contains(&r.letterhead.place_date),
            "{kind}: HTML:\n{text}"
        );
    }
    // One LibreOffice for all the files: it starts once.
    run(Command::new(&soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().join("office").display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&out)
        .args(&office_files))?;
    for file in &office_files {
        let pdf = file.with_extension("pdf");
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or("file name")?
            .replace('.', "-");
        let text = page_one(&pdf, &out.join(&name))?;
        if name.ends_with("docx") {
            assert_emblem_on_one_line(&text, &name);
        } else {
            // "Chỉ số" on pages of a few rates, then of a few counts, each page with every
            // unit's row (the units' column repeated) and its headings; "Biểu 06" on one page.
            let indicator_pages = RateId::ALL.len().div_ceil(motcua_report::RATES_PER_PAGE)
                + CountId::ALL.len().div_ceil(motcua_report::COUNTS_PER_PAGE);
            assert_eq!(pages(&pdf)?, indicator_pages as u32 + 1, "{name}");
            assert!(
                text.contains("CHỈ SỐ KẾT QUẢ GIẢI QUYẾT"),
                "{name}:\n{text}"
            );
            for page in 1..=indicator_pages {
                let text = page_text(&pdf, page)?;
                assert!(text.contains("Đơn vị"), "{name} page {page}:\n{text}");
                assert!(text.contains("Toàn "), "{name} page {page}:\n{text}");
                let heading = if page <= RateId::ALL.len().div_ceil(motcua_report::RATES_PER_PAGE) {
                    "Thay đổi"
                } else {
                    "Số hồ sơ tháng"
                };
                assert!(text.contains(heading), "{name} page {page}:\n{text}");
            }
        }
    }
    let _ = writeln!(std::io::stderr(), "reports rendered: {}", out.display());
    Ok(())
}
