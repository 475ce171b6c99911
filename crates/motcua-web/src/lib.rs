//! The HTTP layer of motcua: the JSON API and the server-rendered Vietnamese pages.
//!
//! Build the app with [`router`] from an [`AppState`]; serve it with [`serve`]. Every route is
//! declared once in [`routes`], with the access it requires ([`Access`]); the router is built
//! from that list, and a table-driven test walks the same list. Handlers are thin: they
//! identify the principal ([`Authed`]), check its action and unit scope, call `motcua-app`,
//! and shape the answer. The JSON API is in `api/` (one module per resource), the pages in
//! `pages/` (each with its view model and template beside it); [`view`] holds the display
//! strings they share. Errors map to HTTP statuses in one place ([`WebError`]); internal details are
//! logged, never shown. The JSON API describes itself at `GET /api/openapi.json` ([`ApiDoc`]).

#![forbid(unsafe_code)]

mod api;
mod authed;
mod catalogue;
pub mod citizen_authed;
mod clock;
mod error;
mod error_page;
mod extract;
mod pages;
mod public;
mod routes;
pub mod sandbox;
mod shutdown;
mod upload;
pub mod view;

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use motcua_core::Timestamp;
use motcua_store::{Files, SqlStore};

pub use api::openapi::ApiDoc;
pub use authed::{Authed, SESSION_COOKIE};
pub use clock::ManualClock;
pub use error::{ErrorBody, WebError};
pub use routes::{Access, Route, RouteInfo, routes};
pub use shutdown::Shutdown;
pub use view::links::PublicUrl;

/// What every handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: SqlStore,
    /// Where scans are kept.
    pub files: Files,
    secure_cookies: bool,
    login_limiter: Arc<DefaultKeyedRateLimiter<String>>,
    /// Tracking attempts per client address (the public portal's `POST /track`).
    track_limiter: Arc<DefaultKeyedRateLimiter<String>>,
    /// The test's clock, read instead of the system clock (reproducible pages, stories that
    /// span days).
    clock: Option<ManualClock>,
    /// Citizens' sign-ups, code checks and sign-ins per client address (`/citizen/…`).
    citizen_limiter: Arc<DefaultKeyedRateLimiter<String>>,
    /// The address citizens reach the portal at, when it is set (the slips' QR codes).
    public_url: Option<view::links::PublicUrl>,
    /// Citizens' sign-in with the national identity account (OpenID Connect), when configured.
    oidc: Option<motcua_app::oidc::Oidc>,
    /// The online payment gateway (VNPay), when configured.
    payment_gateway: Option<Arc<dyn motcua_app::payments::PaymentGateway>>,
}

/// Sign-in attempts one client address may make in a burst…
pub const LOGIN_BURST: u32 = 30;
/// …and how many more it earns per minute afterwards.
pub const LOGIN_PER_MINUTE: u32 = 10;
/// Tracking attempts (code and telephone or ID number) one client address may make in a
/// burst, and per minute afterwards: enough for a family's dossiers, too few to guess numbers.
pub const TRACK_BURST: u32 = 10;
pub const TRACK_PER_MINUTE: u32 = 5;
/// Citizens' sign-ups, code checks and sign-ins one client address may make in a burst, and
/// per minute afterwards (each account also locks after repeated wrong passwords, and each
/// code after five wrong tries).
pub const CITIZEN_BURST: u32 = 20;
pub const CITIZEN_PER_MINUTE: u32 = 6;

fn quota(burst: u32, per_minute: u32) -> Quota {
    let one = NonZeroU32::MIN;
    Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(one))
        .allow_burst(NonZeroU32::new(burst).unwrap_or(one))
}

impl AppState {
    /// The state of a server behind HTTPS (session cookies are marked `Secure`) keeping its
    /// scans in `files` (their folder and size limit: the caller decides where, there is no
    /// default folder).
    pub fn new(store: SqlStore, files: Files) -> Self {
        Self {
            store,
            files,
            secure_cookies: true,
            login_limiter: Arc::new(RateLimiter::keyed(quota(LOGIN_BURST, LOGIN_PER_MINUTE))),
            track_limiter: Arc::new(RateLimiter::keyed(quota(TRACK_BURST, TRACK_PER_MINUTE))),
            citizen_limiter: Arc::new(RateLimiter::keyed(quota(CITIZEN_BURST, CITIZEN_PER_MINUTE))),
            clock: None,
            public_url: None,
            oidc: None,
            payment_gateway: None,
        }
    }

    /// Whether session cookies carry `Secure` (browsers then send them over HTTPS only; turn
    /// it off only for a server on plain HTTP, such as the demo on 127.0.0.1).
    pub fn with_secure_cookies(mut self, secure: bool) -> Self {
        self.secure_cookies = secure;
        self
    }

    /// The address citizens reach the portal at: what the slips' QR codes open (by default,
    /// the address the officer's browser used).
    pub fn with_public_url(mut self, url: PublicUrl) -> Self {
        self.public_url = Some(url);
        self
    }

    /// Lets citizens sign in with the national identity account through the OpenID provider
    /// `oidc` (`/citizen/oidc/start`, `/citizen/oidc/callback`, and the button on the portal).
    pub fn with_oidc(mut self, oidc: motcua_app::oidc::Oidc) -> Self {
        self.oidc = Some(oidc);
        self
    }

    /// Lets citizens pay dossiers' fees online through `gateway` (VNPay, or the sandbox
    /// gateway speaking its protocol).
    pub fn with_payment_gateway(
        mut self,
        gateway: Arc<dyn motcua_app::payments::PaymentGateway>,
    ) -> Self {
        self.payment_gateway = Some(gateway);
        self
    }

    /// The online payment gateway, when one is configured.
    pub fn payment_gateway(&self) -> Option<&Arc<dyn motcua_app::payments::PaymentGateway>> {
        self.payment_gateway.as_ref()
    }

    /// The payment flows' context, when a gateway is configured (`portal_url` is the public
    /// address, or empty for links relative to the site).
    pub(crate) fn payments<'a>(
        &'a self,
        portal_url: &'a str,
    ) -> Option<motcua_app::payments::Payments<'a>> {
        self.payment_gateway
            .as_deref()
            .map(|gateway| motcua_app::payments::Payments {
                store: &self.store,
                gateway,
                portal_url,
            })
    }

    /// The public address citizens reach the portal at, as text (empty when not set).
    pub fn portal_url(&self) -> String {
        self.public_url
            .as_ref()
            .map(|u| u.as_str().to_owned())
            .unwrap_or_default()
    }

    /// Changes the per-address sign-in limit (tests use a small one).
    pub fn with_login_limit(mut self, burst: u32, per_minute: u32) -> Self {
        self.login_limiter = Arc::new(RateLimiter::keyed(quota(burst, per_minute)));
        self
    }

    /// Changes the per-address tracking limit (tests use a small one).
    pub fn with_track_limit(mut self, burst: u32, per_minute: u32) -> Self {
        self.track_limiter = Arc::new(RateLimiter::keyed(quota(burst, per_minute)));
        self
    }

    /// Changes the per-address limit of citizens' sign-ups, codes and sign-ins (tests use a
    /// small one).
    pub fn with_citizen_limit(mut self, burst: u32, per_minute: u32) -> Self {
        self.citizen_limiter = Arc::new(RateLimiter::keyed(quota(burst, per_minute)));
        self
    }

    /// Every request happens at `at` instead of the system clock's time (tests take pages
    /// that show the time, or depend on it, reproducibly).
    pub fn with_fixed_clock(self, at: Timestamp) -> Self {
        self.with_clock(ManualClock::new(at))
    }

    /// Every request happens at the instant `clock` shows, which the test moves.
    pub fn with_clock(mut self, clock: ManualClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The current instant: the web layer's one clock read.
    pub(crate) fn now(&self) -> Result<Timestamp, WebError> {
        match &self.clock {
            Some(clock) => Ok(clock.now()),
            None => Timestamp::from_datetime(time::OffsetDateTime::now_utc())
                .map_err(|e| WebError::Internal(format!("clock: {e}"))),
        }
    }
}

/// The whole application as a router (tests drive it with `oneshot`, no socket needed).
pub fn router(state: AppState) -> Router {
    let mut app = Router::new();
    let upload_limit = upload::body_limit(&state.files);
    for route in routes() {
        let handler = if route.info.uploads {
            route
                .handler
                .layer(axum::extract::DefaultBodyLimit::max(upload_limit))
        } else {
            route.handler
        };
        app = app.route(route.info.path, handler);
    }
    app.fallback(error_page::not_found)
        // Error pages get the signed-in officer's header and menu.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error_page::layer,
        ))
        // Browsers say where a request comes from; a cross-site write is refused before any
        // handler runs. Form tokens (see `Authed::check_csrf`) cover browsers that do not.
        .layer(tower_http::csrf::CsrfLayer::new())
        // Whatever axum or a layer answers under /api/ on its own becomes the JSON error body.
        .layer(axum::middleware::from_fn(extract::json_errors))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// Headers every answer carries: no framing, no sniffing, nothing loaded from elsewhere,
/// nothing personal kept in shared caches.
async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    let h = response.headers_mut();
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Serves the app on `listener` until `shutdown` says Ctrl-C or SIGTERM arrived, then shuts
/// down gracefully (the requests in progress are answered first).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    mut shutdown: Shutdown,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move { shutdown.wait().await })
    .await
}
