//! Bank transfers at the desk (VietQR), on both databases: the unit's account (inherited by
//! the units below), the officer's confirmation, and the bank statement import — each credit
//! naming a dossier with its exact unpaid fee pays it at the transfer's time; the other lines
//! are reported (amount differs, paid already, no dossier, outside the importer's units, not
//! money received); a second import records nothing more; a bad file records nothing.

use motcua_app::AppError;
use motcua_app::desk::{self, Reception, TransferOutcome};
use motcua_core::Timestamp;
use motcua_core::access::{AuditFilter, Principal, Role};
use motcua_core::dossier::{Channel, PaymentChannel};
use motcua_core::history::EventDetail;
use motcua_core::vietqr::BankAccount;
use motcua_store::SqlStore;
use motcua_testkit::{TestDb, acting as at, for_each_db, officer};

type TestResult = Result<(), Box<dyn std::error::Error>>;

struct Setup {
    store: SqlStore,
    ho_xa: Principal,
    khe: Principal,
    reception: Reception,
}

async fn setup(db: &TestDb) -> Result<Setup, Box<dyn std::error::Error>> {
    let store = SqlStore::connect(&db.url).await?;
    motcua_app::import_dir(
        &store,
        &motcua_testkit::vinh_linh(),
        &motcua_testkit::ctx("test", motcua_testkit::after_fixture()),
    )
    .await?;
    let units = store.units().await?;
    let ho_xa_unit = units
        .iter()
        .find(|u| u.code.as_str() == "ho-xa")
        .ok_or("ho-xa")?;
    let khe_unit = units
        .iter()
        .find(|u| u.code.as_str() == "vinh-khe")
        .ok_or("vinh-khe")?;
    let procedure = store
        .procedures()
        .await?
        .into_iter()
        .find(|p| p.offered_by_unit(ho_xa_unit) && p.offered_by_unit(khe_unit))
        .ok_or("no procedure of both communes")?;
    Ok(Setup {
        store,
        ho_xa: officer("tiep-nhan", "ho-xa", Role::Reception)?,
        khe: officer("tiep-nhan-khe", "vinh-khe", Role::Reception)?,
        reception: Reception {
            procedure: procedure.code.to_string(),
            unit: "ho-xa".to_owned(),
            channel: Channel::Direct,
            online_level: None,
            components_total: 1,
            components_digitized: 1,
            fee_vnd: 50_000,
            applicant: Default::default(),
            request: String::new(),
            components: Vec::new(),
        },
    })
}

impl Setup {
    async fn receive(
        &self,
        who: &Principal,
        unit: &str,
        t: &str,
    ) -> Result<String, Box<dyn std::error::Error>> {
        let mut r = self.reception.clone();
        r.unit = unit.to_owned();
        let h = desk::receive(&self.store, who, &r, &at(who, t)?).await?;
        Ok(h.dossier.code.to_string())
    }

    async fn dossier(
        &self,
        code: &str,
    ) -> Result<motcua_core::dossier::Dossier, Box<dyn std::error::Error>> {
        let code = motcua_core::dossier::DossierCode::parse(code).ok_or("code")?;
        Ok(self.store.dossier(&code).await?.ok_or("no dossier")?)
    }
}

#[tokio::test]
async fn a_units_account_is_its_own_or_inherited_and_audited() -> TestResult {
    for_each_db(async |db| {
        let s = setup(db).await?;
        let tree = s.store.catalogue().await?.tree.clone();
        let ho_xa = motcua_core::unit::UnitCode::parse("ho-xa")?;
        assert_eq!(
            desk::receiving_account(&s.store, &tree, &ho_xa).await?,
            None
        );
        let district = BankAccount::parse("970415", "113000246810", "UBND HUYEN VINH LINH")
            .map_err(|e| format!("{e:?}"))?;
        let ctx = motcua_testkit::ctx("cli:test", motcua_testkit::after_fixture());
        desk::set_bank_account(&s.store, "vinh-linh", &district, &ctx).await?;
        // Hồ Xá has none of its own: the district's receives its fees.
        assert_eq!(desk::bank_account(&s.store, &ho_xa).await?, None);
        assert_eq!(
            desk::receiving_account(&s.store, &tree, &ho_xa).await?,
            Some(district.clone())
        );
        let own = BankAccount::parse("970436", "0071000123456", "UBND THI TRAN HO XA")
            .map_err(|e| format!("{e:?}"))?;
        desk::set_bank_account(&s.store, "ho-xa", &own, &ctx).await?;
        assert_eq!(
            desk::receiving_account(&s.store, &tree, &ho_xa).await?,
            Some(own)
        );
        let trail = s
            .store
            .audit(&AuditFilter {
                actor: Some("cli:test".into()),
                ..Default::default()
            })
            .await?;
        assert_eq!(trail.len(), 2, "{}", db.backend);
        assert!(matches!(
            desk::set_bank_account(&s.store, "khong-co", &district, &ctx).await,
            Err(AppError::UnknownUnit(_))
        ));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_officer_confirms_a_transfer_at_the_desk() -> TestResult {
    for_each_db(async |db| {
        let s = setup(db).await?;
        let code = s
            .receive(&s.ho_xa, "ho-xa", "2024-06-03T09:00:00+07:00")
            .await?;
        let t = "2024-06-03T09:05:00+07:00";
        // Another commune's officer does not see it.
        assert!(matches!(
            desk::confirm_transfer(&s.store, &s.khe, &code, &at(&s.khe, t)?).await,
            Err(AppError::UnknownDossier(_))
        ));
        let h = desk::confirm_transfer(&s.store, &s.ho_xa, &code, &at(&s.ho_xa, t)?).await?;
        assert_eq!(h.dossier.payment_channel, Some(PaymentChannel::Offline));
        assert_eq!(h.dossier.paid_at, Some(Timestamp::parse(t)?));
        let events = s.store.dossier_events(&h.dossier.code).await?;
        let paid = events
            .iter()
            .find_map(|e| match &e.detail {
                EventDetail::PaymentRecorded(p) => Some(p.clone()),
                _ => None,
            })
            .ok_or("no payment event")?;
        assert_eq!(paid.amount_vnd, 50_000);
        assert_eq!(paid.bank_transfer.map(|b| b.transaction_id), Some(None));
        // Twice: refused, nothing more recorded.
        assert!(matches!(
            desk::confirm_transfer(&s.store, &s.ho_xa, &code, &at(&s.ho_xa, t)?).await,
            Err(AppError::Refused(_))
        ));
        assert_eq!(
            s.store.dossier_events(&h.dossier.code).await?.len(),
            events.len()
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_statement_pays_each_fee_it_names_once() -> TestResult {
    for_each_db(async |db| {
        let s = setup(db).await?;
        let exact = s.receive(&s.ho_xa, "ho-xa", "2024-06-03T09:00:00+07:00").await?;
        let spaced = s.receive(&s.ho_xa, "ho-xa", "2024-06-03T09:01:00+07:00").await?;
        let differs = s.receive(&s.ho_xa, "ho-xa", "2024-06-03T09:02:00+07:00").await?;
        let confirmed = s.receive(&s.ho_xa, "ho-xa", "2024-06-03T09:03:00+07:00").await?;
        let other = s.receive(&s.khe, "vinh-khe", "2024-06-03T09:04:00+07:00").await?;
        desk::confirm_transfer(&s.store, &s.ho_xa, &confirmed, &at(&s.ho_xa, "2024-06-03T09:30:00+07:00")?).await?;
        let spaced_words = spaced.replace('-', " ").to_lowercase();
        let compact_differs = differs.replace('-', "");
        let csv = format!(
            "transaction_id,booked_at,amount_vnd,description,balance\n\
             FT01,03/06/2024 10:15:00,50.000,{exact} LE PHI,1\n\
             FT02,2024-06-03T10:20:00+07:00,50000,\"MBVCB.1234.{spaced_words} le phi.CT tu 0123 NGUYEN VAN A\",2\n\
             FT03,03/06/2024 10:25,40000,{compact_differs},3\n\
             FT04,03/06/2024 10:30,50000,{confirmed} LE PHI,4\n\
             FT05,03/06/2024 10:35,50000,ung ho quy khuyen hoc,5\n\
             FT06,03/06/2024 10:40,50000,{other} LE PHI,6\n\
             FT07,03/06/2024 10:45,-11000,Phi quan ly tai khoan,7\n"
        );
        let now = "2024-06-03T11:00:00+07:00";
        let report = desk::import_statement(&s.store, &s.ho_xa, "ho-xa", "sao-ke.csv", csv.as_bytes(), &at(&s.ho_xa, now)?).await?;
        let outcomes: Vec<(u64, &str, String)> = report
            .rows
            .iter()
            .map(|r| (r.line, r.outcome.id(), r.dossier.as_ref().map(|c| c.to_string()).unwrap_or_default()))
            .collect();
        assert_eq!(
            outcomes,
            [
                (2, "matched", exact.clone()),
                (3, "matched", spaced.clone()),
                (4, "amount_differs", differs.clone()),
                (5, "already_paid", confirmed.clone()),
                (6, "no_dossier", String::new()),
                // Another commune's dossier: not named to Hồ Xá's officer.
                (7, "out_of_scope", String::new()),
                (8, "not_credit", String::new()),
            ],
            "{}",
            db.backend
        );
        assert_eq!(report.rows[2].outcome, TransferOutcome::AmountDiffers { fee_vnd: 50_000 });
        // Paid at the transfer's time, offline, with the bank's transaction in its event.
        let d = s.dossier(&exact).await?;
        assert_eq!(d.paid_at, Some(Timestamp::parse("2024-06-03T10:15:00+07:00")?));
        assert_eq!(d.payment_channel, Some(PaymentChannel::Offline));
        let ids: Vec<Option<String>> = s
            .store
            .dossier_events(&d.code)
            .await?
            .into_iter()
            .filter_map(|e| match e.detail {
                EventDetail::PaymentRecorded(p) => p.bank_transfer.map(|b| b.transaction_id),
                _ => None,
            })
            .collect();
        assert_eq!(ids, [Some("FT01".to_owned())]);
        assert_eq!(s.dossier(&differs).await?.paid_at, None);
        assert_eq!(s.dossier(&other).await?.paid_at, None);
        let trail = s
            .store
            .audit(&AuditFilter {
                actor: Some("user:tiep-nhan".into()),
                ..Default::default()
            })
            .await?;
        let payments = trail.iter().filter(|r| r.action == "dossier.payment").count();
        assert_eq!(payments, 3, "the confirmation and two matches");

        // The same statement again: nothing more.
        let again = desk::import_statement(&s.store, &s.ho_xa, "ho-xa", "sao-ke.csv", csv.as_bytes(), &at(&s.ho_xa, now)?).await?;
        assert_eq!(again.count("matched"), 0);
        assert_eq!(again.count("already_paid"), 3);
        let trail_again = s
            .store
            .audit(&AuditFilter {
                actor: Some("user:tiep-nhan".into()),
                ..Default::default()
            })
            .await?;
        assert_eq!(trail_again.len(), trail.len(), "a second import writes nothing");

        // The district's reception imports for the district's account: Vĩnh Khê's fee is
        // in its units, and is paid.
        let district = officer("tiep-nhan-huyen", "vinh-linh", Role::Reception)?;
        let wide = desk::import_statement(&s.store, &district, "vinh-linh", "sao-ke.csv", csv.as_bytes(), &at(&district, now)?).await?;
        assert_eq!(wide.rows[5].outcome, TransferOutcome::Matched);
        assert_eq!(s.dossier(&other).await?.paid_at, Some(Timestamp::parse("2024-06-03T10:40:00+07:00")?));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_bad_statement_records_nothing_and_says_where() -> TestResult {
    for_each_db(async |db| {
        let s = setup(db).await?;
        let code = s
            .receive(&s.ho_xa, "ho-xa", "2024-06-03T09:00:00+07:00")
            .await?;
        let csv = format!(
            "transaction_id,booked_at,amount_vnd,description\n\
             FT01,03/06/2024 10:15:00,50000,{code}\n\
             FT02,03/06/2024 25:15:00,50000,x\n\
             FT03,03/06/2024 10:15:00,5O000,y\n"
        );
        let now = "2024-06-03T11:00:00+07:00";
        let e = desk::import_statement(
            &s.store,
            &s.ho_xa,
            "ho-xa",
            "sao-ke.csv",
            csv.as_bytes(),
            &at(&s.ho_xa, now)?,
        )
        .await
        .err()
        .ok_or("a bad file is refused")?;
        let AppError::Invalid(issues) = &e else {
            return Err(format!("{e}").into());
        };
        let at_: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
        assert_eq!(at_.len(), 2, "{at_:?}");
        assert!(
            at_[0].starts_with("sao-ke.csv, dòng 3, cột 2 (booked_at)"),
            "{}",
            at_[0]
        );
        assert!(
            at_[1].starts_with("sao-ke.csv, dòng 4, cột 3 (amount_vnd)"),
            "{}",
            at_[1]
        );
        assert_eq!(s.dossier(&code).await?.paid_at, None, "{}", db.backend);
        // A unit outside the officer's: refused before reading.
        assert!(
            desk::import_statement(
                &s.store,
                &s.khe,
                "ho-xa",
                "s.csv",
                csv.as_bytes(),
                &at(&s.khe, now)?
            )
            .await
            .is_err()
        );
        Ok(())
    })
    .await
}
