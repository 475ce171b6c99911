//! Citizens' accounts on both databases: a one-time code and its message are written together,
//! a code takes five wrong tries, dies at its expiry and serves once; contacts are unique; the
//! lockout counts like the officers'; sessions end and expire; the profile is audited with
//! before and after; the trail names a citizen by full name.

use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, LOCKOUT_THRESHOLD};
use motcua_core::citizen::{Citizen, CitizenKind, CodePurpose, Contact};
use motcua_core::outbox::{Channel, Message};
use motcua_store::{
    CitizenProfile, CodeCheck, NewCitizen, NewCode, NewSession, SqlStore, StoreError,
};
use motcua_testkit::{TestResult, ctx, for_each_db};

const T0: i64 = 1_780_000_000_000_000;
const MINUTE: i64 = 60_000_000;

fn at(minutes: i64) -> Timestamp {
    Timestamp::from_micros(T0 + minutes * MINUTE)
}

fn phone() -> Contact {
    Contact::Phone("0912345678".to_owned())
}

fn code(hash: &str, expires: i64) -> NewCode {
    NewCode {
        purpose: CodePurpose::SignUp,
        recipient: phone(),
        code_hash: hash.to_owned(),
        payload: format!("{{\"hash\":\"{hash}\"}}"),
        expires_at: at(expires),
    }
}

fn sms(body: &str) -> Message {
    Message {
        channel: Channel::Sms,
        to: "0912345678".to_owned(),
        subject: String::new(),
        body: body.to_owned(),
    }
}

fn by_contact(at_min: i64) -> AuditContext {
    ctx("contact:0912345678", at(at_min))
}

fn person(phone: &str, email: Option<&str>) -> NewCitizen {
    NewCitizen {
        kind: CitizenKind::Person,
        full_name: "Trần Văn Bình".to_owned(),
        phone: Some(phone.to_owned()),
        email: email.map(str::to_owned),
        id_number: None,
        tax_code: None,
        password_hash: Some("$argon2id$fake".to_owned()),
    }
}

async fn actions(store: &SqlStore) -> Result<Vec<String>, StoreError> {
    store
        .query_text("SELECT action || ' ' || actor || ' ' || target FROM audit_log ORDER BY id")
        .await
}

#[tokio::test]
async fn a_code_and_its_message_are_written_together_and_counted() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        store
            .issue_citizen_code(&code("h1", 10), &[sms("Mã 111111")], &by_contact(0))
            .await?;
        store
            .issue_citizen_code(&code("h2", 12), &[sms("Mã 222222")], &by_contact(2))
            .await?;
        assert_eq!(
            store.messages_to("0912345678").await?,
            vec![sms("Mã 111111"), sms("Mã 222222")]
        );
        assert_eq!(store.citizen_codes_since(&phone(), at(0)).await?, 2);
        assert_eq!(store.citizen_codes_since(&phone(), at(1)).await?, 1);
        assert_eq!(store.citizen_codes_since(&phone(), at(3)).await?, 0);
        let other = Contact::Email("an@example.vn".to_owned());
        assert_eq!(store.citizen_codes_since(&other, at(0)).await?, 0);
        // The latest unused code is the one that counts.
        assert_eq!(
            store
                .pending_citizen_code(CodePurpose::SignUp, &phone())
                .await?,
            Some("{\"hash\":\"h2\"}".to_owned())
        );
        let check = store
            .check_citizen_code(CodePurpose::SignUp, &phone(), "h1", &by_contact(3))
            .await?;
        assert_eq!(check, CodeCheck::Wrong { attempts_left: 4 });
        let trail = actions(&store).await?;
        assert_eq!(
            trail,
            vec![
                "citizen.code_sent contact:0912345678 0912345678",
                "citizen.code_sent contact:0912345678 0912345678",
                "citizen.code_wrong contact:0912345678 0912345678",
            ]
        );
        // Only the hash is stored.
        let stored = store
            .query_text("SELECT code_hash FROM citizen_codes")
            .await?;
        assert_eq!(stored, vec!["h1", "h2"]);
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_code_serves_once_takes_five_tries_and_expires() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let check = async |hash: &str, minute: i64| {
            store
                .check_citizen_code(CodePurpose::SignUp, &phone(), hash, &by_contact(minute))
                .await
        };
        assert_eq!(check("h", 0).await?, CodeCheck::NoCode);
        store
            .issue_citizen_code(&code("h", 10), &[], &by_contact(0))
            .await?;
        assert_eq!(
            check("h", 1).await?,
            CodeCheck::Confirmed("{\"hash\":\"h\"}".to_owned())
        );
        // Used: the same code again finds nothing waiting.
        assert_eq!(check("h", 2).await?, CodeCheck::NoCode);

        store
            .issue_citizen_code(&code("k", 13), &[], &by_contact(3))
            .await?;
        for left in (1..=4).rev() {
            assert_eq!(
                check("x", 4).await?,
                CodeCheck::Wrong {
                    attempts_left: left
                }
            );
        }
        assert_eq!(check("x", 4).await?, CodeCheck::Dead);
        // Dead after five wrong tries, even with the right code.
        assert_eq!(check("k", 4).await?, CodeCheck::Dead);

        store
            .issue_citizen_code(&code("m", 15), &[], &by_contact(5))
            .await?;
        // At its expiry, the right code is dead too.
        assert_eq!(check("m", 15).await?, CodeCheck::Dead);
        store
            .issue_citizen_code(&code("n", 26), &[], &by_contact(16))
            .await?;
        assert_eq!(
            check("n", 25).await?,
            CodeCheck::Confirmed("{\"hash\":\"n\"}".to_owned())
        );
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn contacts_are_unique_and_the_account_reads_back() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let made = store
            .create_citizen(&person("0912345678", Some("binh@example.vn")), &by_contact(0))
            .await?;
        assert_eq!(
            made,
            Citizen {
                id: made.id,
                kind: CitizenKind::Person,
                full_name: "Trần Văn Bình".to_owned(),
                phone: Some("0912345678".to_owned()),
                email: Some("binh@example.vn".to_owned()),
                id_number: None,
                tax_code: None,
            }
        );
        assert_eq!(store.citizen(made.id).await?, Some(made.clone()));
        let found = store
            .citizen_by_contact(&Contact::Email("binh@example.vn".to_owned()))
            .await?
            .ok_or("not found by e-mail")?;
        assert_eq!(found.citizen, made);
        assert_eq!(found.password_hash.as_deref(), Some("$argon2id$fake"));
        assert!(store.citizen_by_contact(&Contact::Phone("0987654321".to_owned())).await?.is_none());
        for (phone, email) in [("0912345678", None), ("0987654321", Some("binh@example.vn"))] {
            let e = store
                .create_citizen(&person(phone, email), &by_contact(1))
                .await
                .err()
                .ok_or("a second account with the same contact")?;
            assert!(
                matches!(&e, StoreError::Refused(m) if m.contains("đã được dùng cho một tài khoản khác")),
                "{e}"
            );
        }
        let trail = actions(&store).await?;
        let actor = made.id.actor();
        assert_eq!(trail, vec![format!("citizen.sign_up {actor} {actor}")]);
        // The trail names the account by its full name.
        let known = store.known_actors(&[actor.clone(), "citizen:999".to_owned()]).await?;
        assert_eq!(known.len(), 1);
        assert_eq!((known[0].actor.as_str(), known[0].name.as_str()), (actor.as_str(), "Trần Văn Bình"));
        assert_eq!(known[0].unit, None);
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_and_a_session_clears_them() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let c = store
            .create_citizen(&person("0912345678", None), &by_contact(0))
            .await?;
        let me = ctx(&c.id.actor(), at(1));
        for _ in 1..LOCKOUT_THRESHOLD {
            assert_eq!(store.record_citizen_login_failure(c.id, &me).await?, None);
        }
        let locked = store.record_citizen_login_failure(c.id, &me).await?;
        assert_eq!(locked, Some(at(1 + 15)));
        let login = store.citizen_by_contact(&phone()).await?.ok_or("gone")?;
        assert_eq!((login.failed_logins, login.locked_until), (0, Some(at(16))));

        let session = NewSession {
            token_hash: "t1".to_owned(),
            csrf: "c1".to_owned(),
            expires_at: at(20 + 12 * 60),
        };
        store
            .start_citizen_session(c.id, &session, &ctx("x", at(20)))
            .await?;
        let login = store.citizen_by_contact(&phone()).await?.ok_or("gone")?;
        assert_eq!((login.failed_logins, login.locked_until), (0, None));
        assert_eq!(
            store.citizen_session("t1", at(21)).await?,
            Some((c.clone(), "c1".to_owned()))
        );
        assert_eq!(store.citizen_session("t2", at(21)).await?, None);
        // Expired at its end.
        assert_eq!(store.citizen_session("t1", at(20 + 12 * 60)).await?, None);
        // An officer's session table knows nothing of it.
        assert_eq!(store.session("t1", at(21)).await?, None);
        store
            .end_citizen_session("t1", &ctx(&c.id.actor(), at(22)))
            .await?;
        assert_eq!(store.citizen_session("t1", at(22)).await?, None);
        let trail = actions(&store).await?;
        let a = c.id.actor();
        assert_eq!(
            trail[1..],
            [
                vec![format!("citizen.sign_in_failure {a} {a}"); LOCKOUT_THRESHOLD as usize - 1],
                vec![
                    format!("citizen.locked {a} {a}"),
                    format!("citizen.sign_in {a} {a}"),
                    format!("citizen.sign_out {a} {a}"),
                ],
            ]
            .concat()
        );
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_profile_changes_with_its_before_and_after() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let c = store.create_citizen(&person("0912345678", None), &by_contact(0)).await?;
        let profile = CitizenProfile {
            full_name: "Trần Văn Bình An".to_owned(),
            id_number: Some("045123001234".to_owned()),
            tax_code: None,
        };
        let after = store.update_citizen_profile(c.id, &profile, &ctx(&c.id.actor(), at(1))).await?;
        assert_eq!(after.full_name, "Trần Văn Bình An");
        assert_eq!(after.id_number.as_deref(), Some("045123001234"));
        assert_eq!(store.citizen(c.id).await?, Some(after));
        let values = store
            .query_text(
                "SELECT before_value || ' → ' || after_value FROM audit_log WHERE action = 'citizen.profile'",
            )
            .await?;
        assert_eq!(values.len(), 1);
        assert!(values[0].contains("\"full_name\":\"Trần Văn Bình\""), "{}", values[0]);
        assert!(values[0].contains("\"id_number\":\"045123001234\""), "{}", values[0]);
        assert!(!values[0].contains("argon2"), "{}", values[0]);
        store.close().await?;
        Ok(())
    })
    .await
}
