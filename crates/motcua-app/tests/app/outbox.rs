//! The notices to citizens, end to end on both databases: each step of a dossier submitted
//! from a citizen's account puts its SMS and e-mail in the outbox in the step's own
//! transaction (a refused change puts nothing), and the worker delivers them — through
//! `SmtpSender` to a local SMTP sink (the Vietnamese arrives intact), retried when the server
//! refuses, or logged.

use std::sync::Arc;
use std::time::Duration;

use motcua_app::desk::{self, Reception};
use motcua_app::outbox::{Delivery, LogSms, Senders, SmtpSender, deliver_due};
use motcua_calendar::ProcessingDays;
use motcua_core::Timestamp;
use motcua_core::access::{Principal, Role};
use motcua_core::dossier::Channel as Submission;
use motcua_core::lifecycle::{Collector, Step};
use motcua_core::outbox::{Channel, Message};
use motcua_store::{Change, OutboxOverview, SqlStore};
use motcua_testkit::{
    SmtpSink, TestDb, TestResult, acting as at, citizen_of, for_each_db, officer,
};

const PHONE: &str = "0912345678";
const EMAIL: &str = "nhung.nguyen@example.vn";

/// The fixture with a dossier received at Hồ Xá's desk on Monday 20/5/2024 08:00, submitted
/// from Nguyễn Thị Hồng Nhung's account; its code.
async fn citizens_dossier(db: &TestDb) -> Result<(SqlStore, String), Box<dyn std::error::Error>> {
    let store = SqlStore::connect(&db.url).await?;
    let ctx = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
    motcua_app::import_dir(&store, &motcua_testkit::vinh_linh(), &ctx).await?;
    motcua_app::auth::create_user(
        &store,
        "chuyen-vien",
        "Lê Thị Chuyên",
        "ho-xa",
        Role::Specialist,
        "mat-khau-thu",
        &ctx,
    )
    .await?;
    let units = store.units().await?;
    let ho_xa = units
        .iter()
        .find(|u| u.code.as_str() == "ho-xa")
        .ok_or("no ho-xa")?;
    let procedure = store
        .procedures()
        .await?
        .into_iter()
        .find(|p| {
            p.offered_by_unit(ho_xa)
                && (1..=30).any(|n| p.processing_days == ProcessingDays::days(n))
        })
        .ok_or("no procedure in whole days")?;
    let reception = Reception {
        procedure: procedure.code.to_string(),
        unit: "ho-xa".to_owned(),
        channel: Submission::Direct,
        online_level: None,
        components_total: 3,
        components_digitized: 3,
        fee_vnd: 0,
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
    citizen_of(
        &db.url,
        &code,
        "Nguyễn Thị Hồng Nhung",
        Some(PHONE),
        Some(EMAIL),
    )
    .await?;
    Ok((store, code))
}

async fn step(
    store: &SqlStore,
    who: &Principal,
    code: &str,
    step: Step,
    t: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    desk::take_step(store, who, code, &step, &at(who, t)?).await?;
    Ok(())
}

#[tokio::test]
async fn each_step_the_citizen_waits_for_sends_one_sms_and_one_email_in_order() -> TestResult {
    let sink = SmtpSink::start().await?;
    for_each_db(async |db| {
        let (store, code) = citizens_dossier(db).await?;
        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let specialist = officer("chuyen-vien", "ho-xa", Role::Specialist)?;
        let leader = officer("lanh-dao", "ho-xa", Role::Leader)?;
        let count = async || -> Result<(usize, usize), Box<dyn std::error::Error>> {
            Ok((
                store.messages_to(PHONE).await?.len(),
                store.messages_to(EMAIL).await?.len(),
            ))
        };
        // Inside the office: nothing for the citizen.
        let to = Step::Assign {
            to: "chuyen-vien".to_owned(),
        };
        step(
            &store,
            &desk_officer,
            &code,
            to,
            "2024-05-20T08:30:00+07:00",
        )
        .await?;
        assert_eq!(count().await?, (0, 0), "{}", db.backend);
        let reason = "Thiếu bản sao giấy khai sinh có chứng thực".parse()?;
        step(
            &store,
            &specialist,
            &code,
            Step::RequestSupplement { reason },
            "2024-05-20T10:00:00+07:00",
        )
        .await?;
        assert_eq!(count().await?, (1, 1), "one notice per channel");
        step(
            &store,
            &desk_officer,
            &code,
            Step::Supplemented { documents: vec![] },
            "2024-05-20T11:00:00+07:00",
        )
        .await?;
        step(
            &store,
            &specialist,
            &code,
            Step::ProposeApproval {
                result_digitized: true,
            },
            "2024-05-20T13:00:00+07:00",
        )
        .await?;
        assert_eq!(count().await?, (2, 2), "a proposal tells nothing");
        step(
            &store,
            &leader,
            &code,
            Step::Approve {
                result_digitized: true,
            },
            "2024-05-20T14:00:00+07:00",
        )
        .await?;
        let collector = Collector {
            name: "Nguyễn Thị Hồng Nhung".to_owned(),
            id_number: "045190001234".to_owned(),
            relation: String::new(),
        };
        step(
            &store,
            &desk_officer,
            &code,
            Step::ReturnResult {
                collected_by: Some(collector),
            },
            "2024-05-23T08:00:00+07:00",
        )
        .await?;

        let emails = store.messages_to(EMAIL).await?;
        let subjects: Vec<String> = emails.iter().map(|m| m.subject.clone()).collect();
        assert_eq!(
            subjects,
            [
                format!("Yêu cầu bổ sung hồ sơ – {code}"),
                format!("Đã nhận hồ sơ bổ sung – {code}"),
                format!("Hồ sơ đã có kết quả – {code}"),
                format!("Đã trả kết quả hồ sơ – {code}"),
            ],
            "{}",
            db.backend
        );
        assert!(emails.iter().all(|m| m.channel == Channel::Email));
        assert!(
            emails[0]
                .body
                .starts_with("Kính gửi Ông/Bà Nguyễn Thị Hồng Nhung,")
        );
        assert!(
            emails[0]
                .body
                .contains("Thiếu bản sao giấy khai sinh có chứng thực")
        );
        assert!(
            emails[0]
                .body
                .contains("UBND thị trấn Hồ Xá đề nghị Ông/Bà bổ sung"),
            "{}",
            emails[0].body
        );
        // A desk dossier's result is collected at the desk.
        assert!(
            emails[2].body.contains("Bộ phận Một cửa"),
            "{}",
            emails[2].body
        );
        let sms = store.messages_to(PHONE).await?;
        assert_eq!(sms.len(), 4);
        assert!(
            sms.iter()
                .all(|m| m.channel == Channel::Sms && m.subject.is_empty())
        );
        assert!(
            sms[0].body.contains("cần bổ sung giấy tờ"),
            "{}",
            sms[0].body
        );
        assert!(
            sms[1].body.contains("Ngày hẹn trả kết quả"),
            "{}",
            sms[1].body
        );
        assert!(sms.iter().all(|m| m.body.contains(&code)));

        // Delivered through SMTP in the same order, the Vietnamese intact.
        let before = sink.messages().len();
        let senders = Senders {
            email: Arc::new(SmtpSender::new(&sink.url(), "noreply@example.vn")?),
            sms: Arc::new(LogSms),
        };
        let now = Timestamp::parse("2024-05-23T08:01:00+07:00")?;
        let d = deliver_due(&store, &senders, now).await?;
        assert_eq!(d.sent, 8, "{}", db.backend);
        let got = sink.wait_for(before + 4, Duration::from_secs(10)).await?;
        let got_subjects: Vec<&str> = got[before..].iter().map(|m| m.subject.as_str()).collect();
        assert_eq!(got_subjects, subjects, "{}", db.backend);
        assert_eq!(
            got[before].body.replace("\r\n", "\n").trim_end(),
            emails[0].body.trim_end()
        );
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_refused_change_leaves_no_notice() -> TestResult {
    for_each_db(async |db| {
        let (store, code) = citizens_dossier(db).await?;
        let held = store
            .held_dossier(&motcua_core::dossier::DossierCode::parse(&code).ok_or("code")?)
            .await?
            .ok_or("gone")?;
        assert!(held.citizen.is_some(), "{}", db.backend);
        let step = Step::StartProcessing;
        let notice = |body: &str| Message {
            channel: Channel::Sms,
            to: PHONE.to_owned(),
            subject: String::new(),
            body: body.to_owned(),
        };
        let ctx = motcua_testkit::ctx("test", Timestamp::parse("2024-05-20T09:00:00+07:00")?);
        let next = held.lifecycle.apply(&step, ctx.at)?;
        let after = (&held.dossier, &next, held.details.as_ref());
        store
            .apply_change(
                &held,
                after,
                &Change::Step(&step),
                &[notice("first")],
                &ctx,
                None,
            )
            .await?;
        // The same change computed from the same (now stale) state is refused.
        let e = store
            .apply_change(
                &held,
                after,
                &Change::Step(&step),
                &[notice("second")],
                &ctx,
                None,
            )
            .await;
        assert!(e.is_err(), "{}", db.backend);
        let bodies: Vec<String> = store
            .messages_to(PHONE)
            .await?
            .into_iter()
            .map(|m| m.body)
            .collect();
        assert_eq!(bodies, ["first"], "{}", db.backend);
        store.close().await?;
        Ok(())
    })
    .await
}

fn email(subject: &str, body: &str) -> Message {
    Message {
        channel: Channel::Email,
        to: EMAIL.to_owned(),
        subject: subject.to_owned(),
        body: body.to_owned(),
    }
}

#[tokio::test]
async fn the_worker_delivers_vietnamese_intact_through_smtp() -> TestResult {
    let sink = SmtpSink::start().await?;
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let now = Timestamp::parse("2026-12-03T08:00:00+07:00")?;
        let subject = "Hồ sơ đã được tiếp nhận – HO-XA-261203-0001";
        // Long lines (soft line breaks), a line that starts with a dot (dot-stuffing), every
        // Vietnamese tone mark.
        let body = "Kính gửi Ông/Bà Nguyễn Thị Hồng Nhung,\n\nUBND thị trấn Hồ Xá đã tiếp nhận hồ sơ HO-XA-261203-0001. Ngày hẹn trả kết quả: 17:00 ngày 07/12/2026. Ông/Bà có thể tra cứu tình trạng hồ sơ trên Cổng dịch vụ công bằng mã hồ sơ.\n.Dòng bắt đầu bằng dấu chấm\nà á ả ã ạ ằ ắ ẳ ẵ ặ ầ ấ ẩ ẫ ậ đ ơ ư Ữ Ự";
        let sms = Message {
            channel: Channel::Sms,
            to: PHONE.to_owned(),
            subject: String::new(),
            body: "Hồ sơ HO-XA-261203-0001 đã được tiếp nhận.".to_owned(),
        };
        store.enqueue_messages(&[email(subject, body), sms], now).await?;
        let senders = Senders {
            email: Arc::new(SmtpSender::new(&sink.url(), "Cổng dịch vụ công <noreply@example.vn>")?),
            sms: Arc::new(LogSms),
        };
        let before = sink.messages().len();
        let d = deliver_due(&store, &senders, now).await?;
        assert_eq!(d, Delivery { sent: 2, failed: 0, given_up: 0 }, "{}", db.backend);
        let got = sink.wait_for(before + 1, Duration::from_secs(10)).await?;
        let m = got.last().ok_or("none")?;
        assert_eq!(m.recipients, [EMAIL]);
        assert_eq!(m.from, "noreply@example.vn");
        assert_eq!(m.subject, subject);
        assert_eq!(m.body.replace("\r\n", "\n").trim_end(), body);
        // Sent once: nothing more to deliver.
        assert_eq!(deliver_due(&store, &senders, now).await?, Delivery::default());
        assert_eq!(
            store.outbox_overview().await?,
            OutboxOverview { pending: 0, sent: 2, given_up: 0 }
        );
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_refusing_server_gets_the_message_again_after_the_delay() -> TestResult {
    let sink = SmtpSink::refusing().await?;
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let now = Timestamp::parse("2026-12-03T08:00:00+07:00")?;
        let later = |secs: i64| Timestamp::from_micros(now.as_micros() + secs * 1_000_000);
        store
            .enqueue_messages(&[email("Thử", "Nội dung")], now)
            .await?;
        let senders = Senders {
            email: Arc::new(SmtpSender::new(&sink.url(), "noreply@example.vn")?),
            sms: Arc::new(LogSms),
        };
        let d = deliver_due(&store, &senders, now).await?;
        assert_eq!(
            d,
            Delivery {
                sent: 0,
                failed: 1,
                given_up: 0
            },
            "{}",
            db.backend
        );
        assert!(sink.messages().is_empty());
        // Not before a minute; then again (and the next delay is five minutes).
        assert_eq!(
            deliver_due(&store, &senders, later(59)).await?,
            Delivery::default()
        );
        assert_eq!(deliver_due(&store, &senders, later(60)).await?.failed, 1);
        assert_eq!(
            deliver_due(&store, &senders, later(60 + 299)).await?,
            Delivery::default()
        );
        assert_eq!(
            deliver_due(&store, &senders, later(60 + 300)).await?.failed,
            1
        );
        assert_eq!(store.outbox_overview().await?.pending, 1);
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_log_providers_mark_messages_sent() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let now = Timestamp::parse("2026-12-03T08:00:00+07:00")?;
        let sms = Message {
            channel: Channel::Sms,
            to: PHONE.to_owned(),
            subject: String::new(),
            body: "Hồ sơ đã có kết quả.".to_owned(),
        };
        store
            .enqueue_messages(&[sms, email("Thử", "Nội dung")], now)
            .await?;
        let d = deliver_due(&store, &Senders::logged(), now).await?;
        assert_eq!(
            d,
            Delivery {
                sent: 2,
                failed: 0,
                given_up: 0
            },
            "{}",
            db.backend
        );
        assert_eq!(store.outbox_overview().await?.sent, 2);
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_worker_delivers_until_told_to_stop() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let now = Timestamp::parse("2026-12-03T08:00:00+07:00")?;
        store
            .enqueue_messages(&[email("Thử", "Nội dung")], now)
            .await?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let worker = tokio::spawn(motcua_app::outbox::run_worker(
            store.clone(),
            Senders::logged(),
            Duration::from_millis(10),
            move || Some(now),
            stopped,
        ));
        let until = tokio::time::Instant::now() + Duration::from_secs(10);
        while store.outbox_overview().await?.sent < 1 {
            assert!(
                tokio::time::Instant::now() < until,
                "not delivered on {}",
                db.backend
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        stop.send(true)?;
        tokio::time::timeout(Duration::from_secs(5), worker).await??;
        store.close().await?;
        Ok(())
    })
    .await
}
