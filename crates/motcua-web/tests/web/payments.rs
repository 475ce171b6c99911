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
