//! Online payment through the real VNPay client and the sandbox gateway, on both databases:
//! the citizen's attempt, the payer paying on the sandbox's page, the IPN handed to the
//! router's `/payments/vnpay/ipn` (the in-memory router has no socket: `signed_query`), a
//! replay, a forged amount, and the gateway down for the sweep. Each checks the dossier,
//! the receipts and the ledger.

use motcua_app::desk::{self, Reception};
use motcua_app::payments::{Payments, reconcile, start_payment};
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_core::citizen::CitizenId;
use motcua_core::dossier::{Channel as Submission, DossierCode};
use motcua_store::OrderState;
use motcua_testkit::{acting as at, citizen_of, for_each_db, officer};
use motcua_web::{AppState, ManualClock};

use motcua_testkit::TestResult;

use crate::common::{Client, loaded, payments::with_sandbox, scan_files};

const NOW: &str = "2024-05-20T09:00:00+07:00";

#[tokio::test]
async fn a_citizen_pays_through_the_sandbox_and_replays_forgeries_and_a_gateway_down_change_nothing()
-> TestResult {
    for_each_db(async |db| {
        let store = loaded(&db.url).await.map_err(|e| e.to_string())?;
        let ho_xa = store
            .units()
            .await?
            .into_iter()
            .find(|u| u.code.as_str() == "ho-xa")
            .ok_or("ho-xa")?;
        let procedure = store
            .procedures()
            .await?
            .into_iter()
            .find(|p| p.offered_by_unit(&ho_xa))
            .ok_or("procedure")?;
        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let reception = Reception {
            procedure: procedure.code.to_string(),
            unit: "ho-xa".to_owned(),
            channel: Submission::Direct,
            online_level: None,
            components_total: 1,
            components_digitized: 1,
            fee_vnd: 50_000,
            applicant: Default::default(),
            request: String::new(),
            components: Vec::new(),
        };
        let code = desk::receive(
            &store,
            &desk_officer,
            &reception,
            &at(&desk_officer, "2024-05-20T08:00:00+07:00")?,
        )
        .await?
        .dossier
        .code
        .to_string();
        let citizen = CitizenId(
            citizen_of(
                &db.url,
                &code,
                "Nguyễn Thị Hồng Nhung",
                Some("0912345678"),
                None,
            )
            .await?,
        );
        let clock = ManualClock::new(Timestamp::parse(NOW)?);
        let state = AppState::new(store.clone(), scan_files())
            .with_secure_cookies(false)
            .with_clock(clock.clone());
        let (state, sandbox) = with_sandbox(state, Some(clock.clone()))
            .await
            .map_err(|e| e.to_string())?;
        let gateway = state.payment_gateway().ok_or("gateway")?.clone();
        let p = Payments {
            store: &store,
            gateway: gateway.as_ref(),
            portal_url: "",
        };
        let ctx = motcua_testkit::ctx(&format!("citizen:{}", citizen.0), Timestamp::parse(NOW)?);
        let started = start_payment(
            &store,
            gateway.as_ref(),
            citizen,
            &code,
            "127.0.0.1",
            "http://127.0.0.1:9/payments/vnpay/return",
            &ctx,
        )
        .await?;
        let txn = started.order.txn_ref.to_string();

        // The payer pays on the sandbox's page.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let mut form: Vec<(String, String)> = reqwest::Url::parse(&started.url)?
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        form.push(("choice".to_owned(), "pay".to_owned()));
        let answer = http.post(sandbox.payment_url()).form(&form).send().await?;
        assert_eq!(answer.status().as_u16(), 303, "{}", answer.text().await?);

        let mut client = Client::with_state(state.clone());
        let signed = sandbox.signed_query(&txn).ok_or("no signed query")?;
        // A forged amount: the signature no longer verifies (97), nothing changes.
        let forged = signed.replace("vnp_Amount=5000000", "vnp_Amount=500000");
        assert_ne!(forged, signed, "{signed}");
        let a = client
            .get(&format!("/payments/vnpay/ipn?{forged}"))
            .await
            .map_err(|e| e.to_string())?;
        assert!(a.body.contains("\"97\""), "{}", a.body);
        let dossier = DossierCode::parse(&code).ok_or("code")?;
        assert!(
            store
                .dossier(&dossier)
                .await?
                .ok_or("dossier")?
                .paid_at
                .is_none()
        );

        // The gateway down: the sweep leaves it pending.
        sandbox.set_api_down(true);
        clock.set(Timestamp::parse("2024-05-20T09:06:00+07:00")?);
        let swept = reconcile(
            &p,
            &motcua_testkit::ctx(
                "gateway:vnpay",
                Timestamp::parse("2024-05-20T09:06:00+07:00")?,
            ),
        )
        .await?;
        assert_eq!((swept.asked, swept.pending), (1, 1));
        assert_eq!(
            store.payment_order(&txn).await?.ok_or("order")?.state,
            OrderState::Pending
        );
        sandbox.set_api_down(false);

        // The IPN: 00, the dossier paid, one receipt; replayed: 02, nothing more.
        let a = client
            .get(&format!("/payments/vnpay/ipn?{signed}"))
            .await
            .map_err(|e| e.to_string())?;
        assert_eq!(a.status.as_u16(), 200);
        assert!(a.body.contains("\"00\""), "{}", a.body);
        let a = client
            .get(&format!("/payments/vnpay/ipn?{signed}"))
            .await
            .map_err(|e| e.to_string())?;
        assert!(a.body.contains("\"02\""), "{}", a.body);
        assert!(
            store
                .dossier(&dossier)
                .await?
                .ok_or("dossier")?
                .paid_at
                .is_some()
        );
        assert_eq!(store.dossier_receipts(&dossier).await?.len(), 1);
        let verdicts: Vec<String> = store
            .payment_records(&txn)
            .await?
            .into_iter()
            .map(|r| format!("{} {} {}", r.kind, r.verdict, r.answer))
            .collect();
        assert_eq!(verdicts.len(), 5, "{verdicts:?}");
        assert!(
            verdicts[1].starts_with("notice bad_signature"),
            "{verdicts:?}"
        );
        assert!(verdicts[2].starts_with("query unavailable"), "{verdicts:?}");
        assert!(
            verdicts[3].starts_with("notice paid settled"),
            "{verdicts:?}"
        );
        assert!(verdicts[4].ends_with("already_confirmed"), "{verdicts:?}");
        // The forged notice is in the ledger, with the reference it claimed.
        assert!(
            store
                .all_payment_records()
                .await?
                .iter()
                .any(|r| r.verdict == "bad_signature")
        );
        Ok(())
    })
    .await
}

/// A received dossier with a 50.000 đồng fee, its citizen signed in to an app paying
/// through the real VNPay client and a sandbox (system clock: the sweep is given its
/// instant).
pub(crate) struct Paying {
    store: motcua_store::SqlStore,
    pub(crate) sandbox: motcua_web::sandbox::Sandbox,
    gateway: std::sync::Arc<dyn motcua_app::payments::PaymentGateway>,
    pub(crate) code: String,
    dossier: DossierCode,
    /// The citizen's client, on the app that pays through the sandbox.
    pub(crate) client: Client,
    /// The citizen as the audit names them.
    pub(crate) actor: String,
}

async fn paying(url: &str) -> Result<Paying, Box<dyn std::error::Error>> {
    let store = loaded(url).await.map_err(|e| e.to_string())?;
    paying_in(store, url, "0912345678").await
}

/// [`paying`] in a store already loaded (`url` is its database's), the citizen's account
/// by the mobile number `phone` (one no other account of the store has).
pub(crate) async fn paying_in(
    store: motcua_store::SqlStore,
    url: &str,
    phone: &str,
) -> Result<Paying, Box<dyn std::error::Error>> {
    let ho_xa = store
        .units()
        .await?
        .into_iter()
        .find(|u| u.code.as_str() == "ho-xa")
        .ok_or("ho-xa")?;
    let procedure = store
        .procedures()
        .await?
        .into_iter()
        .find(|p| p.offered_by_unit(&ho_xa))
        .ok_or("procedure")?;
    let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
    let reception = Reception {
        procedure: procedure.code.to_string(),
        unit: "ho-xa".to_owned(),
        channel: Submission::Direct,
        online_level: None,
        components_total: 1,
        components_digitized: 1,
        fee_vnd: 50_000,
        applicant: Default::default(),
        request: String::new(),
        components: Vec::new(),
    };
    let code = desk::receive(
        &store,
        &desk_officer,
        &reception,
        &at(&desk_officer, "2024-05-20T08:00:00+07:00")?,
    )
    .await?
    .dossier
    .code
    .to_string();
    let id = citizen_of(url, &code, "Nguyễn Thị Hồng Nhung", Some(phone), None).await?;
    let citizen = store.citizen(CitizenId(id)).await?.ok_or("citizen")?;
    let state = AppState::new(store.clone(), scan_files()).with_secure_cookies(false);
    let (state, sandbox) = with_sandbox(state, None).await.map_err(|e| e.to_string())?;
    let gateway = state.payment_gateway().ok_or("gateway")?.clone();
    let signed_in = crate::common::citizen::client(&store, &citizen)
        .await
        .map_err(|e| e.to_string())?;
    let mut client = Client::with_state(state);
    client.cookies = signed_in.cookies;
    let dossier = DossierCode::parse(&code).ok_or("code")?;
    Ok(Paying {
        store,
        sandbox,
        gateway,
        code,
        dossier,
        client,
        actor: citizen.id.actor(),
    })
}

impl Paying {
    /// The citizen presses "Thanh toán trực tuyến": the answer is a page (not a redirect,
    /// which the CSP's form-action would block) whose link goes to the sandbox; the payer
    /// pays there (`choice`: "pay" or "cancel"). Returns the attempt's reference and the
    /// query the sandbox sends the browser back with.
    pub(crate) async fn pay(
        &mut self,
        choice: &str,
    ) -> Result<(String, String), Box<dyn std::error::Error>> {
        let csrf = crate::common::citizen::csrf(&mut self.client)
            .await
            .map_err(|e| e.to_string())?;
        let page = self
            .client
            .post(
                &format!("/citizen/dossiers/{}/pay", self.code),
                &[("csrf", &csrf)],
            )
            .await
            .map_err(|e| e.to_string())?;
        assert_eq!(page.status.as_u16(), 200, "{}", page.body);
        assert!(
            page.body.contains("Tiếp tục đến cổng thanh toán VNPay"),
            "{}",
            page.body
        );
        let href = page
            .body
            .split("href=\"")
            .map(|rest| rest.split('"').next().unwrap_or(""))
            .find(|h| h.starts_with(&self.sandbox.payment_url()))
            .ok_or("no link to the gateway")?
            .replace("&amp;", "&")
            .replace("&#38;", "&")
            .replace("&#x26;", "&");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let mut form: Vec<(String, String)> = reqwest::Url::parse(&href)?
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let txn = form
            .iter()
            .find(|(k, _)| k == "vnp_TxnRef")
            .map(|(_, v)| v.clone())
            .ok_or_else(|| format!("no vnp_TxnRef in {href}"))?;
        form.push(("choice".to_owned(), choice.to_owned()));
        let answer = http
            .post(self.sandbox.payment_url())
            .form(&form)
            .send()
            .await?;
        assert_eq!(answer.status().as_u16(), 303, "{}", answer.text().await?);
        let back = answer
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .ok_or("no location")?
            .to_owned();
        let query = back.split_once('?').ok_or("no query")?.1.to_owned();
        Ok((txn, query))
    }

    pub(crate) async fn ipn(&mut self, query: &str) -> Result<String, Box<dyn std::error::Error>> {
        let a = self
            .client
            .get(&format!("/payments/vnpay/ipn?{query}"))
            .await
            .map_err(|e| e.to_string())?;
        assert_eq!(a.status.as_u16(), 200);
        Ok(a.body)
    }

    async fn returned(&mut self, query: &str) -> Result<String, Box<dyn std::error::Error>> {
        let a = self
            .client
            .get(&format!("/payments/vnpay/return?{query}"))
            .await
            .map_err(|e| e.to_string())?;
        assert_eq!(a.status.as_u16(), 200, "{}", a.body);
        Ok(a.body)
    }

    /// One sweep `minutes` from now.
    async fn sweep(
        &self,
        minutes: i64,
    ) -> Result<motcua_app::payments::Swept, Box<dyn std::error::Error>> {
        let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc())?;
        let at = Timestamp::from_micros(now.as_micros() + minutes * 60_000_000);
        let p = Payments {
            store: &self.store,
            gateway: self.gateway.as_ref(),
            portal_url: "",
        };
        Ok(reconcile(&p, &motcua_testkit::ctx("gateway:vnpay", at)).await?)
    }

    /// The attempt's state, whether the dossier is paid, its receipts, and the ledger's
    /// records of the attempt as "kind verdict answer".
    async fn books(
        &self,
        txn: &str,
    ) -> Result<(OrderState, bool, usize, Vec<String>), Box<dyn std::error::Error>> {
        let order = self.store.payment_order(txn).await?.ok_or("order")?;
        let dossier = self.store.dossier(&self.dossier).await?.ok_or("dossier")?;
        let receipts = self.store.dossier_receipts(&self.dossier).await?.len();
        let records = self
            .store
            .payment_records(txn)
            .await?
            .into_iter()
            .map(|r| format!("{} {} {}", r.kind, r.verdict, r.answer))
            .collect();
        Ok((order.state, dossier.paid_at.is_some(), receipts, records))
    }
}

#[tokio::test]
async fn the_return_before_the_ipn_settles_by_the_query_and_the_late_ipn_changes_nothing()
-> TestResult {
    for_each_db(async |db| {
        let mut f = paying(&db.url).await?;
        let (txn, back) = f.pay("pay").await?;
        assert_eq!(f.books(&txn).await?.0, OrderState::Pending);
        // The payer is back before any IPN: the return is verified, the gateway asked, and
        // its answer settles the attempt.
        let page = f.returned(&back).await?;
        assert!(page.contains("Thanh toán thành công"), "{page}");
        assert!(page.contains("receipt-number"), "{page}");
        // The IPN after the return: already confirmed, nothing more.
        let signed = f.sandbox.signed_query(&txn).ok_or("signed")?;
        let body = f.ipn(&signed).await?;
        assert!(body.contains("\"02\""), "{body}");
        // The return again (a reload): still paid, nothing more.
        let page = f.returned(&back).await?;
        assert!(page.contains("Thanh toán thành công"), "{page}");
        let (state, paid, receipts, records) = f.books(&txn).await?;
        assert_eq!((state, paid, receipts), (OrderState::Paid, true, 1));
        let settled: Vec<&String> = records.iter().filter(|r| r.contains(" settled")).collect();
        assert_eq!(settled.len(), 1, "{records:?}");
        assert!(settled[0].starts_with("query paid"), "{records:?}");
        assert!(
            records.iter().any(|r| r.starts_with("return paid query")),
            "{records:?}"
        );
        assert!(
            records
                .iter()
                .any(|r| r.starts_with("notice") && r.ends_with("already_confirmed")),
            "{records:?}"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_ipn_of_another_terminal_is_refused_and_the_right_one_settles() -> TestResult {
    for_each_db(async |db| {
        let mut f = paying(&db.url).await?;
        let (txn, _) = f.pay("pay").await?;
        // The same secret, another terminal code: signed right, refused (97).
        let fields: Vec<(String, String)> = f
            .sandbox
            .transaction(&txn)
            .ok_or("transaction")?
            .fields
            .into_iter()
            .map(|(k, v)| {
                let v = if k == "vnp_TmnCode" {
                    "KHACTMN2".to_owned()
                } else {
                    v
                };
                (k, v)
            })
            .collect();
        assert!(
            fields
                .iter()
                .any(|(k, v)| k == "vnp_TmnCode" && v == "KHACTMN2")
        );
        let other = motcua_core::payment::vnpay::signed_query(
            &motcua_core::payment::vnpay::Keys::new("KHACTMN2", crate::common::payments::SECRET),
            &fields,
        );
        let body = f.ipn(&other).await?;
        assert!(body.contains("\"97\""), "{body}");
        let (state, paid, receipts, records) = f.books(&txn).await?;
        assert_eq!((state, paid, receipts), (OrderState::Pending, false, 0));
        assert!(
            records
                .iter()
                .any(|r| r.starts_with("notice wrong_terminal")),
            "{records:?}"
        );
        let body = f
            .ipn(&f.sandbox.signed_query(&txn).ok_or("signed")?)
            .await?;
        assert!(body.contains("\"00\""), "{body}");
        let (state, paid, receipts, _) = f.books(&txn).await?;
        assert_eq!((state, paid, receipts), (OrderState::Paid, true, 1));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_ipn_that_never_comes_is_reconciled_by_the_sweep() -> TestResult {
    for_each_db(async |db| {
        let mut f = paying(&db.url).await?;
        let (txn, _) = f.pay("pay").await?;
        // Too early for the sweep: nothing asked.
        assert_eq!(f.sweep(0).await?.asked, 0);
        assert_eq!(f.books(&txn).await?.2, 0);
        let swept = f.sweep(6).await?;
        assert_eq!((swept.asked, swept.paid, swept.pending), (1, 1, 0));
        let (state, paid, receipts, records) = f.books(&txn).await?;
        assert_eq!((state, paid, receipts), (OrderState::Paid, true, 1));
        assert!(
            records
                .iter()
                .any(|r| r.starts_with("query paid settled; receipt ")),
            "{records:?}"
        );
        // Settled: the next sweep asks nothing, and no IPN was ever sent.
        assert_eq!(f.sweep(7).await?.asked, 0);
        assert!(f.sandbox.deliveries().is_empty());
        assert_eq!(f.books(&txn).await?.2, 1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn with_the_gateway_down_the_return_and_the_sweep_leave_it_pending_until_it_is_back()
-> TestResult {
    for_each_db(async |db| {
        let mut f = paying(&db.url).await?;
        let (txn, back) = f.pay("pay").await?;
        f.sandbox.set_api_down(true);
        let page = f.returned(&back).await?;
        assert!(page.contains("Đang chờ xác nhận"), "{page}");
        let swept = f.sweep(6).await?;
        assert_eq!((swept.asked, swept.pending), (1, 1));
        let (state, paid, receipts, records) = f.books(&txn).await?;
        assert_eq!((state, paid, receipts), (OrderState::Pending, false, 0));
        assert_eq!(
            records
                .iter()
                .filter(|r| r.starts_with("query unavailable left_pending"))
                .count(),
            2,
            "{records:?}"
        );
        // Back: the next sweep settles it, once.
        f.sandbox.set_api_down(false);
        let swept = f.sweep(8).await?;
        assert_eq!((swept.asked, swept.paid), (1, 1));
        let page = f.returned(&back).await?;
        assert!(page.contains("Thanh toán thành công"), "{page}");
        let (state, paid, receipts, _) = f.books(&txn).await?;
        assert_eq!((state, paid, receipts), (OrderState::Paid, true, 1));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_failed_attempt_then_a_paid_one_replayed_pays_the_dossier_once() -> TestResult {
    for_each_db(async |db| {
        let mut f = paying(&db.url).await?;
        let (txn, back) = f.pay("pay").await?;
        // The gateway's query says the first attempt failed: the sweep records the failure.
        assert!(f.sandbox.mark_failed(&txn));
        let swept = f.sweep(6).await?;
        assert_eq!((swept.asked, swept.failed), (1, 1));
        let (state, paid, receipts, records) = f.books(&txn).await?;
        assert_eq!((state, paid, receipts), (OrderState::Failed, false, 0));
        assert!(
            records.iter().any(|r| r.ends_with(" failed")),
            "{records:?}"
        );
        let page = f.returned(&back).await?;
        assert!(page.contains("Thanh toán lại"), "{page}");
        // A new attempt, paid; its IPN replayed twice: 00, then 02 and 02.
        let (again, _) = f.pay("pay").await?;
        assert_ne!(again, txn);
        let signed = f.sandbox.signed_query(&again).ok_or("signed")?;
        let answers = [
            f.ipn(&signed).await?,
            f.ipn(&signed).await?,
            f.ipn(&signed).await?,
        ];
        assert!(answers[0].contains("\"00\""), "{answers:?}");
        assert!(
            answers[1..].iter().all(|a| a.contains("\"02\"")),
            "{answers:?}"
        );
        let (state, paid, receipts, records) = f.books(&again).await?;
        assert_eq!((state, paid, receipts), (OrderState::Paid, true, 1));
        assert_eq!(
            records.iter().filter(|r| r.contains(" settled")).count(),
            1,
            "{records:?}"
        );
        assert_eq!(f.books(&txn).await?.0, OrderState::Failed);
        Ok(())
    })
    .await
}
