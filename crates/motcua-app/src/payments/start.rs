//! A citizen starts paying their dossier's fee: a new attempt in the ledger, and the
//! gateway's address to send the browser to.

use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::citizen::CitizenId;
use motcua_core::dossier::DossierCode;
use motcua_core::payment::ascii_text;
use motcua_store::{HeldDossier, NewOrder, PaymentOrder, SqlStore};

use super::{PaymentGateway, order_of};
use crate::AppError;

/// How long the gateway takes the payment for (VNPay's `vnp_ExpireDate`).
pub const ORDER_MINUTES: i64 = 15;

/// An attempt started: the ledger's order and where to send the payer.
#[derive(Debug, Clone)]
pub struct Started {
    pub order: PaymentOrder,
    pub url: String,
}

/// Why a dossier cannot be paid online now, in Vietnamese; `None` when it can.
pub fn not_payable(held: &HeldDossier) -> Option<String> {
    let d = &held.dossier;
    if d.fee_vnd <= 0 {
        return Some(format!("Hồ sơ {} không có phí, lệ phí phải nộp.", d.code));
    }
    if d.paid_at.is_some() {
        return Some(format!("Hồ sơ {} đã nộp phí, lệ phí.", d.code));
    }
    None
}

/// Starts paying the fee of `code`, the citizen's own dossier (any other answers as one that
/// does not exist): refused when there is no fee or it is paid. A new attempt
/// `<code>-<n>`, valid [`ORDER_MINUTES`] minutes, its order information in ASCII; the
/// browser comes back to `return_url`.
pub async fn start_payment(
    store: &SqlStore,
    gateway: &dyn PaymentGateway,
    citizen: CitizenId,
    code: &str,
    client_ip: &str,
    return_url: &str,
    ctx: &AuditContext,
) -> Result<Started, AppError> {
    let unknown = || AppError::UnknownDossier(code.to_owned());
    let parsed = DossierCode::parse(code.trim()).ok_or_else(unknown)?;
    let held = store.held_dossier(&parsed).await?.ok_or_else(unknown)?;
    if held.citizen != Some(citizen) {
        return Err(unknown());
    }
    if let Some(why) = not_payable(&held) {
        return Err(AppError::Refused(why));
    }
    let d = &held.dossier;
    let procedure = crate::desk::procedure(store, &d.procedure_code).await?;
    let info = ascii_text(&format!(
        "Nộp phí, lệ phí hồ sơ {} {}",
        d.code, procedure.name
    ));
    let new = NewOrder {
        dossier: d.code.clone(),
        unit: d.unit_code.clone(),
        gateway: gateway.name().to_owned(),
        amount_vnd: d.fee_vnd,
        // VNPay bounds the order information to 255 characters.
        order_info: info.chars().take(255).collect(),
        created_at: ctx.at,
        expires_at: Timestamp::from_micros(ctx.at.as_micros() + ORDER_MINUTES * 60_000_000),
        citizen: Some(citizen),
    };
    let order = store.start_payment_order(&new, ctx).await?;
    let url = gateway.payment_url(&order_of(&order, client_ip, return_url));
    Ok(Started { order, url })
}
