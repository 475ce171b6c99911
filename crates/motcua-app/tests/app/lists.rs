//! The long lists a page at a time, on both databases: the dossiers behind every figure are
//! exactly those `Counts::tally` counts; pages hold at most 100 rows, cover a list exactly
//! once forwards and backwards, and do not shift when dossiers arrive; settled dossiers wait
//! in the worklist until handed back; the search finds by code, name, phone and ID number,
//! and nothing outside the officer's subtree.

use std::collections::BTreeSet;

use motcua_app::desk::{self, Reception, Urgency};
use motcua_app::lists::{self, Found, ListQuery};
use motcua_core::Timestamp;
use motcua_core::access::{Principal, Role};
use motcua_core::counts::{CountId, Figure};
use motcua_core::details::Applicant;
use motcua_core::dossier::Channel;
use motcua_core::lifecycle::Step;
use motcua_core::lists::{Cursor, ListFilter, PAGE_SIZE, PageAt, SortDir, SortKey, WorkStatus};
use motcua_core::timestamp::Month;
use motcua_core::unit::UnitCode;
use motcua_store::SqlStore;
use motcua_testkit::{TestDb, acting as at, for_each_db, officer};

type Error = Box<dyn std::error::Error>;
type TestResult = Result<(), Error>;

async fn loaded(db: &TestDb) -> Result<SqlStore, Error> {
    let store = SqlStore::connect(&db.url).await?;
    motcua_app::import_dir(
        &store,
        &motcua_testkit::vinh_linh(),
        &motcua_testkit::ctx("test", motcua_testkit::after_fixture()),
    )
    .await?;
    Ok(store)
}

fn query(sort: SortKey, dir: SortDir, at: PageAt) -> ListQuery {
    ListQuery {
        filter: ListFilter::default(),
        sort,
        dir,
        at,
    }
}

fn unit(code: &str) -> Result<UnitCode, Error> {
    Ok(UnitCode::parse(code)?)
}

fn codes<'a>(rows: impl IntoIterator<Item = &'a motcua_store::HeldDossier>) -> Vec<String> {
    rows.into_iter()
        .map(|h| h.dossier.code.to_string())
        .collect()
}

#[tokio::test]
async fn the_dossiers_behind_every_figure_are_those_the_figure_counts() -> TestResult {
    for_each_db(async |db| {
        let store = loaded(db).await?;
        let viewer = officer("xem", "vinh-linh", Role::Viewer)?;
        let mut figures: Vec<Figure> = CountId::ALL
            .into_iter()
            .filter(|c| c.counts_dossiers())
            .map(Figure::Count)
            .collect();
        figures.push(Figure::ResolvedInTime);
        for month in ["2024-04", "2024-05", "2024-06"] {
            let month: Month = month.parse()?;
            for scope in ["vinh-linh", "ho-xa"] {
                let u = unit(scope)?;
                let report = motcua_app::indicators(&store, scope, month).await?;
                for &figure in &figures {
                    let q = query(SortKey::Received, SortDir::Asc, PageAt::First);
                    let all = lists::figure_rows(&store, &viewer, &u, month, figure, &q).await?;
                    let want: BTreeSet<String> =
                        motcua_app::dossiers_behind(&store, scope, month, figure)
                            .await?
                            .iter()
                            .map(|d| d.code.to_string())
                            .collect();
                    let got: BTreeSet<String> = codes(&all).into_iter().collect();
                    assert_eq!(got, want, "{scope} {month} {}", figure.key());
                    assert_eq!(got.len(), all.len(), "no dossier twice");
                    let page = lists::figure_list(&store, &viewer, &u, month, figure, &q).await?;
                    assert_eq!(page.total, figure.of(&report.counts), "{}", figure.key());
                    assert!(page.rows.len() <= PAGE_SIZE);
                }
            }
        }
        Ok(())
    })
    .await
}

/// Walks a figure's list forwards then backwards, page by page.
async fn walk(
    store: &SqlStore,
    viewer: &Principal,
    month: Month,
    dir: SortDir,
) -> Result<(Vec<Vec<String>>, Vec<Vec<String>>), Error> {
    let u = unit("vinh-linh")?;
    let figure = Figure::Count(CountId::Received);
    let mut forward = Vec::new();
    let mut at = PageAt::First;
    let mut last_prev = None;
    loop {
        let q = query(SortKey::Received, dir, at);
        let page = lists::figure_list(store, viewer, &u, month, figure, &q).await?;
        assert!(page.rows.len() <= PAGE_SIZE, "{} rows", page.rows.len());
        forward.push(codes(&page.rows));
        last_prev = page.prev.clone().or(last_prev);
        match page.next {
            Some(c) => at = PageAt::After(c),
            None => break,
        }
    }
    // Backwards from the last page: "Trang trước" until the first.
    let mut backward = Vec::new();
    let mut prev: Option<Cursor> = last_prev;
    while let Some(c) = prev {
        let q = query(SortKey::Received, dir, PageAt::Before(c));
        let page = lists::figure_list(store, viewer, &u, month, figure, &q).await?;
        backward.push(codes(&page.rows));
        prev = page.prev;
    }
    backward.reverse();
    Ok((forward, backward))
}

#[tokio::test]
async fn pages_hold_at_most_100_rows_and_cover_the_list_once_each_way() -> TestResult {
    for_each_db(async |db| {
        let store = loaded(db).await?;
        let viewer = officer("xem", "vinh-linh", Role::Viewer)?;
        let month: Month = "2024-05".parse()?;
        for dir in [SortDir::Asc, SortDir::Desc] {
            let (forward, backward) = walk(&store, &viewer, month, dir).await?;
            let all: Vec<String> = forward.iter().flatten().cloned().collect();
            assert_eq!(all.len(), 2074, "the article's 2.074 dossiers");
            let distinct: BTreeSet<&String> = all.iter().collect();
            assert_eq!(distinct.len(), all.len(), "a dossier on two pages");
            assert!(
                forward[..forward.len() - 1]
                    .iter()
                    .all(|p| p.len() == PAGE_SIZE)
            );
            // Every page but the last, read again backwards, is the same page.
            assert_eq!(backward, forward[..forward.len() - 1].to_vec(), "{dir:?}");
            // The order is the list's.
            let q = query(SortKey::Received, dir, PageAt::First);
            let rows = lists::figure_rows(
                &store,
                &viewer,
                &unit("vinh-linh")?,
                month,
                Figure::Count(CountId::Received),
                &q,
            )
            .await?;
            let mut keys: Vec<(Timestamp, String)> = rows
                .iter()
                .map(|h| (h.dossier.received_at, h.dossier.code.to_string()))
                .collect();
            let in_order = keys.clone();
            keys.sort();
            if dir == SortDir::Desc {
                keys.reverse();
            }
            assert_eq!(in_order, keys);
            assert_eq!(codes(&rows), all);
        }
        Ok(())
    })
    .await
}

fn reception(procedure: &str, unit: &str, applicant: Applicant) -> Reception {
    Reception {
        procedure: procedure.to_owned(),
        unit: unit.to_owned(),
        channel: Channel::Direct,
        online_level: None,
        components_total: 1,
        components_digitized: 1,
        fee_vnd: 0,
        applicant,
        request: String::new(),
        components: Vec::new(),
    }
}

async fn a_procedure_of(store: &SqlStore, code: &str) -> Result<String, Error> {
    let u = store
        .units()
        .await?
        .into_iter()
        .find(|u| u.code.as_str() == code)
        .ok_or("no unit")?;
    Ok(store
        .procedures()
        .await?
        .into_iter()
        .find(|p| p.offered_by_unit(&u))
        .ok_or("no procedure")?
        .code
        .to_string())
}

#[tokio::test]
async fn a_page_does_not_shift_when_dossiers_arrive() -> TestResult {
    for_each_db(async |db| {
        let store = loaded(db).await?;
        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let viewer = officer("xem", "vinh-linh", Role::Viewer)?;
        let now = Timestamp::parse("2024-06-03T09:00:00+07:00")?;
        let district = unit("vinh-linh")?;
        // The latest received first: what arrives now goes on top.
        let first = query(SortKey::Received, SortDir::Desc, PageAt::First);
        let page1 =
            lists::worklist(&store, &viewer, &district, WorkStatus::All, &first, now).await?;
        assert_eq!(
            page1.rows.len(),
            PAGE_SIZE,
            "the fixture's worklist is long"
        );
        let next = page1.next.clone().ok_or("a second page")?;
        let second = query(SortKey::Received, SortDir::Desc, PageAt::After(next));
        let page2 =
            lists::worklist(&store, &viewer, &district, WorkStatus::All, &second, now).await?;
        let procedure = a_procedure_of(&store, "ho-xa").await?;
        for minute in 0..3 {
            desk::receive(
                &store,
                &desk_officer,
                &reception(&procedure, "ho-xa", Applicant::default()),
                &at(&desk_officer, &format!("2024-06-03T09:0{minute}:00+07:00"))?,
            )
            .await?;
        }
        let again =
            lists::worklist(&store, &viewer, &district, WorkStatus::All, &second, now).await?;
        let rows = |w: &lists::Worklist| codes(w.rows.iter().map(|r| &r.held));
        assert_eq!(rows(&again), rows(&page2), "the second page moved");
        let top = lists::worklist(&store, &viewer, &district, WorkStatus::All, &first, now).await?;
        assert_eq!(top.counts.all, page1.counts.all + 3);
        assert!(
            rows(&top)[..3]
                .iter()
                .all(|c| c.starts_with("HO-XA-240603-"))
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn settled_dossiers_wait_in_the_worklist_until_handed_back() -> TestResult {
    for_each_db(async |db| {
        let store = loaded(db).await?;
        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let specialist = officer("chuyen-vien", "ho-xa", Role::Specialist)?;
        let leader = officer("lanh-dao", "ho-xa", Role::Leader)?;
        let procedure = a_procedure_of(&store, "ho-xa").await?;
        let h = desk::receive(
            &store,
            &desk_officer,
            &reception(&procedure, "ho-xa", Applicant::default()),
            &at(&desk_officer, "2024-06-03T08:00:00+07:00")?,
        )
        .await?;
        let code = h.dossier.code.to_string();
        let steps = [
            (
                &specialist,
                Step::StartProcessing,
                "2024-06-03T08:30:00+07:00",
            ),
            (
                &specialist,
                Step::ProposeApproval {
                    result_digitized: false,
                },
                "2024-06-03T08:45:00+07:00",
            ),
            // Only the leader settles it.
            (
                &leader,
                Step::Approve {
                    result_digitized: false,
                },
                "2024-06-03T09:00:00+07:00",
            ),
        ];
        for (p, step, t) in steps {
            desk::take_step(&store, p, &code, &step, &at(p, t)?).await?;
        }
        let now = Timestamp::parse("2024-06-03T10:00:00+07:00")?;
        let ho_xa = unit("ho-xa")?;
        let q = query(SortKey::Due, SortDir::Asc, PageAt::First);
        let waiting = lists::worklist(
            &store,
            &desk_officer,
            &ho_xa,
            WorkStatus::AwaitingReturn,
            &q,
            now,
        )
        .await?;
        let row = waiting
            .rows
            .iter()
            .find(|r| r.held.dossier.code.as_str() == code)
            .ok_or("the settled dossier left the worklist")?;
        assert_eq!(row.urgency, Urgency::AwaitingReturn);
        assert_eq!(waiting.counts.awaiting_return, waiting.rows.len() as u64);
        let all =
            lists::worklist_rows(&store, &desk_officer, &ho_xa, WorkStatus::All, &q, now).await?;
        assert!(all.iter().any(|r| r.held.dossier.code.as_str() == code));
        let open =
            lists::worklist_rows(&store, &desk_officer, &ho_xa, WorkStatus::Open, &q, now).await?;
        assert!(!open.iter().any(|r| r.held.dossier.code.as_str() == code));
        // Handed back: it leaves the worklist.
        desk::take_step(
            &store,
            &desk_officer,
            &code,
            &Step::ReturnResult { collected_by: None },
            &at(&desk_officer, "2024-06-03T10:30:00+07:00")?,
        )
        .await?;
        let all =
            lists::worklist_rows(&store, &desk_officer, &ho_xa, WorkStatus::All, &q, now).await?;
        assert!(!all.iter().any(|r| r.held.dossier.code.as_str() == code));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_search_finds_by_each_key_and_nothing_outside_the_subtree() -> TestResult {
    for_each_db(async |db| {
        let store = loaded(db).await?;
        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let procedure = a_procedure_of(&store, "ho-xa").await?;
        let applicant = Applicant {
            name: "Nguyễn Thị Hoa".to_owned(),
            id_number: "045 090 001 234".to_owned(),
            address: "Khu phố 3, Hồ Xá".to_owned(),
            phone: "0912.345.678".to_owned(),
            email: String::new(),
        };
        let h = desk::receive(
            &store,
            &desk_officer,
            &reception(&procedure, "ho-xa", applicant),
            &at(&desk_officer, "2024-06-03T08:00:00+07:00")?,
        )
        .await?;
        let code = h.dossier.code.to_string();
        let ho_xa = unit("ho-xa")?;
        let district = unit("vinh-linh")?;
        let district_viewer = officer("xem", "vinh-linh", Role::Viewer)?;
        let outsider = officer("tiep-nhan-khe", "vinh-khe", Role::Reception)?;
        let vinh_khe = unit("vinh-khe")?;
        let found = |f: Found| match f {
            Found::List(rows) => codes(&rows),
            Found::Dossier(c) => vec![format!("open:{c}")],
        };
        // The exact code opens the dossier, typed in any case.
        for typed in [code.clone(), code.to_lowercase(), format!("  {code} ")] {
            let f = lists::search(&store, &desk_officer, &ho_xa, &typed).await?;
            assert_eq!(found(f), [format!("open:{code}")], "{typed}");
        }
        for typed in [
            "nguyen thi hoa",
            "Nguyễn Thị Hoa",
            "thị hoa",
            "NGUYEN HOA",
            "0912345678",
            "+84 912 345 678",
            "045090001234",
            &code[..code.len() - 2],
        ] {
            let f = lists::search(&store, &desk_officer, &ho_xa, typed).await?;
            assert!(found(f).contains(&code), "by «{typed}»");
            let f = lists::search(&store, &district_viewer, &district, typed).await?;
            assert!(found(f).contains(&code), "the district by «{typed}»");
            // Another commune finds nothing of Hồ Xá's, not even by the exact code.
            let f = lists::search(&store, &outsider, &vinh_khe, typed).await?;
            assert!(!found(f).contains(&code), "outside by «{typed}»");
        }
        let f = lists::search(&store, &outsider, &vinh_khe, &code).await?;
        assert_eq!(found(f), Vec::<String>::new());
        // Nor may it ask for Hồ Xá's subtree.
        let e = lists::search(&store, &outsider, &ho_xa, "hoa").await;
        assert!(e.is_err());
        // A word that no applicant has finds nothing; wildcards are plain characters.
        for typed in ["Trần Văn Bình", "%", "_"] {
            let f = lists::search(&store, &desk_officer, &ho_xa, typed).await?;
            assert!(!found(f).contains(&code), "by «{typed}»");
        }
        Ok(())
    })
    .await
}

// "Đến hạn" ends two working days from now on the calendar of the unit handling each dossier:
// a commune with office hours of its own gets its own end, whatever unit's list is open, and
// the filter, the counts and each row's label agree.
#[tokio::test]
async fn due_soon_follows_each_handling_units_calendar() -> TestResult {
    for_each_db(async |db| {
        let store = loaded(db).await?;
        let ctx = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
        let mut units = store.units().await?;
        let own = units
            .iter_mut()
            .find(|u| u.code.as_str() == "ho-xa")
            .ok_or("ho-xa")?;
        own.office_hours = Some("07:30-11:30;13:00-16:30".parse()?);
        let commune = own.clone();
        store
            .apply_import(
                &motcua_core::interchange::ImportPlan {
                    units: vec![commune.clone()],
                    procedures: Vec::new(),
                    dossiers: Vec::new(),
                },
                &ctx,
            )
            .await?;
        // A Monday after the close of the commune's day and before the district's.
        let now = Timestamp::parse("2024-06-10T16:45:00+07:00")?;
        let calendars = motcua_app::calendar::load(&store).await?;
        let by_default = calendars.default_working_days_after(now, 2)?;
        let at_commune = calendars.working_days_after(now, 2, &commune)?;
        assert_ne!(
            by_default, at_commune,
            "the two calendars must disagree here"
        );
        // Due between the two ends: due soon for one calendar and not for the other.
        let due =
            Timestamp::from_micros(by_default.as_micros().min(at_commune.as_micros()) + 60_000_000);
        assert!(due < by_default.max(at_commune));
        let procedure = a_procedure_of(&store, "ho-xa").await?;
        let other = a_procedure_of(&store, "ben-quan").await?;
        let received = Timestamp::parse("2024-06-10T08:00:00+07:00")?;
        let dossiers = vec![
            motcua_testkit::DossierBuilder::new("HO-XA-DS-1", "ho-xa", procedure.as_str())
                .received(received)
                .due(due)
                .build(),
            motcua_testkit::DossierBuilder::new("BEN-QUAN-DS-1", "ben-quan", other.as_str())
                .received(received)
                .due(due)
                .build(),
        ];
        store
            .apply_import(
                &motcua_core::interchange::ImportPlan {
                    units: Vec::new(),
                    procedures: Vec::new(),
                    dossiers: dossiers
                        .into_iter()
                        .zip(2..)
                        .map(|(value, line)| motcua_core::interchange::Located { line, value })
                        .collect(),
                },
                &ctx,
            )
            .await?;
        let want_soon = |code: &str| {
            if code.starts_with("HO-XA") {
                due < at_commune
            } else {
                due < by_default
            }
        };
        let viewer = officer("xem", "vinh-linh", Role::Viewer)?;
        let q = query(SortKey::Due, SortDir::Asc, PageAt::First);
        for scope in ["vinh-linh", "ho-xa", "ben-quan"] {
            let u = unit(scope)?;
            let all = lists::worklist_rows(&store, &viewer, &u, WorkStatus::All, &q, now).await?;
            let soon =
                lists::worklist_rows(&store, &viewer, &u, WorkStatus::DueSoon, &q, now).await?;
            let filtered: BTreeSet<String> =
                codes(soon.iter().map(|r| &r.held)).into_iter().collect();
            for row in &all {
                let code = row.held.dossier.code.to_string();
                // The filter "đến hạn" holds the dossiers labelled due today and due soon.
                let labelled = matches!(row.urgency, Urgency::DueSoon | Urgency::DueToday);
                assert_eq!(
                    labelled,
                    filtered.contains(&code),
                    "{scope}: {code}'s label and the filter disagree"
                );
                if code.ends_with("-DS-1") {
                    assert_eq!(
                        row.urgency == Urgency::DueSoon,
                        want_soon(&code),
                        "{scope}: {code}"
                    );
                }
            }
            let page = lists::worklist(&store, &viewer, &u, WorkStatus::All, &q, now).await?;
            assert_eq!(page.counts.due_soon, filtered.len() as u64, "{scope}");
        }
        Ok(())
    })
    .await
}

// The reception form's prefill: the latest dossier of the clerk's subtree whose applicant has
// the ID number, however it is spaced or cased, by the indexed search key.
#[tokio::test]
async fn the_prefill_finds_the_latest_applicant_by_id_number() -> TestResult {
    for_each_db(async |db| {
        let store = loaded(db).await?;
        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let procedure = a_procedure_of(&store, "ho-xa").await?;
        let person = |name: &str, id: &str| Applicant {
            name: name.to_owned(),
            id_number: id.to_owned(),
            ..Applicant::default()
        };
        let mut received = Vec::new();
        for (minute, applicant) in [
            (0, person("Nguyễn Thị Hoa", "045090001234")),
            (1, person("Nguyễn Thị Hoa (mới)", "045 090 001 234")),
            (2, person("Lê Văn Nam", "b1234567")),
        ] {
            let h = desk::receive(
                &store,
                &desk_officer,
                &reception(&procedure, "ho-xa", applicant),
                &at(&desk_officer, &format!("2024-06-03T08:0{minute}:00+07:00"))?,
            )
            .await?;
            received.push(h.dossier.code.to_string());
        }
        let scope = |code: &str| -> Result<Vec<UnitCode>, Error> { Ok(vec![unit(code)?]) };
        let ho_xa = scope("ho-xa")?;
        let found = store.latest_applicant(&ho_xa, "045090001234").await?;
        let (code, applicant) = found.ok_or("found")?;
        assert_eq!(code.to_string(), received[1], "the latest of the two");
        assert_eq!(applicant.name, "Nguyễn Thị Hoa (mới)");
        for typed in ["045 090 001 234", " 045-090-001-234 "] {
            let (code, _) = store.latest_applicant(&ho_xa, typed).await?.ok_or(typed)?;
            assert_eq!(code.to_string(), received[1], "«{typed}»");
        }
        let (code, a) = store
            .latest_applicant(&ho_xa, "B1234567")
            .await?
            .ok_or("B")?;
        assert_eq!(
            (code.to_string(), a.name.as_str()),
            (received[2].clone(), "Lê Văn Nam")
        );
        // Not outside the units given, not by a part of the number, not by nothing.
        assert_eq!(
            store
                .latest_applicant(&scope("vinh-khe")?, "045090001234")
                .await?,
            None
        );
        assert_eq!(store.latest_applicant(&ho_xa, "04509000123").await?, None);
        assert_eq!(store.latest_applicant(&ho_xa, " - ").await?, None);
        Ok(())
    })
    .await
}
