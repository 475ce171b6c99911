//! Error pages as pages of the app: [`layer`] gives an error page the header and menu of the
//! signed-in officer who asked for it, and [`not_found`] answers an address no route has
//! (a page; the JSON error under `/api/`).

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::Uri;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ErrorPage, ErrorPageText, render};

/// An address no route has: the JSON error under `/api/`, a page everywhere else.
pub(crate) async fn not_found(uri: Uri) -> Response {
    let e = crate::authed::not_found();
    if uri.path().starts_with("/api/") {
        e.into_response()
    } else {
        crate::error::PageError(e).into_response()
    }
}

/// Gives an error page the header and menu of the signed-in officer who asked for it (a
/// visitor keeps the page as it is, with its link home). Only error pages pay for the
/// second look at the session.
pub(crate) async fn layer(
    State(state): State<crate::AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let mut copy = Request::builder()
        .method(request.method().clone())
        .uri(request.uri().clone());
    if let Some(h) = copy.headers_mut() {
        h.clone_from(request.headers());
    }
    if let Some(info) = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
    {
        copy = copy.extension(*info);
    }
    let response = next.run(request).await;
    let Some(text) = response.extensions().get::<ErrorPageText>().cloned() else {
        return response;
    };
    let Ok(copy) = copy.body(()) else {
        return response;
    };
    let (mut parts, ()) = copy.into_parts();
    let Ok(authed) = crate::Authed::from_request_parts(&mut parts, &state).await else {
        return response;
    };
    let Ok(tree) = crate::catalogue::tree(&state.store).await else {
        return response;
    };
    let page = ErrorPage {
        nav: Some(crate::view::Nav::new(&authed, &tree)),
        title: text.title,
        message: text.message,
    };
    let status = response.status();
    let mut fresh = render(status, &page);
    for (name, value) in response.headers() {
        if name != axum::http::header::CONTENT_LENGTH {
            fresh.headers_mut().insert(name.clone(), value.clone());
        }
    }
    fresh
}
