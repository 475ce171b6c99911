//! Follow-ups of units below target: the district asks Vĩnh Khê for its remediation report
//! from the dashboard; the commune sees it, submits it; the district sees it submitted; both
//! databases.

use crate::common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, hidden, loaded};
use motcua_core::Timestamp;
use motcua_core::access::Role;

#[tokio::test]
async fn a_unit_below_target_is_followed_up_until_it_reports() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        for (name, unit) in [("lanh-dao", "vinh-linh"), ("lanh-dao-khe", "vinh-khe")] {
            motcua_app::auth::create_user(&store, name, name, unit, Role::Leader, PASSWORD, &ctx)
                .await?;
        }
        let mut district = Client::signed_in(&store, "lanh-dao", PASSWORD).await?;
        let mut commune = Client::signed_in(&store, "lanh-dao-khe", PASSWORD).await?;
        let mut viewer = Client::signed_in(&store, "district-viewer", PASSWORD).await?;

        // The dashboard lists Vĩnh Khê below target, with the form to ask for its report.
        let dash = district.get("/?unit=vinh-linh&month=2024-05").await?;
        assert!(
            dash.body
                .contains("<li data-unit=\"vinh-khe\">xã Vĩnh Khê: ")
        );
        assert!(
            dash.body.contains("value=\"2024-06-16\""),
            "the default deadline"
        );
        let form_marker = "action=\"/follow-ups\"";
        assert!(dash.body.contains(form_marker));
        let seen = viewer.get("/?unit=vinh-linh&month=2024-05").await?;
        assert!(!seen.body.contains(form_marker), "a viewer cannot ask");
        let csrf = hidden(&dash.body, "csrf").ok_or("no token")?;

        let due = (time::OffsetDateTime::now_utc() + time::Duration::days(20))
            .date()
            .to_string();
        let ask = |unit: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("unit", unit.to_owned()),
                ("month", "2024-05".to_owned()),
                ("due", due.clone()),
            ]
        };
        let post = |c: &mut Client, path: &'static str, fields: Vec<(&'static str, String)>| {
            let mut c = c.clone();
            async move {
                let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                c.post(path, &f).await
            }
        };
        let a = post(&mut district, "/follow-ups", ask("vinh-khe")).await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let a = post(&mut district, "/follow-ups", ask("vinh-khe")).await?;
        assert_eq!(a.status, StatusCode::CONFLICT, "one per unit and month");
        assert!(a.body.contains("đã có yêu cầu báo cáo khắc phục"));
        let a = post(&mut district, "/follow-ups", ask("cua-tung")).await?;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("đạt mọi chỉ tiêu"), "{}", a.body);
        let a = post(&mut district, "/follow-ups", ask("vinh-linh")).await?;
        assert_eq!(a.status, StatusCode::CONFLICT, "not to itself");

        let list = district.get("/follow-ups?month=2024-05").await?;
        assert!(list.body.contains("xã Vĩnh Khê"));
        assert!(list.body.contains("Chờ báo cáo"));
        assert!(
            list.body
                .contains("tỷ lệ số hóa đầy đủ thành phần hồ sơ đầu vào 89,47%")
        );

        // The commune sees its own and reports.
        let list = commune.get("/follow-ups?month=2024-05").await?;
        assert!(list.body.contains("Chờ báo cáo"));
        let csrf_khe = hidden(&list.body, "csrf").ok_or("no token")?;
        let report = |text: &str| {
            vec![
                ("csrf", csrf_khe.clone()),
                ("unit", "vinh-khe".to_owned()),
                ("month", "2024-05".to_owned()),
                ("report", text.to_owned()),
            ]
        };
        let a = post(&mut commune, "/follow-ups/submit", report("  ")).await?;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("hãy ghi nội dung báo cáo"));
        let a = post(
            &mut commune,
            "/follow-ups/submit",
            report("Đã số hóa bổ sung 2 hồ sơ; hồ sơ quá hạn đã được xin lỗi người dân."),
        )
        .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let a = post(&mut commune, "/follow-ups/submit", report("lần hai")).await?;
        assert_eq!(a.status, StatusCode::CONFLICT, "reported once");
        let list = district.get("/follow-ups?month=2024-05").await?;
        assert!(list.body.contains("Đã báo cáo đúng hạn"), "{}", db.backend);
        assert!(list.body.contains("Đã số hóa bổ sung 2 hồ sơ"));
        let other = commune.get("/follow-ups?month=2024-04").await?;
        assert!(other.body.contains("Chưa có yêu cầu báo cáo khắc phục nào"));
        store.close().await?;
    }
    Ok(())
}
