//! Follow-ups of units below target in the app, on every test database: a request only for
//! a finished month, the deadline proposed never before today + 5 working days, the notice of
//! the unit asked (its leaders, not its desk) until it reports, and every month listed.

use motcua_app::AppError;
use motcua_core::Timestamp;
use motcua_core::access::{Credential, Principal, Role};
use motcua_core::notice::NoticeKind;
use motcua_core::timestamp::Month;
use motcua_core::unit::{UnitCode, UnitTree};
use motcua_testkit::for_each_db;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn person(unit: &str, role: Role) -> Result<Principal, Box<dyn std::error::Error>> {
    Ok(Principal {
        id: 0,
        name: format!("{unit}-{}", role.as_str()),
        unit: UnitCode::parse(unit)?,
        credential: Credential::User { role },
    })
}

#[tokio::test]
async fn a_follow_up_is_asked_of_a_finished_month_and_noticed_until_sent() -> TestResult {
    for_each_db(async |db| {
        let b = db.backend;
        let store = motcua_store::SqlStore::connect(&db.url).await?;
        let loaded = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
        motcua_app::import_dir(&store, &motcua_testkit::vinh_linh(), &loaded).await?;
        let may: Month = "2024-05".parse()?;
        let district = person("vinh-linh", Role::Leader)?;
        let khe_leader = person("vinh-khe", Role::Leader)?;
        let khe_desk = person("vinh-khe", Role::Reception)?;
        let tree = UnitTree::new(store.units().await?)?;
        let vinh_linh = tree.find("vinh-linh").ok_or("no district")?.clone();

        // Asked on 28 May: the month is not over.
        let in_may = motcua_testkit::ctx(
            "user:lanh-dao",
            Timestamp::parse("2024-05-28T09:00:00+07:00")?,
        );
        let june_14 = time::Date::from_calendar_date(2024, time::Month::June, 14)?;
        match motcua_app::followup::create(&store, &district, "vinh-khe", may, june_14, &in_may)
            .await
        {
            Err(AppError::Refused(m)) => assert!(m.contains("chưa kết thúc"), "{b}: {m}"),
            other => panic!("{b}: {other:?}"),
        }

        // Early June: the report's date. On 20 June: 5 working days later, the 27th.
        let june_3 = Timestamp::parse("2024-06-03T09:00:00+07:00")?;
        let june_20 = Timestamp::parse("2024-06-20T09:00:00+07:00")?;
        assert_eq!(
            motcua_app::followup::proposed_due(&store, may, june_3, &vinh_linh).await?,
            time::Date::from_calendar_date(2024, time::Month::June, 16)?,
            "{b}"
        );
        let proposed = motcua_app::followup::proposed_due(&store, may, june_20, &vinh_linh).await?;
        assert_eq!(
            proposed,
            time::Date::from_calendar_date(2024, time::Month::June, 27)?,
            "{b}"
        );

        let asked = motcua_testkit::ctx("user:lanh-dao", june_20);
        motcua_app::followup::create(&store, &district, "vinh-khe", may, proposed, &asked).await?;
        let notices = motcua_app::notices::notices(&store, &khe_leader, june_20).await?;
        assert_eq!(notices.len(), 1, "{b}");
        assert_eq!(notices[0].kind, NoticeKind::FollowUpAsked);
        assert_eq!(notices[0].count, 1);
        assert_eq!(notices[0].href, "/follow-ups?month=2024-05");
        for nobody in [&khe_desk, &district] {
            assert!(
                motcua_app::notices::notices(&store, nobody, june_20)
                    .await?
                    .is_empty(),
                "{b}: {}",
                nobody.name
            );
        }
        let all =
            motcua_app::followup::list_all(&store, &district, &district.unit, june_20).await?;
        assert_eq!(all.len(), 1, "{b}");
        assert_eq!(all[0].0.month, may);

        let sent = motcua_testkit::ctx("user:lanh-dao-khe", june_20);
        motcua_app::followup::submit(&store, &khe_leader, "vinh-khe", may, "Đã khắc phục", &sent)
            .await?;
        assert!(
            motcua_app::notices::notices(&store, &khe_leader, june_20)
                .await?
                .is_empty(),
            "{b}: nothing waits once sent"
        );
        store.close().await?;
        Ok(())
    })
    .await
}
