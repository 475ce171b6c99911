//! Signing in with the national identity account through the router, against the test
//! OpenID provider: the button on the portal's home, `GET /citizen/oidc/start` (303 to the
//! provider), the provider's answer at `GET /citizen/oidc/callback` (the citizen's session
//! cookie and a 303 to the saved local path), and the refusals' page (400): a replayed
//! answer, a forged state, a wrong nonce, a cancelled sign-in. Without a provider configured
//! there is no button and both addresses answer 404. Both databases.

use axum::http::StatusCode;
use motcua_app::oidc::{Oidc, OidcConfig};
use motcua_core::Timestamp;
use motcua_store::SqlStore;
use motcua_testkit::oidc_provider::{Misbehaviour, Registration, TestProvider, TestUser};
use motcua_web::AppState;

use crate::common::citizen::COOKIE;
use crate::common::{Answer, Client, Error, TestResult, scan_files};

const CLIENT_ID: &str = "motcua-cong-dich-vu-cong";
const CLIENT_SECRET: &str = "bi-mat-cua-ung-dung-thu-nghiem";
/// The portal's public address as the provider knows it; the test hands the answer to the
/// router itself.
const PUBLIC: &str = "https://dichvucong.example.vn";
const BUTTON: &str = "Đăng nhập bằng tài khoản định danh điện tử";

/// The provider, and a client of the portal configured with it.
async fn portal(store: &SqlStore) -> Result<(TestProvider, Client), Error> {
    let redirect = format!("{PUBLIC}/citizen/oidc/callback");
    let provider = TestProvider::start(
        Registration {
            client_id: CLIENT_ID.to_owned(),
            client_secret: CLIENT_SECRET.to_owned(),
            redirect_uri: redirect.clone(),
        },
        TestUser::new(
            "vneid-001090012345",
            "Nguyễn Thị Hoa",
            "+84912345678",
            "hoa@example.vn",
        ),
    )
    .await?;
    let oidc = Oidc::new(OidcConfig {
        issuer_url: provider.issuer().to_owned(),
        client_id: CLIENT_ID.to_owned(),
        client_secret: CLIENT_SECRET.to_owned(),
        redirect_url: redirect,
    })?;
    let state = AppState::new(store.clone(), scan_files())
        .with_secure_cookies(false)
        .with_oidc(oidc);
    Ok((provider, Client::with_state(state)))
}

/// Starts a sign-in from the portal and lets the provider approve it: the portal's address
/// the provider sends the browser back to (path and query).
async fn to_provider_and_back(
    client: &mut Client,
    provider: &TestProvider,
    next: &str,
) -> Result<String, Error> {
    let start = client
        .get(&format!(
            "/citizen/oidc/start?next={}",
            crate::common::encode(next)
        ))
        .await?;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
    let to = start.location();
    assert!(
        to.starts_with(&format!("{}/authorize?", provider.issuer())),
        "{to}"
    );
    let back = provider.approve(to).await?;
    Ok(back
        .strip_prefix(PUBLIC)
        .ok_or_else(|| format!("sent back elsewhere: {back}"))?
        .to_owned())
}

/// The account the client's session cookie opens.
async fn session_of(client: &Client) -> Result<Option<i64>, Error> {
    let Some(cookie) = client.cookies.get(COOKIE) else {
        return Ok(None);
    };
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc())?;
    let session = motcua_app::citizens::citizen_session(client.store(), cookie, now).await?;
    Ok(session.map(|(c, _)| c.id.0))
}

fn refused(a: &Answer, words: &str) {
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
    assert!(a.body.contains("Chưa đăng nhập được"), "{}", a.body);
    assert!(a.body.contains(words), "{words}: {}", a.body);
    assert!(
        a.body.contains("/citizen/oidc/start?next="),
        "a way to start again"
    );
    assert!(
        a.set_cookies().iter().all(|c| !c.starts_with(COOKIE)),
        "a refused sign-in sets no session"
    );
}

#[tokio::test]
async fn a_citizen_signs_in_with_the_identity_account() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = SqlStore::connect(&db.url).await?;
        let (provider, mut client) = portal(&store).await?;

        let home = client.get("/").await?;
        assert!(home.body.contains(BUTTON), "{}", home.body);
        assert!(
            home.body
                .contains("href=\"/citizen/oidc/start?next=/citizen\""),
            "{}",
            home.body
        );

        // The citizens' sign-in page offers it too, coming back where the citizen was going.
        let sign_in = client.get("/citizen/sign-in?next=/track").await?;
        assert!(sign_in.body.contains(BUTTON), "{}", sign_in.body);
        assert!(
            sign_in
                .body
                .contains("href=\"/citizen/oidc/start?next=/track\""),
            "{}",
            sign_in.body
        );

        let back = to_provider_and_back(&mut client, &provider, "/track?code=X").await?;
        assert!(back.starts_with("/citizen/oidc/callback?code="), "{back}");
        let signed = client.get(&back).await?;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
        assert_eq!(signed.location(), "/track?code=X");
        let cookie = signed
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with(COOKIE))
            .ok_or("no session cookie")?;
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let first = session_of(&client).await?.ok_or("no session")?;

        // The provider's answer again: refused, and the session stays as it was.
        let replayed = client.get(&back).await?;
        refused(&replayed, "đã được dùng");

        // The second sign-in of the same person: the same account.
        let mut other_browser = Client::with_state(client.state.clone());
        let back = to_provider_and_back(&mut other_browser, &provider, "/").await?;
        let again = other_browser.get(&back).await?;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
        assert_eq!(session_of(&other_browser).await?, Some(first));
    }
    Ok(())
}

#[tokio::test]
async fn a_sign_in_returns_only_to_a_local_path() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = SqlStore::connect(&db.url).await?;
        let (provider, mut client) = portal(&store).await?;
        let back = to_provider_and_back(&mut client, &provider, "//evil.example/").await?;
        let signed = client.get(&back).await?;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
        assert_eq!(signed.location(), "/citizen");
    }
    Ok(())
}

#[tokio::test]
async fn refused_sign_ins_say_why_and_set_no_session() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        // The fixture's district: the page names the portal as citizens see it.
        let store = crate::common::loaded(&db.url).await?;
        let (provider, mut client) = portal(&store).await?;

        // A forged state.
        let back = to_provider_and_back(&mut client, &provider, "/").await?;
        let (path, _) = back.split_once("&state=").ok_or("no state")?;
        let forged = client.get(&format!("{path}&state=forged")).await?;
        refused(&forged, "Không tìm thấy lượt đăng nhập này");
        insta::assert_snapshot!("oidc_refused", forged.body);

        // A wrong nonce in the ID token.
        provider.misbehave(Misbehaviour {
            wrong_nonce: true,
            ..Misbehaviour::default()
        });
        let back = to_provider_and_back(&mut client, &provider, "/").await?;
        refused(&client.get(&back).await?, "không hợp lệ");
        provider.misbehave(Misbehaviour::default());

        // The citizen cancelled at the provider.
        let back = to_provider_and_back(&mut client, &provider, "/").await?;
        let state = back.split_once("&state=").ok_or("no state")?.1;
        let cancelled = client
            .get(&format!(
                "/citizen/oidc/callback?error=access_denied&state={state}"
            ))
            .await?;
        refused(&cancelled, "chưa xác nhận");
        assert_eq!(session_of(&client).await?, None);
    }
    Ok(())
}

#[tokio::test]
async fn without_a_provider_there_is_no_button_and_no_sign_in() -> TestResult {
    for db in motcua_testkit::test_databases().await {
        let store = SqlStore::connect(&db.url).await?;
        let mut client = Client::new(&store);
        let home = client.get("/").await?;
        assert_eq!(home.status, StatusCode::OK);
        assert!(!home.body.contains(BUTTON));
        let sign_in = client.get("/citizen/sign-in").await?;
        assert_eq!(sign_in.status, StatusCode::OK);
        assert!(!sign_in.body.contains(BUTTON));
        for uri in [
            "/citizen/oidc/start?next=/",
            "/citizen/oidc/callback?code=a&state=b",
        ] {
            let a = client.get(uri).await?;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
            assert!(a.body.contains("chưa cấu hình"), "{}", a.body);
        }
    }
    Ok(())
}
