//! The monthly report from the dashboard: its links, the HTML page and the text download;
//! both databases.

use crate::common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, loaded};

#[tokio::test]
async fn the_dashboard_offers_the_monthly_report() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let mut viewer = Client::signed_in(&store, "district-viewer", PASSWORD).await?;
        let page = viewer.get("/?unit=vinh-linh&month=2024-05").await?;
        assert_eq!(page.status, StatusCode::OK);
        for format in ["html", "docx", "xlsx", "text"] {
            let link = format!("/report?unit=vinh-linh&amp;month=2024-05&amp;format={format}");
            assert!(page.body.contains(&link), "{link}");
        }
        let html = viewer
            .get("/report?unit=vinh-linh&month=2024-05&format=html")
            .await?;
        assert_eq!(html.status, StatusCode::OK, "{}", db.backend);
        for needle in [
            "ỦY BAN NHÂN DÂN",
            "HUYỆN VĨNH LINH",
            "Vĩnh Linh, ngày 01 tháng 6 năm 2024",
            "Nơi nhận:",
            "TM. ỦY BAN NHÂN DÂN",
        ] {
            assert!(html.body.contains(needle), "«{needle}» not in the page");
        }
        // A chosen date dates the report; one before the month is refused.
        let dated = viewer
            .get("/report?unit=vinh-linh&month=2024-05&format=html&date=05/06/2024")
            .await?;
        assert!(dated.body.contains("Vĩnh Linh, ngày 05 tháng 6 năm 2024"));
        assert!(dated.body.contains("trước ngày 20/6/2024"));
        for date in ["30/04/2024", "31/02/2024"] {
            let bad = viewer
                .get(&format!(
                    "/report?unit=vinh-linh&month=2024-05&format=html&date={date}"
                ))
                .await?;
            assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{date}");
        }
        assert!(
            html.body
                .contains("Kết quả thực hiện cải cách thủ tục hành chính tháng 5/2024")
        );
        assert!(html.body.contains("quá hạn 1 hồ sơ ở xã Vĩnh Khê"));
        let text = viewer
            .get("/report?unit=vinh-linh&month=2024-05&format=text")
            .await?;
        assert_eq!(text.status, StatusCode::OK);
        assert_eq!(
            text.headers
                .get("content-disposition")
                .and_then(|v| v.to_str().ok()),
            Some("attachment; filename=\"bao-cao-vinh-linh-2024-05.txt\"")
        );
        assert!(
            text.body
                .contains("Các đơn vị thực hiện tốt gồm: Vĩnh Tú, Vĩnh Ô")
        );
        for (format, magic) in [("docx", "PK"), ("xlsx", "PK")] {
            let file = viewer
                .get(&format!(
                    "/report?unit=vinh-linh&month=2024-05&format={format}"
                ))
                .await?;
            assert_eq!(file.status, StatusCode::OK, "{format}");
            assert!(file.body.starts_with(magic), "{format} is a zip");
            assert_eq!(
                file.headers
                    .get("content-disposition")
                    .and_then(|v| v.to_str().ok()),
                Some(
                    format!("attachment; filename=\"bao-cao-vinh-linh-2024-05.{format}\"").as_str()
                )
            );
        }
        let bad = viewer
            .get("/report?unit=vinh-linh&month=2024-05&format=pdf")
            .await?;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("Định dạng báo cáo không hợp lệ"));
        let bad = viewer.get("/report?unit=vinh-linh&month=2024-13").await?;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        // The trend of twelve months, the units under target, the ranking.
        assert!(page.body.contains("<svg viewBox"), "trend chart");
        assert!(page.body.contains(">5/24</text>"));
        assert!(
            page.body
                .contains("Chưa đạt chỉ tiêu: tỷ lệ số hóa đầy đủ thành phần hồ sơ đầu vào 89,47%")
        );
        assert!(
            page.body
                .contains("Hạn báo cáo kết quả khắc phục đề xuất: ")
        );
        assert!(
            !page.body.contains(">Hạng</th>"),
            "not ranked unless sorted"
        );
        let ranked = viewer
            .get("/?unit=vinh-linh&month=2024-05&sort=e_receipt_rate")
            .await?;
        assert_eq!(ranked.status, StatusCode::OK);
        assert!(ranked.body.contains(">Hạng</th>"));
        let first_row = ranked
            .body
            .split("<table id=\"units\">")
            .nth(1)
            .unwrap_or_default()
            .split("<tbody>")
            .nth(1)
            .and_then(|t| t.split("</tr>").next())
            .ok_or("no unit row")?;
        assert!(
            first_row.contains("<td class=\"rank\">1</td>"),
            "{first_row}"
        );
        let bad = viewer
            .get("/?unit=vinh-linh&month=2024-05&sort=nothing")
            .await?;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);

        // A figure lists the dossiers behind it, as many as it counts.
        let late = viewer
            .get("/dossiers?unit=vinh-linh&month=2024-05&count=resolved_late")
            .await?;
        assert_eq!(late.status, StatusCode::OK);
        assert_eq!(late.body.matches("<tr><td><a href=\"/dossiers/").count(), 1);
        assert!(late.body.contains("xã Vĩnh Khê"));
        assert!(late.body.contains("Hồ sơ giải quyết quá hạn"));
        let received = viewer
            .get("/dossiers?unit=vinh-linh&month=2024-05&count=received")
            .await?;
        // One page of the 2.074, with their number (tests/web/lists.rs walks the pages).
        assert_eq!(
            received
                .body
                .matches("<tr><td><a href=\"/dossiers/")
                .count(),
            100
        );
        assert!(received.body.contains("<strong>2.074 hồ sơ</strong>"));
        let bad = viewer
            .get("/dossiers?unit=vinh-linh&month=2024-05&count=bogus")
            .await?;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("Chọn một chỉ tiêu trong danh sách."));
        store.close().await?;
    }
    Ok(())
}
