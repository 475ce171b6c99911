//! The citizen's online submission (`motcua_app::online`), phone first, on
//! `public/layout.html`: "Nộp hồ sơ trực tuyến" from a procedure's page (`start`: what will
//! be submitted where, then a new draft), the draft form (`form`: the applicant prefilled from
//! the account, the request, one upload per component; "Lưu nháp" keeps everything typed and
//! every file uploaded, "Nộp hồ sơ" submits once nothing is missing, every error beside its
//! field), the receipt and status of a submission, the citizen's list, and their dossier
//! (`dossier`: the timeline in plain words, the supplement asked for, the result to download).
//! Every route is `Access::Citizen`; another citizen's submission or dossier answers as one
//! that does not exist.

pub(crate) mod dossier;
pub(crate) mod form;
pub(crate) mod start;

use motcua_core::online::Submission;

use crate::AppState;
use crate::error::PageError;

/// The name of a submission's procedure, as the catalogue has it.
pub(crate) async fn procedure_name(state: &AppState, s: &Submission) -> Result<String, PageError> {
    let procedures = state
        .store
        .procedures()
        .await
        .map_err(motcua_app::AppError::from)?;
    Ok(procedures
        .iter()
        .find(|p| p.code == s.procedure)
        .map_or_else(|| s.procedure.to_string(), |p| p.name.clone()))
}
