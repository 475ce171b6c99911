//! Citizens signing in through OpenID Connect: the national identity account (tài khoản định
//! danh điện tử, VNeID through the national portal's single sign-on) reaches the portal as
//! an OpenID provider, configured by its issuer URL ([`OidcConfig`]).
//!
//! [`Oidc`] runs the authorization code flow with PKCE (S256): [`Oidc::begin`] saves a sign-in
//! under way (random state — stored as its SHA-256 —, nonce and PKCE verifier, the local path
//! to return to) and answers the provider's authorization URL; [`Oidc::finish`] takes the
//! state back once, exchanges the code with the verifier, verifies the ID token (signature
//! against the provider's keys, issuer, audience, expiry, nonce) and finds or creates the
//! citizen's account. The provider's metadata and keys are fetched once and kept; a failed
//! discovery is tried again at the next sign-in, and keys that no longer verify a signature
//! are fetched again once (the provider rotated them).
//!
//! Every refusal is an [`OidcError`] whose message is Vietnamese and which the audit trail
//! records as a failed sign-in (`citizen.oidc_failure`), by its [`OidcError::code`] only:
//! never a code, a token or a state.

use std::sync::Arc;

use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::citizen::{CitizenId, MAX_FULL_NAME_CHARS, parse_email, parse_phone};
use motcua_store::{NewOidcState, OidcIdentity, SqlStore, StoreError, TakenState};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreIdTokenClaims, CoreProviderMetadata,
};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, TokenResponse, reqwest,
};
use tokio::sync::Mutex;

use crate::auth::secret_hash;

pub use openidconnect::url::Url;

/// The scopes asked of the provider besides `openid`: the name, the telephone number and the
/// e-mail address a new account is created with.
pub const SCOPES: [&str; 3] = ["profile", "phone", "email"];

/// How long one request to the provider may take, in seconds.
const PROVIDER_TIMEOUT_SECONDS: u64 = 10;

/// The name of an account whose provider gave none (the citizen corrects it in the profile):
/// an account is never nameless, it is how the portal greets the citizen.
pub const NAMELESS: &str = "Công dân (chưa có họ tên)";

/// The longest local path kept to return to after signing in.
const MAX_RETURN_CHARS: usize = 500;

/// The portal's registration with one OpenID provider.
#[derive(Clone, PartialEq, Eq)]
pub struct OidcConfig {
    /// The provider's issuer URL: `/.well-known/openid-configuration` under it describes it.
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// Where the provider sends citizens back: the portal's `/citizen/oidc/callback`.
    pub redirect_url: String,
}

// The client secret never reaches a log line.
impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer_url", &self.issuer_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"…")
            .field("redirect_url", &self.redirect_url)
            .finish()
    }
}

/// Why a sign-in through the provider did not happen. The message is what the citizen reads.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The configuration is not usable (said when the server starts).
    #[error("cấu hình đăng nhập bằng tài khoản định danh điện tử không hợp lệ: {0}")]
    Config(String),
    /// The provider could not be reached, or answered something that is not OpenID Connect.
    #[error(
        "Hiện không kết nối được với hệ thống định danh điện tử. Vui lòng thử lại sau ít phút."
    )]
    Unavailable(String),
    /// No sign-in under way has this state (a forged or mangled answer).
    #[error(
        "Không tìm thấy lượt đăng nhập này. Vui lòng bấm lại nút «Đăng nhập bằng tài khoản định danh điện tử»."
    )]
    UnknownState,
    /// The answer was used already (the back button, or a replay).
    #[error("Lượt đăng nhập này đã được dùng. Nếu chưa vào được, vui lòng đăng nhập lại từ đầu.")]
    UsedState,
    #[error("Lượt đăng nhập đã quá 10 phút nên hết hiệu lực. Vui lòng đăng nhập lại từ đầu.")]
    ExpiredState,
    /// The provider said no at its end (the citizen cancelled, or it refused the request).
    #[error("Hệ thống định danh điện tử chưa xác nhận việc đăng nhập ({0}). Vui lòng thử lại.")]
    Denied(String),
    /// The provider refused the code (used already, expired, or a wrong PKCE verifier).
    #[error(
        "Hệ thống định danh điện tử không chấp nhận lượt đăng nhập này. Vui lòng đăng nhập lại từ đầu."
    )]
    CodeRefused(String),
    /// The token answer carried no ID token.
    #[error("Hệ thống định danh điện tử không gửi thông tin định danh. Vui lòng thử lại.")]
    NoIdToken,
    /// The ID token failed a check: which one is [`IdTokenCheck`].
    #[error(
        "Thông tin định danh nhận được không hợp lệ nên không thể đăng nhập. Vui lòng đăng nhập lại từ đầu."
    )]
    IdToken(IdTokenCheck, String),
    #[error("Lỗi hệ thống, chưa đăng nhập được. Vui lòng thử lại sau.")]
    Store(#[from] StoreError),
}

/// The check of an ID token that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdTokenCheck {
    Signature,
    Issuer,
    Audience,
    Expiry,
    Nonce,
    /// Anything else the token was refused for (an unreadable token, a missing subject…).
    Other,
}

impl OidcError {
    /// What the audit trail records of the refusal: one word, never a secret.
    pub fn code(&self) -> &'static str {
        match self {
            OidcError::Config(_) => "config",
            OidcError::Unavailable(_) => "provider_unavailable",
            OidcError::UnknownState => "state_unknown",
            OidcError::UsedState => "state_used",
            OidcError::ExpiredState => "state_expired",
            OidcError::Denied(_) => "provider_denied",
            OidcError::CodeRefused(_) => "code_refused",
            OidcError::NoIdToken => "no_id_token",
            OidcError::IdToken(check, _) => match check {
                IdTokenCheck::Signature => "id_token_signature",
                IdTokenCheck::Issuer => "id_token_issuer",
                IdTokenCheck::Audience => "id_token_audience",
                IdTokenCheck::Expiry => "id_token_expired",
                IdTokenCheck::Nonce => "id_token_nonce",
                IdTokenCheck::Other => "id_token_invalid",
            },
            OidcError::Store(_) => "store",
        }
    }

    /// The detail for the operator's log: the provider's or the library's words (no secret).
    pub fn detail(&self) -> String {
        match self {
            OidcError::Config(d)
            | OidcError::Unavailable(d)
            | OidcError::Denied(d)
            | OidcError::CodeRefused(d)
            | OidcError::IdToken(_, d) => d.clone(),
            OidcError::Store(e) => e.to_string(),
            _ => String::new(),
        }
    }

    /// Whether the fault is the server's or the provider's (the citizen did nothing wrong and
    /// may simply try again), as opposed to an answer that cannot be accepted.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            OidcError::Unavailable(_) | OidcError::Store(_) | OidcError::Config(_)
        )
    }
}

/// Sign-in through one OpenID provider. Cheap to clone; the discovered metadata is shared.
#[derive(Clone)]
pub struct Oidc {
    inner: Arc<Inner>,
}

struct Inner {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: ClientSecret,
    redirect: RedirectUrl,
    http: reqwest::Client,
    /// The provider's metadata with its keys, once discovered.
    metadata: Mutex<Option<Arc<CoreProviderMetadata>>>,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc")
            .field("issuer", &self.inner.issuer.as_str())
            .field("client_id", &self.inner.client_id.as_str())
            .finish_non_exhaustive()
    }
}

impl Oidc {
    /// Checks the configuration; nothing is fetched yet (the provider may be down when the
    /// portal starts: the first sign-in discovers it).
    pub fn new(config: OidcConfig) -> Result<Oidc, OidcError> {
        let issuer = IssuerUrl::new(config.issuer_url.trim().to_owned())
            .map_err(|e| OidcError::Config(format!("địa chỉ nhà cung cấp định danh: {e}")))?;
        let redirect = RedirectUrl::new(config.redirect_url.trim().to_owned())
            .map_err(|e| OidcError::Config(format!("địa chỉ trở về: {e}")))?;
        if config.client_id.trim().is_empty() {
            return Err(OidcError::Config(
                "thiếu mã ứng dụng (client id)".to_owned(),
            ));
        }
        let http = reqwest::ClientBuilder::new()
            // Following redirects would let the provider's answers send us anywhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(PROVIDER_TIMEOUT_SECONDS))
            .build()
            .map_err(|e| OidcError::Config(format!("máy khách HTTP: {e}")))?;
        Ok(Oidc {
            inner: Arc::new(Inner {
                issuer,
                client_id: ClientId::new(config.client_id.trim().to_owned()),
                client_secret: ClientSecret::new(config.client_secret),
                redirect,
                http,
                metadata: Mutex::new(None),
            }),
        })
    }

    /// The provider's issuer URL.
    pub fn issuer(&self) -> &str {
        self.inner.issuer.as_str()
    }

    /// The provider's metadata and keys: the kept ones, or discovered now (and kept) when
    /// there are none or `refresh` asks for new ones.
    async fn metadata(&self, refresh: bool) -> Result<Arc<CoreProviderMetadata>, OidcError> {
        let mut kept = self.inner.metadata.lock().await;
        if !refresh && let Some(m) = kept.as_ref() {
            return Ok(Arc::clone(m));
        }
        let found =
            CoreProviderMetadata::discover_async(self.inner.issuer.clone(), &self.inner.http)
                .await
                .map_err(|e| OidcError::Unavailable(error_chain(&e)))?;
        let found = Arc::new(found);
        *kept = Some(Arc::clone(&found));
        Ok(found)
    }

    fn client(&self, metadata: &CoreProviderMetadata) -> Client {
        CoreClient::from_provider_metadata(
            metadata.clone(),
            self.inner.client_id.clone(),
            Some(self.inner.client_secret.clone()),
        )
        .set_redirect_uri(self.inner.redirect.clone())
    }

    /// Starts a sign-in: saves it (audited, `citizen.oidc_begin`) and answers the provider's
    /// authorization URL to send the citizen to. `return_to` is where the citizen goes once
    /// signed in: a local path, else the home page ([`local_path`]).
    pub async fn begin(
        &self,
        store: &SqlStore,
        return_to: &str,
        ctx: &AuditContext,
    ) -> Result<Url, OidcError> {
        let metadata = match self.metadata(false).await {
            Ok(m) => m,
            Err(e) => return Err(self.refused(store, e, ctx).await),
        };
        let client = self.client(&metadata);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in SCOPES {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        let (url, state, nonce) = request.url();
        store
            .save_oidc_state(
                &NewOidcState {
                    state_hash: secret_hash(state.secret()),
                    issuer: self.issuer().to_owned(),
                    nonce: nonce.secret().clone(),
                    pkce_verifier: verifier.secret().clone(),
                    return_to: local_path(return_to),
                },
                ctx,
            )
            .await?;
        Ok(url)
    }

    /// Ends a sign-in when the provider sends the citizen back with `code` and `state`:
    /// takes the saved sign-in once, exchanges the code, verifies the ID token and signs the
    /// citizen in (audited as the citizen). Answers the account and the local path to return
    /// to. A refusal is audited (`citizen.oidc_failure`) before it is answered.
    pub async fn finish(
        &self,
        store: &SqlStore,
        code: &str,
        state: &str,
        ctx: &AuditContext,
    ) -> Result<SignedIn, OidcError> {
        match self.try_finish(store, code, state, ctx).await {
            Ok(done) => Ok(done),
            Err(e) => Err(self.refused(store, e, ctx).await),
        }
    }

    /// The provider sent the citizen back with an error instead of a code (`error`, e.g.
    /// `access_denied` when the citizen cancelled): the saved sign-in is used up, the refusal
    /// audited.
    pub async fn denied(
        &self,
        store: &SqlStore,
        error: &str,
        state: &str,
        ctx: &AuditContext,
    ) -> OidcError {
        let burnt = store.take_oidc_state(&secret_hash(state), ctx.at).await;
        let error = match burnt {
            Err(e) => OidcError::Store(e),
            // Only the error codes of RFC 6749 are words worth keeping.
            Ok(_) => OidcError::Denied(
                error
                    .chars()
                    .filter(|c| c.is_ascii_lowercase() || *c == '_')
                    .take(40)
                    .collect(),
            ),
        };
        self.refused(store, error, ctx).await
    }

    /// Audits a refusal and gives it back (an audit that fails leaves the refusal as it was:
    /// the citizen is refused either way).
    async fn refused(&self, store: &SqlStore, error: OidcError, ctx: &AuditContext) -> OidcError {
        let _ = store
            .record_oidc_failure(self.issuer(), error.code(), ctx)
            .await;
        error
    }

    async fn try_finish(
        &self,
        store: &SqlStore,
        code: &str,
        state: &str,
        ctx: &AuditContext,
    ) -> Result<SignedIn, OidcError> {
        let saved = match store.take_oidc_state(&secret_hash(state), ctx.at).await? {
            TakenState::Taken(saved) => saved,
            TakenState::Unknown => return Err(OidcError::UnknownState),
            TakenState::Used => return Err(OidcError::UsedState),
            TakenState::Expired => return Err(OidcError::ExpiredState),
        };
        // A sign-in begun with another provider (the configuration changed in between).
        if saved.issuer != self.issuer() {
            return Err(OidcError::UnknownState);
        }
        let metadata = self.metadata(false).await?;
        let client = self.client(&metadata);
        let answer = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::Unavailable(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(saved.pkce_verifier.clone()))
            .request_async(&self.inner.http)
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(r) => {
                    OidcError::CodeRefused(r.error().as_ref().to_owned())
                }
                other => OidcError::Unavailable(error_chain(&other)),
            })?;
        let token = answer.id_token().ok_or(OidcError::NoIdToken)?;
        let nonce = Nonce::new(saved.nonce.clone());
        let at = chrono_at(ctx.at)?;
        let claims = match verify(&client, token, &nonce, at) {
            // The provider may have rotated its keys: fetch them again, once.
            Err(ClaimsVerificationError::SignatureVerification(_)) => {
                let fresh = self.metadata(true).await?;
                verify(&self.client(&fresh), token, &nonce, at)
            }
            other => other,
        }
        .map_err(refusal)?;
        let identity = identity(self.issuer(), &claims);
        let signed = store.oidc_sign_in(&identity, ctx).await?;
        Ok(SignedIn {
            citizen: signed.citizen,
            created: signed.created,
            return_to: saved.return_to,
        })
    }
}

/// A citizen signed in through the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub citizen: CitizenId,
    /// The account was created by this sign-in.
    pub created: bool,
    /// The local path the citizen asked to go back to.
    pub return_to: String,
}

/// The client [`CoreClient::from_provider_metadata`] makes: an authorization URL, a token
/// URL and a user-info URL when the metadata has them.
type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

fn verify(
    client: &Client,
    token: &CoreIdToken,
    nonce: &Nonce,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<CoreIdTokenClaims, ClaimsVerificationError> {
    let verifier = client.id_token_verifier().set_time_fn(move || at);
    token.claims(&verifier, nonce).cloned()
}

fn chrono_at(at: Timestamp) -> Result<chrono::DateTime<chrono::Utc>, OidcError> {
    chrono::DateTime::from_timestamp_micros(at.as_micros())
        .ok_or_else(|| OidcError::Config(format!("thời điểm ngoài phạm vi: {}", at.as_micros())))
}

fn refusal(e: ClaimsVerificationError) -> OidcError {
    let check = match &e {
        ClaimsVerificationError::SignatureVerification(_) => IdTokenCheck::Signature,
        ClaimsVerificationError::InvalidIssuer(_) => IdTokenCheck::Issuer,
        ClaimsVerificationError::InvalidAudience(_) => IdTokenCheck::Audience,
        ClaimsVerificationError::Expired(_) => IdTokenCheck::Expiry,
        ClaimsVerificationError::InvalidNonce(_) => IdTokenCheck::Nonce,
        _ => IdTokenCheck::Other,
    };
    OidcError::IdToken(check, error_chain(&e))
}

/// An error with its causes, for the operator's log.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// What a verified ID token says of the person, as the account is created from it.
fn identity(issuer: &str, claims: &CoreIdTokenClaims) -> OidcIdentity {
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().to_owned())
        .or_else(|| {
            let family = claims.family_name().and_then(|n| n.get(None));
            let given = claims.given_name().and_then(|n| n.get(None));
            let parts: Vec<&str> = [family.map(|n| n.as_str()), given.map(|n| n.as_str())]
                .into_iter()
                .flatten()
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
        .map(|n| one_line(&n, MAX_FULL_NAME_CHARS))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| NAMELESS.to_owned());
    // A claim the provider says it has not verified is not taken (the accounts hold verified
    // numbers and addresses only); a claim without the flag is the provider's word.
    let phone = claims
        .phone_number()
        .filter(|_| claims.phone_number_verified() != Some(false))
        .and_then(|p| parse_phone(p.as_str()).ok());
    let email = claims
        .email()
        .filter(|_| claims.email_verified() != Some(false))
        .and_then(|e| parse_email(e.as_str()).ok());
    OidcIdentity {
        issuer: issuer.to_owned(),
        subject: claims.subject().as_str().to_owned(),
        full_name: name,
        phone,
        email,
    }
}

/// `text` as one line of at most `max` characters: control characters dropped, spaces
/// collapsed.
fn one_line(text: &str, max: usize) -> String {
    // A control character (a tab, a line break) separates words like a space.
    let kept: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let line = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    line.chars().take(max).collect()
}

/// `next` when it is a path of this server (`/…`, not `//…` nor `/\…`, no control character,
/// bounded); else `/`. What a sign-in returns to: never another site.
pub fn local_path(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.chars().count() <= MAX_RETURN_CHARS
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    if ok { next.to_owned() } else { "/".to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        for ok in ["/", "/track?code=X", "/citizen/dossiers"] {
            assert_eq!(local_path(ok), ok);
        }
        for bad in [
            "",
            "track",
            "//evil.example/",
            "/\\evil.example",
            "https://evil.example/",
            "/a\nb",
            "/a b",
        ] {
            assert_eq!(local_path(bad), "/", "{bad:?}");
        }
        assert_eq!(local_path(&format!("/{}", "a".repeat(600))), "/");
    }

    #[test]
    fn names_are_one_bounded_line() {
        assert_eq!(one_line("  Nguyễn\tThị \n Hoa ", 300), "Nguyễn Thị Hoa");
        assert_eq!(one_line("Nguyễn Thị Hoa", 6), "Nguyễn");
    }

    #[test]
    fn the_secret_is_not_debug_printed() {
        let config = OidcConfig {
            issuer_url: "http://127.0.0.1:1".to_owned(),
            client_id: "motcua".to_owned(),
            client_secret: "bi-mat-cua-ung-dung".to_owned(),
            redirect_url: "http://127.0.0.1:2/citizen/oidc/callback".to_owned(),
        };
        assert!(!format!("{config:?}").contains("bi-mat"));
    }

    #[test]
    fn a_configuration_without_urls_is_refused() {
        let config = OidcConfig {
            issuer_url: "không phải địa chỉ".to_owned(),
            client_id: "motcua".to_owned(),
            client_secret: "s".to_owned(),
            redirect_url: "http://127.0.0.1:2/citizen/oidc/callback".to_owned(),
        };
        assert!(matches!(Oidc::new(config), Err(OidcError::Config(_))));
    }
}
