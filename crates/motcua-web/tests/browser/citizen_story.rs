//! Issue 18's story, end to end in a browser, the citizen on a phone (390×844): a citizen
//! signs up with her e-mail address (the code read from the e-mail a local SMTP sink caught)
//! and submits a toàn trình birth registration with its scans on Friday 27/11/2026 at 16:30;
//! Vĩnh Khê's desk accepts it on Monday and hands it to the specialist, who asks for a
//! supplement; the citizen uploads it from her phone; the specialist scans the result and
//! proposes it, the leader approves it; the citizen downloads the digitized result. The clock
//! is the test's ([`ManualClock`]); the outbox is delivered through SMTP after each step, and
//! the e-mails caught match the steps one for one. The dashboard's online figures of
//! November move by exactly this dossier.

use std::sync::Arc;
use std::time::Duration;

use motcua_app::outbox::{LogSms, Senders, SmtpSender, deliver_due};
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_core::rates::Rate;
use motcua_store::SqlStore;
use motcua_testkit::SmtpSink;
use motcua_web::ManualClock;
use thirtyfour::prelude::*;

use crate::common::{self, Error, PASSWORD, TestResult, loaded};
use crate::gestures::{dashboard_count, sign_in, sign_out, take_step};
use crate::harness::{Browser, ChromeDriver, app_state, serve_state, walk_on};

const UNIT: &str = "vinh-khe";
/// "Đăng ký khai sinh", toàn trình at every commune of the fixture.
const BIRTH_REGISTRATION: &str = "1.001193";
const EMAIL: &str = "nhung.nguyen@example.vn";
const NAME: &str = "Nguyễn Thị Hồng Nhung";
const CITIZEN_PASSWORD: &str = "mat-khau-cua-nhung";
const LEADER: &str = "khe-story-leader";
const MONTH: &str = "2026-11";
const TOAN_TRINH: &str = "Tỷ lệ hồ sơ trực tuyến toàn trình";

/// What the story needs beside the browser: the store, the clock, the sink and the senders.
struct World {
    store: SqlStore,
    clock: ManualClock,
    sink: SmtpSink,
    senders: Senders,
    scans: std::path::PathBuf,
}

impl World {
    /// Moves the clock to `at` (RFC 3339, UTC+7).
    fn at(&self, at: &str) -> Result<(), Error> {
        self.clock.set(Timestamp::parse(at)?);
        Ok(())
    }

    /// Sends what the outbox holds (as the server's worker would) and returns the e-mails the
    /// sink caught, which must then be `count`.
    async fn mail(&self, count: usize) -> Result<Vec<motcua_testkit::SinkMessage>, Error> {
        deliver_due(&self.store, &self.senders, self.clock.now()).await?;
        let caught = self.sink.wait_for(count, Duration::from_secs(15)).await?;
        if caught.len() != count {
            return Err(format!(
                "{} e-mails instead of {count}: {:#?}",
                caught.len(),
                caught.iter().map(|m| &m.subject).collect::<Vec<_>>()
            )
            .into());
        }
        Ok(caught)
    }

    /// The subject of the last e-mail, once there are `count`, checked to be to the citizen.
    async fn last_subject(&self, count: usize) -> Result<String, Error> {
        let caught = self.mail(count).await?;
        let last = caught.last().ok_or("no e-mail")?;
        assert_eq!(last.recipients, [EMAIL.to_owned()], "{}", last.subject);
        Ok(last.subject.clone())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizens_dossier_from_a_friday_afternoon_to_the_downloaded_result() -> TestResult {
    if crate::skip_without_browser()? {
        return Ok(());
    }
    let chromedriver = ChromeDriver::start()?;
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        motcua_app::auth::create_user(
            &store,
            LEADER,
            // The sign-in gesture finds the account's name in the header.
            LEADER,
            UNIT,
            Role::Leader,
            PASSWORD,
            &ctx,
        )
        .await?;
        let files = tempfile::tempdir()?;
        // On Thursday the desk received a dossier on paper: the month's toàn trình rate is
        // 0 of 1 before the citizen's.
        let scans = motcua_store::Files::new(files.path(), 1024 * 1024);
        common::received_dossier_at(&store, &scans, UNIT, "2026-11-26T09:00:00+07:00").await?;
        let clock = ManualClock::new(Timestamp::parse("2026-11-27T16:20:00+07:00")?);
        let sink = SmtpSink::start().await?;
        let senders = Senders {
            email: Arc::new(SmtpSender::new(
                &sink.url(),
                "Cổng dịch vụ công Vĩnh Linh <noreply@vinhlinh.example.vn>",
            )?),
            sms: Arc::new(LogSms),
        };
        let served =
            serve_state(app_state(store.clone(), files.path()).with_clock(clock.clone())).await?;
        let world = World {
            store: store.clone(),
            clock,
            sink,
            senders,
            scans: files.path().to_owned(),
        };
        walk_on(
            &chromedriver.url,
            &served.base,
            "story",
            db.backend,
            async |b| story(b, &world).await,
        )
        .await?;
        drop(served);
        store.close().await?;
    }
    Ok(())
}

/// The phone's window.
async fn phone(b: &Browser) -> Result<(), Error> {
    b.window(390, 844).await
}

/// The dashboard of Vĩnh Khê for November 2026: (received, the toàn trình rate as shown).
async fn figures(b: &Browser) -> Result<(u64, String), Error> {
    b.goto(&format!("/?unit={UNIT}&month={MONTH}")).await?;
    let received = dashboard_count(b, "Hồ sơ tiếp nhận").await?;
    let xpath = format!(
        "//div[contains(@class,'card')][div[@class='name' and normalize-space()='{TOAN_TRINH}']]/div[@class='value']"
    );
    let rate = b.driver.find(By::XPath(&xpath)).await?.text().await?;
    Ok((received, rate))
}

async fn story(b: &Browser, w: &World) -> TestResult {
    let month = MONTH.parse()?;
    let before = motcua_app::indicators(&w.store, UNIT, month).await?;

    // The desk's dashboard on Friday afternoon.
    sign_in(b, "khe-reception").await?;
    let (received_before, rate_before) = figures(b).await?;
    assert_eq!(received_before, before.counts.received);
    sign_out(b).await?;

    // Friday 16:20: the citizen signs up on her phone, with her e-mail address.
    phone(b).await?;
    b.goto("/").await?;
    b.click("a[href='/citizen/sign-up']").await?;
    b.find("input[name=kind][value=person]")
        .await?
        .click()
        .await?;
    b.fill("full_name", NAME).await?;
    b.fill("contact", EMAIL).await?;
    b.fill("password", CITIZEN_PASSWORD).await?;
    b.fill("confirm", CITIZEN_PASSWORD).await?;
    b.click("form.portal-form button[type=submit]").await?;
    let mail = w.mail(1).await?;
    assert_eq!(
        mail[0].subject,
        "Mã xác nhận đăng ký tài khoản Dịch vụ công"
    );
    let code = six_digits(&mail[0].body).ok_or("no code in the e-mail")?;
    b.fill("code", &code).await?;
    b.click("form.portal-form button[type=submit]").await?;
    assert_eq!(b.path().await?, "/citizen");
    assert_eq!(b.text("citizen-name").await?, NAME);
    b.look("story-account").await?;

    // 16:30: the birth registration, every component scanned, her phone typed in.
    w.at("2026-11-27T16:30:00+07:00")?;
    phone(b).await?;
    b.goto(&format!("/procedures/{BIRTH_REGISTRATION}?unit={UNIT}"))
        .await?;
    b.click("#submit-online").await?;
    b.click("form.portal-form button[type=submit]").await?;
    assert!(b.path().await?.starts_with("/citizen/submissions/"));
    assert_eq!(
        b.find("#applicant_name").await?.value().await?,
        Some(NAME.to_owned())
    );
    b.fill("applicant_phone", "0912 345 678").await?;
    let uploads = b
        .driver
        .find_all(By::Css("input[type=file][name^=component_]"))
        .await?;
    assert!(!uploads.is_empty(), "the checklist asks for scans");
    for (i, input) in uploads.iter().enumerate() {
        let scan = w.scans.join(format!("giay-to-{i}.pdf"));
        std::fs::write(&scan, common::online::pdf(i))?;
        input
            .send_keys(scan.to_str().ok_or("path is not UTF-8")?)
            .await?;
    }
    b.click("button[value=submit]").await?;
    b.find("#receipt").await?;
    b.look("story-submitted").await?;
    assert_eq!(
        w.last_subject(2).await?,
        "Đã nộp hồ sơ trực tuyến – «Đăng ký khai sinh»"
    );
    b.click("form.sign-out button").await?;

    // Monday 08:00: the desk finds it in the online inbox, accepts it and assigns it.
    w.at("2026-11-30T08:00:00+07:00")?;
    sign_in(b, "khe-reception").await?;
    b.goto("/desk/online").await?;
    b.click("#online-inbox a").await?;
    b.click("#accept button[type=submit]").await?;
    let page = b.path().await?;
    let code = page
        .strip_prefix("/dossiers/")
        .and_then(|rest| rest.split('?').next())
        .ok_or_else(|| format!("not a dossier's page: {page}"))?
        .to_owned();
    let dossier = format!("/dossiers/{code}");
    let held = w
        .store
        .held_dossier(&motcua_core::dossier::DossierCode::parse(&code).ok_or("code")?)
        .await?
        .ok_or("the dossier")?;
    // Received when the complete dossier was submitted, inside Friday's afternoon session.
    assert_eq!(
        held.dossier.received_at,
        Timestamp::parse("2026-11-27T16:30:00+07:00")?
    );
    assert_eq!(
        w.last_subject(3).await?,
        format!("Hồ sơ đã được tiếp nhận – {code}")
    );
    b.select("assignee", "khe-specialist").await?;
    take_step(b, "assign", None).await?;
    sign_out(b).await?;

    // 10:00: the specialist asks for a supplement.
    w.at("2026-11-30T10:00:00+07:00")?;
    sign_in(b, "khe-specialist").await?;
    b.goto(&dossier).await?;
    take_step(
        b,
        "request_supplement",
        Some("Thiếu bản sao giấy chứng nhận kết hôn của cha mẹ"),
    )
    .await?;
    sign_out(b).await?;
    assert_eq!(
        w.last_subject(4).await?,
        format!("Yêu cầu bổ sung hồ sơ – {code}")
    );

    // 14:00: the citizen signs in again (Friday's session has ended) and uploads it.
    w.at("2026-11-30T14:00:00+07:00")?;
    phone(b).await?;
    b.goto("/citizen/sign-in").await?;
    b.fill("contact", EMAIL).await?;
    b.fill("password", CITIZEN_PASSWORD).await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.click(&format!("a[href='/citizen/dossiers/{code}']"))
        .await?;
    b.find("#supplement-asked").await?;
    b.fill("doc_name_0", "Bản sao giấy chứng nhận kết hôn")
        .await?;
    let marriage = w.scans.join("ket-hon.pdf");
    std::fs::write(&marriage, common::online::pdf(50))?;
    b.find("input[type=file][name=doc_file_0]")
        .await?
        .send_keys(marriage.to_str().ok_or("path is not UTF-8")?)
        .await?;
    b.click("#supplement button[type=submit]").await?;
    assert!(
        !b.exists("#supplement-asked").await?,
        "the supplement went in"
    );
    b.look("story-supplemented").await?;
    b.click("form.sign-out button").await?;
    assert_eq!(
        w.last_subject(5).await?,
        format!("Đã nhận hồ sơ bổ sung – {code}")
    );

    // 15:00: the specialist scans the result and proposes it; the leader approves it.
    w.at("2026-11-30T15:00:00+07:00")?;
    sign_in(b, "khe-specialist").await?;
    b.goto(&dossier).await?;
    let result = w.scans.join("trich-luc-khai-sinh.pdf");
    std::fs::write(&result, b"%PDF-1.7\n% trich luc khai sinh\n%%EOF\n")?;
    b.find("#result-upload input[type=file]")
        .await?
        .send_keys(result.to_str().ok_or("path is not UTF-8")?)
        .await?;
    b.click("#result-upload button[type=submit]").await?;
    b.find("#result-scan").await?;
    take_step(b, "propose_approval", None).await?;
    sign_out(b).await?;
    sign_in(b, LEADER).await?;
    b.goto(&dossier).await?;
    take_step(b, "approve", None).await?;
    sign_out(b).await?;
    assert_eq!(
        w.last_subject(6).await?,
        format!("Hồ sơ đã có kết quả – {code}")
    );

    // 16:00: the citizen downloads the digitized result.
    w.at("2026-11-30T16:00:00+07:00")?;
    phone(b).await?;
    b.goto("/citizen/sign-in").await?;
    b.fill("contact", EMAIL).await?;
    b.fill("password", CITIZEN_PASSWORD).await?;
    b.click("form.portal-form button[type=submit]").await?;
    b.goto(&format!("/citizen/dossiers/{code}")).await?;
    b.look("story-result").await?;
    let href = b
        .find("#result a")
        .await?
        .attr("href")
        .await?
        .ok_or("the result's link")?;
    let downloaded = b
        .driver
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.ok ? r.text() : 'HTTP ' + r.status)
               .then(done).catch(e => done('ERROR ' + e));",
            vec![serde_json::Value::String(href)],
        )
        .await?
        .convert::<String>()?;
    assert_eq!(
        downloaded.as_bytes(),
        b"%PDF-1.7\n% trich luc khai sinh\n%%EOF\n"
    );
    b.click("form.sign-out button").await?;

    // The month's figures moved by this one online dossier, toàn trình.
    let after = motcua_app::indicators(&w.store, UNIT, month).await?;
    assert_eq!(after.counts.received, before.counts.received + 1);
    assert_eq!(
        after.counts.received_online,
        before.counts.received_online + 1
    );
    assert_eq!(
        after.counts.received_online_full,
        before.counts.received_online_full + 1
    );
    sign_in(b, "khe-reception").await?;
    let (received_after, rate_after) = figures(b).await?;
    assert_eq!(received_after, received_before + 1);
    let expected = motcua_core::display::rate_percent(&Rate::new(
        after.counts.received_online_full,
        after.counts.received,
    ));
    assert_eq!(rate_after, expected);
    assert_ne!(rate_after, rate_before);
    sign_out(b).await?;
    // Nothing more was told than the six steps.
    assert_eq!(w.mail(6).await?.len(), 6);

    let problems = b.problems(crate::KNOWN);
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} problem(s) on the story's pages:\n{}",
        problems.len(),
        problems.join("\n")
    )
    .into())
}

/// The first run of six digits in `text` (the one-time code of the e-mail).
fn six_digits(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(6).find_map(|w| {
        let is_run = w.iter().all(char::is_ascii_digit);
        is_run.then(|| w.iter().collect())
    })
}
