//! [`TestProvider`]: a small OpenID provider that tests start themselves on `127.0.0.1:0`,
//! standing in for the national identity account. It serves discovery
//! (`/.well-known/openid-configuration`), its keys (`/jwks`, one RS256 key), `/authorize`
//! (no page: it approves the configured [`TestUser`] at once and sends the browser back with a
//! single-use code and the state) and `/token` (client authentication, the code once, the
//! redirect URI, the PKCE verifier against the S256 challenge; an ID token carrying the nonce
//! given at `/authorize`). [`Misbehaviour`] makes it answer wrongly on purpose (another nonce,
//! another audience, an expired token, a signature of another key).
//!
//! Its keys are test-only keys made for this file (`oidc_keys/`), never used anywhere else.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    Audience, EmptyAdditionalClaims, EndUserEmail, EndUserName, EndUserPhoneNumber, IssuerUrl,
    JsonWebKeyId, Nonce, PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use sha2::{Digest, Sha256};

const PROVIDER_KEY: &str = include_str!("oidc_keys/provider.pem");
/// Signs the tokens of [`Misbehaviour::wrong_signature`] under the provider key's id.
const OTHER_KEY: &str = include_str!("oidc_keys/other.pem");
const KEY_ID: &str = "test-key-1";

/// The person the provider signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestUser {
    /// The `sub` claim.
    pub subject: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub phone_verified: Option<bool>,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
}

impl TestUser {
    /// A person with a name, a verified phone number (`+84…`, as providers send it) and a
    /// verified e-mail address.
    pub fn new(subject: &str, name: &str, phone: &str, email: &str) -> TestUser {
        TestUser {
            subject: subject.to_owned(),
            name: Some(name.to_owned()),
            phone: Some(phone.to_owned()),
            phone_verified: Some(true),
            email: Some(email.to_owned()),
            email_verified: Some(true),
        }
    }
}

/// Ways the provider answers wrongly on purpose; all off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Misbehaviour {
    /// The ID token carries a nonce other than the one given at `/authorize`.
    pub wrong_nonce: bool,
    /// The ID token is for another client (`aud`).
    pub other_audience: bool,
    /// The ID token expired a minute before it was issued.
    pub expired: bool,
    /// The ID token is signed by a key the provider does not publish, under its key's id.
    pub wrong_signature: bool,
    /// `/token` does not check the PKCE verifier (to show that the client's own checks stand
    /// without the provider's).
    pub skip_pkce: bool,
}

/// What the provider saw of one `/authorize` request (its query, as sent).
pub type AuthorizeRequest = HashMap<String, String>;

/// The provider's registration of the one client it serves.
#[derive(Debug, Clone)]
pub struct Registration {
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uri: String,
}

struct Grant {
    redirect_uri: String,
    challenge: String,
    nonce: String,
    used: bool,
}

struct Inner {
    issuer: String,
    registration: Registration,
    user: TestUser,
    misbehaviour: Misbehaviour,
    codes: HashMap<String, Grant>,
    authorize_requests: Vec<AuthorizeRequest>,
    /// Why each refused `/token` request was refused (`invalid_grant: …`).
    refusals: Vec<String>,
    discoveries: u32,
    key: Arc<CoreRsaPrivateSigningKey>,
    other_key: Arc<CoreRsaPrivateSigningKey>,
}

type Shared = Arc<Mutex<Inner>>;

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Inner> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running test provider; it stops when dropped.
pub struct TestProvider {
    issuer: String,
    shared: Shared,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Why the provider could not start or a browser step failed (a type of its own, so that
/// tests of any error type can use `?` on it).
#[derive(Debug)]
pub struct ProviderError(pub String);

impl std::fmt::Display for ProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProviderError {}

impl From<String> for ProviderError {
    fn from(text: String) -> Self {
        ProviderError(text)
    }
}

fn failed(e: impl std::fmt::Display) -> ProviderError {
    ProviderError(e.to_string())
}

impl TestProvider {
    /// Starts the provider on a free port of 127.0.0.1, serving `registration` and signing in
    /// `user`.
    pub async fn start(
        registration: Registration,
        user: TestUser,
    ) -> Result<TestProvider, ProviderError> {
        TestProvider::start_on(0, registration, user).await
    }

    /// Starts the provider on `port` of 127.0.0.1 (a provider that comes up late).
    pub async fn start_on(
        port: u16,
        registration: Registration,
        user: TestUser,
    ) -> Result<TestProvider, ProviderError> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(failed)?;
        let issuer = format!("http://{}", listener.local_addr().map_err(failed)?);
        let kid = Some(JsonWebKeyId::new(KEY_ID.to_owned()));
        let shared = Arc::new(Mutex::new(Inner {
            issuer: issuer.clone(),
            registration,
            user,
            misbehaviour: Misbehaviour::default(),
            codes: HashMap::new(),
            authorize_requests: Vec::new(),
            refusals: Vec::new(),
            discoveries: 0,
            key: Arc::new(CoreRsaPrivateSigningKey::from_pem(
                PROVIDER_KEY,
                kid.clone(),
            )?),
            other_key: Arc::new(CoreRsaPrivateSigningKey::from_pem(OTHER_KEY, kid)?),
        }));
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(TestProvider {
            issuer,
            shared,
            task,
        })
    }

    /// The issuer URL (`http://127.0.0.1:PORT`), what the client is configured with.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Signs in `user` from now on.
    pub fn set_user(&self, user: TestUser) {
        lock(&self.shared).user = user;
    }

    /// Answers wrongly as `misbehaviour` says from now on.
    pub fn misbehave(&self, misbehaviour: Misbehaviour) {
        lock(&self.shared).misbehaviour = misbehaviour;
    }

    /// Every `/authorize` request received, oldest first.
    pub fn authorize_requests(&self) -> Vec<AuthorizeRequest> {
        lock(&self.shared).authorize_requests.clone()
    }

    /// Why each refused `/token` request was refused, oldest first.
    pub fn refusals(&self) -> Vec<String> {
        lock(&self.shared).refusals.clone()
    }

    /// How many times the discovery document was asked for.
    pub fn discoveries(&self) -> u32 {
        lock(&self.shared).discoveries
    }

    /// What a browser does with the authorization URL: asks for it and answers where the
    /// provider sends it back (the redirect URI with `code` and `state`). An error when the
    /// provider does not redirect (it refused the request), with its words.
    pub async fn approve(&self, authorization_url: &str) -> Result<String, ProviderError> {
        let client = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .build()
            .map_err(failed)?;
        let answer = client.get(authorization_url).send().await.map_err(failed)?;
        let status = answer.status();
        let location = answer
            .headers()
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .map(str::to_owned);
        match location {
            Some(l) if status.is_redirection() => Ok(l),
            _ => Err(ProviderError(format!(
                "/authorize answered {status}: {}",
                answer.text().await.map_err(failed)?
            ))),
        }
    }

    /// Posts to `/token` as a client would, with `form` and HTTP Basic `client_id:secret`;
    /// answers the status and the body (tests of the provider's own checks).
    pub async fn token_request(
        &self,
        client_id: &str,
        secret: &str,
        form: &[(&str, &str)],
    ) -> Result<(u16, String), ProviderError> {
        let client = openidconnect::reqwest::Client::new();
        let answer = client
            .post(format!("{}/token", self.issuer))
            .basic_auth(client_id, Some(secret))
            .form(form)
            .send()
            .await
            .map_err(failed)?;
        let status = answer.status().as_u16();
        Ok((status, answer.text().await.map_err(failed)?))
    }
}

/// The S256 challenge of a PKCE verifier: BASE64URL(SHA-256(verifier)), unpadded.
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

async fn discovery(State(shared): State<Shared>) -> Json<serde_json::Value> {
    let mut inner = lock(&shared);
    inner.discoveries += 1;
    let issuer = &inner.issuer;
    Json(serde_json::json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile", "phone", "email"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn jwks(State(shared): State<Shared>) -> Json<CoreJsonWebKeySet> {
    let key = Arc::clone(&lock(&shared).key);
    Json(CoreJsonWebKeySet::new(vec![key.as_verification_key()]))
}

fn bad_request(text: String) -> Response {
    (StatusCode::BAD_REQUEST, text).into_response()
}

async fn authorize(
    State(shared): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut inner = lock(&shared);
    inner.authorize_requests.push(query.clone());
    let get = |k: &str| query.get(k).map(String::as_str).unwrap_or_default();
    let reg = &inner.registration;
    let refusal = if get("client_id") != reg.client_id {
        Some("unknown client_id")
    } else if get("redirect_uri") != reg.redirect_uri {
        Some("redirect_uri not registered")
    } else if get("response_type") != "code" {
        Some("response_type must be code")
    } else if get("code_challenge_method") != "S256" || get("code_challenge").len() != 43 {
        Some("a PKCE S256 code_challenge is required")
    } else if !get("scope").split(' ').any(|s| s == "openid") {
        Some("scope must include openid")
    } else if get("state").is_empty() || get("nonce").is_empty() {
        Some("state and nonce are required")
    } else {
        None
    };
    if let Some(why) = refusal {
        return bad_request(why.to_owned());
    }
    let code = match random() {
        Ok(c) => c,
        Err(e) => return bad_request(e),
    };
    let redirect = format!(
        "{}?code={code}&state={}",
        reg.redirect_uri,
        url_encode(get("state"))
    );
    inner.codes.insert(
        code,
        Grant {
            redirect_uri: get("redirect_uri").to_owned(),
            challenge: get("code_challenge").to_owned(),
            nonce: get("nonce").to_owned(),
            used: false,
        },
    );
    (StatusCode::FOUND, [(header::LOCATION, redirect)]).into_response()
}

fn token_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// The client's credentials: HTTP Basic (form-urlencoded parts), or the form's fields.
fn client_credentials(headers: &HeaderMap, form: &HashMap<String, String>) -> (String, String) {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    if let Some((id, secret)) = basic.as_deref().and_then(|b| b.split_once(':')) {
        return (url_decode(id), url_decode(secret));
    }
    let field = |k: &str| form.get(k).cloned().unwrap_or_default();
    (field("client_id"), field("client_secret"))
}

async fn token(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut inner = lock(&shared);
    let answer = issue(&mut inner, &headers, &form);
    match answer {
        Ok(body) => Json(body).into_response(),
        Err((status, error, description)) => {
            inner.refusals.push(format!("{error}: {description}"));
            token_error(status, error, &description)
        }
    }
}

type Refusal = (StatusCode, &'static str, String);

fn issue(
    inner: &mut Inner,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<serde_json::Value, Refusal> {
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let (id, secret) = client_credentials(headers, form);
    if id != inner.registration.client_id || secret != inner.registration.client_secret {
        let why = "client authentication failed".to_owned();
        return Err((StatusCode::UNAUTHORIZED, "invalid_client", why));
    }
    if get("grant_type") != "authorization_code" {
        let why = "grant_type must be authorization_code".to_owned();
        return Err((StatusCode::BAD_REQUEST, "unsupported_grant_type", why));
    }
    let refuse = |why: &str| (StatusCode::BAD_REQUEST, "invalid_grant", why.to_owned());
    let grant = inner
        .codes
        .get_mut(get("code"))
        .ok_or_else(|| refuse("unknown code"))?;
    if grant.used {
        return Err(refuse("code already used"));
    }
    // Used by this request whatever comes next: a code is tried once.
    grant.used = true;
    if grant.redirect_uri != get("redirect_uri") {
        return Err(refuse(
            "redirect_uri differs from the authorization request",
        ));
    }
    if !inner.misbehaviour.skip_pkce && s256(get("code_verifier")) != grant.challenge {
        return Err(refuse("code_verifier does not match the code_challenge"));
    }
    let nonce = grant.nonce.clone();
    let id_token = id_token(inner, nonce).map_err(|e| {
        let why = format!("cannot sign: {e}");
        (StatusCode::INTERNAL_SERVER_ERROR, "server_error", why)
    })?;
    let access_token =
        random().map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, "server_error", e))?;
    Ok(serde_json::json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
}

fn id_token(inner: &Inner, nonce: String) -> Result<CoreIdToken, String> {
    let m = inner.misbehaviour;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?;
    let at = |d: Duration| {
        chrono::DateTime::from_timestamp(i64::try_from(d.as_secs()).unwrap_or(i64::MAX), 0)
            .ok_or_else(|| "time out of range".to_owned())
    };
    let issued = at(now)?;
    let expires = if m.expired {
        at(now.saturating_sub(Duration::from_secs(60)))?
    } else {
        at(now + Duration::from_secs(300))?
    };
    let audience = if m.other_audience {
        "another-portal".to_owned()
    } else {
        inner.registration.client_id.clone()
    };
    let user = &inner.user;
    let mut standard = StandardClaims::new(SubjectIdentifier::new(user.subject.clone()))
        .set_phone_number(user.phone.clone().map(EndUserPhoneNumber::new))
        .set_phone_number_verified(user.phone_verified)
        .set_email(user.email.clone().map(EndUserEmail::new))
        .set_email_verified(user.email_verified);
    if let Some(name) = &user.name {
        standard = standard.set_name(Some(EndUserName::new(name.clone()).into()));
    }
    let issuer = IssuerUrl::new(inner.issuer.clone()).map_err(|e| e.to_string())?;
    let claims = CoreIdTokenClaims::new(
        issuer,
        vec![Audience::new(audience)],
        expires,
        issued,
        standard,
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(if m.wrong_nonce {
        "another-nonce".to_owned()
    } else {
        nonce
    })));
    let key = if m.wrong_signature {
        &inner.other_key
    } else {
        &inner.key
    };
    CoreIdToken::new(
        claims,
        key.as_ref(),
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .map_err(|e| e.to_string())
}

/// 32 random bytes, URL-safe.
fn random() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Decodes `%XX` and `+` (form encoding).
fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
