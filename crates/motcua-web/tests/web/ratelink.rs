//! The rating link in the citizen's result notice, on both databases: a dossier submitted
//! from an account, taken to its result, puts in the outbox an e-mail inviting the rating —
//! with the dossier's rating link once the portal's address is known (`motcua serve
//! --public-url` remembers it), without a link before — and that link opens the dossier's
//! rating form to a visitor who is not signed in. A dossier without an account tells nobody.

use axum::http::StatusCode;
use motcua_core::Timestamp;
use motcua_core::access::{Credential, Principal, Role};
use motcua_core::citizen::CitizenKind;
use motcua_core::lifecycle::Step;
use motcua_core::outbox::Channel;
use motcua_store::{NewCitizen, SqlStore};

use crate::common::{self, Client, Error, TestResult, loaded};

const PORTAL: &str = "https://dichvucong.example.vn";
const PHONE: &str = "0912345678";
const EMAIL: &str = "lan.nguyen@example.vn";
const INVITE: &str = "Mời Ông/Bà đánh giá mức độ hài lòng";

fn officer(role: Role) -> Result<Principal, Error> {
    Ok(Principal {
        id: 0,
        name: "probe".to_owned(),
        unit: motcua_core::unit::UnitCode::parse("vinh-khe")?,
        credential: Credential::User { role },
    })
}

async fn step(store: &SqlStore, role: Role, code: &str, s: Step, t: &str) -> TestResult {
    let who = officer(role)?;
    let ctx = motcua_testkit::ctx(&who.actor(), Timestamp::parse(t)?);
    motcua_app::desk::take_step(store, &who, code, &s, &ctx).await?;
    Ok(())
}

/// The e-mails to [`EMAIL`] whose subject ends with `code`: (subject, body).
async fn emails_about(store: &SqlStore, code: &str) -> Result<Vec<(String, String)>, Error> {
    Ok(store
        .messages_to(EMAIL)
        .await?
        .into_iter()
        .filter(|m| m.channel == Channel::Email && m.subject.ends_with(code))
        .map(|m| (m.subject, m.body))
        .collect())
}

#[tokio::test]
async fn the_result_notice_carries_the_rating_link_that_opens_the_form() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let files = common::scan_files();
        let new = NewCitizen {
            kind: CitizenKind::Person,
            full_name: "Nguyễn Thị Lan".to_owned(),
            phone: Some(PHONE.to_owned()),
            email: Some(EMAIL.to_owned()),
            id_number: None,
            tax_code: None,
            password_hash: None,
        };
        let lan = store
            .create_citizen(
                &new,
                &motcua_testkit::ctx("test", Timestamp::from_micros(0)),
            )
            .await?;
        // Approved on 23/11 before any address is known: the invitation names the list.
        let (other, approved) = common::online::dossiers(&store, &files, &lan, "vinh-khe").await?;
        let mails = emails_about(&store, &approved).await?;
        let (_, ready) = mails
            .iter()
            .find(|(s, _)| s.starts_with("Hồ sơ đã có kết quả"))
            .ok_or("no result e-mail")?;
        assert!(
            ready.contains(&format!(
                "{INVITE} trên Cổng dịch vụ công, tại hồ sơ trong mục Hồ sơ của tôi."
            )),
            "{}: {ready}",
            db.backend
        );
        assert!(!ready.contains("/rate/"), "{ready}");

        // `serve --public-url` remembers the address; the handing back then links.
        let ctx = motcua_testkit::ctx(
            "system:serve",
            Timestamp::parse("2026-11-24T07:00:00+07:00")?,
        );
        assert!(motcua_app::portal::remember(&store, &format!("{PORTAL}/"), &ctx).await?);
        assert!(
            !motcua_app::portal::remember(&store, PORTAL, &ctx).await?,
            "the same address again writes nothing"
        );
        step(
            &store,
            Role::Reception,
            &approved,
            Step::ReturnResult { collected_by: None },
            "2026-11-24T08:00:00+07:00",
        )
        .await?;
        let mails = emails_about(&store, &approved).await?;
        let (_, returned) = mails
            .iter()
            .find(|(s, _)| s.starts_with("Đã trả kết quả hồ sơ"))
            .ok_or("no hand-back e-mail")?;
        let prefix = format!("{INVITE}: {PORTAL}/rate/{approved}?t=");
        let line = returned
            .lines()
            .find(|l| l.starts_with(&prefix))
            .ok_or_else(|| format!("{}: no rating link in {returned}", db.backend))?;
        let token = &line[prefix.len()..];
        assert_eq!(token.len(), 32, "{line}");
        assert!(token.chars().all(|c| c.is_ascii_hexdigit()), "{line}");
        // The SMS has no room for the link.
        let sms = store.messages_to(PHONE).await?;
        assert!(sms.iter().any(|m| m.body.contains(&approved)));
        assert!(sms.iter().all(|m| !m.body.contains("/rate/")));

        // The link opens the rating form of that dossier, without signing in.
        let path = &line[format!("{INVITE}: {PORTAL}").len()..];
        let page = Client::new(&store).get(path).await?;
        assert_eq!(page.status, StatusCode::OK, "{}: {}", db.backend, page.body);
        assert!(page.body.contains(&approved), "{}", page.body);
        assert!(page.body.contains(r#"id="rate""#), "{}", page.body);
        assert!(page.body.contains(r#"name="rating""#), "{}", page.body);
        // A token of another dossier opens nothing.
        let wrong = Client::new(&store)
            .get(&path.replace(&approved, &other))
            .await?;
        assert_eq!(wrong.status, StatusCode::NOT_FOUND, "{}", db.backend);
        store.close().await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_dossier_without_an_account_tells_nobody() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = loaded(&db.url).await?;
        let files = common::scan_files();
        let ctx = motcua_testkit::ctx(
            "system:serve",
            Timestamp::parse("2024-05-20T07:00:00+07:00")?,
        );
        motcua_app::portal::remember(&store, PORTAL, &ctx).await?;
        let (code, _) = common::received_dossier(&store, &files, "vinh-khe").await?;
        let before = store.outbox_overview().await?;
        for (role, s, t) in [
            (
                Role::Specialist,
                Step::StartProcessing,
                "2024-05-20T09:00:00+07:00",
            ),
            (
                Role::Leader,
                Step::Approve {
                    result_digitized: false,
                },
                "2024-05-20T10:00:00+07:00",
            ),
            (
                Role::Reception,
                Step::ReturnResult { collected_by: None },
                "2024-05-20T11:00:00+07:00",
            ),
        ] {
            step(&store, role, &code, s, t).await?;
        }
        let held = store
            .held_dossier(&motcua_core::dossier::DossierCode::parse(&code).ok_or("code")?)
            .await?
            .ok_or("gone")?;
        assert_eq!(held.citizen, None, "{}", db.backend);
        assert!(held.dossier.outcome.is_some(), "{}", db.backend);
        assert_eq!(store.outbox_overview().await?, before, "{}", db.backend);
        store.close().await?;
    }
    Ok(())
}
