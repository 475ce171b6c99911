//! Every write of the store leaves an audit record naming its actor, in the same transaction.
//! One step per write method of `motcua_store::SqlStore` (each takes an `AuditContext`, so a new
//! write method cannot be written without one; add its step here). Both databases.

use motcua_app::auth;
use motcua_core::Timestamp;
use motcua_core::access::{AuditFilter, AuditRecord, Role};
use motcua_store::SqlStore;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const PASSWORD: &str = "mật-khẩu-thử-2024";

async fn newest(
    store: &SqlStore,
    actor: &str,
) -> Result<Vec<AuditRecord>, Box<dyn std::error::Error>> {
    Ok(store
        .audit(&AuditFilter {
            actor: Some(actor.to_owned()),
            ..Default::default()
        })
        .await?)
}

/// Runs `step` as `actor` and checks that it added audit records, the newest with `action`.
macro_rules! audited {
    ($store:expr, $actor:expr, $action:expr, $step:expr) => {{
        let before = newest($store, $actor).await?.len();
        $step;
        let after = newest($store, $actor).await?;
        assert!(
            after.len() > before,
            "{} by {} left no audit record",
            $action,
            $actor
        );
        assert_eq!(after[0].action, $action, "actor {}", $actor);
        assert_eq!(after[0].actor, $actor);
    }};
}

#[tokio::test]
async fn every_store_write_is_audited_with_its_actor() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        // After everything the fixture records (an import refuses instants in the future).
        let at = Timestamp::from_micros(1_720_000_000_000_000);
        let ctx = |actor: &str| motcua_testkit::ctx(actor, at);

        audited!(&store, "cli:importer", "import", {
            motcua_app::import_dir(&store, &motcua_testkit::vinh_linh(), &ctx("cli:importer"))
                .await?;
        });
        audited!(&store, "cli:calendar", "calendar.set", {
            let schedule = motcua_app::calendar::load(&store).await?.schedule(2025)?;
            motcua_app::calendar::set_schedule(&store, schedule, &ctx("cli:calendar")).await?;
        });
        audited!(&store, "user:admin", "user.create", {
            auth::create_user(
                &store,
                "officer",
                "Cán bộ",
                "vinh-khe",
                Role::Reception,
                PASSWORD,
                &ctx("user:admin"),
            )
            .await?;
        });
        audited!(&store, "user:officer", "login.failure", {
            assert!(
                auth::login(&store, "officer", "sai-mat-khau", &ctx("user:officer"))
                    .await
                    .is_err()
            );
        });
        audited!(&store, "user:nobody", "login.unknown", {
            assert!(
                auth::login(&store, "nobody", "sai-mat-khau", &ctx("user:nobody"))
                    .await
                    .is_err()
            );
        });
        let signed = auth::login(&store, "officer", PASSWORD, &ctx("user:officer-2")).await?;
        let records = newest(&store, "user:officer-2").await?;
        assert_eq!(records[0].action, "login.success");
        audited!(&store, "user:officer", "logout", {
            auth::logout(&store, &signed.cookie, &ctx("user:officer")).await?;
        });
        audited!(&store, "user:officer", "user.password", {
            auth::change_password(
                &store,
                &signed.user,
                PASSWORD,
                "mật-khẩu-mới-2024",
                &ctx("user:officer"),
            )
            .await?;
        });
        audited!(&store, "cli:root", "user.password", {
            auth::reset_password(&store, "officer", PASSWORD, &ctx("cli:root")).await?;
        });
        audited!(&store, "cli:root", "token.create", {
            auth::create_token(&store, "tich-hop", "vinh-khe", false, &ctx("cli:root")).await?;
        });
        audited!(&store, "cli:root", "token.revoke", {
            assert!(store.revoke_token("tich-hop", &ctx("cli:root")).await?);
        });
        audited!(&store, "user:officer", "receipt.issue", {
            let dossier = store
                .dossiers()
                .await?
                .into_iter()
                .find(|d| d.unit_code.as_str() == "vinh-khe")
                .ok_or("no dossier")?;
            store
                .issue_receipt(
                    &motcua_core::fees::NewReceipt {
                        unit: dossier.unit_code.clone(),
                        dossier: dossier.code.clone(),
                        form_symbol: "01BLP0-001".to_owned(),
                        series: "VK-24E".to_owned(),
                        amount_vnd: 20_000,
                        payment_channel: motcua_core::dossier::PaymentChannel::Online,
                        issued_at: at,
                        fee_kind: None,
                    },
                    &ctx("user:officer"),
                    None,
                )
                .await?;
        });
        // Ten wrong passwords: the tenth locks, and says so in the trail.
        for _ in 0..9 {
            let _ = auth::login(&store, "officer", "sai", &ctx("user:officer")).await;
        }
        audited!(&store, "user:officer", "login.locked", {
            let _ = auth::login(&store, "officer", "sai", &ctx("user:officer")).await;
        });
        audited!(&store, "user:officer", "login.refused_locked", {
            let _ = auth::login(&store, "officer", PASSWORD, &ctx("user:officer")).await;
        });
        // Signing in with the identity account (OpenID Connect): the start and a refusal by
        // the visitor, the account and its sign-in by the citizen.
        let issuer = "https://sso.example.vn";
        audited!(&store, "visitor", "citizen.oidc_begin", {
            let state = motcua_store::NewOidcState {
                state_hash: "hash".to_owned(),
                issuer: issuer.to_owned(),
                nonce: "nonce".to_owned(),
                pkce_verifier: "verifier".to_owned(),
                return_to: "/".to_owned(),
            };
            store.save_oidc_state(&state, &ctx("visitor")).await?;
        });
        audited!(&store, "visitor", "citizen.oidc_failure", {
            store
                .record_oidc_failure(issuer, "state_unknown", &ctx("visitor"))
                .await?;
        });
        let identity = motcua_store::OidcIdentity {
            issuer: issuer.to_owned(),
            subject: "sub-1".to_owned(),
            full_name: "Nguyễn Thị Hoa".to_owned(),
            phone: None,
            email: None,
        };
        let first = store.oidc_sign_in(&identity, &ctx("visitor")).await?;
        let citizen = first.citizen.actor();
        audited!(&store, citizen.as_str(), "citizen.oidc_login", {
            store.oidc_sign_in(&identity, &ctx("visitor")).await?;
        });
        let trail = newest(&store, &citizen).await?;
        assert!(trail.iter().any(|r| r.action == "citizen.oidc_create"));

        // What changed is recorded too: the account created, without its password.
        let created = store
            .audit(&AuditFilter {
                action: Some("user.create".to_owned()),
                ..Default::default()
            })
            .await?;
        assert_eq!(created[0].target, "officer");
        assert_eq!(created[0].after["unit"], "vinh-khe", "{}", created[0].after);
        assert!(!created[0].after.to_string().contains(PASSWORD));
        store.close().await?;
        Ok(())
    })
    .await
}
