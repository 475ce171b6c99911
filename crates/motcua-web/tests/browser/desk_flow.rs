//! The life of one dossier across the desk: a reception officer of a commune receives a birth
//! registration found without diacritics, with the scan of a component, scans the other from
//! the dossier's page, prints the receipt-and-appointment slip (QR code) and hands it to the
//! unit's specialist; the specialist finds it in their queue, asks for a supplement (its slip
//! in the middle), the desk receives the supplement with a document, the specialist proposes
//! the result and the leader approves it from the approval queue; the desk records the
//! payment, issues the e-receipt and returns the result to a named collector; the dashboard of
//! the month counts it (received, resolved, inputs digitized, e-receipts). And the district's
//! dashboard of May 2024 clicked through.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::WAIT;

use crate::common::{self, Error, TestResult};
use crate::gestures::*;
use crate::harness::Browser;
use motcua_core::Timestamp;
use thirtyfour::prelude::*;

const RECEPTION: &str = "khe-reception";
const SPECIALIST: &str = "khe-specialist";
/// Vĩnh Khê's leader (created by the test).
pub const LEADER: &str = "khe-leader";
const UNIT: &str = "vinh-khe";
/// "Đăng ký khai sinh", offered by every commune.
const BIRTH_REGISTRATION: &str = "1.001193";

/// The current month at the legal time zone, as the dashboard takes it (`2026-11`).
fn this_month() -> Result<String, Error> {
    let today = Timestamp::from_datetime(time::OffsetDateTime::now_utc())?.local_date();
    Ok(format!(
        "{:04}-{:02}",
        today.year(),
        u8::from(today.month())
    ))
}

pub async fn flow(b: &Browser, scans: &Path) -> TestResult {
    let month = this_month()?;
    let db = b.prefix.as_str();
    // A scan of the declaration, as a scanner would save it.
    let scan = scans.join("to-khai-khai-sinh.pdf");
    std::fs::write(&scan, common::PDF)?;

    // The desk signs in and reads the month's figures before anything happens.
    b.goto("/login").await?;
    b.shot("login").await?;
    sign_in(b, RECEPTION).await?;
    b.shot("home").await?;
    let (received_before, resolved_before) = dashboard(b, UNIT, &month).await?;
    b.shot("dashboard-before").await?;

    // Reception: "khai sinh", typed without diacritics, finds "Đăng ký khai sinh" as the
    // clerk types; Enter picks it and fills the checklist from its components.
    b.goto("/desk").await?;
    b.text("summary").await?;
    b.shot("worklist").await?;
    b.click("a.button[href=\"/desk/new\"]").await?;
    b.shot("reception-form").await?;
    let offered = search_procedure(b, "khai sinh").await?;
    assert!(
        offered.iter().any(|o| o.contains("Đăng ký khai sinh")),
        "{db}: {offered:?}"
    );
    assert!(
        !offered.iter().any(|o| o.contains("kết hôn")),
        "{db}: only matches are offered: {offered:?}"
    );
    let none = search_procedure(b, "khong co thu tuc nay").await?;
    assert_eq!(none, ["Không tìm thấy thủ tục nào"], "{db}");
    search_procedure(b, "dang ky khai sinh").await?;
    pick_procedure(b).await?;
    let started = Instant::now();
    let mut first = String::new();
    while first.is_empty() && started.elapsed() < WAIT {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let input = b.find("[name=\"component_0\"]").await?;
        first = input.value().await?.unwrap_or_default();
    }
    assert!(
        first.contains("Tờ khai đăng ký khai sinh"),
        "{db}: the checklist comes from the procedure: {first:?}"
    );
    // Enter in a text field moves on; it never sends the form.
    b.find("[name=\"applicant_name\"]")
        .await?
        .send_keys("Nguyễn" + Key::Enter)
        .await?;
    assert!(b.exists("#receive").await?, "{db}: Enter sent the form");
    assert_eq!(b.path().await?, "/desk/new", "{db}");
    fill_reception(
        b,
        BIRTH_REGISTRATION,
        "8.000",
        &[
            ("Tờ khai đăng ký khai sinh", Some(scan.as_path())),
            ("Giấy chứng sinh", None),
        ],
    )
    .await?;
    b.shot("reception-filled").await?;
    let code = submit_reception(b).await?;
    let dossier = format!("/dossiers/{code}");
    assert!(code.starts_with("VINH-KHE-"), "{db}: {code}");
    assert_eq!(b.text("status").await?, "Đã tiếp nhận", "{db}");
    let facts = b.text("facts").await?;
    assert!(facts.contains("Đăng ký khai sinh"), "{db}: {facts}");
    assert!(facts.contains("2 thành phần, đã số hóa 1"), "{db}: {facts}");
    assert!(facts.contains("Nguyễn Thị Hoa"), "{db}: {facts}");
    let components = b.text("components").await?;
    assert!(
        components.contains("to-khai-khai-sinh.pdf"),
        "{db}: {components}"
    );
    assert!(components.contains("chưa số hóa"), "{db}: {components}");
    assert!(b.text("timeline").await?.contains("Tiếp nhận hồ sơ"));
    b.shot("dossier-received").await?;
    // The second component is scanned from the dossier's page.
    attach(b, "file", &scan).await?;
    b.click("#components form.inline button[type=submit]")
        .await?;
    assert!(
        b.text("facts").await?.contains("2 thành phần, đã số hóa 2"),
        "{db}"
    );
    b.shot("dossier-digitized").await?;
    // The receipt-and-appointment slip, with the QR code of the dossier code.
    assert_eq!(
        open_slip(b, &dossier, "tiep-nhan").await?,
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "{db}"
    );
    assert_eq!(b.text("code").await?, code);
    assert!(b.exists("#qr svg").await?, "{db}: the slip has its QR code");
    assert!(b.text("components").await?.contains("Giấy chứng sinh"));
    b.shot("slip-reception").await?;
    // The desk hands the dossier to the unit's specialist (chuyển xử lý).
    b.goto(&dossier).await?;
    b.select("assignee", SPECIALIST).await?;
    assert_eq!(
        take_step(b, "assign", None).await?,
        "Đang giải quyết",
        "{db}"
    );
    assert_eq!(b.text("assignee").await?, SPECIALIST, "{db}");
    b.shot("dossier-assigned").await?;
    sign_out(b).await?;
    b.shot("signed-out").await?;

    // The specialist finds it in their queue and asks for a supplement.
    sign_in(b, SPECIALIST).await?;
    b.goto("/queue").await?;
    assert!(b.text("queue").await?.contains(&code), "{db}");
    b.shot("queue-assigned").await?;
    b.goto(&dossier).await?;
    b.shot("dossier-processing").await?;
    assert_eq!(
        take_step(b, "request_supplement", Some("Thiếu giấy chứng sinh")).await?,
        "Chờ bổ sung hồ sơ",
        "{db}"
    );
    let pauses = b.text("pauses").await?;
    assert!(pauses.contains("Thiếu giấy chứng sinh"), "{db}: {pauses}");
    assert!(pauses.contains("đang dừng"), "{db}: {pauses}");
    // Receiving the supplement is the desk's step, not the specialist's.
    let steps = offered_steps(b).await?;
    assert!(
        !steps.iter().any(|s| s == "supplemented"),
        "{db}: {steps:?}"
    );
    b.shot("dossier-awaiting-supplement").await?;
    assert_eq!(
        open_slip(b, &dossier, "bo-sung").await?,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
    );
    assert_eq!(b.text("reason").await?, "Thiếu giấy chứng sinh");
    b.shot("slip-supplement").await?;
    sign_out(b).await?;

    // The desk receives the supplement: the birth certificate, a new line of the checklist.
    sign_in(b, RECEPTION).await?;
    b.goto(&dossier).await?;
    b.fill("doc_name_1", "Giấy chứng sinh bản chính").await?;
    b.fill("doc_originals_1", "1").await?;
    assert_eq!(
        take_step(b, "supplemented", None).await?,
        "Đang giải quyết",
        "{db}"
    );
    let components = b.text("components").await?;
    assert!(
        components.contains("Giấy chứng sinh bản chính"),
        "{db}: {components}"
    );
    assert!(
        b.text("timeline")
            .await?
            .contains("Nhận hồ sơ bổ sung: Giấy chứng sinh bản chính"),
        "{db}"
    );
    // Its scan, from the checklist's new line.
    attach(b, "file", &scan).await?;
    b.click("#components form.inline button[type=submit]")
        .await?;
    assert!(
        b.text("facts").await?.contains("3 thành phần, đã số hóa 3"),
        "{db}"
    );
    b.shot("dossier-supplemented").await?;
    sign_out(b).await?;

    // The specialist proposes the result; the leader approves it from the queue.
    sign_in(b, SPECIALIST).await?;
    b.goto(&dossier).await?;
    let steps = offered_steps(b).await?;
    assert!(!steps.iter().any(|s| s == "approve"), "{db}: {steps:?}");
    assert_eq!(
        take_step(b, "propose_approval", None).await?,
        "Chờ lãnh đạo phê duyệt",
        "{db}"
    );
    b.shot("dossier-proposed").await?;
    sign_out(b).await?;
    sign_in(b, LEADER).await?;
    b.goto("/queue").await?;
    assert!(b.text("queue").await?.contains(&code), "{db}");
    b.shot("queue-approval").await?;
    b.goto(&dossier).await?;
    assert_eq!(
        take_step(b, "approve", None).await?,
        "Đã có kết quả",
        "{db}"
    );
    b.shot("dossier-approved").await?;
    sign_out(b).await?;

    // The desk records the payment, issues the e-receipt and returns the result.
    sign_in(b, RECEPTION).await?;
    b.goto(&dossier).await?;
    assert_eq!(b.text("paid").await?, "Chưa nộp");
    b.select("channel", "offline").await?;
    b.click("#payment button[type=submit]").await?;
    assert!(
        b.text("paid")
            .await?
            .starts_with("Đã nộp tại Bộ phận Một cửa"),
        "{db}"
    );
    b.shot("dossier-paid").await?;
    b.click("#receipt-form button[type=submit]").await?;
    assert_eq!(
        b.text("number").await?,
        "0000001",
        "{db}: first of the year"
    );
    assert_eq!(b.text("amount").await?, "8.000 đồng");
    assert_eq!(b.text("amount-words").await?, "Tám nghìn đồng");
    assert_eq!(b.text("payer").await?, "Nguyễn Thị Hoa");
    b.shot("e-receipt").await?;
    b.goto(&dossier).await?;
    assert!(b.text("receipt").await?.contains("0000001"));
    // Who collects the result (`take_step` ticks the confirmation).
    b.fill("collector_name", "Nguyễn Thị Hoa").await?;
    b.fill("collector_id", "045190000123").await?;
    assert_eq!(
        take_step(b, "return_result", None).await?,
        "Đã trả kết quả",
        "{db}"
    );
    let timeline = b.text("timeline").await?;
    for line in [
        "Tiếp nhận hồ sơ",
        "Chuyển xử lý",
        "Yêu cầu bổ sung hồ sơ: Thiếu giấy chứng sinh",
        "Nhận hồ sơ bổ sung",
        "Trình lãnh đạo phê duyệt kết quả",
        "Phê duyệt kết quả",
        "Trả kết quả; người nhận: Nguyễn Thị Hoa, số định danh 045190000123",
    ] {
        assert!(timeline.contains(line), "{db}: {line} in {timeline}");
    }
    assert!(
        offered_steps(b).await?.is_empty(),
        "{db}: nothing left to do"
    );
    b.shot("dossier-returned").await?;

    let control = open_slip(b, &dossier, "kiem-soat").await?;
    assert_eq!(control, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ");
    assert!(b.text("control").await?.contains("Phê duyệt kết quả"));
    b.shot("slip-control").await?;

    // The month's figures count it: received and resolved, its components digitized, its
    // fee paid with an e-receipt.
    let (received, resolved) = dashboard(b, UNIT, &month).await?;
    assert_eq!(received, received_before + 1, "{db}: received in {month}");
    assert_eq!(resolved, resolved_before + 1, "{db}: resolved in {month}");
    for rate in [
        "Tỷ lệ số hóa đầy đủ thành phần hồ sơ đầu vào",
        "Tỷ lệ phát hành biên lai điện tử",
    ] {
        let card = b
            .driver
            .query(By::XPath(format!(
                "//div[@class='card'][div[@class='name' and normalize-space()='{rate}']]/div[@class='value']"
            )))
            .desc(rate)
            .first()
            .await?
            .text()
            .await?;
        // The month holds this dossier only (the fixture is of 2024).
        assert_eq!(card, "100%", "{db}: {rate}");
    }
    b.shot("dashboard-after").await?;

    // At phone width the pages fit the screen.
    b.window(390, 844).await?;
    for (name, path) in [
        ("phone-worklist", "/desk"),
        ("phone-reception-form", "/desk/new"),
        ("phone-dossier", dossier.as_str()),
    ] {
        b.goto(path).await?;
        b.find("main h1").await?;
        b.shot(name).await?;
        assert_fits(b, path).await?;
    }
    Ok(())
}

/// The district's dashboard of May 2024 (the article's month): the online rate with its
/// change, the unit table, and a click on the late count listing the one late dossier.
pub async fn dashboard_flow(b: &Browser) -> TestResult {
    let db = b.prefix.as_str();
    sign_in(b, "district-viewer").await?;
    b.goto("/?unit=vinh-linh&month=2024-05").await?;
    let card = b.find("div.card:has(div.name)").await?.text().await?;
    assert!(
        card.contains("Tỷ lệ hồ sơ trực tuyến toàn trình"),
        "{db}: {card}"
    );
    assert!(card.contains("33,8%"), "{db}: {card}");
    assert!(card.contains("tăng 8,8"), "{db}: {card}");
    let units = b.text("units").await?;
    for unit in ["Vĩnh Khê", "Hồ Xá", "Cửa Tùng"] {
        assert!(units.contains(unit), "{db}: {unit} in the unit table");
    }
    b.shot("dashboard-2024-05").await?;
    assert!(b.exists("#trend svg path").await?, "{db}: the trend chart");
    b.find("#trend").await?.scroll_into_view().await?;
    b.shot("dashboard-trend").await?;
    // Ranked by the e-receipt rate: the rank column appears, 1 first.
    b.click("a[data-sort=\"e_receipt_rate\"]").await?;
    let first_rank = b.find("#units tbody tr td.rank").await?.text().await?;
    assert_eq!(first_rank, "1", "{db}");
    b.shot("dashboard-ranked").await?;
    b.click("dl.counts a[data-count=\"resolved_late\"]").await?;
    let title = b.text("list-title").await?;
    assert!(
        title.starts_with("Hồ sơ giải quyết quá hạn"),
        "{db}: {title}"
    );
    let rows = b.driver.find_all(By::Css("#dossiers tbody tr")).await?;
    assert_eq!(rows.len(), 1, "{db}: one late dossier");
    let row = rows[0].text().await?;
    assert!(row.contains("Vĩnh Khê"), "{db}: {row}");
    b.shot("dashboard-late-dossiers").await?;
    Ok(())
}
