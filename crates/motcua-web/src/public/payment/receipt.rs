//! `GET /citizen/dossiers/{code}/receipt`: the e-receipt of the citizen's own dossier,
//! printable: the same A4 form the desk prints (`pages::slips::receipt_page`).

use axum::extract::{Path, State};
use axum::response::Response;
use motcua_app::online;

use crate::AppState;
use crate::citizen_authed::CitizenAuthed;
use crate::error::PageError;

/// `GET /citizen/dossiers/{code}/receipt`.
pub async fn receipt(
    State(state): State<AppState>,
    citizen: CitizenAuthed,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    // Another citizen's dossier answers as none.
    let tracked = online::my_dossier(&state.store, citizen.citizen.id, &code).await?;
    crate::pages::slips::receipt_page(&state, tracked.held).await
}
