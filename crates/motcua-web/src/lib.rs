//! The HTTP layer of motcua: the JSON API and the server-rendered Vietnamese pages.
//!
//! Build the app with [`router`] from an [`AppState`]; serve it with [`serve`]. Handlers are
//! thin: they parse the request, call `motcua-app`, and shape the answer ([`view`] turns
//! domain values into display strings for the templates). Errors map to HTTP statuses in one
//! place ([`WebError`]); internal details are logged, never shown.

#![forbid(unsafe_code)]

mod error;
mod handlers;
pub mod view;

use std::net::SocketAddr;

use axum::Router;
use axum::routing::get;
use motcua_store::Store;

pub use error::WebError;

/// What every handler shares. Cheap to clone.
#[derive(Clone)]
pub struct AppState<S> {
    pub store: S,
}

/// The whole application as a router (tests drive it with `oneshot`, no socket needed).
pub fn router<S: Store>(state: AppState<S>) -> Router {
    Router::new()
        .route("/", get(handlers::dashboard::<S>))
        .route("/health", get(handlers::health::<S>))
        .route("/api/indicators", get(handlers::api_indicators::<S>))
        .route("/api/calendar/{year}", get(handlers::api_calendar::<S>))
        .fallback(handlers::not_found)
        .with_state(state)
}

/// Serves the app on `listener` until Ctrl-C.
pub async fn serve<S: Store>(
    listener: tokio::net::TcpListener,
    state: AppState<S>,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
