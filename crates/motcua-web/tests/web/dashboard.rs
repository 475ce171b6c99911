//! The dashboard's figures as people read them: changes with their unit, one number of
//! decimals per column, every indicator over the months that have data, unit names that open
//! the unit's dashboard, sorting both ways, departments named as such, and no "chưa đạt" on
//! too few dossiers while the month runs.

use crate::common;

use common::{Client, PASSWORD, TestResult, loaded, scan_files};
use motcua_core::Timestamp;
use motcua_web::AppState;

/// The rows of the unit table: (unit code, the cells' texts, tags and links stripped).
fn unit_rows(page: &str) -> Vec<(String, Vec<String>)> {
    let table = page
        .split("<table id=\"units\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .unwrap_or_default();
    table
        .split("<tr data-unit=\"")
        .skip(1)
        .map(|row| {
            let code = row.split('"').next().unwrap_or_default().to_owned();
            let cells = row
                .split("<td")
                .skip(1)
                .map(|c| {
                    let inner = c.split_once('>').map_or("", |(_, r)| r);
                    let inner = inner.split("</td>").next().unwrap_or_default();
                    strip_tags(inner).trim().to_owned()
                })
                .collect();
            (code, cells)
        })
        .collect()
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for ch in html.chars() {
        match ch {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// Decimals of a displayed rate (`8,57%` → 2), `None` for a dash.
fn decimals(cell: &str) -> Option<usize> {
    let v = cell.strip_suffix('%')?;
    Some(v.split_once(',').map_or(0, |(_, f)| f.len()))
}

/// The units tagged with `tag` ("chưa đạt", "chưa đủ dữ liệu").
fn tagged(page: &str, tag: &str) -> Vec<String> {
    unit_rows(page)
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| c.ends_with(tag)))
        .map(|(code, _)| code)
        .collect()
}

#[tokio::test]
async fn the_dashboard_reads_as_people_expect() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;
    let mut viewer = Client::signed_in(&store, "district-viewer", PASSWORD).await?;
    let page = viewer.get("/?unit=vinh-linh&month=2024-05").await?;
    let body = &page.body;
    assert!(
        body.contains("tăng 8,8 điểm phần trăm"),
        "a change has its unit"
    );
    assert!(!body.contains("tăng 8,8<"), "never without it");

    // One number of decimals per rate column (the last eight cells of a row).
    let rows = unit_rows(body);
    assert!(rows.len() > 20, "{}", rows.len());
    for col in 0..8 {
        let found: std::collections::BTreeSet<usize> = rows
            .iter()
            .filter_map(|(_, cells)| decimals(&cells[cells.len() - 8 + col]))
            .collect();
        assert!(found.len() <= 1, "column {col}: decimals {found:?}");
    }

    // Names: links to the unit's own dashboard, departments keep "Phòng".
    assert!(body.contains("<a href=\"/?unit=vinh-khe&amp;month=2024-05\">Xã Vĩnh Khê</a>"));
    assert!(
        body.contains(">Phòng Tư pháp</a>"),
        "department named as such"
    );
    assert!(body.contains(">Thị trấn Hồ Xá</a>"));

    // Every indicator has its chart; the months start where the data does.
    assert_eq!(
        body.matches("<figure class=\"trend\"").count(),
        motcua_core::rates::RateId::ALL.len()
    );
    let table = body
        .split("<table id=\"trend-table\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .ok_or("no trend table")?;
    assert_eq!(
        table.matches("<th class=\"name\" scope=\"row\">").count(),
        motcua_core::rates::RateId::ALL.len()
    );
    assert!(table.contains(">5/2024</th>"), "{table}");
    assert!(!table.contains(">6/2023</th>"), "no empty month: {table}");
    assert!(
        body.contains("<title>5/2024: 33,8%</title>"),
        "values on the points"
    );

    // Sorted both ways.
    let desc = viewer
        .get("/?unit=vinh-linh&month=2024-05&sort=e_receipt_rate")
        .await?;
    assert!(desc.body.contains("aria-sort=\"descending\""));
    assert!(
        desc.body
            .contains("sort=e_receipt_rate&amp;dir=asc\" data-sort=\"e_receipt_rate\""),
        "a second click sorts the other way"
    );
    let asc = viewer
        .get("/?unit=vinh-linh&month=2024-05&sort=e_receipt_rate&dir=asc")
        .await?;
    assert!(asc.body.contains("aria-sort=\"ascending\""));
    // The e-receipt rate's column, before the two PAKN rates.
    let value = |cells: &Vec<String>| -> Option<f64> {
        // The rates are the last columns, in the order of `RateId::ALL`.
        let rates = motcua_core::rates::RateId::ALL;
        let from_end = rates.len()
            - rates
                .iter()
                .position(|r| *r == motcua_core::rates::RateId::EReceipt)
                .unwrap_or_default();
        cells[cells.len() - from_end]
            .strip_suffix('%')
            .and_then(|v| v.replace(',', ".").parse().ok())
    };
    let up: Vec<f64> = unit_rows(&asc.body)
        .iter()
        .filter_map(|(_, c)| value(c))
        .collect();
    let down: Vec<f64> = unit_rows(&desc.body)
        .iter()
        .filter_map(|(_, c)| value(c))
        .collect();
    assert!(up.windows(2).all(|w| w[0] <= w[1]), "{up:?}");
    assert!(down.windows(2).all(|w| w[0] >= w[1]), "{down:?}");
    assert!(up.first() < down.first(), "{up:?} {down:?}");
    let first_rank = unit_rows(&asc.body)
        .first()
        .map(|(_, c)| c[0].clone())
        .unwrap_or_default();
    assert_eq!(first_rank, "1");
    store.close().await?;
    Ok(())
}

#[tokio::test]
async fn too_few_dossiers_in_a_running_month_are_not_below_target() -> TestResult {
    let db = motcua_testkit::sqlite_db();
    let store = loaded(&db.url).await?;
    let mut after = Client::signed_in(&store, "district-viewer", PASSWORD).await?;
    let finished = after.get("/?unit=vinh-linh&month=2024-05").await?;
    let state = AppState::new(store.clone(), scan_files())
        .with_secure_cookies(false)
        .with_fixed_clock(Timestamp::parse("2024-05-31T16:00:00+07:00")?);
    let mut during = Client::signed_in_with(state, "district-viewer", PASSWORD).await?;
    let running = during.get("/?unit=vinh-linh&month=2024-05").await?;
    let below_after = tagged(&finished.body, "chưa đạt");
    let below_during = tagged(&running.body, "chưa đạt");
    let too_few = tagged(&running.body, "chưa đủ dữ liệu");
    assert!(
        tagged(&finished.body, "chưa đủ dữ liệu").is_empty(),
        "a finished month judges every unit"
    );
    assert!(!too_few.is_empty(), "{below_after:?} {below_during:?}");
    for unit in &too_few {
        assert!(below_after.contains(unit), "{unit} was below target");
        assert!(!below_during.contains(unit), "{unit}");
    }
    assert!(
        running
            .body
            .contains("chưa được đánh giá (“chưa đủ dữ liệu”)"),
        "the rule is stated"
    );
    store.close().await?;
    Ok(())
}
