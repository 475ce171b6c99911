//! The monthly report as files (Vĩnh Linh, May 2024), on both databases: the XLSX read back
//! with calamine carries exactly the figures of the JSON indicators (sheet "Chỉ số") and the
//! table of results by field adds up (sheet "Biểu 06"); the DOCX is a package whose
//! document holds the title, the national title, "BÁO CÁO", Times New Roman and the figures.
//!
//! A second test renders the DOCX with LibreOffice (PDF, then page 1 as PNG with pdftoppm) and
//! leaves the files in `$MOTCUA_ARTIFACTS/report/` (default `target/artifacts/report/`).
//! Without LibreOffice it prints a notice and passes, unless `MOTCUA_REPORT_TESTS=required`
//! (as `.ci/run` sets), where it fails.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use calamine::{Data, Range, Reader, Xlsx};
use motcua_core::counts::{CountId, Counts};
use motcua_core::indicators::IndicatorReport;
use motcua_core::letterhead::Letterhead;
use motcua_core::rates::{Rate, RateId};
use motcua_core::report::Narrative;
use motcua_report::LevelRows;
use motcua_store::SqlStore;

type TestResult = Result<(), Box<dyn std::error::Error>>;

struct Files {
    report: IndicatorReport,
    narrative: Narrative,
    letterhead: Letterhead,
    levels: Vec<LevelRows>,
    docx: Vec<u8>,
    xlsx: Vec<u8>,
}

/// The fixture imported into `url`, and the report of Vĩnh Linh for May 2024 as files.
async fn files(url: &str) -> Result<Files, Box<dyn std::error::Error>> {
    let store = SqlStore::connect(url).await?;
    motcua_app::import_dir(
        &store,
        &motcua_testkit::vinh_linh(),
        &motcua_testkit::ctx("test", motcua_testkit::after_fixture()),
    )
    .await?;
    let month = "2024-05".parse()?;
    let date = time::macros::date!(2024 - 06 - 05);
    let r = motcua_app::monthly_report(&store, "vinh-linh", month, date).await?;
    let levels = motcua_app::report_by_field(&store, "vinh-linh", month).await?;
    let docx = motcua_report::docx(&r.narrative, &r.letterhead)?;
    let xlsx = motcua_report::xlsx(&r.indicators, &levels, &r.letterhead)?;
    Ok(Files {
        report: r.indicators,
        narrative: r.narrative,
        letterhead: r.letterhead,
        levels,
        docx,
        xlsx,
    })
}

/// A cell as a number: empty cells are `None`.
fn number(sheet: &Range<Data>, row: u32, col: u32) -> Option<f64> {
    match sheet.get_value((row, col)) {
        Some(Data::Float(v)) => Some(*v),
        Some(Data::Int(v)) => Some(*v as f64),
        Some(Data::Empty) | None => None,
        Some(other) => panic!("({row}, {col}): {other:?} is not a number"),
    }
}

fn text(sheet: &Range<Data>, row: u32, col: u32) -> String {
    match sheet.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => format!("{other:?}"),
    }
}

/// Asserts that a cell shows `rate` in percent to two decimals (empty when undefined).
fn assert_percent(sheet: &Range<Data>, row: u32, col: u32, rate: &Rate) {
    let cell = number(sheet, row, col);
    match rate.value {
        None => assert_eq!(cell, None, "({row}, {col})"),
        Some(v) => {
            let cell = cell.unwrap_or_else(|| panic!("({row}, {col}) is empty, expected {v}"));
            assert!(
                (cell - v).abs() <= 0.005 + 1e-9,
                "({row}, {col}): {cell} vs {v}"
            );
        }
    }
}

/// The 13 columns of Biểu 06 from (3) on, as the contract defines them from the counts.
fn form_06(c: &Counts) -> [u64; 11] {
    [
        c.received + c.carried_over,
        c.received_online,
        c.received_direct,
        c.carried_over,
        c.resolved,
        c.resolved_early,
        c.resolved_on_time,
        c.resolved_late,
        c.pending,
        c.pending_within_due,
        c.pending_overdue,
    ]
}

fn check_xlsx(f: &Files) -> TestResult {
    let mut book = Xlsx::new(Cursor::new(f.xlsx.clone()))?;
    assert_eq!(book.sheet_names(), ["Chỉ số", "Biểu 06"]);

    // Sheet 1: the scope, then each leaf unit; every rate (month, previous, change) and count.
    let sheet = book.worksheet_range("Chỉ số")?;
    assert_eq!(
        text(&sheet, 0, 0),
        "CHỈ SỐ KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THÁNG 5/2024"
    );
    assert_eq!(
        text(&sheet, 1, 0),
        "Đơn vị: Huyện Vĩnh Linh. Kỳ báo cáo: tháng 5/2024 (từ ngày 01/05/2024 đến ngày 31/05/2024)."
    );
    assert_eq!(text(&sheet, 3, 0), "Đơn vị");
    assert_eq!(text(&sheet, 3, 1), RateId::OnlineFull.name_vi());
    let first_count = 1 + 3 * RateId::ALL.len() as u32;
    let rows = std::iter::once((
        format!("Toàn huyện {}", f.report.unit_short_name),
        &f.report.counts,
        &f.report.rates,
        &f.report.previous.rates,
    ))
    .chain(
        f.report
            .units
            .iter()
            .map(|u| (u.name.clone(), &u.counts, &u.rates, &u.previous.rates)),
    );
    let mut checked = 0;
    for (i, (name, counts, rates, previous)) in rows.enumerate() {
        let row = 5 + i as u32;
        assert_eq!(text(&sheet, row, 0), name);
        for (k, id) in RateId::ALL.iter().enumerate() {
            let col = 1 + 3 * k as u32;
            assert_percent(&sheet, row, col, rates.get(*id));
            assert_percent(&sheet, row, col + 1, previous.get(*id));
            let (now, then) = (rates.get(*id), previous.get(*id));
            let change = number(&sheet, row, col + 2);
            match (now.value, then.value) {
                (Some(a), Some(b)) => {
                    let c = change.ok_or("change missing")?;
                    assert!((c - (a - b)).abs() <= 0.005 + 1e-9, "{name} {id:?}: {c}");
                }
                _ => assert_eq!(change, None, "{name} {id:?}"),
            }
        }
        let json = serde_json::to_value(counts)?;
        for (j, c) in CountId::ALL.iter().enumerate() {
            let col = first_count + j as u32;
            assert_eq!(text(&sheet, 4, col), c.heading_vi());
            let expected = json[c.id()].as_u64().ok_or(c.id())?;
            assert_eq!(
                number(&sheet, row, col),
                Some(expected as f64),
                "{name} {}",
                c.id()
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 1 + f.report.units.len());
    assert_eq!(f.report.units.len(), 24, "the fixture's leaf units");

    // The figures of the article are on the scope's row.
    let scope_row = 5;
    assert_eq!(number(&sheet, scope_row, first_count), Some(2074.0));
    assert_eq!(number(&sheet, scope_row, 1), Some(33.8));

    // Sheet 2: the form's heading, the rows by level and field, their identities, and a
    // total equal to the scope's counts.
    let sheet = book.worksheet_range("Biểu 06")?;
    assert_eq!(text(&sheet, 0, 10), "Đơn vị báo cáo: Huyện Vĩnh Linh");
    assert_eq!(text(&sheet, 1, 10), "Đơn vị nhận báo cáo: …");
    assert_eq!(
        text(&sheet, 1, 2),
        "(Kỳ báo cáo: tháng 5/2024, từ ngày 01/05/2024 đến ngày 31/05/2024)"
    );
    for col in 0..13 {
        assert_eq!(text(&sheet, 6, col), format!("({})", col + 1));
    }
    assert_eq!(text(&sheet, 3, 2), "Số hồ sơ nhận giải quyết");
    assert_eq!(text(&sheet, 3, 6), "Số hồ sơ đã giải quyết");
    assert_eq!(text(&sheet, 3, 10), "Số hồ sơ đang giải quyết");
    for col in [2, 6, 10] {
        assert_eq!(text(&sheet, 4, col), "Tổng số");
        assert_eq!(text(&sheet, 4, col + 1), "Trong đó");
    }
    let levels: Vec<&str> = f.levels.iter().map(|l| l.level.as_str()).collect();
    assert_eq!(levels, ["Cấp huyện", "Cấp xã"]);
    let n = |row: u32, col: u32| number(&sheet, row, col).unwrap_or(0.0) as u64;
    let mut row = 7;
    for (l, level) in f.levels.iter().enumerate() {
        assert_eq!(text(&sheet, row, 0), ["I", "II"][l]);
        assert_eq!(text(&sheet, row, 1), level.level);
        let level_row = row;
        row += 1;
        let mut sums = [0u64; 12];
        for (i, field) in level.rows.iter().enumerate() {
            assert_eq!(text(&sheet, row, 0), (i + 1).to_string());
            assert_eq!(text(&sheet, row, 1), field.field);
            for (k, sum) in sums.iter_mut().enumerate() {
                *sum += n(row, 2 + k as u32);
            }
            row += 1;
        }
        let subtotal: Vec<u64> = (2..14).map(|col| n(level_row, col)).collect();
        assert_eq!(
            subtotal, sums,
            "{}: the fields add up to the level",
            level.level
        );
        // "Khác" closes each level's list.
        if let Some(at) = level.rows.iter().position(|r| r.field == "Khác") {
            assert_eq!(at, level.rows.len() - 1, "{}", level.level);
        }
    }
    let total_row = row;
    assert_eq!(text(&sheet, total_row, 1), "Tổng cộng");
    for row in 7..=total_row {
        let withdrawn = n(row, 13);
        let name = text(&sheet, row, 1);
        assert_eq!(
            n(row, 2),
            n(row, 3) + n(row, 4) + n(row, 5),
            "{name}: (3) = (4)+(5)+(6)"
        );
        assert_eq!(
            n(row, 6),
            n(row, 7) + n(row, 8) + n(row, 9),
            "{name}: (7) = (8)+(9)+(10)"
        );
        assert_eq!(
            n(row, 10),
            n(row, 11) + n(row, 12),
            "{name}: (11) = (12)+(13)"
        );
        assert_eq!(
            n(row, 2),
            n(row, 6) + n(row, 10) + withdrawn,
            "{name}: (3) = (7)+(11)+rút"
        );
    }
    let totals: Vec<u64> = (2..13).map(|col| n(total_row, col)).collect();
    assert_eq!(totals, form_06(&f.report.counts));
    assert_eq!(n(total_row, 13), f.report.counts.withdrawn);

    // Rates as the report writes them (General on the rounded value: 33,8, not 33,80), both
    // sheets printed A4 landscape with their headings repeated: "Chỉ số" at a fixed scale
    // with a page break before every few rates and counts, "Biểu 06" one page wide; the
    // document's properties name motcua and the report's date.
    let styles = zip_entry(&f.xlsx, "xl/styles.xml")?;
    assert!(!styles.contains("0.00"), "{styles}");
    let needles: [(&str, &[&str]); 2] = [
        (
            "xl/worksheets/sheet1.xml",
            &[
                "paperSize=\"9\"",
                "orientation=\"landscape\"",
                "scale=\"",
                "<colBreaks",
            ],
        ),
        (
            "xl/worksheets/sheet2.xml",
            &[
                "<pageSetUpPr fitToPage=\"1\"/>",
                "paperSize=\"9\"",
                "orientation=\"landscape\"",
                "fitToHeight=\"0\"",
            ],
        ),
    ];
    for (sheet, wanted) in needles {
        let xml = zip_entry(&f.xlsx, sheet)?;
        for needle in wanted {
            assert!(
                xml.contains(needle),
                "{sheet}: «{needle}» not in {xml:.2000}"
            );
        }
    }
    // A break before each page's first column: after every RATES_PER_PAGE rates (three
    // columns each) but the first page, and before every COUNTS_PER_PAGE counts.
    let sheet1 = zip_entry(&f.xlsx, "xl/worksheets/sheet1.xml")?;
    let rate_pages = RateId::ALL.len().div_ceil(motcua_report::RATES_PER_PAGE);
    let count_pages = CountId::ALL.len().div_ceil(motcua_report::COUNTS_PER_PAGE);
    let breaks = sheet1.matches("<brk ").count();
    assert_eq!(breaks, rate_pages - 1 + count_pages, "{sheet1:.3000}");
    let workbook = zip_entry(&f.xlsx, "xl/workbook.xml")?;
    assert!(
        workbook.contains("'Chỉ số'!$A:$A,'Chỉ số'!$4:$5"),
        "{workbook}"
    );
    assert!(workbook.contains("'Biểu 06'!$4:$7"), "{workbook}");
    let core = zip_entry(&f.xlsx, "docProps/core.xml")?;
    assert!(core.contains("<dc:creator>motcua</dc:creator>"), "{core}");
    assert!(core.contains("2024-06-05T00:00:00Z"), "{core}");
    Ok(())
}

fn zip_entry(bytes: &[u8], name: &str) -> Result<String, Box<dyn std::error::Error>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut out = String::new();
    zip.by_name(name)?.read_to_string(&mut out)?;
    Ok(out)
}

fn check_docx(f: &Files) -> TestResult {
    // The subject keeps the scope on one line with no-break spaces.
    let document = zip_entry(&f.docx, "word/document.xml")?.replace('\u{a0}', " ");
    for needle in [
        f.narrative.title.as_str(),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "ỦY BAN NHÂN DÂN",
        "HUYỆN VĨNH LINH",
        "/BC-UBND",
        "Vĩnh Linh, ngày 05 tháng 6 năm 2024",
        "Times New Roman",
        "33,8%",
        "quá hạn 1 hồ sơ ở xã Vĩnh Khê",
        "Nơi nhận:",
        "- Các phòng chuyên môn;",
        "- UBND các xã, thị trấn;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        // A4, margins 20/20/30/15 mm, no page number on page 1.
        r#"w:w="11906""#,
        r#"w:h="16838""#,
        r#"w:top="1134""#,
        r#"w:left="1701""#,
        r#"w:right="850""#,
        "w:titlePg",
    ] {
        assert!(
            document.contains(needle),
            "«{needle}» not in word/document.xml"
        );
    }
    // A People's Committee prints no parent body, and its report, addressed to no one, no
    // "Như trên".
    assert!(!document.contains("UBND HUYỆN VĨNH LINH"));
    assert!(!document.contains("Như trên"));
    // Every section heading and paragraph, in order.
    let mut at = 0;
    for s in &f.narrative.sections {
        for p in std::iter::once(&s.heading).chain(&s.paragraphs) {
            let found = document[at..]
                .find(p.as_str())
                .ok_or_else(|| format!("«{p}» missing or out of order"))?;
            at += found;
        }
    }
    // The page number field is in a header.
    let headers: Vec<String> = (1..=2)
        .filter_map(|i| zip_entry(&f.docx, &format!("word/header{i}.xml")).ok())
        .collect();
    assert!(headers.iter().any(|h| h.contains("PAGE")), "{headers:?}");
    Ok(())
}

#[tokio::test]
async fn the_report_files_carry_the_figures_of_the_indicators() -> TestResult {
    let mut first: Option<(Vec<u8>, Vec<u8>)> = None;
    motcua_testkit::for_each_db(async |db| {
        let f = files(&db.url).await?;
        check_xlsx(&f).map_err(|e| format!("{}: XLSX: {e}", db.backend))?;
        check_docx(&f).map_err(|e| format!("{}: DOCX: {e}", db.backend))?;
        // The same values give the same bytes (nothing reads the clock), whatever the
        // database they were read from.
        let xlsx = motcua_report::xlsx(&f.report, &f.levels, &f.letterhead)?;
        assert!(
            xlsx == f.xlsx,
            "{}: the XLSX is not reproducible",
            db.backend
        );
        let docx = motcua_report::docx(&f.narrative, &f.letterhead)?;
        assert!(
            docx == f.docx,
            "{}: the DOCX is not reproducible",
            db.backend
        );
        match &first {
            None => first = Some((f.xlsx, f.docx)),
            Some((x, d)) => {
                assert!(*x == f.xlsx && *d == f.docx, "{}: other bytes", db.backend);
            }
        }
        Ok(())
    })
    .await
}

/// Where rendered files go: `$MOTCUA_ARTIFACTS/report/`, else
/// `<workspace>/target/artifacts/report/`.
fn artifacts_dir() -> PathBuf {
    match std::env::var_os("MOTCUA_ARTIFACTS").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir).join("report"),
        None => {
            let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
            let workspace = crate_dir.ancestors().nth(2).unwrap_or(crate_dir);
            workspace.join("target/artifacts/report")
        }
    }
}

fn required() -> bool {
    std::env::var("MOTCUA_REPORT_TESTS").is_ok_and(|v| v.trim() == "required")
}

fn libreoffice() -> Option<PathBuf> {
    ["/usr/bin/libreoffice", "/usr/bin/soffice"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
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

fn pdf_text(pdf: &Path, page: u32) -> Result<String, Box<dyn std::error::Error>> {
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()?;
    Ok(String::from_utf8(out.stdout)?)
}

#[tokio::test]
async fn the_docx_renders_in_libreoffice() -> TestResult {
    let missing = match libreoffice() {
        None => Some("LibreOffice (libreoffice-writer-nogui) is not installed"),
        Some(_) if !Path::new("/usr/bin/pdftoppm").exists() => {
            Some("pdftoppm (poppler-utils) is not installed")
        }
        Some(_) => None,
    };
    if let Some(msg) = missing {
        if required() {
            return Err(format!("MOTCUA_REPORT_TESTS=required, but {msg}").into());
        }
        // Straight to stderr: the test harness captures `eprintln!` of passing tests.
        let _ = writeln!(
            std::io::stderr(),
            "NOTICE: LibreOffice rendering test skipped ({msg}; MOTCUA_REPORT_TESTS=required makes this a failure)"
        );
        return Ok(());
    }
    let soffice = libreoffice().ok_or("libreoffice")?;

    let db = motcua_testkit::sqlite_db();
    let f = files(&db.url).await?;
    let out = artifacts_dir();
    std::fs::create_dir_all(&out)?;
    let docx = out.join("bao-cao-vinh-linh-2024-05.docx");
    std::fs::write(&docx, &f.docx)?;
    std::fs::write(out.join("chi-so-vinh-linh-2024-05.xlsx"), &f.xlsx)?;

    // A private profile: parallel runs (and a user's own LibreOffice) do not clash.
    let profile = tempfile::tempdir()?;
    let started = Instant::now();
    run(Command::new(&soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&out)
        .arg(&docx))?;
    let converted = started.elapsed();
    let pdf = docx.with_extension("pdf");
    assert!(pdf.exists(), "{} was not written", pdf.display());
    run(Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(out.join("bao-cao-vinh-linh-2024-05-trang-1")))?;
    run(Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-f", "2", "-l", "2", "-singlefile"])
        .arg(&pdf)
        .arg(out.join("bao-cao-vinh-linh-2024-05-trang-2")))?;

    // The text survives the rendering with its diacritics; page 1 has no page number, page 2
    // opens with its number.
    let page1 = pdf_text(&pdf, 1)?;
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "HUYỆN VĨNH LINH",
        "BÁO CÁO",
        "Vĩnh Linh, ngày 05 tháng 6 năm 2024",
        "33,8%",
    ] {
        assert!(page1.contains(needle), "«{needle}» not on page 1:\n{page1}");
    }
    // Every glyph comes from Times New Roman or its metric twin: a letter missing from the
    // font (fonts-liberation 1.x lacks most Vietnamese ones) would fall back to another.
    let fonts = Command::new("pdffonts").arg(&pdf).output()?;
    let fonts = String::from_utf8(fonts.stdout)?;
    for line in fonts.lines().skip(2) {
        assert!(
            line.contains("LiberationSerif") || line.contains("TimesNewRoman"),
            "a font other than Times New Roman in the PDF (install fonts-liberation2): {line}"
        );
    }
    let page2 = pdf_text(&pdf, 2)?;
    assert_eq!(
        page2.split_whitespace().next(),
        Some("2"),
        "page 2:\n{page2}"
    );
    assert!(!page1.trim_start().starts_with('1'), "page 1:\n{page1}");

    let _ = writeln!(
        std::io::stderr(),
        "report rendered in {:.1} s (LibreOffice {:.1} s): {}",
        started.elapsed().as_secs_f64(),
        converted.as_secs_f64(),
        out.display()
    );
    Ok(())
}
