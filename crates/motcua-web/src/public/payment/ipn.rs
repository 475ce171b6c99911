//! `GET /payments/vnpay/ipn`: the gateway's server-to-server notice (IPN). Public (the
//! gateway has no session; the signature is the proof), answered in the gateway's own JSON
//! by `PaymentGateway::notice_reply`, never a redirect or a page. A GET, so no CSRF token.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use motcua_app::payments::handle_notice;
use motcua_core::payment::NoticeAck;

use super::{gateway_ctx, no_gateway};
use crate::AppState;

/// `GET /payments/vnpay/ipn`.
pub async fn ipn(
    State(state): State<AppState>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let portal = state.portal_url();
    let Some(p) = state.payments(&portal) else {
        return crate::error::PageError(no_gateway()).into_response();
    };
    let ack = match gateway_ctx(&state, p.gateway.name()) {
        Ok(ctx) => handle_notice(&p, &query, &ctx).await,
        Err(_) => NoticeAck::Unknown,
    };
    let (content_type, body) = p.gateway.notice_reply(ack);
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}
