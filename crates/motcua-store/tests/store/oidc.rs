//! Citizens' sign-ins through OpenID Connect: a state is taken back once (a second take, a
//! late one and an unknown one find nothing, and say why); the provider's account finds the
//! same citizen every time, created at the first sign-in with the token's name, number and
//! address unless another account holds them; all of it audited, without secrets.

use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, AuditFilter};
use motcua_store::{
    NewOidcState, OIDC_STATE_MINUTES, OidcIdentity, SqlStore, StoreError, TakenState,
};
use motcua_testkit::{TestResult, for_each_db};

const ISSUER: &str = "https://sso.dichvucong.example.vn";

fn at(minutes: i64) -> Timestamp {
    // 2026-12-03 09:00 +07:00, then `minutes` later.
    Timestamp::from_micros(1_796_263_200_000_000 + minutes * 60_000_000)
}

fn visitor(minutes: i64) -> AuditContext {
    AuditContext {
        actor: "visitor".to_owned(),
        remote_addr: Some("203.0.113.7".to_owned()),
        at: at(minutes),
    }
}

fn state(hash: &str) -> NewOidcState {
    NewOidcState {
        state_hash: hash.to_owned(),
        issuer: ISSUER.to_owned(),
        nonce: "nonce-bi-mat".to_owned(),
        pkce_verifier: "verifier-bi-mat".to_owned(),
        return_to: "/track?code=HO-XA-241201-0001".to_owned(),
    }
}

fn hoa(subject: &str) -> OidcIdentity {
    OidcIdentity {
        issuer: ISSUER.to_owned(),
        subject: subject.to_owned(),
        full_name: "Nguyễn Thị Hoa".to_owned(),
        phone: Some("0912345678".to_owned()),
        email: Some("hoa@example.vn".to_owned()),
    }
}

/// The trail's records of `action`: actor, and before and after as text.
async fn trail(store: &SqlStore, action: &str) -> Result<Vec<(String, String)>, StoreError> {
    let records = store
        .audit(&AuditFilter {
            action: Some(action.to_owned()),
            limit: 100,
            ..AuditFilter::default()
        })
        .await?;
    Ok(records
        .into_iter()
        .map(|r| (r.actor, format!("{} {}", r.before, r.after)))
        .collect())
}

#[tokio::test]
async fn a_state_is_taken_back_once() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        store.save_oidc_state(&state("a"), &visitor(0)).await?;
        let TakenState::Taken(taken) = store.take_oidc_state("a", at(1)).await? else {
            panic!("the saved state is not taken");
        };
        assert_eq!(taken.issuer, ISSUER);
        assert_eq!(taken.nonce, "nonce-bi-mat");
        assert_eq!(taken.pkce_verifier, "verifier-bi-mat");
        assert_eq!(taken.return_to, "/track?code=HO-XA-241201-0001");
        assert_eq!(store.take_oidc_state("a", at(2)).await?, TakenState::Used);
        assert_eq!(
            store.take_oidc_state("b", at(2)).await?,
            TakenState::Unknown
        );

        // The begin is audited with the issuer and the path, never the nonce or verifier.
        let begun = trail(&store, "citizen.oidc_begin").await?;
        assert_eq!(begun.len(), 1);
        assert_eq!(begun[0].0, "visitor");
        assert!(begun[0].1.contains("/track?code=HO-XA-241201-0001"));
        assert!(!begun[0].1.contains("bi-mat"), "{}", begun[0].1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_state_expires_after_ten_minutes() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        store.save_oidc_state(&state("late"), &visitor(0)).await?;
        store
            .save_oidc_state(&state("in-time"), &visitor(0))
            .await?;
        let end = OIDC_STATE_MINUTES;
        assert_eq!(
            store.take_oidc_state("late", at(end)).await?,
            TakenState::Expired
        );
        assert!(matches!(
            store.take_oidc_state("in-time", at(end - 1)).await?,
            TakenState::Taken(_)
        ));
        // A day later, the next sign-in removes both: what is left of them is unknown.
        store
            .save_oidc_state(&state("next"), &visitor(25 * 60))
            .await?;
        assert_eq!(
            store.take_oidc_state("late", at(25 * 60)).await?,
            TakenState::Unknown
        );
        assert_eq!(
            store.take_oidc_state("in-time", at(25 * 60)).await?,
            TakenState::Unknown
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn of_two_takes_at_once_one_gets_the_state() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        for round in 0..5 {
            let hash = format!("race-{round}");
            store.save_oidc_state(&state(&hash), &visitor(0)).await?;
            let (one, two) = tokio::join!(
                store.take_oidc_state(&hash, at(1)),
                store.take_oidc_state(&hash, at(1))
            );
            let taken = [one?, two?]
                .into_iter()
                .filter(|t| matches!(t, TakenState::Taken(_)))
                .count();
            assert_eq!(taken, 1, "round {round}");
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_same_subject_finds_the_same_citizen() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let first = store.oidc_sign_in(&hoa("sub-1"), &visitor(0)).await?;
        assert!(first.created);
        let again = store.oidc_sign_in(&hoa("sub-1"), &visitor(5)).await?;
        assert_eq!(again.citizen, first.citizen);
        assert!(!again.created);

        let citizen = store
            .oidc_citizen(ISSUER, "sub-1")
            .await?
            .ok_or("no citizen linked")?;
        assert_eq!(citizen.id, first.citizen);
        assert_eq!(citizen.full_name, "Nguyễn Thị Hoa");
        assert_eq!(citizen.phone.as_deref(), Some("0912345678"));
        assert_eq!(citizen.email.as_deref(), Some("hoa@example.vn"));

        // The same subject at another provider is another person.
        let elsewhere = OidcIdentity {
            issuer: "https://id.example.vn".to_owned(),
            ..hoa("sub-1")
        };
        let other = store.oidc_sign_in(&elsewhere, &visitor(6)).await?;
        assert_ne!(other.citizen, first.citizen);
        assert!(store.oidc_citizen(ISSUER, "sub-2").await?.is_none());

        // Audited as the citizen: created once, signed in three times.
        let actor = first.citizen.actor();
        let created = trail(&store, "citizen.oidc_create").await?;
        assert_eq!(created.iter().filter(|(a, _)| *a == actor).count(), 1);
        assert!(created.iter().any(|(_, v)| v.contains("0912345678")));
        let logins = trail(&store, "citizen.oidc_login").await?;
        assert_eq!(logins.iter().filter(|(a, _)| *a == actor).count(), 2);
        assert_eq!(logins.len(), 3);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_number_or_address_held_by_another_account_is_not_taken() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        store.oidc_sign_in(&hoa("sub-1"), &visitor(0)).await?;
        // Another person whose token carries the same number, and the same address.
        let second = store.oidc_sign_in(&hoa("sub-2"), &visitor(1)).await?;
        assert!(second.created);
        let citizen = store
            .oidc_citizen(ISSUER, "sub-2")
            .await?
            .ok_or("no citizen linked")?;
        assert_eq!(citizen.full_name, "Nguyễn Thị Hoa");
        assert_eq!(citizen.phone, None);
        assert_eq!(citizen.email, None);

        // A token without them creates an account without them.
        let bare = OidcIdentity {
            full_name: String::new(),
            phone: None,
            email: None,
            ..hoa("sub-3")
        };
        store.oidc_sign_in(&bare, &visitor(2)).await?;
        let citizen = store
            .oidc_citizen(ISSUER, "sub-3")
            .await?
            .ok_or("no citizen linked")?;
        assert_eq!((citizen.phone, citizen.email), (None, None));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_refusal_is_audited_with_its_reason() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        store
            .record_oidc_failure(ISSUER, "id_token_nonce", &visitor(0))
            .await?;
        let refused = trail(&store, "citizen.oidc_failure").await?;
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].0, "visitor");
        assert!(refused[0].1.contains("id_token_nonce"));
        Ok(())
    })
    .await
}
