//! A sandbox VNPay gateway for an app driven in memory (`Client`): the sandbox cannot reach a
//! router without a socket, so it sends no IPN (`IpnMode::Never`); a test hands what the
//! gateway would have sent to the router itself (`Sandbox::signed_query`), as many times and
//! as late as the case needs. For the IPN over a socket, see `tests/browser/harness.rs`'s
//! `serve_with_sandbox`.

use motcua_core::payment::vnpay::Keys;
use motcua_web::sandbox::{self, IpnMode, Sandbox};
use motcua_web::{AppState, ManualClock};

use super::Error;

/// The tests' terminal code and secret (the same on both sides).
pub const TERMINAL: &str = "TESTTMN1";
pub const SECRET: &str = "bi-mat-thu-nghiem-0123456789";

/// `state` paying through a sandbox started for it, and the sandbox.
pub async fn with_sandbox(
    state: AppState,
    clock: Option<ManualClock>,
) -> Result<(AppState, Sandbox), Error> {
    let (sandbox, gateway) = sandbox::start_for(
        "http://127.0.0.1:9",
        Keys::new(TERMINAL, SECRET),
        "Ủy ban nhân dân xã Vĩnh Khê",
        clock,
    )
    .await?;
    sandbox.set_ipn_mode(IpnMode::Never);
    Ok((state.with_payment_gateway(gateway), sandbox))
}
