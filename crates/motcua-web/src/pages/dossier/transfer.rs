//! The dossier page's "Chuyển khoản qua mã VietQR": while a fee is due and the unit (or a unit
//! above it) declared its receiving account, the VietQR code of the fee with the transfer
//! message (the dossier code), shown to the applicant or printed; and
//! `POST /dossiers/{code}/transfer`, "Xác nhận đã nhận chuyển khoản", which records the
//! payment (offline, as a bank transfer).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_app::desk;
use motcua_core::dossier::Dossier;
use motcua_core::money;
use motcua_core::unit::UnitTree;
use motcua_core::vietqr;
use serde::Deserialize;

use crate::error::{PageError, WebError};
use crate::{AppState, Authed};

/// What the box shows.
pub(super) struct TransferBox {
    /// The QR code as inline SVG.
    pub qr: String,
    pub bank: String,
    pub number: String,
    pub holder: String,
    pub amount: String,
    pub amount_words: String,
    pub text: String,
}

/// The box of `d`'s fee, when its unit has an account and its code fits a transfer message.
pub(super) async fn transfer_box(
    state: &AppState,
    tree: &UnitTree,
    d: &Dossier,
) -> Result<Option<TransferBox>, PageError> {
    let Some(account) = desk::receiving_account(&state.store, tree, &d.unit_code).await? else {
        return Ok(None);
    };
    let Some(text) = vietqr::transfer_text(d.code.as_str()) else {
        return Ok(None);
    };
    let payload = vietqr::payload(&account, d.fee_vnd, &text);
    let qr = motcua_report::qr_svg(&payload).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(Some(TransferBox {
        qr,
        bank: account.bank_name(),
        number: account.number,
        holder: account.holder,
        amount: money::vnd_in_figures(d.fee_vnd),
        amount_words: money::vnd_in_words(d.fee_vnd),
        text,
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfirmForm {
    csrf: String,
}

/// `POST /dossiers/{code}/transfer`: the officer saw the transfer arrive; the payment is
/// recorded now.
pub async fn confirm_transfer(
    State(state): State<AppState>,
    authed: Authed,
    Path(code): Path<String>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    authed.check_csrf(Some(&form.csrf))?;
    match desk::confirm_transfer(&state.store, &authed.principal, &code, &authed.ctx()).await {
        Ok(h) => Ok(Redirect::to(&format!("/dossiers/{}", h.dossier.code)).into_response()),
        Err(e) => super::refused_or(&state, &authed, &code, e).await,
    }
}
