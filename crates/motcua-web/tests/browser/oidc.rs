//! Signing in with the national identity account in a real browser: the button of the
//! citizens' sign-in page leads to the test OpenID provider, which sends the browser back
//! signed in to the account's page; then a refused sign-in (the provider's ID token carries
//! another nonce) ends on the refusal's page. Every page looked at with axe-core at both
//! widths ([`Browser::look`]).

use std::net::SocketAddr;

use motcua_app::oidc::{Oidc, OidcConfig};
use motcua_store::SqlStore;
use motcua_testkit::oidc_provider::{Misbehaviour, Registration, TestProvider, TestUser};
use motcua_web::{AppState, router};

use crate::common::{Error, TestResult};
use crate::harness::{Browser, Served};

const CLIENT_ID: &str = "motcua-cong-dich-vu-cong";
const CLIENT_SECRET: &str = "bi-mat-cua-ung-dung-thu-nghiem";

/// The app served on a local socket with sign-in through a test provider it starts.
pub async fn serve(
    store: SqlStore,
    files: &std::path::Path,
) -> Result<(Served, TestProvider), Error> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let redirect = format!("{base}/citizen/oidc/callback");
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
    // Plain HTTP: a Secure cookie would never come back.
    let state = AppState::new(store, motcua_store::Files::new(files, 1024 * 1024))
        .with_secure_cookies(false)
        .with_oidc(oidc);
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((Served::new(base, task), provider))
}

pub async fn walk(b: &Browser, provider: &TestProvider) -> TestResult {
    b.visit("/citizen/sign-in", "oidc-sign-in").await?;
    b.click("#oidc-sign-in").await?;
    b.look("oidc-signed-in").await?;
    assert_eq!(b.path().await?, "/citizen");
    assert_eq!(b.text("citizen-name").await?, "Nguyễn Thị Hoa");

    provider.misbehave(Misbehaviour {
        wrong_nonce: true,
        ..Misbehaviour::default()
    });
    b.goto("/citizen/oidc/start?next=/citizen").await?;
    b.look("oidc-refused").await?;
    assert!(b.path().await?.starts_with("/citizen/oidc/callback"));
    assert!(b.text("notice").await?.contains("không hợp lệ"));

    let problems = b.problems(crate::KNOWN);
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} problem(s) on the identity account's pages:\n{}",
        problems.len(),
        problems.join("\n")
    )
    .into())
}
