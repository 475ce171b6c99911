//! Online payment on the portal: the citizen's "Thanh toán trực tuyến" (`pay`: a new
//! attempt, then a link to the gateway), the gateway's server-to-server notice (`ipn`, JSON only),
//! the payer's return (`returned`: paid, failed or waiting for the confirmation) and the
//! citizen's e-receipt (`receipt`, the printable form the desk prints). The flows are
//! `motcua_app::payments`'.

pub(crate) mod ipn;
pub(crate) mod pay;
pub(crate) mod receipt;
pub(crate) mod returned;

use motcua_core::access::AuditContext;
use motcua_core::audit::VISITOR;

use crate::{AppState, WebError};

/// The audit actor of what a gateway sends (`gateway:vnpay`).
fn gateway_ctx(state: &AppState, name: &str) -> Result<AuditContext, WebError> {
    Ok(AuditContext {
        actor: format!("gateway:{name}"),
        remote_addr: None,
        at: state.now()?,
    })
}

/// The payer's browser coming back: audited as a visitor.
fn visitor_ctx(state: &AppState, remote: Option<String>) -> Result<AuditContext, WebError> {
    Ok(AuditContext {
        actor: VISITOR.to_owned(),
        remote_addr: remote,
        at: state.now()?,
    })
}

/// Online payment is not configured on this server.
fn no_gateway() -> WebError {
    WebError::NotFound("chưa cấu hình thanh toán trực tuyến".to_owned())
}
