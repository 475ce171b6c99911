//! Follow-ups of units below target: the district asks Vĩnh Khê for its remediation report
//! from the dashboard (a deadline proposed that the form accepts, the button replaced by the
//! request's state, a notice after the action); the commune's leader gets a notice, sees the
//! form (the district does not), submits; the district sees it submitted; a month not yet
//! over cannot be followed up; both databases.

use crate::common;

use axum::http::StatusCode;
use common::{Client, PASSWORD, TestResult, hidden, loaded, scan_files};
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_web::AppState;

/// The value of the first input named `name` of a page (hidden or not).
fn input_value(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\""))?;
    let rest = &page[at..];
    let start = rest.find("value=\"")? + "value=\"".len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_owned())
}

/// The `<li>` of a unit in the dashboard's list of units below target.
fn below_item<'a>(page: &'a str, unit: &str) -> &'a str {
    let marker = format!("<li data-unit=\"{unit}\">");
    let Some(start) = page.find(&marker) else {
        return "";
    };
    let end = page[start..]
        .find("</li>")
        .map_or(page.len(), |e| start + e);
    &page[start..end]
}

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

        // The dashboard lists Vĩnh Khê below target, with the form to ask for its report and
        // a deadline the form accepts: not the 16/06/2024 of the report, long past.
        let dash = district.get("/?unit=vinh-linh&month=2024-05").await?;
        let item = below_item(&dash.body, "vinh-khe");
        assert!(item.contains("Xã Vĩnh Khê: "), "{item}");
        let form_marker = "action=\"/follow-ups\"";
        assert!(item.contains(form_marker), "{item}");
        let due = input_value(item, "due").ok_or("no deadline")?;
        let proposed = motcua_core::display::parse_date(&due).ok_or("not a date")?;
        let today = Timestamp::from_datetime(time::OffsetDateTime::now_utc())?.local_date();
        assert!(proposed > today, "{due}: after today");
        assert_eq!(due.len(), 10, "dd/mm/yyyy: {due}");
        let seen = viewer.get("/?unit=vinh-linh&month=2024-05").await?;
        assert!(!seen.body.contains(form_marker), "a viewer cannot ask");
        let csrf = hidden(&dash.body, "csrf").ok_or("no token")?;

        let ask = |unit: &'static str, due: &str| {
            vec![
                ("csrf", csrf.clone()),
                ("unit", unit.to_owned()),
                ("month", "2024-05".to_owned()),
                ("due", due.to_owned()),
            ]
        };
        let post = |c: &mut Client, path: &'static str, fields: Vec<(&'static str, String)>| {
            let mut c = c.clone();
            async move {
                let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                c.post(path, &f).await
            }
        };
        let a = post(&mut district, "/follow-ups", ask("vinh-khe", "31/02/2027")).await?;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("ngày/tháng/năm"), "{}", a.body);
        // The deadline as proposed is accepted; the list says what was done.
        let a = post(&mut district, "/follow-ups", ask("vinh-khe", &due)).await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let done = district.get(a.location()).await?;
        assert!(
            done.body.contains(&format!(
                "Đã yêu cầu xã Vĩnh Khê gửi báo cáo khắc phục tháng 5/2024, hạn {due}."
            )),
            "{}",
            done.body
        );
        // The button became the request's state.
        let dash = district.get("/?unit=vinh-linh&month=2024-05").await?;
        let item = below_item(&dash.body, "vinh-khe");
        assert!(!item.contains(form_marker), "asked once: {item}");
        assert!(
            item.contains(&format!(
                "Đã yêu cầu báo cáo khắc phục, hạn {due} – Chờ báo cáo"
            )),
            "{item}"
        );
        let a = post(&mut district, "/follow-ups", ask("vinh-khe", &due)).await?;
        assert_eq!(a.status, StatusCode::CONFLICT, "one per unit and month");
        assert!(a.body.contains("Đã có yêu cầu báo cáo khắc phục"));
        let a = post(&mut district, "/follow-ups", ask("cua-tung", &due)).await?;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("đạt mọi chỉ tiêu"), "{}", a.body);
        let a = post(&mut district, "/follow-ups", ask("vinh-linh", &due)).await?;
        assert_eq!(a.status, StatusCode::CONFLICT, "not to itself");

        let list = district.get("/follow-ups?month=2024-05").await?;
        assert!(list.body.contains("Xã Vĩnh Khê"));
        assert!(list.body.contains("Chờ báo cáo"));
        assert!(list.body.contains(&format!("<td>{due}</td>")), "dd/mm/yyyy");
        assert!(
            list.body
                .contains("tỷ lệ số hóa đầy đủ thành phần hồ sơ đầu vào 89,47%")
        );
        assert!(
            !list.body.contains("action=\"/follow-ups/submit\""),
            "the district is not shown the commune's form"
        );
        // Every month: the same request.
        let all = district.get("/follow-ups").await?;
        assert_eq!(all.status, StatusCode::OK);
        assert!(all.body.contains("<td>Tháng 5/2024</td>"), "{}", all.body);

        // The commune's leader has a notice, and the form.
        let home = commune.get("/?unit=vinh-khe&month=2024-05").await?;
        assert!(
            home.body
                .contains("<span class=\"badge\" id=\"notice-count\">1</span>"),
            "{}",
            home.body
        );
        assert!(home.body.contains("1 yêu cầu báo cáo khắc phục chờ gửi"));
        assert!(home.body.contains("href=\"/follow-ups?month=2024-05\""));
        let list = commune.get("/follow-ups?month=2024-05").await?;
        assert!(list.body.contains("Chờ báo cáo"));
        assert!(list.body.contains("action=\"/follow-ups/submit\""));
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
        assert!(a.body.contains("Hãy ghi nội dung báo cáo"));
        let too_long = "Đã khắc phục. ".repeat(2_000);
        let a = post(&mut commune, "/follow-ups/submit", report(&too_long)).await?;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(
            a.body.contains(too_long.trim_end()),
            "what was typed comes back"
        );
        let a = post(
            &mut commune,
            "/follow-ups/submit",
            report("Đã số hóa bổ sung 2 hồ sơ; hồ sơ quá hạn đã được xin lỗi người dân."),
        )
        .await?;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let done = commune.get(a.location()).await?;
        assert!(
            done.body
                .contains("Đã gửi báo cáo khắc phục tháng 5/2024 của xã Vĩnh Khê."),
            "{}",
            done.body
        );
        assert!(!done.body.contains("id=\"notice-count\""), "nothing waits");
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

#[tokio::test]
async fn a_month_not_over_is_not_followed_up() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        motcua_app::auth::create_user(
            &store,
            "lanh-dao",
            "lanh-dao",
            "vinh-linh",
            Role::Leader,
            PASSWORD,
            &ctx,
        )
        .await?;
        // The 28th of May 2024: the month is not over.
        let state = AppState::new(store.clone(), scan_files())
            .with_secure_cookies(false)
            .with_fixed_clock(Timestamp::parse("2024-05-28T09:00:00+07:00")?);
        let mut district = Client::signed_in_with(state, "lanh-dao", PASSWORD).await?;
        let dash = district.get("/?unit=vinh-linh&month=2024-05").await?;
        assert!(
            !dash.body.contains("action=\"/follow-ups\""),
            "no request form in May"
        );
        assert!(dash.body.contains("Tháng chưa kết thúc"), "{}", dash.body);
        let csrf = hidden(&dash.body, "csrf").ok_or("no token")?;
        let a = district
            .post(
                "/follow-ups",
                &[
                    ("csrf", &csrf),
                    ("unit", "vinh-khe"),
                    ("month", "2024-05"),
                    ("due", "14/06/2024"),
                ],
            )
            .await?;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("Tháng 5/2024 chưa kết thúc"), "{}", a.body);
        store.close().await?;
    }
    Ok(())
}
