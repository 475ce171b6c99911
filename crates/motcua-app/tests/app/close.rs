//! Month close (chốt số liệu) of the Vĩnh Linh fixture, on SQLite and (with
//! TEST_DATABASE_URL) PostgreSQL: the frozen figures equal the live ones at the close; a
//! dossier of May added afterwards leaves them as they were and shows as the exact
//! difference (indicators, the previous month of June, the trend, the report); the
//! aggregates still verify; a second close and a close of an unfinished month are refused;
//! the frozen rows cannot be edited.

use motcua_app::{AppError, close_month, import_dir, indicators, indicators_recounted};
use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::access::AuditFilter;
use motcua_core::close::CloseError;
use motcua_core::close::MonthClose;
use motcua_core::counts::CountId;
use motcua_core::indicators::IndicatorReport;
use motcua_core::rates::Rates;
use motcua_core::timestamp::Month;
use motcua_store::SqlStore;
use motcua_testkit::{TestDb, for_each_db};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A dossier of Hồ Xá received and approved in May, imported after the close.
const LATE_DOSSIER: &str = "code,procedure_code,unit_code,channel,online_level,received_at,due_at,resolved_at,outcome,returned_at,components_total,components_digitized,result_digitized,fee_vnd,payment_channel,paid_at,e_receipt,source_system
HO-XA-240520-9001,9.100010,ho-xa,online,full,2024-05-20T08:00:00+07:00,2024-05-29T08:00:00+07:00,2024-05-22T10:00:00+07:00,approved,2024-05-22T15:00:00+07:00,2,2,true,0,,,false,new
";

fn at(text: &str) -> Result<Timestamp, Box<dyn std::error::Error>> {
    Ok(Timestamp::parse(text)?)
}

/// May and June of 2024.
fn months() -> Result<(Month, Month), Box<dyn std::error::Error>> {
    Ok(("2024-05".parse()?, "2024-06".parse()?))
}

/// What the cases start from: the fixture imported, May's indicators and trend before any
/// close, then (see [`closed_may`]) May closed on 5 June at 09:30.
struct Closed {
    store: SqlStore,
    before: IndicatorReport,
    trend_before: Vec<(Month, Rates)>,
    close: MonthClose,
    ctx: AuditContext,
}

async fn loaded(db: &TestDb) -> Result<SqlStore, Box<dyn std::error::Error>> {
    let store = SqlStore::connect(&db.url).await?;
    let loaded = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
    import_dir(&store, &motcua_testkit::vinh_linh(), &loaded).await?;
    Ok(store)
}

async fn closed_may(db: &TestDb) -> Result<Closed, Box<dyn std::error::Error>> {
    let b = db.backend;
    let (may, _) = months()?;
    let store = loaded(db).await?;
    let before = indicators(&store, "vinh-linh", may).await?;
    assert!(before.closed.is_none(), "{b}: May is not closed yet");
    let trend_before = motcua_app::trend(&store, "vinh-linh", may, 2).await?;
    let ctx = motcua_testkit::ctx("user:district-admin", at("2024-06-05T09:30:00+07:00")?);
    let close = close_month(&store, may, &ctx).await?;
    assert_eq!(close.month, may);
    assert_eq!(close.actor, "user:district-admin");
    assert_eq!(motcua_app::month_closes(&store).await?, vec![close.clone()]);
    Ok(Closed {
        store,
        before,
        trend_before,
        close,
        ctx,
    })
}

#[tokio::test]
async fn closing_a_month_not_yet_ended_is_refused_and_writes_nothing() -> TestResult {
    let (_, june) = months()?;
    for_each_db(async |db| {
        let b = db.backend;
        let store = loaded(db).await?;
        // Closing the current month is refused, and writes nothing.
        let early = motcua_testkit::ctx("user:district-admin", at("2024-06-20T10:00:00+07:00")?);
        match close_month(&store, june, &early).await {
            Err(AppError::Close(CloseError::NotEnded(m))) => assert_eq!(m, june),
            other => panic!("{b}: closing June on 20/06 gave {other:?}"),
        }
        assert!(motcua_app::month_closes(&store).await?.is_empty());

        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_closed_month_keeps_the_figures_of_its_close() -> TestResult {
    let (may, _) = months()?;
    for_each_db(async |db| {
        let b = db.backend;
        let Closed {
            store,
            before,
            close,
            ctx,
            ..
        } = closed_may(db).await?;
        // At the close, the frozen figures are the live ones.
        let frozen = indicators(&store, "vinh-linh", may).await?;
        let closed = frozen.closed.clone().ok_or("closed key")?;
        assert_eq!(closed.at, ctx.at);
        assert_eq!(closed.by.as_deref(), Some("user:district-admin"));
        assert!(closed.changes.is_empty(), "{b}: {:?}", closed.changes);
        assert!(closed.units_changed.is_empty());
        assert!(closed.live.is_none());
        assert_eq!(
            motcua_core::indicators::IndicatorReport {
                closed: None,
                ..frozen.clone()
            },
            before,
            "{b}: the frozen indicators are the indicators of the close"
        );
        motcua_testkit::assert_expected(
            &frozen,
            &motcua_testkit::expected(&motcua_testkit::vinh_linh()),
        );
        let json = serde_json::to_value(&frozen)?;
        assert_eq!(json["closed"]["at"], "2024-06-05T09:30:00+07:00");
        assert_eq!(json["closed"]["changes"], serde_json::json!({}));
        assert!(json["closed"].get("live").is_none());
        // A month not closed has no `closed` key.
        let april = serde_json::to_value(indicators(&store, "vinh-linh", may.previous()).await?)?;
        assert!(april.get("closed").is_none(), "{b}");

        // The close is in the audit trail.
        let audit = store
            .audit(&AuditFilter {
                action: Some("month.close".to_owned()),
                limit: 10,
                ..AuditFilter::default()
            })
            .await?;
        assert_eq!(audit.len(), 1, "{b}");
        assert_eq!(audit[0].target, "2024-05");
        assert_eq!(audit[0].after["counts"]["received"], 2074);

        // Closing twice is refused, saying when it was closed.
        let again = motcua_testkit::ctx("cli:other", at("2024-07-01T08:00:00+07:00")?);
        let err = close_month(&store, may, &again)
            .await
            .err()
            .ok_or("a second close must be refused")?;
        assert!(
            matches!(&err, AppError::Close(CloseError::AlreadyClosed(c)) if *c == close),
            "{b}: {err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("Tháng 05/2024 đã được chốt số liệu ngày 05/06/2024"),
            "{err}"
        );

        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_dossier_added_after_the_close_shows_as_the_difference() -> TestResult {
    let (may, june) = months()?;
    for_each_db(async |db| {
        let b = db.backend;
        let Closed {
            store,
            before,
            trend_before,
            ..
        } = closed_may(db).await?;
        // A dossier of May arrives after the close.
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("dossiers.csv"), LATE_DOSSIER)?;
        let later = motcua_testkit::ctx("test", at("2024-06-10T08:00:00+07:00")?);
        let summary = import_dir(&store, dir.path(), &later).await?;
        assert_eq!(summary.dossiers_inserted, 1);

        let now = indicators(&store, "vinh-linh", may).await?;
        let live = indicators_recounted(&store, "vinh-linh", may).await?;
        assert_eq!(now.counts, before.counts, "{b}: frozen counts unchanged");
        assert_eq!(now.rates, before.rates, "{b}: frozen rates unchanged");
        assert_eq!(now.units, before.units, "{b}: frozen unit rows unchanged");
        assert_eq!(live.counts.received, before.counts.received + 1);
        let closed = now.closed.clone().ok_or("closed key")?;
        assert_eq!(
            closed.changes,
            motcua_core::close::changes(&before.counts, &live.counts),
            "{b}: the difference is live − frozen"
        );
        assert_eq!(closed.changes.get(&CountId::Received), Some(&1));
        assert_eq!(closed.changes.get(&CountId::Resolved), Some(&1));
        assert_eq!(closed.changes.get(&CountId::CarriedOver), None);
        assert_eq!(
            closed
                .units_changed
                .iter()
                .map(|u| u.as_str())
                .collect::<Vec<_>>(),
            vec!["ho-xa"]
        );
        assert_eq!(closed.live.map(|l| l.counts), Some(live.counts));
        // The commune's own view shows its own difference; a commune untouched shows none.
        let ho_xa = indicators(&store, "ho-xa", may).await?;
        assert_eq!(
            ho_xa
                .closed
                .as_ref()
                .and_then(|c| c.changes.get(&CountId::Received)),
            Some(&1)
        );
        let khe = indicators(&store, "vinh-khe", may).await?;
        assert!(khe.closed.as_ref().is_some_and(|c| c.changes.is_empty()));

        // June compares with the frozen May.
        let june_report = indicators(&store, "vinh-linh", june).await?;
        assert_eq!(june_report.previous.counts, before.counts, "{b}");
        assert!(june_report.closed.is_none());
        // The trend draws the frozen May too.
        assert_eq!(
            motcua_app::trend(&store, "vinh-linh", may, 2).await?,
            trend_before
        );

        // The report of May: frozen figures, and one sentence on what changed.
        let (_, narrative) = motcua_app::monthly_report(&store, "vinh-linh", may, motcua_testkit::after_fixture()).await?;
        let text = narrative.to_text();
        assert!(text.contains("đã tiếp nhận 2.074 hồ sơ"), "{text}");
        assert!(
            text.contains(
                "Sau khi chốt số liệu ngày 05/06/2024, có thay đổi: số hồ sơ tiếp nhận +1, số hồ sơ tiếp nhận trực tuyến +1, số hồ sơ trực tuyến toàn trình +1,"
            ),
            "{text}"
        );

        // The live aggregates followed the dossier as always.
        assert!(motcua_app::verify(&store).await?.is_empty(), "{b}");

        // The frozen figures cannot be edited, even by hand.
        assert!(
            store
                .execute_raw("UPDATE closed_counts SET received = 0")
                .await
                .is_err(),
            "{b}: closed_counts is append-only"
        );
        assert!(
            store.execute_raw("DELETE FROM month_closes").await.is_err(),
            "{b}: month_closes is append-only"
        );
        assert_eq!(
            indicators(&store, "vinh-linh", may).await?.counts,
            before.counts
        );
        store.close().await?;
        Ok(())
    })
    .await
}

/// A month long after the last dossier has no aggregate row: its figures are read as the live
/// indicators read them (the pending dossiers still pending), and frozen so.
#[tokio::test]
async fn a_month_without_rows_is_frozen_as_the_indicators_read_it() -> TestResult {
    let month: Month = "2025-01".parse()?;
    motcua_testkit::for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", at("2026-11-26T09:00:00+07:00")?);
        import_dir(&store, &motcua_testkit::vinh_linh(), &ctx).await?;
        let before = indicators(&store, "vinh-linh", month).await?;
        assert!(
            before.counts.pending > 0,
            "{}: the fixture leaves dossiers pending",
            db.backend
        );
        close_month(&store, month, &ctx).await?;
        let after = indicators(&store, "vinh-linh", month).await?;
        assert_eq!(after.counts, before.counts, "{}", db.backend);
        assert_eq!(after.units, before.units, "{}", db.backend);
        assert!(after.closed.is_some_and(|c| c.changes.is_empty()));
        store.close().await?;
        Ok(())
    })
    .await
}
