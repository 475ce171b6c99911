//! Printable forms of a dossier (`GET /dossiers/{code}/slips/{form}`) and its e-receipt
//! (`GET /dossiers/{code}/receipt`). What each says is `motcua_core::forms` (the circular by
//! the reception date, Mẫu 01–06, the e-receipt); the page reads the dossier, its history,
//! the people's names and the form's number, and `motcua_report::slip_html` lays it out on A4.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use motcua_app::AppError;
use motcua_app::desk::{self, Handled};
use motcua_core::access::Action;
use motcua_core::audit::ActorNames;
use motcua_core::forms::Form;
use motcua_core::forms::receipt::{ReceiptFacts, receipt as receipt_document};
use motcua_core::forms::slips::{FormError, Slip};
use motcua_core::history::DossierEvent;
use motcua_core::unit::UnitTree;

use crate::catalogue::tree;
use crate::error::PageError;
use crate::view::timeline;
use crate::{AppState, Authed, WebError};

/// The forms a dossier has in its state and history, for its page: (path segment, title).
pub fn available(h: &Handled, events: &[DossierEvent]) -> Vec<(&'static str, &'static str)> {
    // Availability reads the dossier, its lifecycle and its history's steps only.
    let (tree, names) = (UnitTree::default(), ActorNames::default());
    let slip = slip_of(h, None, events, &tree, &names, false, None);
    let c = slip.circular();
    Form::ALL
        .into_iter()
        .filter(|f| slip.check(*f).is_ok())
        .map(|f| (f.path(), f.title(c)))
        .collect()
}

fn slip_of<'a>(
    h: &'a Handled,
    procedure: Option<&'a motcua_core::procedure::Procedure>,
    events: &'a [DossierEvent],
    tree: &'a UnitTree,
    names: &'a ActorNames,
    show_id: bool,
    tracking: Option<&'a str>,
) -> Slip<'a> {
    Slip {
        dossier: &h.dossier,
        lifecycle: &h.lifecycle,
        details: h.details.as_ref(),
        procedure,
        events,
        tree,
        names,
        show_id,
        tracking,
    }
}

fn form_error(code: &str, e: FormError) -> WebError {
    match e {
        FormError::Refused(_) => WebError::Conflict(e.to_string()),
        FormError::UnknownUnit(_) => WebError::Internal(e.to_string()),
        FormError::Absent(_) | FormError::NotInCircular { .. } => {
            WebError::NotFound(format!("mã hồ sơ «{code}»: {e}"))
        }
    }
}

/// `GET /dossiers/{code}/slips/{form}`: a printable form.
pub async fn slip(
    State(state): State<AppState>,
    authed: Authed,
    headers: axum::http::HeaderMap,
    Path((code, kind)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let form = Form::of_path(&kind)
        .ok_or_else(|| WebError::NotFound(format!("không có mẫu phiếu «{kind}»")))?;
    let tree = tree(&state.store).await?;
    let h = desk::get(&state.store, &authed.principal, &code).await?;
    let d = &h.dossier;
    // A procedure no longer in the catalogue leaves its lines to be written by hand.
    let procedure = desk::procedure(&state.store, &d.procedure_code).await.ok();
    let events = state
        .store
        .dossier_events(&d.code)
        .await
        .map_err(AppError::from)?;
    let names = timeline::names(&state.store, &tree, &events, &[]).await?;
    let show_id = authed.principal.may(Action::ViewPersonalData);
    // The applicant's phone opens the tracking page from the QR code.
    let tracking = crate::view::links::tracking_url(&state, &headers, &d.code);
    let tracking = tracking.contains("/track?").then_some(tracking.as_str());
    let slip = slip_of(
        &h,
        procedure.as_ref(),
        &events,
        &tree,
        &names,
        show_id,
        tracking,
    );
    slip.check(form).map_err(|e| form_error(&code, e))?;
    let number = match slip.number_key(form) {
        Some(key) => Some(
            state
                .store
                .slip_number(&key.unit, form.as_str(), &d.code, key.at)
                .await
                .map_err(AppError::from)?,
        ),
        None => None,
    };
    let doc = slip
        .document(form, number)
        .map_err(|e| form_error(&code, e))?;
    let page = motcua_report::slip_html(&doc).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(Html(page).into_response())
}

/// `GET /dossiers/{code}/receipt`: the dossier's e-receipt, printable.
pub async fn receipt(
    State(state): State<AppState>,
    authed: Authed,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let h = desk::get(&state.store, &authed.principal, &code).await?;
    receipt_page(&state, h).await
}

/// The printable e-receipt of dossier `h` (the officer's page and the citizen's).
pub(crate) async fn receipt_page(state: &AppState, h: Handled) -> Result<Response, PageError> {
    let code = h.dossier.code.to_string();
    let tree = tree(&state.store).await?;
    let r = state
        .store
        .dossier_receipts(&h.dossier.code)
        .await
        .map_err(AppError::from)?
        .pop()
        .ok_or_else(|| WebError::NotFound(format!("hồ sơ «{code}» chưa có biên lai")))?;
    let procedure = desk::procedure(&state.store, &h.dossier.procedure_code)
        .await
        .ok();
    let unit = tree
        .get(&r.unit)
        .ok_or_else(|| AppError::UnknownUnit(r.unit.to_string()))?;
    let tax_code = desk::tax_code(&state.store, &r.unit).await?;
    let details = h.details.unwrap_or_default();
    let names = timeline::names(&state.store, &tree, &[], &[r.issued_by.as_str()]).await?;
    let issued_by = motcua_core::forms::control::signer(&names, &r.issued_by);
    let doc = receipt_document(&ReceiptFacts {
        receipt: &r,
        unit,
        tree: &tree,
        tax_code: &tax_code,
        payer: &details.applicant.name,
        payer_address: &details.applicant.address,
        procedure_name: procedure.as_ref().map_or("", |p| p.name.as_str()),
        issued_by: &issued_by,
    });
    let page = motcua_report::slip_html(&doc).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(Html(page).into_response())
}
