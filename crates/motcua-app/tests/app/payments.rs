//! The online payment flows on both databases, with an in-test gateway (a stand-in that
//! implements `PaymentGateway`: a parameter `sig=ok` is its "signature", `tmn` its
//! terminal, and its query and refund answer what the test sets). The same stories through
//! the real VNPay client and the sandbox gateway are in the web tests.
//!
//! Each case checks the dossier (paid or not), the receipts and the ledger's records.

use std::sync::{Arc, Mutex};

use motcua_app::desk::{self, Reception};
use motcua_app::payments::{
    CallbackError, GatewayError, GatewayFuture, PaymentGateway, Payments, Returned, handle_notice,
    handle_return, reconcile, refund, start_payment,
};
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_core::citizen::CitizenId;
use motcua_core::dossier::{Channel as Submission, DossierCode, PaymentChannel};
use motcua_core::payment::{
    GatewayOrder, GatewayReport, NoticeAck, PaymentVerdict, RefundReport, RefundRequest, TxnRef,
};
use motcua_store::{OrderState, SqlStore};
use motcua_testkit::{TestDb, TestResult, acting as at, citizen_of, for_each_db, officer};

const FEE: i64 = 50_000;

/// The stand-in gateway.
#[derive(Default)]
struct Stand {
    /// What `query` answers (`None`: the gateway is down).
    query: Mutex<Option<Result<GatewayReport, GatewayError>>>,
}

impl Stand {
    fn answer(&self, a: Option<Result<GatewayReport, GatewayError>>) {
        *self.query.lock().unwrap_or_else(|e| e.into_inner()) = a;
    }
}

fn get<'a>(q: &'a [(String, String)], k: &str) -> Option<&'a str> {
    q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

impl PaymentGateway for Stand {
    fn name(&self) -> &'static str {
        "stand"
    }
    fn payment_url(&self, order: &GatewayOrder) -> String {
        format!("/stand/pay?ref={}", order.txn_ref)
    }
    fn verify_callback(&self, q: &[(String, String)]) -> Result<GatewayReport, CallbackError> {
        if get(q, "sig") != Some("ok") {
            return Err(CallbackError::BadSignature);
        }
        if get(q, "tmn") != Some("MOTCUA01") {
            return Err(CallbackError::WrongTerminal);
        }
        let field = |f: &str| CallbackError::Malformed {
            field: f.to_owned(),
        };
        let txn_ref = TxnRef::parse(get(q, "vnp_TxnRef").ok_or_else(|| field("ref"))?)
            .map_err(|_| field("ref"))?;
        let amount: i64 = get(q, "amount")
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| field("amount"))?;
        let code = get(q, "code").unwrap_or("00");
        Ok(report(&txn_ref, amount, code))
    }
    fn notice_reply(&self, ack: NoticeAck) -> (&'static str, String) {
        ("application/json", format!("{ack:?}"))
    }
    fn query<'a>(&'a self, _: &'a GatewayOrder, _: Timestamp) -> GatewayFuture<'a, GatewayReport> {
        let a = self.query.lock().unwrap_or_else(|e| e.into_inner()).clone();
        Box::pin(async move {
            a.unwrap_or_else(|| Err(GatewayError::Unavailable("stand down".to_owned())))
        })
    }
    fn refund<'a>(&'a self, r: &'a RefundRequest) -> GatewayFuture<'a, RefundReport> {
        let accepted = r.transaction_no.is_some();
        Box::pin(async move {
            Ok(RefundReport {
                accepted,
                response_code: "00".to_owned(),
                message: "ok".to_owned(),
                transaction_no: Some("R1".to_owned()),
            })
        })
    }
}

fn report(txn_ref: &TxnRef, amount: i64, code: &str) -> GatewayReport {
    GatewayReport {
        txn_ref: txn_ref.clone(),
        terminal: "MOTCUA01".to_owned(),
        amount_vnd: amount,
        currency: Some("VND".to_owned()),
        transaction_no: Some("14000001".to_owned()),
        bank_code: Some("NCB".to_owned()),
        paid_at: None,
        response_code: code.to_owned(),
        transaction_status: code.to_owned(),
        verdict: if code == "00" {
            PaymentVerdict::Paid
        } else if code == "01" {
            PaymentVerdict::Pending
        } else {
            PaymentVerdict::Failed
        },
    }
}

fn notice(txn_ref: &TxnRef, amount: i64, code: &str) -> Vec<(String, String)> {
    [
        ("vnp_TxnRef", txn_ref.to_string()),
        ("amount", amount.to_string()),
        ("code", code.to_owned()),
        ("tmn", "MOTCUA01".to_owned()),
        ("sig", "ok".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// A dossier with a fee received at Hồ Xá on 20/5/2024 08:00 from Nguyễn Thị Hồng Nhung's
/// account: the store, its code and the citizen.
async fn fee_dossier(
    db: &TestDb,
) -> Result<(SqlStore, String, CitizenId), Box<dyn std::error::Error>> {
    let store = SqlStore::connect(&db.url).await?;
    let ctx = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
    motcua_app::import_dir(&store, &motcua_testkit::vinh_linh(), &ctx).await?;
    let units = store.units().await?;
    let ho_xa = units
        .iter()
        .find(|u| u.code.as_str() == "ho-xa")
        .ok_or("no ho-xa")?;
    let procedure = store
        .procedures()
        .await?
        .into_iter()
        .find(|p| p.offered_by_unit(ho_xa))
        .ok_or("no procedure")?;
    let reception = Reception {
        procedure: procedure.code.to_string(),
        unit: "ho-xa".to_owned(),
        channel: Submission::Direct,
        online_level: None,
        components_total: 1,
        components_digitized: 1,
        fee_vnd: FEE,
        applicant: Default::default(),
        request: String::new(),
        components: Vec::new(),
    };
    let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
    let h = desk::receive(
        &store,
        &desk_officer,
        &reception,
        &at(&desk_officer, "2024-05-20T08:00:00+07:00")?,
    )
    .await?;
    let code = h.dossier.code.to_string();
    let id = citizen_of(
        &db.url,
        &code,
        "Nguyễn Thị Hồng Nhung",
        Some("0912345678"),
        Some("nhung@example.vn"),
    )
    .await?;
    Ok((store, code, CitizenId(id)))
}

fn t(text: &str) -> Result<Timestamp, Box<dyn std::error::Error>> {
    Ok(Timestamp::parse(text)?)
}

fn gw(at: &str) -> Result<motcua_core::access::AuditContext, Box<dyn std::error::Error>> {
    Ok(motcua_testkit::ctx("gateway:stand", t(at)?))
}

struct Case {
    store: SqlStore,
    code: String,
    stand: Arc<Stand>,
    txn_ref: TxnRef,
}

impl Case {
    fn p(&self) -> Payments<'_> {
        Payments {
            store: &self.store,
            gateway: self.stand.as_ref(),
            portal_url: "",
        }
    }
    async fn paid(&self) -> Result<bool, Box<dyn std::error::Error>> {
        let code = DossierCode::parse(&self.code).ok_or("code")?;
        let d = self.store.dossier(&code).await?.ok_or("no dossier")?;
        Ok(d.paid_at.is_some() && d.payment_channel == Some(PaymentChannel::Online))
    }
    async fn receipts(&self) -> Result<usize, Box<dyn std::error::Error>> {
        let code = DossierCode::parse(&self.code).ok_or("code")?;
        Ok(self.store.dossier_receipts(&code).await?.len())
    }
    async fn state(&self) -> Result<OrderState, Box<dyn std::error::Error>> {
        Ok(self
            .store
            .payment_order(self.txn_ref.as_str())
            .await?
            .ok_or("no order")?
            .state)
    }
    async fn ledger(&self) -> Result<Vec<(String, String, String)>, Box<dyn std::error::Error>> {
        Ok(self
            .store
            .payment_records(self.txn_ref.as_str())
            .await?
            .into_iter()
            .map(|r| (r.kind, r.verdict, r.answer))
            .collect())
    }
}

/// The dossier, and the citizen's attempt started at 09:00.
async fn started(db: &TestDb) -> Result<Case, Box<dyn std::error::Error>> {
    let (store, code, citizen) = fee_dossier(db).await?;
    let stand = Arc::new(Stand::default());
    let ctx = motcua_testkit::ctx(
        &format!("citizen:{}", citizen.0),
        t("2024-05-20T09:00:00+07:00")?,
    );
    let s = start_payment(
        &store,
        stand.as_ref(),
        citizen,
        &code,
        "10.0.0.1",
        "/payments/vnpay/return",
        &ctx,
    )
    .await?;
    assert_eq!(s.order.txn_ref.as_str(), format!("{code}-1"));
    assert_eq!(s.order.amount_vnd, FEE);
    assert!(s.order.order_info.is_ascii());
    assert_eq!(
        s.order.expires_at.as_micros() - s.order.created_at.as_micros(),
        15 * 60_000_000
    );
    Ok(Case {
        txn_ref: s.order.txn_ref,
        store,
        code,
        stand,
    })
}

#[tokio::test]
async fn a_notice_settles_once_with_one_receipt_and_the_citizens_notice() -> TestResult {
    for_each_db(async |db| {
        let c = started(db).await?;
        let ack = handle_notice(
            &c.p(),
            &notice(&c.txn_ref, FEE, "00"),
            &gw("2024-05-20T09:03:00+07:00")?,
        )
        .await;
        assert_eq!(ack, NoticeAck::Confirmed);
        assert!(c.paid().await?);
        assert_eq!(c.receipts().await?, 1);
        assert_eq!(c.state().await?, OrderState::Paid);
        // Replayed: nothing changes but the ledger.
        let again = handle_notice(
            &c.p(),
            &notice(&c.txn_ref, FEE, "00"),
            &gw("2024-05-20T09:04:00+07:00")?,
        )
        .await;
        assert_eq!(again, NoticeAck::AlreadyConfirmed);
        assert_eq!(c.receipts().await?, 1);
        let ledger = c.ledger().await?;
        assert_eq!(ledger[0].0, "order");
        assert_eq!(
            ledger[1],
            (
                "notice".to_owned(),
                "paid".to_owned(),
                "settled; receipt 0000001".to_owned()
            )
        );
        assert_eq!(ledger[2].0, "notice");
        assert_eq!(ledger[2].2, "already_confirmed");
        // The citizen is told, with the receipt's number.
        let outbox = c.store.outbox_overview().await?;
        assert_eq!(outbox.pending, 2, "an SMS and an e-mail");
        let due = c
            .store
            .claim_due_messages(
                t("2024-05-20T10:00:00+07:00")?,
                t("2024-05-20T10:10:00+07:00")?,
                10,
            )
            .await?;
        let mail = due
            .iter()
            .find(|m| !m.message.subject.is_empty())
            .ok_or("no e-mail")?;
        assert!(
            mail.message
                .subject
                .starts_with("Đã thanh toán, biên lai điện tử số 0000001"),
            "{}",
            mail.message.subject
        );
        assert!(
            mail.message
                .body
                .contains(&format!("/citizen/dossiers/{}/receipt", c.code))
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn forged_wrong_amount_wrong_terminal_and_unknown_orders_change_nothing() -> TestResult {
    for_each_db(async |db| {
        let c = started(db).await?;
        let at = gw("2024-05-20T09:03:00+07:00")?;
        let mut forged = notice(&c.txn_ref, FEE, "00");
        forged.retain(|(k, _)| k != "sig");
        forged.push(("sig".to_owned(), "forged".to_owned()));
        assert_eq!(
            handle_notice(&c.p(), &forged, &at).await,
            NoticeAck::InvalidSignature
        );
        let mut terminal = notice(&c.txn_ref, FEE, "00");
        terminal.retain(|(k, _)| k != "tmn");
        terminal.push(("tmn".to_owned(), "OTHER".to_owned()));
        assert_eq!(
            handle_notice(&c.p(), &terminal, &at).await,
            NoticeAck::InvalidSignature
        );
        assert_eq!(
            handle_notice(&c.p(), &notice(&c.txn_ref, FEE - 1_000, "00"), &at).await,
            NoticeAck::InvalidAmount
        );
        let other = TxnRef::parse("HO-XA-240520-9999-1")?;
        assert_eq!(
            handle_notice(&c.p(), &notice(&other, FEE, "00"), &at).await,
            NoticeAck::OrderNotFound
        );
        assert!(!c.paid().await?);
        assert_eq!(c.receipts().await?, 0);
        assert_eq!(c.state().await?, OrderState::Pending);
        let verdicts: Vec<String> = c.ledger().await?.into_iter().map(|r| r.1).collect();
        assert_eq!(
            verdicts,
            ["pending", "bad_signature", "wrong_terminal", "wrong_amount"]
        );
        let all = c.store.all_payment_records().await?;
        assert!(all.iter().any(|r| r.verdict == "unknown_order"));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_failed_payment_is_recorded_and_a_new_attempt_can_follow() -> TestResult {
    for_each_db(async |db| {
        let c = started(db).await?;
        let ack = handle_notice(
            &c.p(),
            &notice(&c.txn_ref, FEE, "24"),
            &gw("2024-05-20T09:03:00+07:00")?,
        )
        .await;
        assert_eq!(ack, NoticeAck::Confirmed);
        assert_eq!(c.state().await?, OrderState::Failed);
        assert!(!c.paid().await?);
        let orders = c
            .store
            .dossier_payment_orders(&DossierCode::parse(&c.code).ok_or("code")?)
            .await?;
        assert_eq!(orders[0].response_code.as_deref(), Some("24"));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_return_alone_never_settles_and_the_notice_after_it_does() -> TestResult {
    for_each_db(async |db| {
        let c = started(db).await?;
        // The gateway is down: the return says paid, the query cannot confirm it.
        let r = handle_return(
            &c.p(),
            &notice(&c.txn_ref, FEE, "00"),
            &gw("2024-05-20T09:02:00+07:00")?,
        )
        .await?;
        assert!(matches!(r, Returned::Pending { .. }), "{r:?}");
        assert!(!c.paid().await?);
        assert_eq!(c.state().await?, OrderState::Pending);
        // The IPN after the return settles it.
        let ack = handle_notice(
            &c.p(),
            &notice(&c.txn_ref, FEE, "00"),
            &gw("2024-05-20T09:03:00+07:00")?,
        )
        .await;
        assert_eq!(ack, NoticeAck::Confirmed);
        let r = handle_return(
            &c.p(),
            &notice(&c.txn_ref, FEE, "00"),
            &gw("2024-05-20T09:04:00+07:00")?,
        )
        .await?;
        let Returned::Paid {
            receipt: Some(receipt),
            ..
        } = r
        else {
            return Err(format!("{r:?}").into());
        };
        assert_eq!(receipt.number_text(), "0000001");
        assert_eq!(c.receipts().await?, 1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_return_confirmed_by_the_query_settles() -> TestResult {
    for_each_db(async |db| {
        let c = started(db).await?;
        c.stand.answer(Some(Ok(report(&c.txn_ref, FEE, "00"))));
        let r = handle_return(
            &c.p(),
            &notice(&c.txn_ref, FEE, "00"),
            &gw("2024-05-20T09:02:00+07:00")?,
        )
        .await?;
        assert!(
            matches!(
                r,
                Returned::Paid {
                    receipt: Some(_),
                    ..
                }
            ),
            "{r:?}"
        );
        assert!(c.paid().await?);
        // The IPN after the return: already confirmed, one receipt.
        let ack = handle_notice(
            &c.p(),
            &notice(&c.txn_ref, FEE, "00"),
            &gw("2024-05-20T09:03:00+07:00")?,
        )
        .await;
        assert_eq!(ack, NoticeAck::AlreadyConfirmed);
        assert_eq!(c.receipts().await?, 1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_sweep_settles_a_payment_whose_notice_never_came_and_waits_for_a_gateway_down()
-> TestResult {
    for_each_db(async |db| {
        let c = started(db).await?;
        // Too early: not asked.
        let s = reconcile(&c.p(), &gw("2024-05-20T09:02:00+07:00")?).await?;
        assert_eq!(s.asked, 0);
        // The gateway down: left pending.
        let s = reconcile(&c.p(), &gw("2024-05-20T09:10:00+07:00")?).await?;
        assert_eq!((s.asked, s.pending), (1, 1));
        assert_eq!(c.state().await?, OrderState::Pending);
        assert!(!c.paid().await?);
        // Back up: the next sweep settles it.
        c.stand.answer(Some(Ok(report(&c.txn_ref, FEE, "00"))));
        let s = reconcile(&c.p(), &gw("2024-05-20T09:20:00+07:00")?).await?;
        assert_eq!((s.asked, s.paid), (1, 1));
        assert!(c.paid().await?);
        assert_eq!(c.receipts().await?, 1);
        let s = reconcile(&c.p(), &gw("2024-05-20T09:30:00+07:00")?).await?;
        assert_eq!(s.asked, 0);
        let kinds: Vec<(String, String)> =
            c.ledger().await?.into_iter().map(|r| (r.0, r.1)).collect();
        assert_eq!(kinds[1], ("query".to_owned(), "unavailable".to_owned()));
        assert_eq!(kinds[2], ("query".to_owned(), "paid".to_owned()));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_attempt_the_gateway_does_not_know_expires_after_its_expiry() -> TestResult {
    for_each_db(async |db| {
        let c = started(db).await?;
        c.stand.answer(Some(Err(GatewayError::Refused {
            code: "91".to_owned(),
            message: "not found".to_owned(),
        })));
        let s = reconcile(&c.p(), &gw("2024-05-20T09:10:00+07:00")?).await?;
        assert_eq!(s.pending, 1, "before its expiry it may still be paid");
        let s = reconcile(&c.p(), &gw("2024-05-20T09:16:00+07:00")?).await?;
        assert_eq!(s.expired, 1);
        assert_eq!(c.state().await?, OrderState::Expired);
        assert!(!c.paid().await?);
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_notice_processed_twice_at_once_settles_once() -> TestResult {
    for_each_db(async |db| {
        let c = Arc::new(started(db).await?);
        let mut tasks = Vec::new();
        for i in 0..4 {
            let c = c.clone();
            let q = notice(&c.txn_ref, FEE, "00");
            let at = gw(&format!("2024-05-20T09:03:0{i}+07:00"))?;
            tasks.push(tokio::spawn(
                async move { handle_notice(&c.p(), &q, &at).await },
            ));
        }
        let mut acks = Vec::new();
        for t in tasks {
            acks.push(t.await?);
        }
        acks.sort_by_key(|a| format!("{a:?}"));
        assert_eq!(
            acks,
            [
                NoticeAck::AlreadyConfirmed,
                NoticeAck::AlreadyConfirmed,
                NoticeAck::AlreadyConfirmed,
                NoticeAck::Confirmed
            ]
        );
        assert_eq!(c.receipts().await?, 1);
        assert_eq!(c.store.outbox_overview().await?.pending, 2);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn start_is_refused_when_paid_or_not_the_citizens_and_a_leader_refunds() -> TestResult {
    for_each_db(async |db| {
        let c = started(db).await?;
        let other = start_payment(
            &c.store,
            c.stand.as_ref(),
            CitizenId(9_999),
            &c.code,
            "10.0.0.1",
            "/r",
            &gw("2024-05-20T09:01:00+07:00")?,
        )
        .await;
        assert!(
            matches!(other, Err(motcua_app::AppError::UnknownDossier(_))),
            "{other:?}"
        );
        handle_notice(
            &c.p(),
            &notice(&c.txn_ref, FEE, "00"),
            &gw("2024-05-20T09:03:00+07:00")?,
        )
        .await;
        let owner = c
            .store
            .payment_order(c.txn_ref.as_str())
            .await?
            .ok_or("order")?
            .citizen
            .ok_or("citizen")?;
        let again = start_payment(
            &c.store,
            c.stand.as_ref(),
            owner,
            &c.code,
            "10.0.0.1",
            "/r",
            &gw("2024-05-20T09:05:00+07:00")?,
        )
        .await;
        assert!(
            matches!(again, Err(motcua_app::AppError::Refused(_))),
            "{again:?}"
        );

        let reception = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let denied = refund(
            &c.p(),
            &reception,
            c.txn_ref.as_str(),
            FEE,
            "Nộp trùng",
            &at(&reception, "2024-05-21T08:00:00+07:00")?,
        )
        .await;
        assert!(
            matches!(denied, Err(motcua_app::AppError::Denied(_))),
            "{denied:?}"
        );
        let leader = officer("lanh-dao", "ho-xa", Role::Leader)?;
        let done = refund(
            &c.p(),
            &leader,
            c.txn_ref.as_str(),
            FEE,
            "Nộp trùng",
            &at(&leader, "2024-05-21T08:00:00+07:00")?,
        )
        .await?;
        assert!(done.accepted);
        let too_much = refund(
            &c.p(),
            &leader,
            c.txn_ref.as_str(),
            1,
            "Nộp trùng",
            &at(&leader, "2024-05-21T08:01:00+07:00")?,
        )
        .await;
        assert!(
            matches!(too_much, Err(motcua_app::AppError::Refused(_))),
            "{too_much:?}"
        );
        assert_eq!(c.store.payment_refunds(c.txn_ref.as_str()).await?.len(), 1);
        assert_eq!(
            c.ledger().await?.last().map(|r| r.0.clone()).as_deref(),
            Some("refund")
        );
        Ok(())
    })
    .await
}
