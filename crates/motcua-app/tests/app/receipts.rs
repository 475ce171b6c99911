//! E-receipt numbers: 50 concurrent issuances give 50 distinct consecutive numbers; each year
//! restarts at 1; the seventh digit is the limit; a refused issuance leaves no gap. Both
//! databases.

use motcua_core::Timestamp;
use motcua_core::dossier::{DossierCode, PaymentChannel};
use motcua_core::fees::NewReceipt;
use motcua_core::unit::UnitCode;
use motcua_store::{SqlStore, StoreError};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn receipt(dossier: &str, unit: &str, at: &str) -> Result<NewReceipt, Box<dyn std::error::Error>> {
    Ok(NewReceipt {
        unit: UnitCode::parse(unit)?,
        dossier: DossierCode::parse(dossier).ok_or("bad code")?,
        form_symbol: "01BLP0-001".to_owned(),
        series: "HX-24E".to_owned(),
        amount_vnd: 50_000,
        payment_channel: PaymentChannel::Offline,
        issued_at: Timestamp::parse(at)?,
        fee_kind: None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_issuances_get_fifty_consecutive_numbers() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        let loaded = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
        motcua_app::import_dir(&store, &motcua_testkit::vinh_linh(), &loaded).await?;
        // Dossiers of Hồ Xá to put receipts on.
        let codes: Vec<DossierCode> = store
            .dossiers()
            .await?
            .into_iter()
            .filter(|d| d.unit_code.as_str() == "ho-xa")
            .map(|d| d.code)
            .take(53)
            .collect();
        assert_eq!(codes.len(), 53);

        let mut tasks = Vec::new();
        for (i, code) in codes[..50].iter().enumerate() {
            let store = store.clone();
            let new = receipt(code.as_str(), "ho-xa", "2024-05-20T09:00:00+07:00")?;
            let ctx = motcua_testkit::ctx(&format!("user:officer-{i}"), new.issued_at);
            tasks.push(tokio::spawn(async move {
                store.issue_receipt(&new, &ctx, None).await
            }));
        }
        let mut numbers = Vec::new();
        for t in tasks {
            numbers.push(t.await??.number);
        }
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=50).collect::<Vec<i64>>(), "{}", db.backend);
        let stored = store.receipts(&UnitCode::parse("ho-xa")?, 2024).await?;
        assert_eq!(stored.len(), 50);
        assert_eq!(stored[0].number_text(), "0000001");
        assert!(
            store
                .dossier(&codes[0])
                .await?
                .and_then(|d| d.e_receipt)
                .unwrap_or(false),
            "the dossier's fee is now e-receipted"
        );

        // Another unit counts on its own; a new year restarts at 1.
        let other = store
            .dossiers()
            .await?
            .into_iter()
            .find(|d| d.unit_code.as_str() == "vinh-khe")
            .ok_or("no dossier")?;
        let r = store
            .issue_receipt(
                &receipt(other.code.as_str(), "vinh-khe", "2024-12-31T16:59:00+07:00")?,
                &ctx,
                None,
            )
            .await?;
        assert_eq!((r.year, r.number), (2024, 1));
        let r = store
            .issue_receipt(
                &receipt(codes[50].as_str(), "ho-xa", "2025-01-01T00:00:00+07:00")?,
                &ctx,
                None,
            )
            .await?;
        assert_eq!((r.year, r.number), (2025, 1), "1 January, UTC+7");

        // One receipt per dossier: a second one is refused.
        let e = store
            .issue_receipt(
                &receipt(codes[0].as_str(), "ho-xa", "2025-01-01T09:00:00+07:00")?,
                &ctx,
                None,
            )
            .await;
        match e {
            Err(StoreError::Refused(m)) => assert!(m.contains("đã được cấp biên lai số"), "{m}"),
            other => panic!("{other:?}"),
        }

        // A refused issuance (someone else's dossier) uses no number.
        let e = store
            .issue_receipt(
                &receipt(other.code.as_str(), "ho-xa", "2025-01-02T08:00:00+07:00")?,
                &ctx,
                None,
            )
            .await;
        assert!(matches!(e, Err(StoreError::Refused(_))), "{e:?}");
        let r = store
            .issue_receipt(
                &receipt(codes[51].as_str(), "ho-xa", "2025-01-02T08:00:00+07:00")?,
                &ctx,
                None,
            )
            .await?;
        assert_eq!(r.number, 2, "no gap after the refusals");

        // Seven digits at most.
        store
            .execute_raw(
                "UPDATE receipt_counters SET last_number = 9999999 WHERE unit_code = 'ho-xa' AND year = 2025",
            )
            .await?;
        let e = store
            .issue_receipt(
                &receipt(codes[52].as_str(), "ho-xa", "2025-01-03T08:00:00+07:00")?,
                &ctx,
                None,
            )
            .await;
        match e {
            Err(StoreError::Refused(m)) => assert!(m.contains("hết dãy số"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            store
                .receipts(&UnitCode::parse("ho-xa")?, 2025)
                .await?
                .len(),
            2
        );

        // Receipts are financial documents: the database refuses changes.
        assert!(store.execute_raw("DELETE FROM receipts").await.is_err());
        assert!(
            store
                .execute_raw("UPDATE receipts SET amount_vnd = 1")
                .await
                .is_err()
        );
        // Every issuance is audited with its actor.
        let trail = store
            .audit(&motcua_core::access::AuditFilter {
                actor: Some("user:officer-7".to_owned()),
                ..Default::default()
            })
            .await?;
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].action, "receipt.issue");
        store.close().await?;
        Ok(())
    })
    .await
}

/// The numbers of printed forms (issue 17, item 9): a form keeps the number of its first
/// print; concurrent first prints of different dossiers get consecutive numbers; each form
/// and year has its own series; the table is append-only. And a receipt keeps its fee kind.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn printed_forms_keep_the_number_of_their_first_print() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let loaded = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
        motcua_app::import_dir(&store, &motcua_testkit::vinh_linh(), &loaded).await?;
        let unit = UnitCode::parse("ho-xa")?;
        let codes: Vec<DossierCode> = store
            .dossiers()
            .await?
            .into_iter()
            .filter(|d| d.unit_code == unit)
            .map(|d| d.code)
            .take(10)
            .collect();
        let at = Timestamp::parse("2024-05-20T09:00:00+07:00")?;
        let mut tasks = Vec::new();
        for code in codes.clone() {
            let (store, unit) = (store.clone(), unit.clone());
            tasks.push(tokio::spawn(async move {
                store.slip_number(&unit, "apology", &code, at).await
            }));
        }
        let mut numbers = Vec::new();
        for t in tasks {
            numbers.push(t.await??);
        }
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=10).collect::<Vec<i64>>(), "{}", db.backend);
        // Printed again: the same number.
        let again = store.slip_number(&unit, "apology", &codes[3], at).await?;
        let first = store.slip_number(&unit, "apology", &codes[3], at).await?;
        assert_eq!(again, first);
        // Another form, another year: their own series.
        assert_eq!(
            store
                .slip_number(&unit, "supplement", &codes[0], at)
                .await?,
            1
        );
        let next_year = Timestamp::parse("2025-01-02T09:00:00+07:00")?;
        assert_eq!(
            store
                .slip_number(&unit, "apology", &codes[0], next_year)
                .await?,
            1
        );
        assert!(store.execute_raw("DELETE FROM slip_numbers").await.is_err());
        assert!(
            store
                .execute_raw("UPDATE slip_numbers SET number = 99")
                .await
                .is_err()
        );

        // The fee kind comes back with the receipt.
        let mut new = receipt(codes[0].as_str(), "ho-xa", "2024-05-20T09:00:00+07:00")?;
        new.fee_kind = Some(motcua_core::fees::FeeKind::Fee);
        let ctx = motcua_testkit::ctx("user:lan", new.issued_at);
        store.issue_receipt(&new, &ctx, None).await?;
        let stored = store.dossier_receipts(&codes[0]).await?;
        assert_eq!(stored[0].fee_kind, Some(motcua_core::fees::FeeKind::Fee));
        Ok(())
    })
    .await
}
