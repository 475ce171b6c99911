//! Citizens signing in through OpenID Connect against the test provider
//! (`motcua_testkit::oidc_provider`): the whole flow (discovery kept, the authorization
//! request with PKCE S256, the code exchanged, the ID token checked, the account created then
//! found again), and every refusal: a wrong nonce, another audience, an expired token, a
//! foreign signature, a replayed code (the provider refuses it), a replayed, forged or
//! expired state (we refuse it), a code sent with another sign-in's PKCE verifier; each
//! audited as a failed sign-in without any secret. Both databases.

use std::collections::HashMap;

use motcua_app::oidc::{IdTokenCheck, Oidc, OidcConfig, OidcError, SCOPES, Url};
use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, AuditFilter};
use motcua_core::audit::VISITOR;
use motcua_store::SqlStore;
use motcua_testkit::oidc_provider::{Misbehaviour, Registration, TestProvider, TestUser, s256};
use motcua_testkit::{TestResult, for_each_db};

const CLIENT_ID: &str = "motcua-cong-dich-vu-cong";
const CLIENT_SECRET: &str = "bi-mat-cua-ung-dung-thu-nghiem";
const REDIRECT: &str = "http://127.0.0.1:9/citizen/oidc/callback";

fn hoa() -> TestUser {
    TestUser::new(
        "vneid-001090012345",
        "Nguyễn Thị Hoa",
        "+84 912 345 678",
        "Hoa.Nguyen@Example.VN",
    )
}

fn registration() -> Registration {
    Registration {
        client_id: CLIENT_ID.to_owned(),
        client_secret: CLIENT_SECRET.to_owned(),
        redirect_uri: REDIRECT.to_owned(),
    }
}

/// The portal's client of the provider at `issuer`.
fn client(issuer: &str) -> Result<Oidc, OidcError> {
    Oidc::new(OidcConfig {
        issuer_url: issuer.to_owned(),
        client_id: CLIENT_ID.to_owned(),
        client_secret: CLIENT_SECRET.to_owned(),
        redirect_url: REDIRECT.to_owned(),
    })
}

/// The provider, and the portal's client of it.
async fn provider() -> Result<(TestProvider, Oidc), Box<dyn std::error::Error>> {
    let provider = TestProvider::start(registration(), hoa()).await?;
    let oidc = client(provider.issuer())?;
    Ok((provider, oidc))
}

/// The system clock, `minutes` from now: the provider's tokens are dated by it.
fn ctx(minutes: i64) -> Result<AuditContext, Box<dyn std::error::Error>> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
    Ok(AuditContext {
        actor: VISITOR.to_owned(),
        remote_addr: Some("203.0.113.7".to_owned()),
        at: Timestamp::from_micros(i64::try_from(now.as_micros())? + minutes * 60_000_000),
    })
}

/// A sign-in begun and approved by the provider: the code and the state it sends back.
struct Approved {
    code: String,
    state: String,
}

async fn approved(
    store: &SqlStore,
    provider: &TestProvider,
    oidc: &Oidc,
    at: &AuditContext,
) -> Result<Approved, Box<dyn std::error::Error>> {
    let url = oidc.begin(store, "/citizen/dossiers", at).await?;
    let back = Url::parse(&provider.approve(url.as_str()).await?)?;
    assert!(back.as_str().starts_with(REDIRECT), "{back}");
    let query: HashMap<String, String> = back.query_pairs().into_owned().collect();
    Ok(Approved {
        code: query.get("code").cloned().ok_or("no code")?,
        state: query.get("state").cloned().ok_or("no state")?,
    })
}

/// Every audit record, as one text.
async fn trail(store: &SqlStore) -> Result<String, Box<dyn std::error::Error>> {
    let records = store
        .audit(&AuditFilter {
            limit: 1000,
            ..AuditFilter::default()
        })
        .await?;
    Ok(records
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {} {}",
                r.actor, r.action, r.target, r.before, r.after
            )
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

/// The reasons of the refused sign-ins, oldest first.
async fn refusals(store: &SqlStore) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let records = store
        .audit(&AuditFilter {
            action: Some("citizen.oidc_failure".to_owned()),
            limit: 100,
            ..AuditFilter::default()
        })
        .await?;
    Ok(records
        .iter()
        .rev()
        .map(|r| r.after["reason"].as_str().unwrap_or_default().to_owned())
        .collect())
}

#[tokio::test]
async fn a_citizen_signs_in_and_comes_back_to_the_same_account() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let (provider, oidc) = provider().await?;
        let first = approved(&store, &provider, &oidc, &ctx(0)?).await?;

        // The authorization request: the code flow, the client, PKCE S256, the scopes.
        let asked = provider.authorize_requests();
        let asked = asked.first().ok_or("no authorization request")?;
        assert_eq!(asked["response_type"], "code");
        assert_eq!(asked["client_id"], CLIENT_ID);
        assert_eq!(asked["redirect_uri"], REDIRECT);
        assert_eq!(asked["code_challenge_method"], "S256");
        let scopes: Vec<&str> = asked["scope"].split(' ').collect();
        for scope in std::iter::once("openid").chain(SCOPES) {
            assert!(scopes.contains(&scope), "{scopes:?}");
        }
        assert_eq!(asked["state"], first.state);
        assert!(asked["nonce"].len() >= 16);

        let signed = oidc
            .finish(&store, &first.code, &first.state, &ctx(0)?)
            .await?;
        assert!(signed.created);
        assert_eq!(signed.return_to, "/citizen/dossiers");
        let citizen = store
            .oidc_citizen(provider.issuer(), "vneid-001090012345")
            .await?
            .ok_or("no account linked")?;
        assert_eq!(citizen.id, signed.citizen);
        assert_eq!(citizen.full_name, "Nguyễn Thị Hoa");
        assert_eq!(citizen.phone.as_deref(), Some("0912345678"));
        assert_eq!(citizen.email.as_deref(), Some("hoa.nguyen@example.vn"));

        // The second sign-in of the same person finds the same account; the provider's
        // metadata and keys were fetched once.
        let second = approved(&store, &provider, &oidc, &ctx(1)?).await?;
        let again = oidc
            .finish(&store, &second.code, &second.state, &ctx(1)?)
            .await?;
        assert_eq!(again.citizen, signed.citizen);
        assert!(!again.created);
        assert_eq!(provider.discoveries(), 1);
        assert_eq!(provider.refusals(), Vec::<String>::new());

        // Audited as the citizen, and nothing secret in the trail.
        let trail = trail(&store).await?;
        let actor = signed.citizen.actor();
        assert!(
            trail.contains(&format!("{actor} citizen.oidc_create")),
            "{trail}"
        );
        assert!(
            trail.contains(&format!("{actor} citizen.oidc_login")),
            "{trail}"
        );
        for secret in [&first.code, &first.state, &second.code, &second.state] {
            assert!(!trail.contains(secret.as_str()), "{secret} in {trail}");
        }
        assert!(!trail.contains(CLIENT_SECRET));
        Ok(())
    })
    .await
}

/// Signs in once with the provider misbehaving as `m`; answers the refusal.
async fn refused_with(m: Misbehaviour) -> Result<Vec<(OidcError, Vec<String>)>, TestResultError> {
    let mut out = Vec::new();
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let (provider, oidc) = provider().await?;
        provider.misbehave(m);
        let a = approved(&store, &provider, &oidc, &ctx(0)?).await?;
        let refused = oidc.finish(&store, &a.code, &a.state, &ctx(0)?).await;
        let Err(e) = refused else {
            panic!("{m:?}: signed in");
        };
        assert!(
            store
                .oidc_citizen(provider.issuer(), "vneid-001090012345")
                .await?
                .is_none(),
            "{m:?}: an account was created"
        );
        let trail = trail(&store).await?;
        assert!(
            !trail.contains(&a.code) && !trail.contains(&a.state),
            "{trail}"
        );
        // The signature check fetches the keys again once, then refuses.
        let discoveries = if m.wrong_signature { 2 } else { 1 };
        assert_eq!(provider.discoveries(), discoveries, "{m:?}");
        out.push((e, refusals(&store).await?));
        Ok(())
    })
    .await?;
    Ok(out)
}

type TestResultError = Box<dyn std::error::Error>;

#[tokio::test]
async fn an_id_token_failing_a_check_is_refused() -> TestResult {
    let cases = [
        (
            Misbehaviour {
                wrong_nonce: true,
                ..Misbehaviour::default()
            },
            IdTokenCheck::Nonce,
            "id_token_nonce",
        ),
        (
            Misbehaviour {
                other_audience: true,
                ..Misbehaviour::default()
            },
            IdTokenCheck::Audience,
            "id_token_audience",
        ),
        (
            Misbehaviour {
                expired: true,
                ..Misbehaviour::default()
            },
            IdTokenCheck::Expiry,
            "id_token_expired",
        ),
        (
            Misbehaviour {
                wrong_signature: true,
                ..Misbehaviour::default()
            },
            IdTokenCheck::Signature,
            "id_token_signature",
        ),
    ];
    for (m, check, reason) in cases {
        for (error, audited) in refused_with(m).await? {
            assert!(
                matches!(error, OidcError::IdToken(c, _) if c == check),
                "{m:?}: {error:?}"
            );
            assert_eq!(audited, vec![reason.to_owned()], "{m:?}");
            assert!(error.to_string().contains("không hợp lệ"), "{error}");
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_replayed_state_and_a_replayed_code_are_refused() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let (provider, oidc) = provider().await?;
        let a = approved(&store, &provider, &oidc, &ctx(0)?).await?;
        oidc.finish(&store, &a.code, &a.state, &ctx(0)?).await?;

        // The provider's answer again (the back button, or a stolen URL): our side refuses
        // the state before the code goes anywhere.
        let replayed = oidc.finish(&store, &a.code, &a.state, &ctx(0)?).await;
        assert!(
            matches!(replayed, Err(OidcError::UsedState)),
            "{replayed:?}"
        );
        assert_eq!(provider.refusals(), Vec::<String>::new());

        // The used code with a fresh sign-in's state: the provider refuses the code.
        let b = approved(&store, &provider, &oidc, &ctx(0)?).await?;
        let replayed = oidc.finish(&store, &a.code, &b.state, &ctx(0)?).await;
        assert!(
            matches!(replayed, Err(OidcError::CodeRefused(ref e)) if e == "invalid_grant"),
            "{replayed:?}"
        );
        assert_eq!(
            provider.refusals(),
            vec!["invalid_grant: code already used".to_owned()]
        );
        assert_eq!(refusals(&store).await?, vec!["state_used", "code_refused"]);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_forged_or_expired_state_is_refused() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let (provider, oidc) = provider().await?;
        let a = approved(&store, &provider, &oidc, &ctx(0)?).await?;
        let forged = oidc.finish(&store, &a.code, "forged-state", &ctx(0)?).await;
        assert!(matches!(forged, Err(OidcError::UnknownState)), "{forged:?}");
        // The code never reached the provider: it still signs in with its own state.
        assert_eq!(provider.refusals(), Vec::<String>::new());
        oidc.finish(&store, &a.code, &a.state, &ctx(0)?).await?;

        // Begun eleven minutes ago: expired.
        let late = approved(&store, &provider, &oidc, &ctx(-11)?).await?;
        let expired = oidc.finish(&store, &late.code, &late.state, &ctx(0)?).await;
        assert!(
            matches!(expired, Err(OidcError::ExpiredState)),
            "{expired:?}"
        );
        assert_eq!(
            refusals(&store).await?,
            vec!["state_unknown", "state_expired"]
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_pkce_verifier_is_checked() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let (provider, oidc) = provider().await?;

        // The provider checks the verifier against the challenge.
        let a = approved(&store, &provider, &oidc, &ctx(0)?).await?;
        let (status, body) = provider
            .token_request(
                CLIENT_ID,
                CLIENT_SECRET,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &a.code),
                    ("redirect_uri", REDIRECT),
                    (
                        "code_verifier",
                        "a-verifier-of-someone-else-0123456789abcdefgh",
                    ),
                ],
            )
            .await?;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("invalid_grant"), "{body}");
        assert_eq!(
            provider.refusals(),
            vec!["invalid_grant: code_verifier does not match the code_challenge".to_owned()]
        );
        // And the challenge the portal sent is S256 of a 43-character verifier or longer.
        let asked = provider.authorize_requests();
        let challenge = &asked.first().ok_or("no authorization request")?["code_challenge"];
        assert_eq!(challenge.len(), s256("x").len());

        // A code stolen from one sign-in, injected into another: our client sends that other
        // sign-in's verifier, which the provider refuses.
        let victim = approved(&store, &provider, &oidc, &ctx(0)?).await?;
        let attacker = approved(&store, &provider, &oidc, &ctx(0)?).await?;
        let injected = oidc
            .finish(&store, &victim.code, &attacker.state, &ctx(0)?)
            .await;
        assert!(
            matches!(injected, Err(OidcError::CodeRefused(_))),
            "{injected:?}"
        );
        assert_eq!(
            provider.refusals().last().map(String::as_str),
            Some("invalid_grant: code_verifier does not match the code_challenge")
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_cancelled_sign_in_uses_up_its_state() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let (provider, oidc) = provider().await?;
        let a = approved(&store, &provider, &oidc, &ctx(0)?).await?;
        let denied = oidc
            .denied(&store, "access_denied", &a.state, &ctx(0)?)
            .await;
        assert!(matches!(denied, OidcError::Denied(ref e) if e == "access_denied"));
        let late = oidc.finish(&store, &a.code, &a.state, &ctx(0)?).await;
        assert!(matches!(late, Err(OidcError::UsedState)), "{late:?}");
        assert_eq!(
            refusals(&store).await?,
            vec!["provider_denied", "state_used"]
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_provider_out_of_reach_is_said_and_tried_again() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        // A port nothing listens on yet: taken, then released.
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let oidc = client(&format!("http://127.0.0.1:{port}"))?;
        let down = oidc.begin(&store, "/", &ctx(0)?).await;
        let Err(e) = down else {
            panic!("began without a provider");
        };
        assert!(e.is_unavailable(), "{e:?}");
        assert!(e.to_string().contains("thử lại"), "{e}");
        assert_eq!(refusals(&store).await?, vec!["provider_unavailable"]);

        // The provider comes up: the next sign-in discovers it (the failure was not kept).
        let provider = TestProvider::start_on(port, registration(), hoa()).await?;
        let a = approved(&store, &provider, &oidc, &ctx(0)?).await?;
        oidc.finish(&store, &a.code, &a.state, &ctx(0)?).await?;
        assert_eq!(provider.discoveries(), 1);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_phone_number_the_provider_has_not_verified_is_not_taken() -> TestResult {
    for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let (provider, oidc) = provider().await?;
        provider.set_user(TestUser {
            phone_verified: Some(false),
            name: None,
            ..hoa()
        });
        let a = approved(&store, &provider, &oidc, &ctx(0)?).await?;
        oidc.finish(&store, &a.code, &a.state, &ctx(0)?).await?;
        let citizen = store
            .oidc_citizen(provider.issuer(), "vneid-001090012345")
            .await?
            .ok_or("no account linked")?;
        assert_eq!(citizen.phone, None);
        assert_eq!(citizen.email.as_deref(), Some("hoa.nguyen@example.vn"));
        assert_eq!(citizen.full_name, motcua_app::oidc::NAMELESS);
        Ok(())
    })
    .await
}
