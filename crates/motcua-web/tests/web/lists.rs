//! The long lists as pages, on both databases: the drill-down behind a figure and the
//! worklist a page of at most 100 rows at a time (the pager's links carry the keyset), with
//! their totals, filters (errors beside the fields, what was typed kept) and exports (every
//! filtered row, Vietnamese headers); the search box finds by code, name and phone, and
//! nothing outside the officer's subtree.

use std::collections::BTreeSet;

use crate::common;

use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, LOCATION};
use common::{Answer, Client, PASSWORD, TestResult, loaded};
use motcua_core::Timestamp;
use motcua_core::access::Role;

/// The codes of the rows of a list page (links to dossiers inside the table's body).
fn row_codes(page: &str) -> Vec<String> {
    let Some(body) = page.split("<tbody>").nth(1) else {
        return Vec::new();
    };
    let body = body.split("</tbody>").next().unwrap_or("");
    body.split("<tr")
        .skip(1)
        .filter_map(|row| {
            let start = row.find("href=\"/dossiers/")? + "href=\"/dossiers/".len();
            let end = row[start..].find('"')?;
            Some(row[start..start + end].to_owned())
        })
        .collect()
}

/// The href of the link with `id`, unescaped.
fn link(page: &str, id: &str) -> Option<String> {
    let marker = "href=\"";
    let at = page.find(&format!("id=\"{id}\""))?;
    let start = page[..at].rfind(&marker)? + marker.len();
    let end = page[start..].find('"')?;
    Some(
        page[start..start + end]
            .replace("&amp;", "&")
            .replace("&#38;", "&"),
    )
}

fn header(a: &Answer, name: axum::http::header::HeaderName) -> &str {
    a.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The CSV export's lines: its header and one line per row.
fn csv_lines(a: &Answer) -> Vec<String> {
    a.body
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Follows "Trang sau" from `first` to the end; every code of every page.
async fn walk(c: &mut Client, first: &str) -> Result<Vec<String>, common::Error> {
    let mut all = Vec::new();
    let mut next = Some(first.to_owned());
    while let Some(uri) = next {
        let page = c.get(&uri).await?;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        let codes = row_codes(&page.body);
        assert!(codes.len() <= 100, "{} rows on {uri}", codes.len());
        all.extend(codes);
        next = link(&page.body, "page-next");
    }
    Ok(all)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_drill_down_is_paged_counted_and_exported() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let mut viewer = Client::signed_in(&store, "district-viewer", PASSWORD).await?;
        let uri = "/dossiers?unit=vinh-linh&month=2024-05&count=received";
        let page = viewer.get(uri).await?;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(row_codes(&page.body).len(), 100, "one page, not 2.074 rows");
        assert!(page.body.contains("<strong>2.074 hồ sơ</strong>"));
        assert!(page.body.contains("Trang sau"));
        assert!(!page.body.contains("Trang trước"));
        let all = walk(&mut viewer, uri).await?;
        assert_eq!(all.len(), 2074);
        assert_eq!(all.iter().collect::<BTreeSet<_>>().len(), 2074, "once each");
        // The second page links back to the first.
        let second = viewer
            .get(&link(&page.body, "page-next").ok_or("next")?)
            .await?;
        let back = viewer
            .get(&link(&second.body, "page-prev").ok_or("prev")?)
            .await?;
        assert_eq!(row_codes(&back.body), row_codes(&page.body));

        // Filters narrow the list and the total; the export holds every filtered row.
        let late = viewer
            .get("/dossiers?unit=vinh-linh&month=2024-05&count=received&from=20/05/2024&to=20/05/2024")
            .await?;
        assert_eq!(late.status, StatusCode::OK);
        let day = row_codes(&late.body);
        assert!(!day.is_empty() && day.len() < 100);
        assert!(
            late.body
                .contains(&format!("<strong>{} hồ sơ</strong>", day.len()))
        );
        let csv = viewer.get(&format!("{uri}&format=csv")).await?;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(header(&csv, CONTENT_TYPE).starts_with("text/csv"));
        assert!(
            csv.body.starts_with('\u{feff}'),
            "a byte-order mark for spreadsheets"
        );
        let lines = csv_lines(&csv);
        assert_eq!(
            lines[0],
            "Mã hồ sơ,Người nộp,Đơn vị tiếp nhận,Thủ tục,Tiếp nhận lúc,Hẹn trả,Giải quyết xong lúc"
        );
        assert_eq!(lines.len(), 2075);
        let exported: BTreeSet<String> = lines[1..]
            .iter()
            .filter_map(|l| l.split(',').next().map(str::to_owned))
            .collect();
        assert_eq!(exported, all.into_iter().collect());
        let xlsx = viewer.get(&format!("{uri}&format=xlsx")).await?;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(header(&xlsx, CONTENT_TYPE).contains("spreadsheetml"));
        assert!(xlsx.body.starts_with("PK"), "a zip file");
        store.close().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_drill_down_without_parameters_opens_a_helpful_page() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let mut viewer = Client::signed_in(&store, "district-viewer", PASSWORD).await?;
        let page = viewer.get("/dossiers").await?;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(!page.body.contains("không hợp lệ"));
        assert!(page.body.contains("Hồ sơ tiếp nhận – "), "{}", page.body);
        assert!(page.body.contains("name=\"month\""));
        assert!(
            page.body.contains("Không có hồ sơ nào khớp bộ lọc"),
            "an empty month"
        );
        // What does not read is shown beside its field, as typed.
        let bad = viewer
            .get("/dossiers?unit=vinh-linh&month=thang-5&count=bogus&from=31/02/2024")
            .await?;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        for text in [
            "Nhập tháng theo dạng tháng/năm, ví dụ 05/2024.",
            "Chọn một chỉ tiêu trong danh sách.",
            "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 20/05/2024.",
            "value=\"thang-5\"",
            "value=\"31/02/2024\"",
            "id=\"err-month\"",
        ] {
            assert!(bad.body.contains(text), "{text}");
        }
        assert!(
            bad.body.contains("<nav aria-label=\"Chức năng\">"),
            "the app's navigation"
        );
        let may = viewer.get("/dossiers?unit=vinh-linh&month=05/2024").await?;
        assert!(may.body.contains("<strong>2.074 hồ sơ</strong>"));
        store.close().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worklist_is_paged_filtered_and_exported() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let files = common::scan_files();
        let state = motcua_web::AppState::new(store.clone(), files.clone())
            .with_secure_cookies(false)
            .with_fixed_clock(Timestamp::parse("2024-05-21T09:30:00+07:00")?);
        let mut viewer = Client::signed_in_with(state.clone(), "district-viewer", PASSWORD).await?;
        let page = viewer.get("/desk?unit=vinh-linh").await?;
        assert_eq!(page.status, StatusCode::OK);
        let first = row_codes(&page.body);
        assert_eq!(first.len(), 100);
        assert!(page.body.contains("id=\"nav-search\""), "the search box");
        let all = walk(&mut viewer, "/desk?unit=vinh-linh").await?;
        assert!(all.len() > 100);
        assert!(
            page.body.contains(&format!(
                "<strong>{} hồ sơ</strong>",
                motcua_core::display::count(all.len() as u64)
            )),
            "the total"
        );
        let csv = viewer.get("/desk?unit=vinh-linh&format=csv").await?;
        let lines = csv_lines(&csv);
        assert_eq!(
            lines[0],
            "Mã hồ sơ,Người nộp,Thủ tục,Đơn vị tiếp nhận,Đơn vị giải quyết,Trạng thái,Tiếp nhận lúc,Hẹn trả,Tình trạng"
        );
        assert_eq!(lines.len(), all.len() + 1);
        // A state narrows the list; its export is that list.
        let overdue = walk(&mut viewer, "/desk?unit=vinh-linh&status=qua-han").await?;
        assert!(!overdue.is_empty() && overdue.len() < all.len());
        let csv = viewer
            .get("/desk?unit=vinh-linh&status=qua-han&format=csv")
            .await?;
        assert_eq!(csv_lines(&csv).len(), overdue.len() + 1);
        assert!(csv_lines(&csv)[1..].iter().all(|l| l.ends_with(",Quá hạn")));
        // A bad filter is shown beside its field; nothing typed is lost.
        let bad = viewer
            .get("/desk?unit=vinh-linh&from=hom-qua&procedure=khong-co")
            .await?;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("value=\"hom-qua\""));
        assert!(bad.body.contains("Chọn một thủ tục trong danh sách."));
        // Nothing matches: the empty state says so.
        let none = viewer.get("/desk?unit=vinh-linh&from=01/01/2030").await?;
        assert!(none.body.contains("Không có hồ sơ nào khớp bộ lọc"));

        // A settled dossier waits at the reception desk until it is handed back.
        let (code, _) = common::received_dossier(&store, &files, "vinh-khe").await?;
        // The specialist proposes, the leader settles.
        let officer =
            |name: &str, role: Role| -> Result<motcua_core::access::Principal, common::Error> {
                Ok(motcua_core::access::Principal {
                    id: 0,
                    name: name.to_owned(),
                    unit: motcua_core::unit::UnitCode::parse("vinh-khe")?,
                    credential: motcua_core::access::Credential::User { role },
                })
            };
        let specialist = officer("chuyen-vien", Role::Specialist)?;
        let leader = officer("lanh-dao", Role::Leader)?;
        for (who, step, t) in [
            (
                &specialist,
                motcua_core::lifecycle::Step::StartProcessing,
                "2024-05-20T09:00:00+07:00",
            ),
            (
                &specialist,
                motcua_core::lifecycle::Step::ProposeApproval {
                    result_digitized: false,
                },
                "2024-05-20T09:30:00+07:00",
            ),
            (
                &leader,
                motcua_core::lifecycle::Step::Approve {
                    result_digitized: false,
                },
                "2024-05-20T10:00:00+07:00",
            ),
        ] {
            motcua_app::desk::take_step(
                &store,
                who,
                &code,
                &step,
                &motcua_testkit::ctx(&who.actor(), Timestamp::parse(t)?),
            )
            .await?;
        }
        let mut desk = Client::signed_in_with(state.clone(), "khe-reception", PASSWORD).await?;
        let waiting = desk.get("/desk?status=cho-tra-ket-qua").await?;
        assert_eq!(row_codes(&waiting.body), vec![code.clone()]);
        assert!(waiting.body.contains("Chờ trả kết quả"));
        store.close().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_box_finds_within_the_subtree_only() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        motcua_app::auth::create_user(
            &store,
            "hoxa-reception",
            "Lê Văn An",
            "ho-xa",
            Role::Reception,
            PASSWORD,
            &motcua_testkit::ctx("test", Timestamp::from_micros(0)),
        )
        .await?;
        let files = common::scan_files();
        let (code, _) = common::received_dossier(&store, &files, "vinh-khe").await?;
        for who in ["khe-reception", "district-viewer"] {
            let mut c = Client::signed_in(&store, who, PASSWORD).await?;
            let open = c.get(&format!("/search?q={}", code.to_lowercase())).await?;
            assert_eq!(open.status, StatusCode::SEE_OTHER, "{who}");
            assert_eq!(header(&open, LOCATION), format!("/dossiers/{code}"));
            for q in ["nguyen+thi+hoa", "Nguy%E1%BB%85n", "0912345678"] {
                let found = c.get(&format!("/search?q={q}")).await?;
                assert_eq!(found.status, StatusCode::OK);
                assert!(row_codes(&found.body).contains(&code), "{who} by {q}");
            }
        }
        let mut outsider = Client::signed_in(&store, "hoxa-reception", PASSWORD).await?;
        for q in [code.as_str(), "nguyen+thi+hoa", "0912345678"] {
            let a = outsider.get(&format!("/search?q={q}")).await?;
            assert_eq!(a.status, StatusCode::OK, "{q}");
            assert!(row_codes(&a.body).is_empty(), "{q}");
            assert!(!a.body.contains(&format!("/dossiers/{code}")), "{q}");
            assert!(a.body.contains("Không tìm thấy hồ sơ nào khớp"));
        }
        let empty = outsider.get("/search").await?;
        assert_eq!(empty.status, StatusCode::OK);
        assert!(empty.body.contains("Gõ mã hồ sơ"));
        store.close().await?;
    }
    Ok(())
}
