//! `POST /citizen/dossiers/{code}/pay`: the citizen's "Thanh toán trực tuyến" — a new
//! attempt in the ledger, then a page with a plain link to the gateway ("Tiếp tục đến cổng
//! thanh toán VNPay"). Not a redirect: the CSP's `form-action 'self'` also covers where a
//! form's answer redirects, and browsers refuse a 303 to the gateway; a link is a GET the
//! CSP leaves alone, so the CSP stays strict everywhere.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motcua_app::AppError;
use motcua_app::payments::{ORDER_MINUTES, start_payment};
use serde::Deserialize;

use crate::AppState;
use crate::catalogue::tree;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;
use crate::public::{Visitor, portal_name};

#[derive(Template)]
#[template(path = "public/payment/go.html")]
struct GoPage {
    portal: String,
    visitor: Visitor,
    code: String,
    txn_ref: String,
    amount: String,
    minutes: i64,
    /// The gateway's payment address of this attempt.
    url: String,
}

#[derive(Deserialize)]
pub struct PayForm {
    #[serde(default)]
    csrf: String,
}

/// Where the gateway sends the payer back: the portal's public address, or the one the
/// browser used.
fn return_url(state: &AppState, headers: &HeaderMap) -> String {
    let base = state.portal_url();
    let base = if base.is_empty() {
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        let scheme = if state.secure_cookies {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{host}")
    } else {
        base
    };
    format!("{base}/payments/vnpay/return")
}

/// `POST /citizen/dossiers/{code}/pay`.
pub async fn pay(
    State(state): State<AppState>,
    citizen: CitizenAuthed,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(form): Form<PayForm>,
) -> Result<Response, PageError> {
    citizen.check_csrf(&form.csrf)?;
    // Without a gateway, or when the dossier cannot be paid now (no fee, paid already), the
    // dossier's page says how its fee stands; another citizen's dossier answers as none.
    let back = || Redirect::to(&format!("/citizen/dossiers/{code}")).into_response();
    let portal = state.portal_url();
    let Some(p) = state.payments(&portal) else {
        motcua_app::online::my_dossier(&state.store, citizen.citizen.id, &code).await?;
        return Ok(back());
    };
    let ip = citizen
        .remote_addr
        .clone()
        .unwrap_or_else(|| "127.0.0.1".to_owned());
    match start_payment(
        &state.store,
        p.gateway,
        citizen.citizen.id,
        &code,
        &ip,
        &return_url(&state, &headers),
        &citizen.ctx(),
    )
    .await
    {
        Ok(started) => {
            let tree = tree(&state.store).await?;
            let page = GoPage {
                portal: portal_name(&tree),
                visitor: Visitor::of(Some(&citizen)),
                code: started.order.dossier.to_string(),
                txn_ref: started.order.txn_ref.to_string(),
                amount: motcua_core::display::count(started.order.amount_vnd.max(0) as u64),
                minutes: ORDER_MINUTES,
                url: started.url,
            };
            Ok(Html(page.render()?).into_response())
        }
        Err(AppError::Refused(_)) => Ok(back()),
        Err(e) => Err(e.into()),
    }
}
