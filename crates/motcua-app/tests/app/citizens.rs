//! Citizens' accounts through the application services, on every test database: a sign-up
//! waits for its code (read back from the outbox: nothing is sent here), then creates the
//! account with an argon2id password and a session; a business needs its tax code; codes
//! are limited per recipient; sign-in answers alike for an unknown contact and a wrong
//! password, locks after repeated failures, and opens a 12-hour session stored as a hash;
//! the profile is checked field by field.

use motcua_app::citizens::{
    CitizenError, ProfileForm, SignUp, citizen_session, confirm_sign_up, resend_code, sign_in,
    sign_out, start_sign_up, update_profile,
};
use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, LOCKOUT_THRESHOLD};
use motcua_core::citizen::{CitizenKind, Contact};
use motcua_store::SqlStore;
use motcua_testkit::{TestResult, ctx, for_each_db};

const T0: i64 = 1_780_880_400_000_000;
const MINUTE: i64 = 60_000_000;

fn at(minutes: i64) -> AuditContext {
    ctx("web", Timestamp::from_micros(T0 + minutes * MINUTE))
}

fn form(kind: CitizenKind, contact: &str) -> SignUp {
    SignUp {
        kind: Some(kind),
        full_name: "  Trần Văn Bình ".to_owned(),
        contact: contact.to_owned(),
        password: "mat-khau-cong-dan".to_owned(),
        confirm: "mat-khau-cong-dan".to_owned(),
        tax_code: String::new(),
    }
}

async fn code_for(store: &SqlStore, to: &str) -> Result<String, Box<dyn std::error::Error>> {
    let m = store.messages_to(to).await?;
    let body = &m.last().ok_or("no message")?.body;
    let (_, rest) = body.split_once("Dịch vụ công: ").ok_or("no code")?;
    Ok(rest.chars().take(6).collect())
}

#[tokio::test]
async fn a_sign_up_becomes_an_account_with_its_code() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let to = start_sign_up(&store, &form(CitizenKind::Person, "0912 345 678"), &at(0)).await?;
        assert_eq!(to, Contact::Phone("0912345678".to_owned()));
        let code = code_for(&store, "0912345678").await?;
        assert_eq!(code.len(), 6);
        assert!(store.citizen_by_contact(&to).await?.is_none());
        // Only the code's hash is kept, and no password in clear anywhere.
        let hash = store
            .query_text("SELECT code_hash FROM citizen_codes")
            .await?;
        assert_eq!(hash[0].len(), 64);
        assert_ne!(hash[0], code);
        let payload = store
            .query_text("SELECT payload FROM citizen_codes")
            .await?;
        assert!(!payload[0].contains("mat-khau-cong-dan"), "{}", payload[0]);
        assert!(payload[0].contains("$argon2id$"), "{}", payload[0]);

        let signed = confirm_sign_up(&store, "+84912345678", &code, &at(1)).await?;
        assert_eq!(signed.citizen.full_name, "Trần Văn Bình");
        assert_eq!(signed.citizen.kind, CitizenKind::Person);
        assert_eq!(signed.citizen.phone.as_deref(), Some("0912345678"));
        let (me, csrf) = citizen_session(&store, &signed.cookie, at(2).at)
            .await?
            .ok_or("no session")?;
        assert_eq!((me, csrf), (signed.citizen.clone(), signed.csrf.clone()));
        // The cookie's value is not what is stored.
        let hashes = store
            .query_text("SELECT token_hash FROM citizen_sessions")
            .await?;
        assert!(!hashes.contains(&signed.cookie));
        // Twelve hours.
        assert!(
            citizen_session(&store, &signed.cookie, at(12 * 60 - 1).at)
                .await?
                .is_some()
        );
        assert!(
            citizen_session(&store, &signed.cookie, at(12 * 60 + 1).at)
                .await?
                .is_none()
        );
        // The same code again: nothing waits.
        let again = confirm_sign_up(&store, "0912345678", &code, &at(3)).await;
        assert!(
            matches!(again, Err(CitizenError::Code(_))),
            "{again:?}",
            again = again.err()
        );
        let me = signed.citizen.id.actor();
        sign_out(&store, &signed.cookie, &ctx(&me, at(4).at)).await?;
        assert!(
            citizen_session(&store, &signed.cookie, at(5).at)
                .await?
                .is_none()
        );
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_business_carries_its_tax_code_and_every_error_comes_at_once() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let mut f = form(CitizenKind::Business, "ketoan@binhan.vn");
        f.password = "1234".to_owned();
        f.full_name = String::new();
        let Err(CitizenError::Fields(errors)) = start_sign_up(&store, &f, &at(0)).await else {
            return Err("accepted".into());
        };
        let fields: Vec<&str> = errors.0.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["full_name", "tax_code", "password"]);
        assert_eq!(
            errors.of("tax_code"),
            "Nhập mã số thuế của doanh nghiệp, tổ chức"
        );
        let mut f = form(CitizenKind::Business, "KeToan@BinhAn.vn");
        f.tax_code = "3200123456".to_owned();
        f.full_name = "Công ty TNHH Bình An".to_owned();
        start_sign_up(&store, &f, &at(0)).await?;
        let code = code_for(&store, "ketoan@binhan.vn").await?;
        let signed = confirm_sign_up(&store, "ketoan@binhan.vn", &code, &at(1)).await?;
        assert_eq!(signed.citizen.kind, CitizenKind::Business);
        assert_eq!(signed.citizen.tax_code.as_deref(), Some("3200123456"));
        assert_eq!(signed.citizen.email.as_deref(), Some("ketoan@binhan.vn"));
        // A person gives no tax code; the kind must be chosen.
        let mut f = form(CitizenKind::Person, "0987654321");
        f.kind = None;
        let Err(CitizenError::Fields(errors)) = start_sign_up(&store, &f, &at(2)).await else {
            return Err("accepted without a kind".into());
        };
        assert!(!errors.of("kind").is_empty());
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn codes_are_limited_per_recipient() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        start_sign_up(&store, &form(CitizenKind::Person, "0912345678"), &at(0)).await?;
        resend_code(&store, "0912345678", &at(1)).await?;
        resend_code(&store, "0912345678", &at(2)).await?;
        let e = resend_code(&store, "0912345678", &at(3)).await.err();
        assert!(matches!(e, Some(CitizenError::Throttled)), "{e:?}");
        let e = start_sign_up(&store, &form(CitizenKind::Person, "0912345678"), &at(14)).await;
        assert!(matches!(e, Err(CitizenError::Throttled)));
        assert_eq!(store.messages_to("0912345678").await?.len(), 3);
        // Once the first is more than fifteen minutes old, a fourth.
        let e = resend_code(&store, "0912345678", &at(15)).await.err();
        assert!(matches!(e, Some(CitizenError::Throttled)), "{e:?}");
        resend_code(&store, "0912345678", &at(16)).await?;
        // The latest code confirms; the older ones are dead.
        let code = code_for(&store, "0912345678").await?;
        confirm_sign_up(&store, "0912345678", &code, &at(17)).await?;
        let unused = store
            .query_text("SELECT CAST(COUNT(*) AS TEXT) FROM citizen_codes WHERE used_at IS NULL")
            .await?;
        assert_eq!(unused, ["0"]);
        // Nothing waits for a recipient that has no sign-up.
        let e = resend_code(&store, "0987654321", &at(18)).await.err();
        assert!(matches!(e, Some(CitizenError::Code(_))), "{e:?}");
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn sign_in_tells_nothing_of_unknown_contacts_and_locks() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        start_sign_up(&store, &form(CitizenKind::Person, "0912345678"), &at(0)).await?;
        let code = code_for(&store, "0912345678").await?;
        let made = confirm_sign_up(&store, "0912345678", &code, &at(1)).await?;

        let wrong = sign_in(&store, "0912345678", "sai-mat-khau", &at(2))
            .await
            .err();
        let unknown = sign_in(&store, "0987654321", "sai-mat-khau", &at(2))
            .await
            .err();
        let garbage = sign_in(&store, "khong-phai-so", "sai-mat-khau", &at(2))
            .await
            .err();
        let texts: Vec<String> = [wrong, unknown, garbage]
            .into_iter()
            .map(|e| e.map(|e| e.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(texts[0], texts[1]);
        assert_eq!(texts[0], texts[2]);
        assert!(texts[0].starts_with("Số điện thoại, email hoặc mật khẩu không đúng"));

        let signed = sign_in(&store, "+84 912 345 678", "mat-khau-cong-dan", &at(3)).await?;
        assert_eq!(signed.citizen, made.citizen);
        for _ in 1..LOCKOUT_THRESHOLD {
            let e = sign_in(&store, "0912345678", "sai", &at(4)).await.err();
            assert!(matches!(e, Some(CitizenError::Wrong)), "{e:?}");
        }
        let e = sign_in(&store, "0912345678", "sai", &at(4)).await.err();
        assert!(matches!(e, Some(CitizenError::Locked(_))), "{e:?}");
        // Locked: even the right password waits.
        let e = sign_in(&store, "0912345678", "mat-khau-cong-dan", &at(5))
            .await
            .err();
        assert!(matches!(e, Some(CitizenError::Locked(_))), "{e:?}");
        sign_in(&store, "0912345678", "mat-khau-cong-dan", &at(20)).await?;
        store.close().await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_profile_is_checked_field_by_field() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        start_sign_up(&store, &form(CitizenKind::Person, "0912345678"), &at(0)).await?;
        let code = code_for(&store, "0912345678").await?;
        let me = confirm_sign_up(&store, "0912345678", &code, &at(1))
            .await?
            .citizen;
        let bad = ProfileForm {
            full_name: " ".to_owned(),
            id_number: "12".to_owned(),
            tax_code: "x".to_owned(),
        };
        let Err(CitizenError::Fields(errors)) = update_profile(&store, &me, &bad, &at(2)).await
        else {
            return Err("accepted".into());
        };
        let fields: Vec<&str> = errors.0.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["full_name", "id_number", "tax_code"]);
        let good = ProfileForm {
            full_name: "Trần Văn Bình An".to_owned(),
            id_number: "0451 2300 1234".to_owned(),
            tax_code: String::new(),
        };
        let after = update_profile(&store, &me, &good, &at(3)).await?;
        assert_eq!(after.id_number.as_deref(), Some("045123001234"));
        assert_eq!(after.tax_code, None);
        let actors = store
            .query_text("SELECT actor FROM audit_log WHERE action = 'citizen.profile'")
            .await?;
        assert_eq!(actors, [me.id.actor()]);
        store.close().await?;
        Ok(())
    })
    .await
}
