//! The generated data: deterministic, shaped like the country, valid dossier by dossier,
//! importable as a whole, and with the mixes it promises.

use std::collections::{HashMap, HashSet};

use motcua_core::Timestamp;
use motcua_core::dossier::{
    Channel, Dossier, Outcome, PaymentChannel, SourceSystem, SubmissionLevel,
};
use motcua_core::interchange::{Existing, ImportFiles, ImportOptions, plan_import};
use motcua_core::timestamp::Month;
use motcua_core::unit::{UnitKind, UnitTree};
use motcua_gen::{Config, Generator};

type TestResult = Result<(), Box<dyn std::error::Error>>;
/// `units.csv`, `procedures.csv` and `dossiers.csv`, in memory.
type Files = (Vec<u8>, Vec<u8>, Vec<u8>);

fn config(seed: u64, dossiers: u64) -> Result<Config, Box<dyn std::error::Error>> {
    Ok(Config::new(seed, dossiers, "2025-01".parse()?, 12))
}

/// The three files of a generator.
fn files(g: &Generator) -> Result<Files, Box<dyn std::error::Error>> {
    let (mut u, mut p, mut d) = (Vec::new(), Vec::new(), Vec::new());
    g.write(&mut u, &mut p, &mut d)?;
    Ok((u, p, d))
}

#[test]
fn same_seed_same_bytes_other_seed_other_dossiers() -> TestResult {
    let a = files(&Generator::new(config(42, 2_000)?)?)?;
    let b = files(&Generator::new(config(42, 2_000)?)?)?;
    assert!(a == b, "two runs of seed 42 differ");
    let c = files(&Generator::new(config(43, 2_000)?)?)?;
    assert_eq!(a.0, c.0, "the units do not depend on the seed");
    assert_eq!(a.1, c.1, "the catalogue does not depend on the seed");
    assert_ne!(a.2, c.2, "another seed gives other dossiers");
    // The stream can be replayed from the same generator.
    let g = Generator::new(config(42, 500)?)?;
    assert!(g.dossiers().eq(g.dossiers()));
    assert_eq!(g.dossiers().count(), 500);
    Ok(())
}

#[test]
fn the_country_has_34_provinces_and_3321_communes() -> TestResult {
    let g = Generator::new(config(1, 0)?)?;
    let kinds = |kind| g.units().iter().filter(|u| u.kind == kind).count();
    assert_eq!(kinds(UnitKind::Province), 34);
    assert_eq!(kinds(UnitKind::Commune), 3_321);
    assert_eq!(g.units().len(), 1 + 34 + 3_321);
    let tree = UnitTree::new(g.units().to_vec())?;
    let root = tree.root().ok_or("no root")?;
    assert_eq!(root.code.as_str(), "vn");
    assert_eq!(tree.leaves(&root.code).len(), 3_321);
    let mut per_province: HashMap<&str, usize> = HashMap::new();
    for u in g.units().iter().filter(|u| u.kind == UnitKind::Commune) {
        let parent = tree.get(u.parent.as_ref().ok_or("commune without parent")?);
        let parent = parent.ok_or("unknown parent")?;
        assert_eq!(parent.kind, UnitKind::Province, "{}", u.code);
        *per_province.entry(parent.code.as_str()).or_default() += 1;
        assert!(
            ["xã", "phường", "đặc khu"].contains(&u.label.as_str()),
            "{}",
            u.label
        );
        assert_eq!(u.name, format!("UBND {} {}", u.label, u.short_name));
    }
    assert_eq!(per_province.len(), 34);
    let (min, max) = (
        per_province.values().min().copied().unwrap_or(0),
        per_province.values().max().copied().unwrap_or(0),
    );
    assert!(
        min >= 35 && max <= 170 && max > 3 * min,
        "sizes {min}–{max}"
    );
    let labels = |label: &str| g.units().iter().filter(|u| u.label == label).count();
    assert_eq!(labels("đặc khu"), 13);
    assert!(
        (400..=1_000).contains(&labels("phường")),
        "{} phường",
        labels("phường")
    );
    assert!(tree.find("ha-noi").is_some() && tree.find("phu-quoc").is_some());
    // Every procedure is offered by communes or provinces, and some by both.
    let procedures: Vec<_> = g.procedures().collect();
    assert!(
        (200..=400).contains(&procedures.len()),
        "{}",
        procedures.len()
    );
    let fields: HashSet<&str> = procedures.iter().map(|p| p.field.as_str()).collect();
    for field in ["Hộ tịch", "Chứng thực", "Đất đai", "Tư pháp", "Kinh doanh"] {
        assert!(fields.contains(field), "{field}");
    }
    let commune = tree.find("phu-quoc").ok_or("phu-quoc")?;
    let province = tree.find("ha-noi").ok_or("ha-noi")?;
    assert!(
        procedures
            .iter()
            .any(|p| p.offered_by_unit(commune) && p.offered_by_unit(province))
    );
    assert!(
        !procedures.iter().any(|p| p.offered_by_unit(root)),
        "the root offers nothing"
    );
    Ok(())
}

#[test]
fn every_dossier_passes_the_rules_and_the_import_plan() -> TestResult {
    let g = Generator::new(config(3, 5_000)?)?;
    let mut codes = HashSet::new();
    let mut previous = Timestamp::from_micros(0);
    let end = "2026-01".parse::<Month>()?.start();
    let calendar = motcua_calendar::WorkCalendar::bundled(
        2025..=2025,
        motcua_calendar::OfficeHours::default(),
    )?;
    for d in g.dossiers() {
        assert_eq!(d.check(), vec![], "{}", d.code);
        assert!(codes.insert(d.code.clone()), "duplicate code {}", d.code);
        assert!(d.received_at >= previous, "in order of reception");
        previous = d.received_at;
        assert!(d.received_at < end && d.due_at >= d.received_at);
        for t in [d.resolved_at, d.returned_at, d.paid_at]
            .into_iter()
            .flatten()
        {
            assert!(t >= d.received_at && t < end, "{}: {t} outside", d.code);
        }
        // Received in office hours on a working day.
        let local = d.received_at.to_local();
        assert_eq!(
            calendar.is_working_day(local.date()),
            Some(true),
            "{}",
            d.code
        );
        let minute = u16::from(local.hour()) * 60 + u16::from(local.minute());
        assert!(
            (420..690).contains(&minute) || (810..1020).contains(&minute),
            "{}: {local}",
            d.code
        );
        // The code follows the desk's scheme: UNIT-YYMMDD-NNNN.
        let date = local.date();
        let prefix = format!(
            "{}-{:02}{:02}{:02}-",
            d.unit_code.as_str().to_uppercase(),
            date.year() % 100,
            date.month() as u8,
            date.day()
        );
        assert!(
            d.code.as_str().starts_with(&prefix),
            "{} ≠ {prefix}…",
            d.code
        );
    }
    assert_eq!(codes.len(), 5_000);

    let (units, procedures, dossiers) = files(&g)?;
    let plan = plan_import(
        ImportFiles {
            units: Some(("units.csv", &units)),
            procedures: Some(("procedures.csv", &procedures)),
            procedure_components: None,
            dossiers: Some(("dossiers.csv", &dossiers)),
        },
        Existing::default(),
        // After the generated year, as an import would be made.
        ImportOptions::at(Timestamp::parse("2026-01-05T09:00:00+07:00")?),
        &|_, _, _| Err("every generated dossier has its due_at".to_owned()),
    )
    .map_err(|issues| format!("{} issues, first: {:?}", issues.len(), issues.first()))?;
    assert_eq!(plan.units.len(), 3_356);
    assert_eq!(plan.dossiers.len(), 5_000);
    // What is read back is what was generated.
    let read: Vec<Dossier> = plan.dossiers.into_iter().map(|l| l.value).collect();
    assert!(read.iter().eq(g.dossiers().collect::<Vec<_>>().iter()));
    Ok(())
}

#[test]
fn the_stream_holds_one_day_at_a_time() -> TestResult {
    // Ten million dossiers: taking the first few generates only the first day's minutes.
    let g = Generator::new(config(1, 10_000_000)?)?;
    let first: Vec<Dossier> = g.dossiers().take(3).collect();
    assert_eq!(first.len(), 3);
    assert_eq!(
        first[0].received_at.local_date(),
        time::macros::date!(2025 - 01 - 02),
        "1 January is a holiday"
    );
    Ok(())
}

#[test]
fn mixes_are_those_of_a_real_year() -> TestResult {
    let n = 20_000;
    let g = Generator::new(config(11, n)?)?;
    let communes: HashSet<String> = g
        .units()
        .iter()
        .filter(|u| u.kind == UnitKind::Commune)
        .map(|u| u.code.to_string())
        .collect();
    let mut c: HashMap<&str, u64> = HashMap::new();
    let mut per_unit: HashMap<String, u64> = HashMap::new();
    let mut add = |k: &'static str, yes: bool| *c.entry(k).or_default() += u64::from(yes);
    for d in g.dossiers() {
        if communes.contains(d.unit_code.as_str()) {
            *per_unit.entry(d.unit_code.to_string()).or_default() += 1;
        }
        add("province", !communes.contains(d.unit_code.as_str()));
        let online = d.channel == Channel::Online;
        add("online", online);
        add("online_full", d.online_level == Some(SubmissionLevel::Full));
        add("postal", d.channel == Channel::Postal);
        add("resolved", d.is_resolved());
        add("withdrawn", d.outcome == Some(Outcome::Withdrawn));
        add("approved", d.outcome == Some(Outcome::Approved));
        let late = d.is_resolved() && d.resolved_at.is_some_and(|r| r > d.due_at);
        add("late", late);
        add("pending", d.resolved_at.is_none());
        add("digitized", d.components_digitized == d.components_total);
        add("result_digitized", d.result_digitized == Some(true));
        add("fee", d.fee_vnd > 0);
        add("paid", d.payment_channel.is_some());
        add(
            "paid_online",
            d.payment_channel == Some(PaymentChannel::Online),
        );
        add(
            "e_receipt",
            d.payment_channel.is_some() && d.e_receipt == Some(true),
        );
        add("old", d.source_system == SourceSystem::Old);
        let december = d.received_at >= "2025-12".parse::<Month>()?.start();
        add("december", december);
        add("pending_december", december && d.resolved_at.is_none());
    }
    let share = |num: &str, den: u64| c.get(num).copied().unwrap_or(0) as f64 / den.max(1) as f64;
    let get = |k: &str| c.get(k).copied().unwrap_or(0);
    let within = |what: &str, value: f64, lo: f64, hi: f64| {
        assert!(
            (lo..=hi).contains(&value),
            "{what}: {value:.4} not in [{lo}, {hi}]"
        );
    };
    within("received by provinces", share("province", n), 0.12, 0.18);
    within("online", share("online", n), 0.42, 0.48);
    within(
        "full of online",
        share("online_full", get("online")),
        0.56,
        0.64,
    );
    within("postal", share("postal", n), 0.01, 0.03);
    within("resolved", share("resolved", n), 0.90, 0.96);
    within("withdrawn", share("withdrawn", n), 0.005, 0.016);
    within(
        "late of resolved",
        share("late", get("resolved")),
        0.02,
        0.045,
    );
    within(
        "approved of resolved",
        share("approved", get("resolved")),
        0.95,
        0.99,
    );
    within("fully digitized", share("digitized", n), 0.82, 0.88);
    within(
        "result digitized",
        share("result_digitized", get("approved")),
        0.77,
        0.83,
    );
    within("fee", share("fee", n), 0.27, 0.33);
    within("paid online", share("paid_online", get("paid")), 0.55, 0.65);
    within("e-receipt", share("e_receipt", get("paid")), 0.82, 0.88);
    within("old system", share("old", n), 0.001, 0.01);
    // More pending near the end of the period than over the year.
    assert!(
        share("pending_december", get("december")) > 2.0 * share("pending", n),
        "{c:?}"
    );
    // A few big communes, many small ones (20,000 dossiers over 3,321 communes: a median
    // commune receives a handful, the busiest well over a hundred).
    let mut counts: Vec<u64> = per_unit.values().copied().collect();
    counts.sort_unstable();
    let median = counts[counts.len() / 2];
    let top = counts.last().copied().unwrap_or(0);
    assert!(top >= 8 * median.max(1), "busiest {top}, median {median}");
    Ok(())
}

#[tokio::test]
async fn the_folder_imports_cleanly_into_the_store() -> TestResult {
    let dir = tempfile::tempdir()?;
    let summary = motcua_gen::write_dir(dir.path(), config(5, 3_000)?)?;
    assert_eq!(summary.dossiers, 3_000);
    assert_eq!((summary.provinces, summary.communes), (34, 3_321));
    motcua_testkit::for_each_db(async |db| {
        let store = motcua_store::SqlStore::connect(&db.url).await?;
        let at = Timestamp::parse("2026-01-05T09:00:00+07:00")?;
        let s =
            motcua_app::import_dir(&store, dir.path(), &motcua_testkit::ctx("test", at)).await?;
        assert_eq!(s.units, 3_356, "{}", db.backend);
        assert_eq!(s.dossiers_inserted, 3_000, "{}", db.backend);
        // The national scope adds up over the year.
        let report = motcua_app::indicators(&store, "vn", "2025-06".parse()?).await?;
        let counts = &report.counts;
        assert!(counts.received > 100, "{}: {counts:?}", db.backend);
        assert_eq!(
            counts.received + counts.carried_over,
            counts.resolved + counts.withdrawn + counts.pending
        );
        assert!(counts.received_online > 0 && counts.resolved_early > 0);
        assert!(counts.online_services_offered > 0);
        // Re-importing the same folder changes nothing.
        let again =
            motcua_app::import_dir(&store, dir.path(), &motcua_testkit::ctx("test", at)).await?;
        assert_eq!(again.dossiers_unchanged, 3_000, "{}", db.backend);
        store.close().await?;
        Ok(())
    })
    .await
}
